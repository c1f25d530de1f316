// Database rows as page objects: the schema bundle (the database and the databases its relations
// reach), formula and rollup values computed in SQL next to the row, and the page object with every
// property in schema order. Relations and rollups only show what the caller can see (reference §4);
// relation/people values carry at most 25 references (reference §6.3).
import { ApiError } from '../errors.js';
import { userVisibility } from '../auth/capabilities.js';
import { FormulaError } from '../domain/properties/formula-parser.js';
import type { FormulaType } from '../query/formula-sql.js';
import { formulaOf, rollupAggregate, rollupRelatedIds, rollupSource } from '../query/operands.js';
import {
  readSchema,
  relationConfig,
  rollupConfig,
  type PropertySchema,
  type Schema,
} from '../domain/properties/schema.js';
import { renderValue, type RenderEnv } from '../domain/properties/value-types.js';
import { createScope, SqlParams, type SqlScope } from '../query/sql-scope.js';
import { partialUser, serializeDatabase, serializePage, serializeUser } from '../domain/serialize.js';
import { BLOCK_COLUMNS_FOR, USER_COLUMNS } from '../store/columns.js';
import { type BlockRow, type UserRow } from '../model/rows.js';
import { findBlock } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { ServiceContext } from './service-context.js';

export interface Bundle {
  database: BlockRow;
  schema: Schema;
  /** this database's schema and those of the databases its relations reach (two hops) */
  schemas: Map<string, Schema>;
}

const MAX_HOPS = 2;

export async function loadBundle(db: SqlExecutor, database: BlockRow): Promise<Bundle> {
  const schema = readSchema(database);
  const schemas = new Map<string, Schema>([[database.id, schema]]);
  let frontier = [schema];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const wanted = [
      ...new Set(
        frontier.flatMap((s) =>
          s.properties.filter((p) => p.type === 'relation').map((p) => relationConfig(p).database_id),
        ),
      ),
    ].filter((id) => !schemas.has(id));
    if (wanted.length === 0) break;
    const rows = await db.query<Pick<BlockRow, 'id' | 'title' | 'properties'>>(
      `SELECT id, title, properties FROM blocks WHERE id = ANY ($1::uuid[]) AND object = 'database'`,
      [wanted],
    );
    frontier = rows.map(readSchema);
    for (const s of frontier) schemas.set(s.databaseId, s);
  }
  return { database, schema, schemas };
}

export function scopeFor(ctx: ServiceContext, bundle: Bundle, params?: SqlParams): SqlScope {
  return createScope({
    params: params ?? new SqlParams(),
    workspaceId: ctx.principal.workspaceId,
    sharedRootIds: [...ctx.principal.sharedRootIds],
    now: ctx.clock.now(),
    schemas: bundle.schemas,
  });
}

type ComputedKind = FormulaType | 'rollup_number' | 'rollup_date' | 'rollup_array' | 'unsupported';

export interface ComputedColumn {
  property: PropertySchema;
  kind: ComputedKind;
  alias: string;
}

/** Formula and rollup values as extra select columns (c0, c0_end, …) over row alias `alias`. */
export function computedColumns(
  scope: SqlScope,
  schema: Schema,
  alias: string,
  only?: ReadonlySet<string>,
): { sql: string; columns: ComputedColumn[] } {
  let sql = '';
  const columns: ComputedColumn[] = [];
  for (const p of schema.properties) {
    if ((p.type !== 'formula' && p.type !== 'rollup') || (only && !only.has(p.id))) continue;
    const c = `c${columns.length}`;
    if (p.type === 'formula') {
      const mark = scope.params.mark();
      try {
        const f = formulaOf(scope, schema, p, alias, [], 0);
        sql += `, ${f.sql} AS ${c}`;
        columns.push({ property: p, kind: f.type, alias: c });
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        scope.params.rollback(mark);
        columns.push({ property: p, kind: 'unsupported', alias: c });
      }
      continue;
    }
    const r = rollupAggregate(scope, schema, p, alias, 0);
    if (r.type === 'number' || r.type === 'date') {
      sql += `, ${r.sql} AS ${c}${r.endSql ? `, ${r.endSql} AS ${c}_end` : ''}`;
      columns.push({ property: p, kind: r.type === 'number' ? 'rollup_number' : 'rollup_date', alias: c });
    } else if (r.type === 'array') {
      const ids = rollupRelatedIds(scope, schema, p, alias);
      if (ids) sql += `, ${ids} AS ${c}`;
      columns.push({ property: p, kind: ids ? 'rollup_array' : 'unsupported', alias: c });
    } else columns.push({ property: p, kind: 'unsupported', alias: c });
  }
  return { sql, columns };
}

/** Runs SQL that evaluates formulas: a value a formula cannot compute answers 400, not 500. */
export async function evaluating<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('22')) {
      throw new ApiError(
        'validation_error',
        `A formula or rollup of this database could not be evaluated: ${(error as Error).message}.`,
      );
    }
    throw error;
  }
}

export type ComputedRow = BlockRow & Record<string, unknown>;

