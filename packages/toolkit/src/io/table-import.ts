// Import and one-way sync of a table into a database: rows → validated page properties → create or,
// with a key column, update only what changed (a second run writes nothing). Creates are safe
// (looked up by key before a retry) and journaled, so a killed run resumes without duplicates.
import { isFullDatabase, isNotionClientError, type Client, type PageObjectResponse } from '@notionhq/client';
import { completeReferences } from '../bulk/complete-references.js';
import { mapConcurrent, queryAll } from '../bulk/paginate.js';
import { Journal } from '../bulk/journal.js';
import { safeCreate } from '../bulk/safe-create.js';
import { ruleFor, samePlain } from '../properties/property-types.js';
import { richText } from '../properties/rich-text.js';
import type { DatabaseSchema, PagePropertiesRequest, PlainValue, PropertySchema } from '../properties/types.js';
import { describeProblems, errorsOnly, validate } from '../properties/validate.js';
import { pageToPlain, planColumns, plainToRequest, rowToPlain, type MappedColumn } from './column-mapping.js';
import { inferSchema, schemaRequest } from './infer-schema.js';
import type { RecordSet } from './records.js';

/** Property types a key can be looked up by (`equals` filters). */
const KEY_FILTER_TYPES = new Set(['title', 'rich_text', 'number', 'email', 'url', 'phone_number', 'select']);

export class ImportSetupError extends Error {
  override name = 'ImportSetupError';
}

export type ImportTarget = { databaseId: string } | { parentPageId: string; title: string };

export interface TableImportOptions {
  readonly client: Client;
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
  dry_run: boolean;
  rows: number;
  issues: RowIssue[];
  warnings: string[];
  journal: string | null;
  resumed: boolean;
}

interface PreparedRow {
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

async function resolveDatabase(
  options: TableImportOptions,
  journal: Journal | null,
  warnings: string[],
): Promise<{ id: string | null; schema: DatabaseSchema }> {
  const { client, target, records } = options;
  const existingId = 'databaseId' in target ? target.databaseId : (journal?.state.databaseId ?? null);
  if (existingId) {
    const db = await client.databases.retrieve({ database_id: existingId });
    if (!isFullDatabase(db))
      throw new ImportSetupError(
        `database ${existingId} came back without its schema; the integration needs the "Read content" capability`,
      );
    return { id: db.id, schema: db.properties };
  }
  if (!('parentPageId' in target)) throw new ImportSetupError('no database to import into');
  const types = inferSchema(records.columns, records.rows);
  const properties = schemaRequest(types, records.rows);
  warnings.push(
    `Schema inferred from the file: ${Object.entries(types)
      .map(([n, t]) => `${n} (${t})`)
      .join(', ')}.`,
  );
  if (options.dryRun) {
    const schema: DatabaseSchema = {};
    for (const [name, config] of Object.entries(properties)) {
      const type = types[name]!;
      schema[name] = { id: name, name, type, ...(config as object) } as unknown as PropertySchema;
    }
    return { id: null, schema };
  }
  const db = await client.databases.create({
    parent: { page_id: target.parentPageId },
    title: richText(target.title),
    properties,
  });
  journal?.append({ kind: 'database', id: db.id });
  if (!isFullDatabase(db)) throw new ImportSetupError('the created database came back without its schema');
  return { id: db.id, schema: db.properties };
}

function keyFilter(key: MappedColumn, keyText: string): Record<string, unknown> {
  const value = key.type === 'number' ? Number(keyText) : keyText;
  return { property: key.property, [key.type]: { equals: value } };
}

function keyTextOf(key: MappedColumn, plain: PlainValue | undefined): string {
  return plain === undefined ? '' : ruleFor(key.type).toText(plain).trim();
}

export async function importTable(options: TableImportOptions): Promise<ImportSummary> {
  const { client, records } = options;
  const dryRun = options.dryRun ?? false;
  const warnings: string[] = [];
  const issues: RowIssue[] = [];
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, archived: 0 };
  const targetName =
    'databaseId' in options.target ? options.target.databaseId : `parent:${options.target.parentPageId}`;
  const journal = !dryRun && options.journalPath ? Journal.open(options.journalPath, records.digest, targetName) : null;

  if (options.keyColumn !== undefined && !records.columns.includes(options.keyColumn)) {
    throw new ImportSetupError(
      `the file has no column "${options.keyColumn}" (columns: ${records.columns.join(', ')})`,
    );
  }
  if (options.archiveMissing && options.keyColumn === undefined)
    throw new ImportSetupError('archiving missing pages needs a key column (--key)');

  const db = await resolveDatabase(options, journal, warnings);
  const plan = planColumns(db.schema, records.columns, options.map);
  warnings.push(...plan.warnings);
  const key =
    options.keyColumn === undefined ? null : (plan.mapped.find((m) => m.column === options.keyColumn) ?? null);
  if (options.keyColumn !== undefined && !key)
    throw new ImportSetupError(`the key column "${options.keyColumn}" feeds no writable property of the database`);
  if (key && !KEY_FILTER_TYPES.has(key.type))
    throw new ImportSetupError(
      `the key column "${options.keyColumn}" feeds ${key.property}, a ${key.type} property; keys must be title, rich_text, number, email, url, phone_number or select`,
    );
  const titleName = Object.entries(db.schema).find(([, p]) => p.type === 'title')?.[0] ?? null;

