// docs/testing.md's node:test example (examples/node-test), run as a user runs it: `node --test` from the
// repository root, where `notion-local/testing` resolves to this package by its own name. Bounded: 90 s.
// (The vitest example runs as its own vitest project; the jest one in e2e/package-install.test.ts.)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('examples/node-test', () => {
  it('passes under node --test', async () => {
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const proc = spawn(process.execPath, ['--test', 'examples/node-test/'], { cwd: ROOT });
      let out = '';
      proc.stdout.on('data', (d) => (out += d));
      proc.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => proc.kill('SIGKILL'), 90_000);
      proc.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    expect(result.code, result.out.slice(-3000)).toBe(0);
    expect(result.out).toMatch(/^# pass 2$/m);
    expect(result.out).toMatch(/^# fail 0$/m);
  }, 100_000);
});