/** Loads rows by id with their computed values. */
export async function loadRows(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  ids: readonly string[],
): Promise<{ rows: ComputedRow[]; columns: ComputedColumn[] }> {
  const scope = scopeFor(ctx, bundle, new SqlParams([ids]));
  const computed = computedColumns(scope, bundle.schema, 'b');
  const sql = `SELECT ${BLOCK_COLUMNS_FOR.none}${computed.sql} FROM blocks b WHERE b.id = ANY ($1::uuid[])`; // page objects: no flags
  scope.params.check(sql);
  const rows = await evaluating(() => db.query<ComputedRow>(sql, scope.params.values));
  return { rows, columns: computed.columns };
}

const iso = (v: unknown) =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(String(v)).toISOString();

function computedValue(col: ComputedColumn, row: ComputedRow, arrays: Map<string, unknown[]>): unknown {
  const v = row[col.alias];
  const fn = col.property.type === 'rollup' ? rollupConfig(col.property).function : '';
  switch (col.kind) {
    case 'string':
      return { type: 'string', string: v ?? null };
    case 'number':
      return { type: 'number', number: typeof v === 'number' && Number.isFinite(v) ? v : null };
    case 'boolean':
      return { type: 'boolean', boolean: v === true };
    case 'date':
      return {
        type: 'date',
        date: v === null || v === undefined ? null : { start: iso(v), end: null, time_zone: null },
      };
    case 'rollup_number':
      return { type: 'number', number: typeof v === 'number' && Number.isFinite(v) ? v : null, function: fn };
    case 'rollup_date':
      return {
        type: 'date',
        date:
          v === null || v === undefined ? null : { start: iso(v), end: iso(row[`${col.alias}_end`]), time_zone: null },
        function: fn,
      };
    case 'rollup_array':
      return { type: 'array', array: arrays.get(`${row.id}:${col.property.id}`) ?? [], function: fn };
    case 'unsupported':
      return col.property.type === 'formula'
        ? { type: 'string', string: null }
        : { type: 'unsupported', unsupported: {}, function: fn };
  }
}

/** Users, visible related pages and list rollups of a set of rows, fetched once for all of them. */
async function lookups(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly ComputedRow[],
  columns: readonly ComputedColumn[],
  depth: number,
) {
  const userIds = new Set<string>();
  const relatedIds = new Set<string>();
  const byUsers = bundle.schema.properties.some((p) => p.type === 'created_by' || p.type === 'last_edited_by');
  for (const row of rows) {
    if (byUsers) userIds.add(row.created_by).add(row.last_edited_by);
    for (const p of bundle.schema.properties) {
      const v = row.props?.[p.id];
      if (p.type === 'people' && Array.isArray(v)) v.forEach((id) => userIds.add(String(id)));
      if (p.type === 'relation' && Array.isArray(v)) v.forEach((id) => relatedIds.add(String(id)));
    }
  }
  const users =
    userIds.size === 0
      ? []
      : await db.query<UserRow>(
          `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY ($1::uuid[]) AND u.workspace_id = $2`,
          [[...userIds], ctx.principal.workspaceId],
        );
  const visible =
    relatedIds.size === 0
      ? []
      : await db.query<{ id: string }>(
          `SELECT id FROM blocks WHERE id = ANY ($1::uuid[]) AND workspace_id = $2 AND path && $3::uuid[] AND NOT archived`,
          [[...relatedIds], ctx.principal.workspaceId, [...ctx.principal.sharedRootIds]],
        );
  const arrays = await listRollups(ctx, db, bundle, rows, columns, depth);
  return { users: new Map(users.map((u) => [u.id, u])), visible: new Set(visible.map((r) => r.id)), arrays };
}

/** show_original / show_unique: the rolled-up property of each visible related page, as typed values. */
async function listRollups(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly ComputedRow[],
  columns: readonly ComputedColumn[],
  depth: number,
) {
  const arrays = new Map<string, unknown[]>();
  for (const col of columns.filter((c) => c.kind === 'rollup_array')) {
    const source = rollupSource(scopeFor(ctx, bundle), bundle.schema, col.property, 'b');
    const target = source?.target;
    const targetDb = target ? bundle.schemas.get(target.schema.databaseId) : undefined;
    const ids = [...new Set(rows.flatMap((r) => ((r[col.alias] as string[] | null) ?? []).map(String)))];
    if (!target || !targetDb || depth > 1 || ids.length === 0) continue;
    const databaseRow = await findBlock(db, target.schema.databaseId, 'none');
    if (!databaseRow) continue;
    const inner = await loadBundle(db, databaseRow);
    const loaded = await loadRows(ctx, db, inner, ids);
    const env = await renderEnvFor(ctx, db, inner, loaded.rows, loaded.columns, depth + 1);
    const byId = new Map(loaded.rows.map((r) => [r.id, r]));
    const unique = rollupConfig(col.property).function === 'show_unique';
    for (const row of rows) {
      const values: unknown[] = [];
      const seen = new Set<string>();
      for (const id of (row[col.alias] as string[] | null) ?? []) {
        const related = byId.get(String(id));
        if (!related) continue;
        const { id: _omit, ...typed } = renderValue(related, target.property, env(related));
        const key = JSON.stringify(typed);
        if (unique && seen.has(key)) continue;
        seen.add(key);
        values.push(typed);
      }
      arrays.set(`${row.id}:${col.property.id}`, values);
    }
  }
  return arrays;
}

