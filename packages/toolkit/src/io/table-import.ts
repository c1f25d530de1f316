// Import and one-way sync of a table into a database: rows → validated page properties → create or,
// with a key column, update only what changed (a second run writes nothing). Creates are safe
// (looked up by key before a retry) and journaled, so a killed run resumes without duplicates.
import { mapConcurrent } from '../bulk/paginate.js';
import { archiveMissingPages, indexPagesByKey, prepareRows, writeRow } from './import-rows.js';
import { startImport } from './import-setup.js';
import type { ImportSummary, TableImportOptions } from './import-types.js';

export {
  ImportSetupError,
  errorReason,
  type ImportCounts,
  type ImportProgress,
  type ImportSummary,
  type ImportTarget,
  type RowIssue,
  type TableImportOptions,
} from './import-types.js';

export async function importTable(options: TableImportOptions): Promise<ImportSummary> {
  const run = await startImport(options);
  // Prepare and validate every row locally before any write.
  const prepared = prepareRows(run);
  await indexPagesByKey(run);

  const total = options.records.rows.length;
  let processed = run.counts.failed + run.counts.skipped;
  const report = () => options.onProgress?.({ total, processed, counts: run.counts });
  report();
  await mapConcurrent(prepared, options.concurrency ?? 4, async (row) => {
    try {
      await writeRow(run, row);
    } finally {
      processed++;
      report();
    }
  });
  if (options.archiveMissing && run.key && run.db.collection) await archiveMissingPages(run);

  run.issues.sort((a, b) => a.row - b.row);
  return {
    database_id: run.db.id,
    data_source_id: run.db.collection?.dataSourceId ?? null,
    dry_run: run.dryRun,
    rows: total,
    ...run.counts,
    issues: run.issues,
    warnings: run.warnings,
    journal: run.journal?.path ?? null,
    resumed: run.journal?.resumed ?? false,
  };
}
