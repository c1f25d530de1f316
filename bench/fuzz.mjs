// The fuzz suite at full size: the fast-check request generator of e2e/support/request-arbitraries.ts (the
// short version runs in npm test: e2e/fuzz.test.ts) against real `notion-local serve` processes.
//
//   node bench/fuzz.mjs [--runs 100000] [--seed N] [--postgres] [--processes N] [--database-url URL] [--all]
//
// Default: in-memory PGlite; --postgres: PostgreSQL (default postgres://postgres@127.0.0.1:5432/test, or
// NOTION_LOCAL_BENCH_DATABASE_URL) in a fresh schema, dropped afterwards; --all: both. Property: no answer
// ≥ 500 and no dropped connection; every 4xx is {object:"error", status (= HTTP status), code (one of
// packages/server/src/errors.ts, with its status), message, request_id}. The same --seed makes the same
// requests; on a failure the first one is replayed and shrunk, and the smallest failing request printed.
// Prints tried / failures per store; exit code 1 on any failure. Needs `npx tsc -b packages/server packages/cli`.
import { DEFAULT_POSTGRES_URL, environment, parseArgs } from './lib/common.mjs';
import { importTs } from '../e2e/support/ts-loader.mjs';

const args = parseArgs();
const runs = Number(args.runs ?? 100_000);
const seed = Number(args.seed ?? Date.now() % 2 ** 31);
const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;

const { runFuzz } = await importTs('../e2e/support/fuzz-runner.ts', import.meta.url);
const { startCluster } = await importTs('../e2e/support/serve-cluster.ts', import.meta.url);
const { testSeed } = await importTs('../e2e/support/fixtures.ts', import.meta.url);

const variants = args.all
  ? [{ kind: 'pglite' }, { kind: 'postgres', processes: 1 }]
  : [args.postgres ? { kind: 'postgres', processes: Number(args.processes ?? 1) } : { kind: 'pglite' }];

const env = environment();
console.log(`fuzz — ${env.date}, commit ${env.commit}, node ${env.node}, ${runs} runs, --seed ${seed}\n`);
const rows = [];
for (const variant of variants) {
  const cluster = await startCluster({ ...variant, seed: testSeed(), postgresUrl });
  let report;
  try {
    report = await runFuzz(cluster.urls, {
      runs,
      seed,
      progress: (done) => process.stderr.write(`  ${cluster.label}: ${done} requests\n`),
    });
  } finally {
    await cluster.close();
  }
  const statuses = JSON.stringify(Object.fromEntries([...report.statuses].sort((a, b) => a[0] - b[0])));
  console.log(
    `${cluster.label}: ${report.tried} requests in ${report.seconds.toFixed(0)} s, ${report.serverErrors} 5xx or dropped, ` +
      `${report.misshapen} misshapen errors, ${report.unsent} refused by the client; statuses ${statuses}`,
  );
  for (const f of report.failures.slice(0, 10))
    console.log(`  #${f.index} ${f.problem}: ${f.request.slice(0, 300)}\n    → ${f.response.slice(0, 200)}`);
  if (report.counterexample)
    console.log(`  shrunk counterexample (replay: --seed ${seed}):\n  ${report.counterexample}`);
  rows.push({ label: cluster.label, report });
}
console.log('\n| store | requests | 5xx / dropped | not Notion-shaped |\n|---|---|---|---|');
for (const { label, report } of rows)
  console.log(`| ${label} | ${report.tried} | ${report.serverErrors} | ${report.misshapen} |`);
process.exitCode = rows.some(({ report }) => report.serverErrors + report.misshapen > 0) ? 1 : 0;