async function renderEnvFor(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly ComputedRow[],
  columns: readonly ComputedColumn[],
  depth: number,
) {
  const found = await lookups(ctx, db, bundle, rows, columns, depth);
  const visibility = userVisibility(ctx.principal.capabilities);
  const byProperty = new Map(columns.map((c) => [c.property.id, c]));
  return (row: ComputedRow): RenderEnv => ({
    row,
    user(id) {
      const u = found.users.get(id);
      return u ? serializeUser(u, visibility) : partialUser(id);
    },
    visible: (ids) => ids.filter((id) => found.visible.has(id)),
    computed(p) {
      const col = byProperty.get(p.id);
      return col ? computedValue(col, row, found.arrays) : null;
    },
  });
}

/** Page objects of rows of one database; `filterProperties` limits `properties` to those ids. */
export async function renderRows(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly ComputedRow[],
  columns: readonly ComputedColumn[],
  filterProperties?: ReadonlySet<string>,
): Promise<Record<string, unknown>[]> {
  const envOf = await renderEnvFor(ctx, db, bundle, rows, columns, 0);
  return rows.map((row) => {
    const env = envOf(row);
    const properties: Record<string, unknown> = {};
    for (const p of bundle.schema.properties) {
      if (filterProperties && !filterProperties.has(p.id)) continue;
      properties[p.name] = renderValue(row, p, env);
    }
    return { ...serializePage(row), properties };
  });
}

/** Page objects of rows of one database, read again with their computed values only when the schema has some. */
export async function renderDatabasePages(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly BlockRow[],
): Promise<Record<string, unknown>[]> {
  const computes = bundle.schema.properties.some((p) => p.type === 'formula' || p.type === 'rollup');
  if (!computes) return renderRows(ctx, db, bundle, rows as ComputedRow[], []);
  const loaded = await loadRows(
    ctx,
    db,
    bundle,
    rows.map((r) => r.id),
  );
  const byId = new Map(loaded.rows.map((r) => [r.id, r]));
  const ordered = rows.map((r) => byId.get(r.id)).filter((r): r is ComputedRow => r !== undefined);
  return renderRows(ctx, db, bundle, ordered, loaded.columns);
}

/** Any mix of pages, database rows and databases as API objects, in the order given. */
export async function renderObjects(
  ctx: ServiceContext,
  db: SqlExecutor,
  rows: readonly BlockRow[],
): Promise<Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>>();
  const byDatabase = new Map<string, BlockRow[]>();
  for (const row of rows) {
    if (row.object === 'database') out.set(row.id, await databaseObject(db, row));
    else if (row.parent_type === 'database_id' && row.parent_id)
      byDatabase.set(row.parent_id, [...(byDatabase.get(row.parent_id) ?? []), row]);
    else out.set(row.id, serializePage(row));
  }
  for (const [databaseId, group] of byDatabase) {
    const database = await findBlock(db, databaseId, 'none');
    if (!database) continue;
    const bundle = await loadBundle(db, database);
    const rendered = await renderDatabasePages(ctx, db, bundle, group);
    rendered.forEach((r) => out.set(r.id as string, r));
  }
  return rows.map((r) => out.get(r.id)).filter((o): o is Record<string, unknown> => o !== undefined);
}

/** The database object with relation and rollup names read from the schemas they point to. */
export async function databaseObject(
  db: SqlExecutor,
  row: BlockRow,
  bundle?: Bundle,
): Promise<Record<string, unknown>> {
  const b = bundle ?? (await loadBundle(db, row));
  return serializeDatabase(row, databaseWireSchema(b.schema, b.schemas));
}

export function databaseWireSchema(schema: Schema, schemas: ReadonlyMap<string, Schema>): Record<string, unknown> {
  const fresh = schema.properties.map((p) => {
    if (p.type === 'relation') {
      const cfg = relationConfig(p);
      const synced = cfg.dual_property
        ? schemas.get(cfg.database_id)?.byId(cfg.dual_property.synced_property_id)
        : undefined;
      if (synced && cfg.dual_property)
        return { ...p, config: { ...cfg, dual_property: { ...cfg.dual_property, synced_property_name: synced.name } } };
    }
    if (p.type === 'rollup') {
      const cfg = rollupConfig(p);
      const relation = schema.byId(cfg.relation_property_id);
      const target = relation
        ? schemas.get(relationConfig(relation).database_id)?.byId(cfg.rollup_property_id)
        : undefined;
      return {
        ...p,
        config: {
          ...cfg,
          relation_property_name: relation?.name ?? cfg.relation_property_name,
          rollup_property_name: target?.name ?? cfg.rollup_property_name,
        },
      };
    }
    return p;
  });
  return schema.with(fresh).toWire();
}
