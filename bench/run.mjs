#!/usr/bin/env node
// Runs every benchmark, prints one markdown table, writes bench/results/latest.json.
//   node bench/run.mjs [--quick] [--no-postgres] [--database-url URL] [--profile] [--wait-quiet SECONDS] [--out FILE]
// --wait-quiet: before each benchmark wait up to SECONDS for the machine to be idle (default 0: don't).
// --profile: after each measurement, collect diagnostics (CPU profile of the server under the same load,
// per-SQL-statement trace, start-up phases, reset SQL trace) into the JSON and print them.
// Needs the built server (`npm run build`). All traffic is on loopback; every figure is reported as a
// ratio against a baseline measured in the same run (these machines are noisy).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  BENCH_DIR,
  DEFAULT_POSTGRES_URL,
  cpuBusyPct,
  durations,
  environment,
  parseArgs,
  round,
  waitQuiet,
} from './lib/common.mjs';
import { formatDiagnostics, markdownTable, writeJson } from './lib/report.mjs';
import { runPageRetrieve } from './page-retrieve.mjs';
import { runPageCreate } from './page-create.mjs';
import { runStartup } from './startup.mjs';
import { runReset } from './reset.mjs';
import { runLimiterAccuracy, runLimiterCost } from './limiter.mjs';

const args = parseArgs();
const d = durations(args);
const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
const profile = Boolean(args.profile);
const out = args.out ?? join(BENCH_DIR, 'results', 'latest.json');
const log = (m) => console.error(m);
const waitSeconds = Number(args['wait-quiet'] === true ? 120 : (args['wait-quiet'] ?? 0));

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error.message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const env = environment();
const results = [];
const skipped = [];
const failed = [];
const started = Date.now();

async function step(name, fn) {
  log(`▶ ${name}`);
  // CPU used by other processes just before the step: context for reading its figures.
  const busyBefore = waitSeconds > 0 ? await waitQuiet(waitSeconds, { log }) : await cpuBusyPct(1000);
  try {
    results.push({ ...(await fn()), cpuBusyBeforePct: busyBefore });
  } catch (error) {
    failed.push({ name, error: error?.message ?? String(error) });
    log(`✗ ${name}: ${error?.stack ?? error}`);
  }
}

log(
  `notion-local benchmarks — node ${env.node}, ${env.cpus} CPUs, load ${env.loadavg1AtStart}${d.quick ? ' (QUICK: rough figures)' : ''}`,
);
await step('page retrieve, PGlite', () => runPageRetrieve('pglite', d, { profile, log }));
await step('page create, PGlite', () => runPageCreate('pglite', d, { profile, log }));

let pgProblem = args['no-postgres'] ? 'disabled with --no-postgres' : await postgresReachable(postgresUrl);
if (pgProblem === null) {
  await step('page retrieve, PostgreSQL', () => runPageRetrieve('postgres', d, { postgresUrl, profile, log }));
  await step('page create, PostgreSQL', () => runPageCreate('postgres', d, { postgresUrl, profile, log }));
  await step('rate limiter across 3 processes, PostgreSQL', () =>
    runLimiterAccuracy({ seconds: d.quick ? 5 : 20, postgresUrl, log }),
  );
} else {
  skipped.push(`PostgreSQL variants of page retrieve/create and the multi-process limiter (${pgProblem})`);
}
await step('rate limiter cost', () => runLimiterCost({ requests: d.quick ? 1000 : 3000, log }));
await step('start-up', () => runStartup(d, { log, profile }));
await step('reset', () => runReset(d, { log, profile }));

const table = markdownTable(results);
console.log(table);
for (const s of skipped) console.log(`\n_Skipped: ${s}_`);
for (const f of failed) console.log(`\n**Failed: ${f.name}**: ${f.error}`);
if (profile) for (const r of results) if (r.diagnostics) console.log(`\n${formatDiagnostics(r)}`);
console.log(
  `\n_CPU busy (other processes) just before each step: ${results.map((r) => `${r.id}${r.store === 'PostgreSQL' ? '/pg' : ''} ${r.cpuBusyBeforePct ?? '?'} %`).join(', ')}._`,
);
console.log(
  `\n_${env.date}, commit ${env.commit ?? '?'}${env.uncommittedServerChanges ? ` + ${env.uncommittedServerChanges} uncommitted files under packages/` : ''}, node ${env.node}, ${env.cpus} × ${env.cpuModel}, load ${env.loadavg1AtStart} at start, ${round((Date.now() - started) / 1000, 0)} s total${d.quick ? ', QUICK run' : ''}._`,
);

writeJson(out, {
  environment: { ...env, loadavg1AtEnd: round(loadavg()[0]) },
  settings: d,
  results,
  skipped,
  failed,
  allTargetsMet: failed.length === 0 && results.every((r) => r.met),
  markdown: table,
});
log(`results written to ${out}`);
process.exitCode = failed.length > 0 ? 1 : 0;
