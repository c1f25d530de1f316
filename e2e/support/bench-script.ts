// Runs a script of bench/ as the full-size commands do, scaled down by its arguments: `node bench/<name>.mjs
// --json …`, whose report is the last line of its stdout. The reliability suites' short versions (durability,
// soak) check that report.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchRunOptions {
  /** The script is killed (SIGKILL) after this long and the run fails: keep it under the test's timeout. */
  timeoutMs?: number;
}

/** `bench/<script>` run with `--json` and `args`; resolves with the parsed last line of its stdout. */
export function runBenchScript<T>(script: string, args: readonly string[], options: BenchRunOptions = {}): Promise<T> {
  const path = fileURLToPath(new URL(`../../bench/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, options.timeoutMs ?? 80_000);
    proc.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        const how = timedOut ? `was killed after ${options.timeoutMs ?? 80_000} ms` : `exited ${code ?? signal}`;
        reject(new Error(`${script} ${how} without a report: ${err.slice(-1500)}`));
      }
    });
  });
}
