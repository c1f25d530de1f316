// Benchmark 2: POST /v1/pages (parent: sharedRoot, a title) under load, against the engine's own rate of
// page-row INSERTs into `blocks` (and, as context, of small json rows into a scratch table).
// Run alone: node bench/page-create.mjs [--postgres] [--quick] [--profile]
import { DEFAULT_POSTGRES_URL, durations, isMain, parseArgs } from './lib/common.mjs';
import { runHttpBench } from './lib/http-bench.mjs';
import { formatDiagnostics, printReport } from './lib/report.mjs';

export const pageCreate = {
  id: 'page-create',
  title: 'Page create (POST /v1/pages)',
  request: (IDS) => ({
    method: 'POST',
    path: '/v1/pages',
    body: {
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: [{ text: { content: 'Bench page' } }] } },
    },
  }),
  baselineKind: 'insert',
  contextBaselineKind: 'insert-scratch',
  target: 0.5,
};

export function runPageCreate(storeKind, d, opts) {
  return runHttpBench({ ...pageCreate, storeKind }, d, opts);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const d = durations(args);
  const kind = args.postgres ? 'postgres' : 'pglite';
  const result = await runPageCreate(kind, d, {
    postgresUrl: args['database-url'] ?? DEFAULT_POSTGRES_URL,
    profile: Boolean(args.profile),
    log: console.error,
  });
  printReport({ results: [result] });
  if (result.diagnostics) console.log(`\n${formatDiagnostics(result)}`);
}
