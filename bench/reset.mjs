// Benchmark 4: platform.reset() on the end-to-end test seed (median and p95 over 50 runs), against the
// latency of one primary-key SELECT on the same store (median of 200 before and 200 after).
// `--profile` adds a per-statement SQL trace of 10 resets and a CPU profile of 20 more.
// Run alone: node bench/reset.mjs [--reset-runs 50] [--profile]
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@notion-local/server';
import { REPO_DIR, durations, isMain, loadFixtures, median, parseArgs, percentile, round } from './lib/common.mjs';
import { summarizeProfile } from './lib/profile.mjs';
import { formatDiagnostics, printReport } from './lib/report.mjs';
import { PROFILE_DIR } from './lib/server-process.mjs';
import { startTrace, stopTrace } from './lib/sql-trace.mjs';

const TARGET_MS = 50;
const SELECT_SQL = 'SELECT * FROM blocks WHERE id = $1';

async function timeSelects(store, id, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await store.query(SELECT_SQL, [id]);
    out.push(performance.now() - t0);
  }
  return out;
}

async function diagnose(platform, log) {
  log('  reset: SQL trace of 10 resets, CPU profile of 20');
  startTrace(platform.store);
  for (let i = 0; i < 10; i++) await platform.reset();
  const statements = stopTrace(platform.store).map((s) => ({
    sql: s.sql.length > 140 ? `${s.sql.slice(0, 137)}...` : s.sql,
    perReset: s.calls / 10,
    msPerReset: round(s.totalMs / 10, 2),
  }));
  mkdirSync(PROFILE_DIR, { recursive: true });
  const file = join(PROFILE_DIR, 'reset-pglite.cpuprofile');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  for (let i = 0; i < 20; i++) await platform.reset();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const cpu = summarizeProfile(profile, { top: 10 });
  return { sqlPerReset: statements, cpuProfile: { file: relative(REPO_DIR, file), ...cpu } };
}

export async function runReset(d, { log = () => undefined, profile = false } = {}) {
  const { testSeed, IDS } = await loadFixtures();
  const platform = await startPlatform({
    store: { kind: 'memory' },
    port: 0,
    seed: testSeed(),
    config: { rateLimit: { enabled: false } },
  });
  try {
    const store = platform.store;
    // Make sure a reset really happens: dirty the workspace first, then check the seed came back.
    await store.query(`UPDATE blocks SET title = 'dirty' WHERE id = $1`, [IDS.sharedRoot]);
    await platform.reset();
    const [row] = await store.query('SELECT title FROM blocks WHERE id = $1', [IDS.sharedRoot]);
    if (row?.title !== 'Shared Root') throw new Error(`reset did not restore the seed (title is ${row?.title})`);

    log(`  reset: 5 warm-up resets, then ${d.resetRuns} timed`);
    for (let i = 0; i < 5; i++) await platform.reset();
    await timeSelects(store, IDS.sharedRoot, 50); // warm-up
    const selects = await timeSelects(store, IDS.sharedRoot, 200);
    const resets = [];
    for (let i = 0; i < d.resetRuns; i++) {
      const t0 = performance.now();
      await platform.reset();
      resets.push(performance.now() - t0);
    }
    selects.push(...(await timeSelects(store, IDS.sharedRoot, 200)));
    const med = median(resets);
    const p95 = percentile(resets, 95);
    const base = median(selects);
    const diagnostics = profile ? await diagnose(platform, log) : undefined;
    return {
      id: 'reset',
      store: 'PGlite (memory)',
      runs: resets.length,
      medianMs: round(med, 2),
      p95Ms: round(p95, 2),
      maxMs: round(Math.max(...resets), 2),
      runsMs: resets.map((v) => round(v, 1)),
      baseline: {
        kind: 'one primary-key SELECT (median of 400)',
        medianMs: round(base, 3),
        p95Ms: round(percentile(selects, 95), 3),
      },
      ratio: round(med / base, 1),
      target: { medianMsAtMost: TARGET_MS, p95MsAtMost: TARGET_MS },
      met: med <= TARGET_MS && p95 <= TARGET_MS,
      ...(diagnostics ? { diagnostics } : {}),
    };
  } finally {
    await platform.close();
  }
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const result = await runReset(durations(args), { log: console.error, profile: Boolean(args.profile) });
  printReport({ results: [result] });
  if (result.diagnostics) console.log(`\n${formatDiagnostics(result)}`);
}
