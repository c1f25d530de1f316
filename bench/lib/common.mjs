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
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout
  }
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    commit,
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
