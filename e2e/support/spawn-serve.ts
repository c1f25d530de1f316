// Runs the real `notion-local serve` binary and waits for its ready line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../packages/cli/bin/notion-local.js', import.meta.url));

export interface Served {
  proc: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runCli(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts `serve` and waits for its ready line. 60 s: a cold PGlite start takes 2–3 s alone but 20 s and more
 * on a 2-core machine busy with other suites (the readiness failures seen under load were this bound).
 */
export function spawnServe(args: string[], timeoutMs = 60_000): Promise<Served> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not become ready in ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[^\s/]+:\d+/.exec(out);
      if (m && out.includes('\n')) {
        clearTimeout(timer);
        resolve({
          proc,
          url: m[0],
          stdout: () => out,
          stderr: () => err,
          stop: (signal = 'SIGTERM') => {
            proc.kill(signal);
            return exited;
          },
        });
      }
    });
    proc.stderr.on('data', (d) => (err += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before ready: ${err}`));
    });
  });
}
