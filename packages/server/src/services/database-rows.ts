// Database rows as page objects: the schema bundle (the data source and the data sources its relations
// reach), formula and rollup values computed in SQL next to the row, and the page object with every
// property in schema order; databases and data sources as objects, in the shapes of the request's version.
// Relations and rollups only show what the caller can see (reference §4); relation/people values carry at
// most 25 references (reference §6.3).
import { ApiError } from '../errors.js';
import { hasDataSources } from '../api-version.js';
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
import { partialUser, serializePage, serializeUser } from '../domain/serialize.js';
import { serializeDatabase, serializeDataSource } from '../domain/serialize-databases.js';
import { type BlockRow } from '../model/rows.js';
import { findBlock } from '../store/block-repo.js';
import { findDataSourceSchemas, findDataSourcesOf } from '../store/database-repo.js';
import { findRowsWithComputed, findVisibleIds } from '../store/database-row-repo.js';
import { findWorkspaceUsersById } from '../store/user-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { ServiceContext } from './service-context.js';
import { singleDataSource } from './data-source-lookup.js';

export interface Bundle {
  /** the data source whose rows are read */
  source: BlockRow;
  schema: Schema;
  /** this data source's schema and those of the data sources its relations reach (two hops), by id */
  schemas: Map<string, Schema>;
}

const MAX_HOPS = 2;

export async function loadBundle(db: SqlExecutor, source: BlockRow): Promise<Bundle> {
  const schema = readSchema(source);
  const schemas = new Map<string, Schema>([[source.id, schema]]);
  let frontier = [schema];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const wanted = [
      ...new Set(
        frontier.flatMap((known) =>
          known.properties
            .filter((property) => property.type === 'relation')
            .map((property) => relationConfig(property).data_source_id),
        ),
      ),
    ].filter((id) => !schemas.has(id));
    if (wanted.length === 0) break;
    frontier = (await findDataSourceSchemas(db, wanted)).map(readSchema);
    for (const reached of frontier) schemas.set(reached.dataSourceId, reached);
  }
  return { source, schema, schemas };
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
  for (const property of schema.properties) {
    if ((property.type !== 'formula' && property.type !== 'rollup') || (only && !only.has(property.id))) continue;
    const column = `c${columns.length}`;
    if (property.type === 'formula') {
      const mark = scope.params.mark();
      try {
        const formula = formulaOf(scope, schema, property, alias, [], 0);
        sql += `, ${formula.sql} AS ${column}`;
        columns.push({ property, kind: formula.type, alias: column });
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        scope.params.rollback(mark);
        columns.push({ property, kind: 'unsupported', alias: column });
      }
      continue;
    }
    const rollup = rollupAggregate(scope, schema, property, alias, 0);
    if (rollup.type === 'number' || rollup.type === 'date') {
      sql += `, ${rollup.sql} AS ${column}${rollup.endSql ? `, ${rollup.endSql} AS ${column}_end` : ''}`;
      columns.push({ property, kind: rollup.type === 'number' ? 'rollup_number' : 'rollup_date', alias: column });
    } else if (rollup.type === 'array') {
      const ids = rollupRelatedIds(scope, schema, property, alias);
      if (ids) sql += `, ${ids} AS ${column}`;
      columns.push({ property, kind: ids ? 'rollup_array' : 'unsupported', alias: column });
    } else columns.push({ property, kind: 'unsupported', alias: column });
  }
  return { sql, columns };
}

/**
 * Runs a read that evaluates formulas and rollups in SQL, turning the store's data exceptions (SQLSTATE class
 * 22: division by zero, out-of-range numbers and dates…) into the 400 they deserve rather than a 500.
 */
export async function withFormulaErrorsAsValidation<T>(run: () => Promise<T>): Promise<T> {
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
  const scope = scopeFor(ctx, bundle);
  const computed = computedColumns(scope, bundle.schema, 'b');
  const select = { columns: computed.sql, params: scope.params.values };
  const rows = await withFormulaErrorsAsValidation(() => findRowsWithComputed<ComputedRow>(db, ids, select));
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
  const byUsers = bundle.schema.properties.some(
    (property) => property.type === 'created_by' || property.type === 'last_edited_by',
  );
  for (const row of rows) {
    if (byUsers) userIds.add(row.created_by).add(row.last_edited_by);
    for (const property of bundle.schema.properties) {
      const value = row.props?.[property.id];
      if (property.type === 'people' && Array.isArray(value)) value.forEach((id) => userIds.add(String(id)));
      if (property.type === 'relation' && Array.isArray(value)) value.forEach((id) => relatedIds.add(String(id)));
    }
  }
  const users = await findWorkspaceUsersById(db, ctx.principal.workspaceId, [...userIds]);
  const visible = await findVisibleIds(db, ctx.principal, [...relatedIds], { live: true });
  const arrays = await listRollups(ctx, db, bundle, rows, columns, depth);
  return { users: new Map(users.map((user) => [user.id, user])), visible: new Set(visible), arrays };
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
    const targetSource = target ? bundle.schemas.get(target.schema.dataSourceId) : undefined;
    const ids = [...new Set(rows.flatMap((r) => ((r[col.alias] as string[] | null) ?? []).map(String)))];
    if (!target || !targetSource || depth > 1 || ids.length === 0) continue;
    const sourceRow = await findBlock(db, target.schema.dataSourceId, 'none');
    if (!sourceRow) continue;
    const inner = await loadBundle(db, sourceRow);
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
      const user = found.users.get(id);
      return user ? serializeUser(user, visibility) : partialUser(id);
    },
    visible: (ids) => ids.filter((id) => found.visible.has(id)),
    computed(property) {
      const col = byProperty.get(property.id);
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
    for (const property of bundle.schema.properties) {
      if (filterProperties && !filterProperties.has(property.id)) continue;
      properties[property.name] = renderValue(row, property, env);
    }
    return { ...serializePage(row, ctx.version), properties };
  });
}

