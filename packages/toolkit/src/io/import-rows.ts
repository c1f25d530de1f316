// The rows of a table import: each validated locally before any write, then written — an update of
// only the changed properties of the page with the same key, or a safe, journaled create — and, on a
// sync, the pages whose key left the file trashed.
import type { PageObjectResponse } from '@notionhq/client';
import { sharedEndpoints, type Collection, type QueryOptions } from '../api/notion-api.js';
import { completeReferences } from '../bulk/complete-references.js';
import { safeCreate } from '../bulk/safe-create.js';
import { ruleFor, samePlain } from '../properties/property-types.js';
import type { PagePropertiesRequest, PlainValue } from '../properties/types.js';
import { describeProblems, errorsOnly, validate } from '../properties/validate.js';
import { pageToPlain, plainToRequest, rowToPlain, type MappedColumn } from './column-mapping.js';
import { errorReason, type ImportRun, type PreparedRow } from './import-types.js';
import type { Row } from './records.js';

/** At most this many distinct validation warnings are reported. */
const MAX_WARNINGS = 200;

function keyFilter(key: MappedColumn, keyText: string): Record<string, unknown> {
  const value = key.type === 'number' ? Number(keyText) : keyText;
  return { property: key.property, [key.type]: { equals: value } };
}

function keyTextOf(key: MappedColumn, plain: PlainValue | undefined): string {
  return plain === undefined ? '' : ruleFor(key.type).toText(plain).trim();
}

/** Converts and validates every row; rows with errors, empty or duplicate keys are counted and left out. */
export function prepareRows(run: ImportRun): PreparedRow[] {
  const prepared: PreparedRow[] = [];
  const seenWarnings = new Set(run.warnings);
  run.options.records.rows.forEach((row, index) => {
    const ready = prepareRow(run, row, index, seenWarnings);
    if (ready) prepared.push(ready);
  });
  return prepared;
}

function prepareRow(run: ImportRun, row: Row, index: number, seenWarnings: Set<string>): PreparedRow | null {
  const { db, key, counts, issues } = run;
  const { values, problems } = rowToPlain(row, run.plan);
  const properties = plainToRequest(db.schema, values);
  const all = [...problems, ...validate(db.schema, properties)];
  for (const w of all.filter((p) => p.severity === 'warning')) {
    if (!seenWarnings.has(w.message) && seenWarnings.size < MAX_WARNINGS) {
      seenWarnings.add(w.message);
      run.warnings.push(w.message);
    }
  }
  const keyText = key ? keyTextOf(key, values.get(key.property)) : null;
  const errors = errorsOnly(all);
  if (errors.length > 0) {
    issues.push({ row: index + 1, key: keyText, outcome: 'failed', reason: describeProblems(errors) });
    counts.failed++;
    return null;
  }
  if (key && keyText === '') {
    issues.push({ row: index + 1, key: null, outcome: 'failed', reason: `the key column "${key.column}" is empty` });
    counts.failed++;
    return null;
  }
  if (keyText !== null) {
    const first = run.firstRowOfKey.get(keyText);
    if (first !== undefined) {
      issues.push({
        row: index + 1,
        key: keyText,
        outcome: 'skipped',
        reason: `duplicate key (first on row ${first + 1})`,
      });
      counts.skipped++;
      return null;
    }
    run.firstRowOfKey.set(keyText, index);
  }
  const title = run.titleName ? ruleFor('title').toText(values.get(run.titleName) ?? '') : '';
  return { index, values, properties, key: keyText, title };
}

/** Every page of a query of the import's collection. */
async function pagesOf(
  run: ImportRun,
  collection: Collection,
  query: QueryOptions = {},
): Promise<PageObjectResponse[]> {
  const pages: PageObjectResponse[] = [];
  for await (const page of run.api.iterate(collection, query)) pages.push(page);
  return pages;
}

/** With a key: one pass over the database indexes the pages the import may update. */
export async function indexPagesByKey(run: ImportRun): Promise<void> {
  const { key, db, api } = run;
  if (!key || !db.collection) return;
  for (const found of await pagesOf(run, db.collection)) {
    const page = await completeReferences(api, found); // sync compares every reference, not the first 25
    const keyText = keyTextOf(key, pageToPlain(page)[key.property]);
    if (!keyText) continue;
    if (run.byKey.has(keyText))
      run.warnings.push(`Key "${keyText}" is on more than one page of the database; only the first is updated.`);
    else run.byKey.set(keyText, page);
  }
}

