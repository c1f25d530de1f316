// A vitest project that shares one notion-local across its test files: global-setup.ts starts it once,
// each test file connects to it and each test gets its own workspace (docs/testing.md).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-vitest',
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
  },
});