/** Page objects of rows of one database, read again with their computed values only when the schema has some. */
export async function renderDatabasePages(
  ctx: ServiceContext,
  db: SqlExecutor,
  bundle: Bundle,
  rows: readonly BlockRow[],
): Promise<Record<string, unknown>[]> {
  const computes = bundle.schema.properties.some(
    (property) => property.type === 'formula' || property.type === 'rollup',
  );
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

/** Any mix of pages, database rows, databases and data sources as API objects, in the order given. */
export async function renderObjects(
  ctx: ServiceContext,
  db: SqlExecutor,
  rows: readonly BlockRow[],
): Promise<Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>>();
  const bySource = new Map<string, BlockRow[]>();
  for (const row of rows) {
    if (row.object === 'database') out.set(row.id, await databaseObject(ctx, db, row));
    else if (row.object === 'data_source') out.set(row.id, await dataSourceObject(ctx, db, row));
    else if (row.parent_type === 'data_source_id' && row.parent_id)
      bySource.set(row.parent_id, [...(bySource.get(row.parent_id) ?? []), row]);
    else out.set(row.id, serializePage(row, ctx.version));
  }
  for (const [sourceId, group] of bySource) {
    const source = await findBlock(db, sourceId, 'none');
    if (!source) continue;
    const bundle = await loadBundle(db, source);
    const rendered = await renderDatabasePages(ctx, db, bundle, group);
    rendered.forEach((r) => out.set(r.id as string, r));
  }
  return rows.map((r) => out.get(r.id)).filter((o): o is Record<string, unknown> => o !== undefined);
}

/**
 * A database in the request's version: under 2022-06-28 the container with its single data source's schema
 * (relation and rollup names read from the schemas they point to); from 2025-09-03 the container and the list
 * of its data sources.
 */
export async function databaseObject(
  ctx: Pick<ServiceContext, 'version'>,
  db: SqlExecutor,
  row: BlockRow,
): Promise<Record<string, unknown>> {
  if (hasDataSources(ctx.version)) {
    const sources = await findDataSourcesOf(db, [row.id]);
    return serializeDatabase(row, ctx.version, { dataSources: sources.map((s) => ({ id: s.id, name: s.title })) });
  }
  const bundle = await loadBundle(db, await singleDataSource(db, row));
  return serializeDatabase(row, ctx.version, { properties: databaseWireSchema(bundle.schema, bundle.schemas) });
}

/** A data source object (2025-09-03): its schema, its database and where that database lives. */
export async function dataSourceObject(
  ctx: Pick<ServiceContext, 'version'>,
  db: SqlExecutor,
  row: BlockRow,
  bundle?: Bundle,
): Promise<Record<string, unknown>> {
  const loaded = bundle ?? (await loadBundle(db, row));
  const database = await findBlock(db, row.parent_id as string, 'none');
  return serializeDataSource(row, database, databaseWireSchema(loaded.schema, loaded.schemas));
}

export function databaseWireSchema(schema: Schema, schemas: ReadonlyMap<string, Schema>): Record<string, unknown> {
  const fresh = schema.properties.map((property) => {
    if (property.type === 'relation') {
      const cfg = relationConfig(property);
      const synced = cfg.dual_property
        ? schemas.get(cfg.data_source_id)?.byId(cfg.dual_property.synced_property_id)
        : undefined;
      if (synced && cfg.dual_property)
        return {
          ...property,
          config: { ...cfg, dual_property: { ...cfg.dual_property, synced_property_name: synced.name } },
        };
    }
    if (property.type === 'rollup') {
      const cfg = rollupConfig(property);
      const relation = schema.byId(cfg.relation_property_id);
      const target = relation
        ? schemas.get(relationConfig(relation).data_source_id)?.byId(cfg.rollup_property_id)
        : undefined;
      return {
        ...property,
        config: {
          ...cfg,
          relation_property_name: relation?.name ?? cfg.relation_property_name,
          rollup_property_name: target?.name ?? cfg.rollup_property_name,
        },
      };
    }
    return property;
  });
  return schema.with(fresh).toWire();
}
