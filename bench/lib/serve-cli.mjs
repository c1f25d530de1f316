// Runs the real `notion-local serve` binary (as e2e/support/spawn-serve.ts does) and waits for its ready
// line: the API base URL on stdout. For the commands that kill and restart it (bench/durability.mjs).
import { spawn } from 'node:child_process';
import { CLI_BIN } from './common.mjs';

/**
 * Starts `serve …args`; resolves with {proc, pid, url, stdout(), stderr(), exited, kill(signal)} once the
 * ready line is printed, rejects if it exits first or is not ready in `timeoutMs` (then it is SIGKILLed).
 */
export function spawnServe(args, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_BIN, 'serve', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let ready = false;
    const exited = new Promise((r) => proc.on('close', (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`serve did not become ready in ${timeoutMs} ms; stderr: ${err.slice(-500)}`));
    }, timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[^\s/]+:\d+/.exec(out);
      if (!ready && m && out.includes('\n')) {
        ready = true;
        clearTimeout(timer);
        resolve({
          proc,
          pid: proc.pid,
          url: m[0],
          stdout: () => out,
          stderr: () => err,
          exited,
          kill: (signal = 'SIGTERM') => {
            proc.kill(signal);
            return exited;
          },
        });
      }
    });
    proc.stderr.on('data', (d) => (err += d));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`serve exited (code ${code}, signal ${signal}) before ready: ${err.slice(-500)}`));
    });
  });
}