  // Prepare and validate every row locally before any write.
  const prepared: PreparedRow[] = [];
  const firstRowOfKey = new Map<string, number>();
  const seenWarnings = new Set(warnings);
  records.rows.forEach((row, index) => {
    const { values, problems } = rowToPlain(row, plan);
    const properties = plainToRequest(db.schema, values);
    const all = [...problems, ...validate(db.schema, properties)];
    for (const w of all.filter((p) => p.severity === 'warning')) {
      if (!seenWarnings.has(w.message) && seenWarnings.size < 200) {
        seenWarnings.add(w.message);
        warnings.push(w.message);
      }
    }
    const keyText = key ? keyTextOf(key, values.get(key.property)) : null;
    const errors = errorsOnly(all);
    if (errors.length > 0) {
      issues.push({ row: index + 1, key: keyText, outcome: 'failed', reason: describeProblems(errors) });
      counts.failed++;
      return;
    }
    if (key && keyText === '') {
      issues.push({ row: index + 1, key: null, outcome: 'failed', reason: `the key column "${key.column}" is empty` });
      counts.failed++;
      return;
    }
    if (keyText !== null) {
      const first = firstRowOfKey.get(keyText);
      if (first !== undefined) {
        issues.push({
          row: index + 1,
          key: keyText,
          outcome: 'skipped',
          reason: `duplicate key (first on row ${first + 1})`,
        });
        counts.skipped++;
        return;
      }
      firstRowOfKey.set(keyText, index);
    }
    const title = titleName ? ruleFor('title').toText(values.get(titleName) ?? '') : '';
    prepared.push({ index, values, properties, key: keyText, title });
  });

  // With a key: one pass over the database indexes the pages we may update.
  const byKey = new Map<string, PageObjectResponse>();
  if (key && db.id) {
    for (const found of await queryAll(client, db.id)) {
      const page = await completeReferences(client, found); // sync compares every reference, not the first 25
      const keyText = keyTextOf(key, pageToPlain(page)[key.property]);
      if (!keyText) continue;
      if (byKey.has(keyText))
        warnings.push(`Key "${keyText}" is on more than one page of the database; only the first is updated.`);
      else byKey.set(keyText, page);
    }
  }
  let botId: string | null = null;
  const findByTitleSince = async (title: string, sinceMs: number): Promise<PageObjectResponse | null> => {
    if (!db.id || !titleName) return null;
    botId ??= (await client.users.me({})).id;
    const floorMs = Math.floor(sinceMs / 60_000) * 60_000; // Notion floors timestamps to the minute
    const pages = await queryAll(client, db.id, { filter: { property: titleName, title: { equals: title } } });
    return pages.find((p) => p.created_by.id === botId && Date.parse(p.created_time) >= floorMs) ?? null;
  };

  const total = records.rows.length;
  let processed = counts.failed + counts.skipped;
  const report = () => options.onProgress?.({ total, processed, counts });
  report();

  await mapConcurrent(prepared, options.concurrency ?? 4, async (row) => {
    try {
      if (journal?.state.done.has(row.index)) {
        counts.skipped++;
        return;
      }
      const existing = row.key === null ? undefined : byKey.get(row.key);
      if (existing) {
        const current = pageToPlain(existing);
        const changed: PagePropertiesRequest = {};
        for (const [name, plain] of row.values) {
          const type = db.schema[name]?.type ?? '';
          if (!samePlain(type, plain, current[name] ?? null)) changed[name] = row.properties[name]!;
        }
        if (Object.keys(changed).length === 0) {
          if (journal?.state.uncertain.has(row.index)) {
            // A create of an earlier run that was in flight when it died: it landed. Resumed, not unchanged.
            journal.append({ kind: 'done', row: row.index, page_id: existing.id, action: 'found' });
            counts.skipped++;
          } else counts.unchanged++;
          return;
        }
        if (!dryRun) {
          await client.pages.update({ page_id: existing.id, properties: changed });
          journal?.append({ kind: 'done', row: row.index, page_id: existing.id, action: 'updated' });
        }
        counts.updated++;
        return;
      }
      if (dryRun || !db.id) {
        counts.created++;
        return;
      }
      const databaseId = db.id;
      const startedMs = journal?.state.uncertain.get(row.index);
      const intentAt = Date.now();
      journal?.append({ kind: 'intent', row: row.index, key: row.key, at: intentAt });
      const result = await safeCreate({
        client,
        params: { parent: { database_id: databaseId }, properties: row.properties },
        checkFirst: startedMs !== undefined,
        findExisting: async () => {
          if (key && row.key !== null) {
            const hits = await queryAll(client, databaseId, {
              filter: keyFilter(key, row.key) as never,
              page_size: 10,
            });
            return hits[0] ?? null;
          }
          return findByTitleSince(row.title, startedMs ?? intentAt);
        },
      });
      journal?.append({ kind: 'done', row: row.index, page_id: result.pageId, action: result.action });
      if (result.action === 'found' && startedMs !== undefined) counts.skipped++;
      else counts.created++;
    } catch (error) {
      const reason = errorReason(error);
      journal?.append({ kind: 'failed', row: row.index, reason });
      issues.push({ row: row.index + 1, key: row.key, outcome: 'failed', reason });
      counts.failed++;
    } finally {
      processed++;
      report();
    }
  });

  if (options.archiveMissing && key && db.id) {
    for (const [keyText, page] of byKey) {
      if (firstRowOfKey.has(keyText) || page.archived) continue;
      try {
        if (!dryRun) await client.pages.update({ page_id: page.id, archived: true });
        counts.archived++;
      } catch (error) {
        issues.push({
          row: 0,
          key: keyText,
          outcome: 'failed',
          reason: `archiving page ${page.id}: ${errorReason(error)}`,
        });
        counts.failed++;
      }
    }
  }

  issues.sort((a, b) => a.row - b.row);
  return {
    database_id: db.id,
    dry_run: dryRun,
    rows: total,
    ...counts,
    issues,
    warnings,
    journal: journal?.path ?? null,
    resumed: journal?.resumed ?? false,
  };
}
