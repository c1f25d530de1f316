#!/usr/bin/env node
// Runs every benchmark, prints one markdown table, writes bench/results/latest.json.
//   node bench/run.mjs [--quick] [--no-postgres] [--database-url URL] [--cpu-prof] [--out FILE]
// Needs the built server (`npm run build`). All traffic is on loopback; every figure is reported as a
// ratio against a baseline measured in the same run (these machines are noisy).
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_DIR, DEFAULT_POSTGRES_URL, durations, environment, parseArgs, round } from './lib/common.mjs';
import { markdownTable, writeJson } from './lib/report.mjs';
import { runPageRetrieve } from './page-retrieve.mjs';
import { runPageCreate } from './page-create.mjs';
import { runStartup } from './startup.mjs';
import { runReset } from './reset.mjs';

const args = parseArgs();
const d = durations(args);
const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
const cpuProf = Boolean(args['cpu-prof']);
const out = args.out ?? join(BENCH_DIR, 'results', 'latest.json');
const log = (m) => console.error(m);

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
  try {
    results.push(await fn());
  } catch (error) {
    failed.push({ name, error: error?.message ?? String(error) });
    log(`✗ ${name}: ${error?.stack ?? error}`);
  }
}

log(`notion-local benchmarks — node ${env.node}, ${env.cpus} CPUs, load ${env.loadavg1AtStart}${d.quick ? ' (QUICK: rough figures)' : ''}`);
await step('page retrieve, PGlite', () => runPageRetrieve('pglite', d, { cpuProf, log }));
await step('page create, PGlite', () => runPageCreate('pglite', d, { cpuProf, log }));

let pgProblem = args['no-postgres'] ? 'disabled with --no-postgres' : await postgresReachable(postgresUrl);
if (pgProblem === null) {
  await step('page retrieve, PostgreSQL', () => runPageRetrieve('postgres', d, { postgresUrl, cpuProf, log }));
  await step('page create, PostgreSQL', () => runPageCreate('postgres', d, { postgresUrl, cpuProf, log }));
} else {
  skipped.push(`PostgreSQL variants of page retrieve/create (${pgProblem})`);
}
await step('start-up', () => runStartup(d, { log }));
await step('reset', () => runReset(d, { log }));

const table = markdownTable(results);
console.log(table);
for (const s of skipped) console.log(`\n_Skipped: ${s}_`);
for (const f of failed) console.log(`\n**Failed: ${f.name}**: ${f.error}`);
console.log(`\n_${env.date}, commit ${env.commit ?? '?'}, node ${env.node}, ${env.cpus} × ${env.cpuModel}, load ${env.loadavg1AtStart} at start, ${round((Date.now() - started) / 1000, 0)} s total${d.quick ? ', QUICK run' : ''}._`);

writeJson(out, {
  environment: env,
  settings: d,
  results,
  skipped,
  failed,
  allTargetsMet: failed.length === 0 && results.every((r) => r.met),
  markdown: table,
});
log(`results written to ${out}`);
process.exitCode = failed.length > 0 ? 1 : 0;
