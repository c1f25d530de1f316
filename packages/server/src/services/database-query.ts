// POST /v1/data_sources/{id}/query and POST /v1/databases/{id}/query (reference §10, §1.3): the filter and
// sorts compiled to one parameterised SQL query over the data source's rows — nothing is filtered or
// sorted in JavaScript — with keyset pagination: a cursor stores the sort-key values of the last row
// answered, so pages stay consistent while rows are added, edited or trashed. Trashed rows are left out
// unless `in_trash: true` asks for them; `filter_properties` limits the properties answered.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { utcDay } from '../domain/properties/dates.js';
import { compileFilter, propertyNotFound } from '../query/filter-compiler.js';
import { SqlParams } from '../query/sql-scope.js';
import { afterSql, compileSorts, orderBy, parseSorts, positionOf, type Position } from '../query/sorts.js';
import { readPageRequest, zPageFields } from '../domain/pagination.js';
import type { Schema } from '../domain/properties/schema.js';
import { parseWith, renderValue } from '../domain/validation.js';
import { queryDatabaseRows } from '../store/database-row-repo.js';
import { findQueryCursor, saveQueryCursor } from '../store/query-cursor-repo.js';
import {
  computedColumns,
  loadBundle,
  renderRows,
  scopeFor,
  withFormulaErrorsAsValidation,
  type ComputedRow,
} from './database-rows.js';
import { loadVisibleDatabase, type ServiceContext } from './service-context.js';
import { loadVisibleDataSource, singleDataSource } from './data-source-lookup.js';
import type { BlockRow } from '../model/rows.js';

/** Cursors are kept a day, then forgotten (an old cursor answers 400). */
export const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Live cursors each integration keeps by default; saving one more drops its oldest, which then answers the
 * 400 of an expired one. A client that never finishes paginating cannot grow the table without limit.
 */
export const DEFAULT_MAX_CURSORS_PER_INTEGRATION = 1000;

/** The bound a platform set for its store (`limitQueryCursors`); keyed by the store, so platforms differ. */
const cursorBounds = new WeakMap<object, number>();

/** What a bound on cursors per integration must be, or null when it can be used. */
export function queryCursorLimitProblem(maxPerIntegration: number): string | null {
  return Number.isInteger(maxPerIntegration) && maxPerIntegration >= 1 && maxPerIntegration <= 1_000_000
    ? null
    : `max_per_integration must be an integer from 1 to 1000000, not ${String(maxPerIntegration)}`;
}

/** Sets how many live query cursors each integration keeps on this store (the platform, once, at start). */
export function limitQueryCursors(store: object, maxPerIntegration: number): void {
  const problem = queryCursorLimitProblem(maxPerIntegration);
  if (problem) throw new Error(`query cursors: ${problem}`);
  cursorBounds.set(store, maxPerIntegration);
}

const zQueryBody = z
  .object({
    filter: z.unknown().optional(),
    sorts: z.unknown().optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
    ...zPageFields,
  })
  .strict();

/** The data source query's body: the database query's and `result_type` (2025-09-03). */
const zDataSourceQueryBody = zQueryBody.extend({ result_type: z.enum(['page', 'data_source']).optional() }).strict();

const zQueryString = z.object({ filter_properties: z.union([z.string(), z.array(z.string())]).optional() }).strict();

/** `filter_properties` (repeatable, ids as sent or decoded) to the set of property ids to answer. */
export function readFilterProperties(schema: Schema, query: Record<string, unknown>): Set<string> | undefined {
  const { filter_properties: raw } = parseWith(zQueryString, query, 'query');
  if (raw === undefined) return undefined;
  const ids = new Set<string>();
  for (const key of Array.isArray(raw) ? raw : [raw]) {
    const property = schema.find(key);
    if (!property) throw propertyNotFound(key);
    ids.add(property.id);
  }
  return ids;
}

/** POST /v1/databases/{id}/query: the query of the database's single data source (2022-06-28). */
export async function queryDatabase(
  ctx: ServiceContext,
  databaseId: string,
  query: Record<string, unknown>,
  body: unknown,
): Promise<unknown> {
  const input = parseWith(zQueryBody, body ?? {});
  const database = await loadVisibleDatabase(ctx.store, ctx.principal, databaseId);
  const source = await singleDataSource(ctx.store, database);
  const answer = await queryRows(ctx, source, query, input);
  return { ...answer, type: 'page_or_database', page_or_database: {} };
}

/**
 * POST /v1/data_sources/{id}/query (2025-09-03). Data sources hold pages only (no wikis): `result_type`
 * `data_source` answers no results. The whole result is always there: `request_status` is `complete`.
 */
export async function queryDataSource(
  ctx: ServiceContext,
  dataSourceId: string,
  query: Record<string, unknown>,
  body: unknown,
): Promise<unknown> {
  const { result_type: resultType, ...input } = parseWith(zDataSourceQueryBody, body ?? {});
  const source = await loadVisibleDataSource(ctx.store, ctx.principal, dataSourceId);
  const answer =
    resultType === 'data_source'
      ? { object: 'list', results: [], next_cursor: null, has_more: false }
      : await queryRows(ctx, source, query, input);
  return { ...answer, type: 'page_or_data_source', page_or_data_source: {}, request_status: { type: 'complete' } };
}

