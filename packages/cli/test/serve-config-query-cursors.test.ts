// The serve config file's `query_cursors` key: read into PlatformConfig.queryCursors, checked by the server's
// rule (1 to 1,000,000 live cursors per integration), unknown sub-keys refused by name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { resolveServeConfig } from '../src/serve-config.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'nl-serve-config-'));
  dirs.push(dir);
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

function refusal(content: unknown): { exitCode: number; message: string } {
  try {
    resolveServeConfig({ inMemory: true, config: configFile(content) });
  } catch (error) {
    if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('serve config: query_cursors', () => {
  it('maps max_per_integration onto PlatformConfig.queryCursors, and leaves it out when the file does', () => {
    const set = resolveServeConfig({
      inMemory: true,
      config: configFile({ query_cursors: { max_per_integration: 5 } }),
    });
    expect(set.platform.queryCursors).toEqual({ maxPerIntegration: 5 });
    expect(resolveServeConfig({ inMemory: true, config: configFile({}) }).platform.queryCursors).toEqual({});
  });

  it('refuses a bound that cannot be used, and unknown keys, by name', () => {
    expect(refusal({ query_cursors: { max_per_integration: 0 } })).toEqual({
      exitCode: 2,
      message: 'config "query_cursors": max_per_integration must be an integer from 1 to 1000000, not 0',
    });
    expect(refusal({ query_cursors: { max_per_integration: 2.5 } }).message).toBe(
      'config "query_cursors": max_per_integration must be an integer from 1 to 1000000, not 2.5',
    );
    expect(refusal({ query_cursors: { max: 1 } }).message).toMatch(/unknown key "query_cursors\.max"/);
  });
});
