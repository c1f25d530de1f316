import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'notion-local',
          include: ['packages/*/test/**/*.test.ts', 'e2e/**/*.test.ts', 'eslint-rules/**/*.test.js'],
        },
      },
      // docs/testing.md's vitest example: its own project, for its globalSetup.
      'examples/vitest/vitest.config.ts',
    ],
  },
});
