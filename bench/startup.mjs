// Benchmark 3: start-up time of `notion-local serve --in-memory --port 0`, from spawn until stdout
// prints the ready line with http://127.0.0.1:<port>; baseline: spawn-to-exit of `node -e ""`.
// The first in-memory start on a machine builds a migrated template snapshot (packages/server/src/store/
// pglite-store.ts, templatePath()); later starts load it. To measure both cases deterministically this
// benchmark points NOTION_LOCAL_CACHE_DIR at a fresh temporary directory: run 0 is the cold start (it
// builds the template, and doubles as the warm-up); runs 1..n are warm and give the median.
// `--profile` adds a phase breakdown (bench/lib/startup-phases-child.mjs) to the result.
// Run alone: node bench/startup.mjs [--startup-runs 5] [--profile]
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI_BIN, REPO_DIR, durations, isMain, median, parseArgs, round } from './lib/common.mjs';
import { summarizeProfile } from './lib/profile.mjs';
import { formatDiagnostics, printReport } from './lib/report.mjs';
import { PROFILE_DIR } from './lib/server-process.mjs';

const READY = /notion-local ready: .*http:\/\/127\.0\.0\.1:(\d+)/;
const TARGET_MS = 1500;

/** Milliseconds from spawn to the ready line; then stops the server with SIGTERM and waits for it. */
export function timeServeStart(env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--in-memory', '--port', '0'], {
      cwd: REPO_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let readyMs = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within 60 s; stdout: ${out.slice(0, 500)} stderr: ${err.slice(0, 500)}`));
    }, 60_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      if (readyMs !== null) return;
      out += chunk;
      if (READY.test(out)) {
        readyMs = performance.now() - t0;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (readyMs === null)
        reject(
          new Error(
            `serve exited (code ${code}, signal ${signal}) before the ready line; stderr: ${err.slice(0, 800)}`,
          ),
        );
      else resolve(readyMs);
    });
  });
}

/** Milliseconds from spawn to exit of `node -e ""`. */
export function timeNodeNoop() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

function phasesRun(env, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./lib/startup-phases-child.mjs', import.meta.url), [], {
      cwd: REPO_DIR,
      env,
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let result;
    child.once('message', (m) => {
      result = m;
    });
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`phases child exited with ${code}`))));
  });
}

/** Median of each phase over `runs` instrumented in-process serve starts (see lib/startup-phases-child.mjs). */
async function phases(env, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await phasesRun(env));
  const out = {
    note: `medians over ${runs} instrumented starts (each phase's median; they need not add up to the total's median)`,
  };
  for (const key of Object.keys(all[0])) out[key] = round(median(all.map((m) => m[key])), 1);
  return out;
}

/** One more instrumented start under --cpu-prof (the profile covers the process from boot to ready). */
async function startupCpuProfile(env) {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const name = 'startup.cpuprofile';
  await phasesRun(env, [
    '--cpu-prof',
    `--cpu-prof-dir=${PROFILE_DIR}`,
    `--cpu-prof-name=${name}`,
    '--cpu-prof-interval=250',
  ]);
  const file = join(PROFILE_DIR, name);
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top: 12 });
  return {
    file: relative(REPO_DIR, file),
    totalMs: s.totalMs,
    byCategory: s.byCategory,
    byFile: s.byFile,
    inclusive: s.inclusive.slice(0, 10),
  };
}

export async function runStartup(d, { log = () => undefined, profile = false } = {}) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'notion-local-bench-cache-'));
  const env = { ...process.env, NOTION_LOCAL_CACHE_DIR: cacheDir };
  try {
    log(`  startup: cold start (builds the template in ${cacheDir}; also the warm-up)`);
    const coldMs = await timeServeStart(env);
    const templateBuilt = readdirSync(cacheDir).some((f) => f.startsWith('pglite-template-') && f.endsWith('.tar'));
    await timeNodeNoop(); // warm the baseline too
    const serveMs = [];
    const nodeMs = [];
    for (let i = 0; i < d.startupRuns; i++) {
      // Interleaved, so that a noisy moment hits both series alike.
      nodeMs.push(await timeNodeNoop());
      serveMs.push(await timeServeStart(env));
      log(
        `  startup: run ${i + 1}/${d.startupRuns}: serve ${round(serveMs.at(-1), 0)} ms, node -e "" ${round(nodeMs.at(-1), 0)} ms`,
      );
    }
    const med = median(serveMs);
    const base = median(nodeMs);
    let diagnostics;
    if (profile) {
      log(`  startup: phase breakdown (${d.startupRuns} instrumented starts)`);
      diagnostics = { phases: await phases(env, d.startupRuns), cpuProfile: await startupCpuProfile(env) };
    }
    return {
      id: 'startup',
      store: 'PGlite (memory)',
      command: 'node packages/cli/bin/notion-local.js serve --in-memory --port 0',
      warmup: `1 cold start first (fresh NOTION_LOCAL_CACHE_DIR: builds the template snapshot), not counted; ${templateBuilt ? 'template was written' : 'WARNING: no template file was written'}`,
      coldStartMs: round(coldMs, 1),
      runsMs: serveMs.map((v) => round(v, 1)),
      medianMs: round(med, 1),
      baseline: {
        kind: 'spawn-to-exit of `node -e ""`',
        runsMs: nodeMs.map((v) => round(v, 1)),
        medianMs: round(base, 1),
      },
      ratio: round(med / base, 2),
      target: { medianMsAtMost: TARGET_MS },
      met: med <= TARGET_MS,
      ...(diagnostics ? { diagnostics } : {}),
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const result = await runStartup(durations(args), { log: console.error, profile: Boolean(args.profile) });
  printReport({ results: [result] });
  if (result.diagnostics) console.log(`\n${formatDiagnostics(result)}`);
}