async function queryRows(
  ctx: ServiceContext,
  source: BlockRow,
  query: Record<string, unknown>,
  input: z.infer<typeof zQueryBody>,
) {
  const page = readPageRequest('body', input);
  const sorts = input.sorts === undefined ? undefined : parseSorts(input.sorts);
  const bundle = await loadBundle(ctx.store, source);
  const only = readFilterProperties(bundle.schema, query);

  const params = new SqlParams();
  const scope = scopeFor(ctx, bundle, params);
  const keys = compileSorts(sorts, scope, bundle.schema, 'b');
  const where =
    input.filter === undefined
      ? 'true'
      : compileFilter(input.filter, { scope, schema: bundle.schema, alias: 'b', today: utcDay(scope.now.getTime()) });
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ sorts: sorts ?? null }))
    .digest('hex');
  const position = page.startCursor ? await readCursor(ctx, page.startCursor, source.id, fingerprint) : null;
  const after = position ? afterSql(keys, position, scope, 'b.id') : 'true';
  const trashed = input.in_trash ?? input.archived ?? false;
  const computed = computedColumns(scope, bundle.schema, 'b', only);
  const rows = await withFormulaErrorsAsValidation(() =>
    queryDatabaseRows<ComputedRow>(ctx.store, {
      dataSourceId: source.id,
      inTrash: trashed,
      where,
      after,
      sortKeys: keys.map((key) => key.sql),
      orderBy: orderBy(keys, 'b.id'),
      orderByColumns: orderBy(keys, 'q.qid', 'q'),
      columns: computed.sql,
      params: params.values,
      limit: page.pageSize + 1,
    }),
  );
  const shown = rows.slice(0, page.pageSize);
  const last = shown[shown.length - 1];
  const nextCursor =
    rows.length > page.pageSize && last
      ? await writeCursor(ctx, source.id, fingerprint, positionOf(keys, { ...last, id: last.id }))
      : null;
  return {
    object: 'list',
    results: await renderRows(ctx, ctx.store, bundle, shown, computed.columns, only),
    next_cursor: nextCursor,
    has_more: nextCursor !== null,
  };
}

async function writeCursor(
  ctx: ServiceContext,
  dataSourceId: string,
  fingerprint: string,
  position: Position,
): Promise<string> {
  const id = newId();
  const now = ctx.clock.now();
  const { workspaceId, integrationId } = ctx.principal;
  const cursor = { id, workspaceId, integrationId, dataSourceId, fingerprint, position, createdTime: now };
  await saveQueryCursor(ctx.store, cursor, {
    expiredBefore: new Date(now.getTime() - CURSOR_TTL_MS),
    maxPerIntegration: cursorBounds.get(ctx.store) ?? DEFAULT_MAX_CURSORS_PER_INTEGRATION,
  });
  return id;
}

async function readCursor(
  ctx: ServiceContext,
  cursor: string,
  dataSourceId: string,
  fingerprint: string,
): Promise<Position> {
  // Unknown, expired, dropped beyond the bound, or another integration's: the same 400.
  const found = await findQueryCursor<Position>(ctx.store, ctx.principal, cursor);
  if (!found || found.data_source_id !== dataSourceId || found.fingerprint !== fingerprint) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.start_cursor should be a cursor returned by this query (same database and sorts), instead was ${renderValue(cursor)}.`,
    );
  }
  return found.position;
}

/** What a saved query (a view's) matched: the ids of its first `limit` rows in order, and whether more matched. */
export interface MatchedRows {
  ids: string[];
  more: boolean;
}

/**
 * Runs a saved filter and sorts over a data source's live rows (a view query, reference §18.4) through the
 * compiler of queries: `filters` are ANDed (a view's filter and its quick filters), and at most `limit` row
 * ids are answered in the sort order. Errors are the query's (unknown property, type mismatch, …).
 */
export async function matchingRowIds(
  ctx: ServiceContext,
  source: BlockRow,
  saved: { filters: readonly unknown[]; sorts: unknown },
  limit: number,
): Promise<MatchedRows> {
  const sorts = saved.sorts === null || saved.sorts === undefined ? undefined : parseSorts(saved.sorts);
  const bundle = await loadBundle(ctx.store, source);
  const params = new SqlParams();
  const scope = scopeFor(ctx, bundle, params);
  const keys = compileSorts(sorts, scope, bundle.schema, 'b');
  const today = utcDay(scope.now.getTime());
  const where = saved.filters
    .map((filter) => `(${compileFilter(filter, { scope, schema: bundle.schema, alias: 'b', today })})`)
    .join(' AND ');
  const rows = await withFormulaErrorsAsValidation(() =>
    queryDatabaseRows(ctx.store, {
      dataSourceId: source.id,
      inTrash: false,
      where: where || 'true',
      after: 'true',
      sortKeys: keys.map((key) => key.sql),
      orderBy: orderBy(keys, 'b.id'),
      orderByColumns: orderBy(keys, 'q.qid', 'q'),
      columns: '',
      params: params.values,
      limit: limit + 1,
    }),
  );
  return { ids: rows.slice(0, limit).map((row) => row.id), more: rows.length > limit };
}
