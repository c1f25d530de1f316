// POST /v1/databases/{id}/query (reference §10): the filter and sorts compiled to one parameterised SQL
// query over the database's rows — nothing is filtered or sorted in JavaScript — with keyset
// pagination: a cursor stores the sort-key values of the last row answered, so pages stay consistent
// while rows are added, edited or trashed. Trashed rows are left out unless `in_trash: true` asks for
// them; `filter_properties` limits the properties answered.
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
import { BLOCK_COLUMNS_FOR } from '../store/columns.js';
import { computedColumns, evaluating, loadBundle, renderRows, scopeFor, type ComputedRow } from './database-rows.js';
import { loadVisibleDatabase, type ServiceContext } from './service-context.js';

/** Cursors are kept a day, then forgotten (an old cursor answers 400). */
export const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

const zQueryBody = z
  .object({
    filter: z.unknown().optional(),
    sorts: z.unknown().optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
    ...zPageFields,
  })
  .strict();

const zQueryString = z.object({ filter_properties: z.union([z.string(), z.array(z.string())]).optional() }).strict();

/** `filter_properties` (repeatable, ids as sent or decoded) to the set of property ids to answer. */
export function readFilterProperties(schema: Schema, query: Record<string, unknown>): Set<string> | undefined {
  const { filter_properties: raw } = parseWith(zQueryString, query, 'query');
  if (raw === undefined) return undefined;
  const ids = new Set<string>();
  for (const key of Array.isArray(raw) ? raw : [raw]) {
    const p = schema.find(key);
    if (!p) throw propertyNotFound(key);
    ids.add(p.id);
  }
  return ids;
}

export async function queryDatabase(
  ctx: ServiceContext,
  databaseId: string,
  query: Record<string, unknown>,
  body: unknown,
): Promise<unknown> {
  const input = parseWith(zQueryBody, body ?? {});
  const page = readPageRequest('body', input);
  const sorts = input.sorts === undefined ? undefined : parseSorts(input.sorts);
  const database = await loadVisibleDatabase(ctx.store, ctx.principal, databaseId);
  const bundle = await loadBundle(ctx.store, database);
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
  const position = page.startCursor ? await readCursor(ctx, page.startCursor, database.id, fingerprint) : null;
  const after = position ? afterSql(keys, position, scope, 'b.id') : 'true';
  const trashed = input.in_trash ?? input.archived ?? false;
  const computed = computedColumns(scope, bundle.schema, 'b', only);
  // Page objects carry neither computed flag: the rows are read without them.
  const sql = `SELECT ${BLOCK_COLUMNS_FOR.none}${computed.sql}, q.*
    FROM (SELECT b.id AS qid${keys.map((k, i) => `, ${k.sql} AS k${i}`).join('')}
          FROM blocks b
          WHERE b.parent_id = ${params.add(database.id, 'uuid')} AND b.parent_type = 'database_id' AND b.archived = ${params.add(trashed, 'boolean')}
            AND ${where} AND ${after}
          ORDER BY ${orderBy(keys, 'b.id')}
          LIMIT ${params.add(page.pageSize + 1, 'int')}) q
    JOIN blocks b ON b.id = q.qid
    ORDER BY ${orderBy(keys, 'q.qid', 'q')}`;
  params.check(sql);
  const rows = await evaluating(() => ctx.store.query<ComputedRow>(sql, params.values));
  const shown = rows.slice(0, page.pageSize);
  const last = shown[shown.length - 1];
  const nextCursor =
    rows.length > page.pageSize && last
      ? await writeCursor(ctx, database.id, fingerprint, positionOf(keys, { ...last, id: last.id }))
      : null;
  return {
    object: 'list',
    results: await renderRows(ctx, ctx.store, bundle, shown, computed.columns, only),
    next_cursor: nextCursor,
    has_more: nextCursor !== null,
    type: 'page_or_database',
    page_or_database: {},
  };
}

async function writeCursor(
  ctx: ServiceContext,
  databaseId: string,
  fingerprint: string,
  position: Position,
): Promise<string> {
  const id = newId();
  const now = ctx.clock.now();
  // One statement: forget expired cursors, remember this one.
  await ctx.store.query(
    `WITH expired AS (DELETE FROM query_cursors WHERE created_time < $7)
     INSERT INTO query_cursors (id, workspace_id, database_id, fingerprint, position, created_time) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      id,
      ctx.principal.workspaceId,
      databaseId,
      fingerprint,
      JSON.stringify(position),
      now,
      new Date(now.getTime() - CURSOR_TTL_MS),
    ],
  );
  return id;
}

async function readCursor(
  ctx: ServiceContext,
  cursor: string,
  databaseId: string,
  fingerprint: string,
): Promise<Position> {
  const rows = await ctx.store.query<{ database_id: string; fingerprint: string; position: Position }>(
    'SELECT database_id, fingerprint, position FROM query_cursors WHERE id = $1 AND workspace_id = $2',
    [cursor, ctx.principal.workspaceId],
  );
  const found = rows[0];
  if (!found || found.database_id !== databaseId || found.fingerprint !== fingerprint) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.start_cursor should be a cursor returned by this query (same database and sorts), instead was ${renderValue(cursor)}.`,
    );
  }
  return found.position;
}
