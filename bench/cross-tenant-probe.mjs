// The cross-tenant probe at full size: the generator of e2e/support/probe-routes.ts (the short version
// runs in npm test: e2e/cross-tenant-probe.test.ts) against real `notion-local serve` processes.
//
//   node bench/cross-tenant-probe.mjs [--probes 20000] [--seed 17] [--concurrency 4]
//                                     [--postgres] [--processes 3] [--database-url URL] [--all]
//
// Default: in-memory PGlite. --postgres: PostgreSQL (default postgres://postgres@127.0.0.1:5432/test, or
// NOTION_LOCAL_BENCH_DATABASE_URL), one fresh schema, --processes servers on it answering round-robin.
// --all: PGlite, then PostgreSQL with one process, then with three. Every probe (the systematic pass over
// slot × class × id, then random probes up to --probes) is compared with its missing-id twin; after the
// run the foreign and unshared content, read with the tokens that can see it, must be unchanged.
// Prints tried / differences per store (and per slot when some differ); exit code 1 if any differ.
// Needs the built packages: `npx tsc -b packages/server packages/cli`.
import { DEFAULT_POSTGRES_URL, environment, parseArgs } from './lib/common.mjs';
import { importTs } from '../e2e/support/ts-loader.mjs';

const args = parseArgs();
const probesWanted = Number(args.probes ?? 20_000);
const seed = Number(args.seed ?? 17);
const concurrency = Number(args.concurrency ?? 4);
const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;

const routes = await importTs('../e2e/support/probe-routes.ts', import.meta.url);
const worldModule = await importTs('../e2e/support/probe-world.ts', import.meta.url);
const { startCluster } = await importTs('../e2e/support/serve-cluster.ts', import.meta.url);

const variants = args.all
  ? [{ kind: 'pglite' }, { kind: 'postgres', processes: 1 }, { kind: 'postgres', processes: 3 }]
  : [args.postgres ? { kind: 'postgres', processes: Number(args.processes ?? 1) } : { kind: 'pglite' }];

async function runVariant(variant) {
  const cluster = await startCluster({ ...variant, seed: worldModule.probeSeed(), postgresUrl });
  try {
    const call = worldModule.fetchCall(cluster.urls);
    const started = Date.now();
    const world = await worldModule.buildProbeWorld(call);
    const before = await worldModule.snapshotOthers(call, world);
    const systematic = routes.systematicProbes(world, seed);
    const probes = [...systematic, ...routes.randomProbes(world, seed, Math.max(0, probesWanted - systematic.length))];
    const progress = (done) => process.stderr.write(`  ${cluster.label}: ${done} probes\n`);
    const report = await routes.runProbes(call, world, probes, concurrency, progress);
    const after = await worldModule.snapshotOthers(call, world);
    const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    const seconds = (Date.now() - started) / 1000;
    return { label: cluster.label, report, changed, seconds, systematic: systematic.length };
  } finally {
    await cluster.close();
  }
}

const env = environment();
console.log(`cross-tenant probe — ${env.date}, commit ${env.commit}, node ${env.node}, seed ${seed}`);
console.log(`${routes.PROBE_SLOTS.length} id-taking slots over the routes of packages/server/src/http/routes.ts\n`);
const rows = [];
for (const variant of variants) {
  const r = await runVariant(variant);
  const statuses = JSON.stringify(Object.fromEntries([...r.report.statuses].sort((a, b) => a[0] - b[0])));
  console.log(
    `${r.label}: ${r.report.tried} probes (${r.systematic} systematic), ${r.report.differences.length} differences, ` +
      `${r.changed.length} snapshot changes, ${r.seconds.toFixed(0)} s; probe statuses ${statuses}`,
  );
  for (const line of routes.summariseDifferences(r.report)) console.log(`  ${line}`);
  for (const key of r.changed) console.log(`  CHANGED across a boundary: ${key}`);
  rows.push(r);
}
console.log('\n| store | probes | differences | writes across a boundary |\n|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.label} | ${r.report.tried} | ${r.report.differences.length} | ${r.changed.length} |`);
process.exitCode = rows.some((r) => r.report.differences.length > 0 || r.changed.length > 0) ? 1 : 0;
