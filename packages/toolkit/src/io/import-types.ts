// The shapes of a table import: its options, progress, counts, per-row issues and summary, and the
// error that stops an import before any row is written.
import type { PageObjectResponse } from '@notionhq/client';
import type { Collection, NotionApi, NotionClient } from '../api/notion-api.js';
import type { Journal } from '../bulk/journal.js';
import { isNotionClientError } from '../errors.js';
import type { DatabaseSchema, PagePropertiesRequest, PlainValue } from '../properties/types.js';
import type { ColumnPlan, MappedColumn } from './column-mapping.js';
import type { RecordSet } from './records.js';

export class ImportSetupError extends Error {
  override name = 'ImportSetupError';
}

export type ImportTarget = { databaseId: string } | { parentPageId: string; title: string };

export interface TableImportOptions {
  /**
   * An SDK client — v4 speaks 2022-06-28, v5 speaks 2025-09-03 (the target is then a database with one
   * data source, or a data source) — or the `api` of `createToolkitClient`.
   */
  readonly client: NotionClient | NotionApi;
  readonly records: RecordSet;
  readonly target: ImportTarget;
  readonly keyColumn?: string;
  readonly map?: Record<string, string>;
  readonly dryRun?: boolean;
  /** Sync: trash pages whose key is not in the file (needs `keyColumn`). */
  readonly archiveMissing?: boolean;
  /** JSON-lines journal for resuming; null = none. */
  readonly journalPath?: string | null;
  readonly concurrency?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  readonly total: number;
  readonly processed: number;
  readonly counts: Readonly<ImportCounts>;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  archived: number;
}

export interface RowIssue {
  /** 1-based data row of the file. */
  readonly row: number;
  readonly key: string | null;
  readonly outcome: 'failed' | 'skipped';
  readonly reason: string;
}

export interface ImportSummary extends ImportCounts {
  database_id: string | null;
  /** The data source written to (2025-09-03); null under 2022-06-28 or on a dry run that would create it. */
  data_source_id: string | null;
  dry_run: boolean;
  rows: number;
  issues: RowIssue[];
  warnings: string[];
  journal: string | null;
  resumed: boolean;
}

/** A file row, validated and converted, ready to write. */
export interface PreparedRow {
  index: number;
  values: Map<string, PlainValue>;
  properties: PagePropertiesRequest;
  key: string | null;
  title: string;
}

export function errorReason(error: unknown): string {
  if (isNotionClientError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The database an import writes to: no collection (and a null id) on a dry run that would create it. */
export interface ImportDatabase {
  readonly id: string | null;
  readonly collection: Collection | null;
  readonly schema: DatabaseSchema;
}

/** One import as it runs: what it writes to, how rows are matched, and what it has counted so far. */
export interface ImportRun {
  readonly options: TableImportOptions;
  /** The client of the options, through the adapter over the two API versions. */
  readonly api: NotionApi;
  readonly dryRun: boolean;
  readonly journal: Journal | null;
  readonly db: ImportDatabase;
  readonly plan: ColumnPlan;
  /** The key column's mapping, when the import matches rows to pages by key. */
  readonly key: MappedColumn | null;
  /** The database's title property, by which a create is looked up when there is no key. */
  readonly titleName: string | null;
  readonly warnings: string[];
  readonly issues: RowIssue[];
  readonly counts: ImportCounts;
  /** Each key of the file → the 0-based row it is first on. */
  readonly firstRowOfKey: Map<string, number>;
  /** With a key: the database's pages by key, the ones the import may update. */
  readonly byKey: Map<string, PageObjectResponse>;
  /** The integration's bot user, looked up once when a create must be found by title. */
  botId: string | null;
}