/** Writes one row (or counts what a dry run would do); a failure is journaled and reported for the row. */
export async function writeRow(run: ImportRun, row: PreparedRow): Promise<void> {
  try {
    if (run.journal?.state.done.has(row.index)) {
      run.counts.skipped++;
      return;
    }
    const existing = row.key === null ? undefined : run.byKey.get(row.key);
    if (existing) await updatePage(run, row, existing);
    else if (run.dryRun || !run.db.collection) run.counts.created++;
    else await createPage(run, row, run.db.collection);
  } catch (error) {
    const reason = errorReason(error);
    run.journal?.append({ kind: 'failed', row: row.index, reason });
    run.issues.push({ row: row.index + 1, key: row.key, outcome: 'failed', reason });
    run.counts.failed++;
  }
}

/** Updates only the properties whose value differs from the page's; a page already equal is unchanged. */
async function updatePage(run: ImportRun, row: PreparedRow, existing: PageObjectResponse): Promise<void> {
  const { journal, counts } = run;
  const current = pageToPlain(existing);
  const changed: PagePropertiesRequest = {};
  for (const [name, plain] of row.values) {
    const type = run.db.schema[name]?.type ?? '';
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
  if (!run.dryRun) {
    await sharedEndpoints(run.api).pages.update({ page_id: existing.id, properties: changed });
    journal?.append({ kind: 'done', row: row.index, page_id: existing.id, action: 'updated' });
  }
  counts.updated++;
}

/**
 * Creates the row's page, journaling the intent first; a create an earlier run left uncertain is looked
 * up (by key, else by title and creator since it started) before it is sent again.
 */
async function createPage(run: ImportRun, row: PreparedRow, collection: Collection): Promise<void> {
  const { journal, key, api } = run;
  const startedMs = journal?.state.uncertain.get(row.index);
  const intentAt = Date.now();
  journal?.append({ kind: 'intent', row: row.index, key: row.key, at: intentAt });
  const result = await safeCreate({
    client: api,
    params: { parent: api.parentOf(collection), properties: row.properties },
    checkFirst: startedMs !== undefined,
    findExisting: async () => {
      if (key && row.key !== null) {
        const hits = await pagesOf(run, collection, { filter: keyFilter(key, row.key) as never, page_size: 10 });
        return hits[0] ?? null;
      }
      return findByTitleSince(run, row.title, startedMs ?? intentAt);
    },
  });
  journal?.append({ kind: 'done', row: row.index, page_id: result.pageId, action: result.action });
  if (result.action === 'found' && startedMs !== undefined) run.counts.skipped++;
  else run.counts.created++;
}

/** A page with this title the integration created since `sinceMs`: the landed create of an earlier run. */
async function findByTitleSince(run: ImportRun, title: string, sinceMs: number): Promise<PageObjectResponse | null> {
  const { db, titleName } = run;
  if (!db.collection || !titleName) return null;
  run.botId ??= (await sharedEndpoints(run.api).users.me({})).id;
  const botId = run.botId;
  const floorMs = Math.floor(sinceMs / 60_000) * 60_000; // Notion floors timestamps to the minute
  const filter = { property: titleName, title: { equals: title } };
  const pages = await pagesOf(run, db.collection, { filter });
  return pages.find((p) => p.created_by.id === botId && Date.parse(p.created_time) >= floorMs) ?? null;
}

/** Sync: trashes the database's pages whose key is not in the file. */
export async function archiveMissingPages(run: ImportRun): Promise<void> {
  for (const [keyText, page] of run.byKey) {
    if (run.firstRowOfKey.has(keyText) || page.archived) continue;
    try {
      if (!run.dryRun) await sharedEndpoints(run.api).pages.update({ page_id: page.id, archived: true });
      run.counts.archived++;
    } catch (error) {
      const reason = `archiving page ${page.id}: ${errorReason(error)}`;
      run.issues.push({ row: 0, key: keyText, outcome: 'failed', reason });
      run.counts.failed++;
    }
  }
}
