// Start-up of notion-local/testing: a fresh `node` process until `await startNotionLocal()` has resolved
// (in-process, in-memory PGlite, the demo workspace made), against a bare `node -e ""` in the same run,
// interleaved, median of RUNS each. Usage: node bench/testing-startup.mjs [runs] [--seed-null]
// Prints one JSON line: both medians, the ratio (the target is ≤ 8), and where the time went in one run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 7);
const SEED = process.argv.includes('--seed-null') ? '{ seed: null }' : '{}';
const START = `
const t0 = performance.now();
const { startNotionLocal } = await import('notion-local/testing');
const t1 = performance.now();
const nl = await startNotionLocal(${SEED});
const t2 = performance.now();
process.stdout.write(JSON.stringify({ import_ms: t1 - t0, start_ms: t2 - t1, node_boot_ms: t0 }) + '\\n');
process.exit(0);
`;

function wall(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return { ms: performance.now() - started, out: result.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
wall(['--input-type=module', '-e', START]); // warms the PGlite template cache and the file cache
const bare = [];
const ready = [];
let phases = null;
for (let i = 0; i < RUNS; i++) {
  bare.push(wall(['-e', '']).ms);
  const run = wall(['--input-type=module', '-e', START]);
  ready.push(run.ms);
  phases = JSON.parse(run.out.trim());
}
const round = (x) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    node_e_ms: round(median(bare)),
    start_notion_local_ms: round(median(ready)),
    ratio: round(median(ready) / median(bare)),
    last_run: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v)])),
    runs: RUNS,
    seed: SEED,
  }),
);
