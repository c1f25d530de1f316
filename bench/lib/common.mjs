// Shared helpers for the benchmarks: the test fixtures, statistics, timing, environment facts.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, platform as osPlatform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(BENCH_DIR, '..');
export const CLI_BIN = join(REPO_DIR, 'packages/cli/bin/notion-local.js');
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const NOTION_VERSION = '2022-06-28';

let fixtures;
/**
 * The end-to-end fixtures (e2e/support/fixtures.ts: testSeed, TOKENS, IDS), transpiled on the fly with
 * the repository's TypeScript so the benchmarks use exactly the seed the tests use (one source of truth).
 */
export async function loadFixtures() {
  if (fixtures) return fixtures;
  const { default: ts } = await import('typescript');
  const source = readFileSync(join(REPO_DIR, 'e2e/support/fixtures.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  fixtures = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
  return fixtures;
}

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Parses `--name value`, `--name=value` and `--flag` into an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[arg.slice(2)] = argv[++i];
    else out[arg.slice(2)] = true;
  }
  return out;
}

/** Benchmark durations; `--quick` shortens everything for a smoke run (figures then are rough). */
export function durations(args) {
  const quick = Boolean(args.quick);
  return {
    quick,
    httpSeconds: Number(args['http-seconds'] ?? (quick ? 3 : 10)),
    warmupSeconds: Number(args['warmup-seconds'] ?? (quick ? 1 : 2)),
    baselineMs: Number(args['baseline-ms'] ?? (quick ? 1500 : 5000)),
    connections: Number(args.connections ?? 10),
    startupRuns: Number(args['startup-runs'] ?? (quick ? 3 : 5)),
    resetRuns: Number(args['reset-runs'] ?? (quick ? 20 : 50)),
  };
}

export function environment() {
  let commit = null;
  let uncommittedServerChanges = null;
  const git = (...a) =>
    execFileSync('git', a, { cwd: REPO_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    // The benchmarks run the built dist/, which may include work not yet committed.
    uncommittedServerChanges = git('status', '--porcelain', '--', 'packages').split('\n').filter(Boolean).length;
  } catch {
    // not a git checkout
  }
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    commit,
    uncommittedServerChanges,
    node: process.version,
    os: `${osPlatform()} ${release()}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? null,
    loadavg1AtStart: round(loadavg()[0]),
  };
}

export function isMain(importMetaUrl) {
  return process.argv[1] !== undefined && importMetaUrl === pathToFileURL(resolve(process.argv[1])).href;
}

/** Share of CPU time (all cores) that was busy over `ms`, from /proc/stat; null where there is none. */
export async function cpuBusyPct(ms = 1000) {
  const read = () => {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const idle = line[3] + (line[4] ?? 0);
      return { idle, total: line.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const a = read();
  await sleep(ms);
  const b = read();
  if (!a || !b || b.total === a.total) return null;
  return round(100 * (1 - (b.idle - a.idle) / (b.total - a.total)), 1);
}

/**
 * Waits (at most maxSeconds) until the machine is quiet: CPU busy below `threshold` % over 2 s.
 * Other people's builds and tests share these machines; this keeps them out of the figures when possible.
 */
export async function waitQuiet(maxSeconds, { threshold = 25, log = () => undefined } = {}) {
  const deadline = Date.now() + maxSeconds * 1000;
  let busy = await cpuBusyPct(2000);
  while (busy !== null && busy >= threshold && Date.now() < deadline) {
    log(`  machine busy (${busy} % CPU used by others); waiting...`);
    busy = await cpuBusyPct(2000);
  }
  return busy;
}
