// Benchmark 1: GET /v1/pages/{sharedRoot} under load, against the store's own primary-key SELECT rate.
// Run alone: node bench/page-retrieve.mjs [--postgres] [--quick] [--profile]
import { DEFAULT_POSTGRES_URL, durations, isMain, parseArgs } from './lib/common.mjs';
import { runHttpBench } from './lib/http-bench.mjs';
import { formatDiagnostics, printReport } from './lib/report.mjs';

export const pageRetrieve = {
  id: 'page-retrieve',
  title: 'Page retrieve (GET /v1/pages/{id})',
  request: (IDS) => ({ method: 'GET', path: `/v1/pages/${IDS.sharedRoot}` }),
  baselineKind: 'select',
  contextBaselineKind: 'select-prepared',
  target: 0.6,
};

export function runPageRetrieve(storeKind, d, opts) {
  return runHttpBench({ ...pageRetrieve, storeKind }, d, opts);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const d = durations(args);
  const kind = args.postgres ? 'postgres' : 'pglite';
  const result = await runPageRetrieve(kind, d, {
    postgresUrl: args['database-url'] ?? DEFAULT_POSTGRES_URL,
    profile: Boolean(args.profile),
    log: console.error,
  });
  printReport({ results: [result] });
  if (result.diagnostics) console.log(`\n${formatDiagnostics(result)}`);
}
