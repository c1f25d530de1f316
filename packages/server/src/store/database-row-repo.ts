// SQL over the rows of data sources (pages whose parent is a data source): compiled queries run around the
// fragments the query compiler produced (query/), rows read with their computed values, which related rows
// the caller can see, and the writes to `props` (the comparable values filters read, migration 3) that value
// updates, schema changes and dual relations make. The sharing test is store/visibility-sql.ts's, always.
import { BLOCK_COLUMNS_FOR } from './columns.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';

/** Whose sharing a read follows: the workspace and the roots shared with the integration. */
export interface Sharing {
  readonly workspaceId: string;
  readonly sharedRootIds: Iterable<string>;
}

/** Formula and rollup values compiled to select columns (`, <sql> AS c0…`) and the values of their placeholders. */
export interface ComputedSelect {
  /** `, <expression> AS c0, …` over the row alias `b`, or '' */
  readonly columns: string;
  /** the values of $1…$n that `columns` (and the other fragments given with it) use */
  readonly params: readonly unknown[];
}

/** A database query compiled by query/: every fragment is over the row alias `b` and uses `params` only. */
export interface CompiledRowQuery extends ComputedSelect {
  readonly dataSourceId: string;
  /** rows in the trash instead of live ones */
  readonly inTrash: boolean;
  /** the filter's condition ('true' when there is none) */
  readonly where: string;
  /** the keyset condition: rows after the cursor's ('true' on the first page) */
  readonly after: string;
  /** the sort keys, selected as k0…kn (cursors are made of them) */
  readonly sortKeys: readonly string[];
  /** ORDER BY over `b` (the keys, then b.id) */
  readonly orderBy: string;
  /** the same order over the subquery `q`'s columns k0…kn and q.qid */
  readonly orderByColumns: string;
  readonly limit: number;
}

/** Every placeholder given must appear in the SQL (PostgreSQL cannot type an unused one): a bug guard. */
function checkPlaceholders(sql: string, values: readonly unknown[]): void {
  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const unused = values.map((_v, i) => i + 1).filter((n) => !used.has(n));
  if (unused.length > 0)
    throw new Error(`SQL parameters ${unused.map((n) => `$${n}`).join(', ')} are unused in: ${sql}`);
}

/**
 * One page of a database query: the ids and sort keys picked first (the filter and keyset order over `b`),
 * then the rows and their computed values joined to them, in the same order. Page objects carry neither
 * computed flag: the rows are read without them.
 */
export async function queryDatabaseRows<Row extends BlockRow = BlockRow>(
  db: SqlExecutor,
  query: CompiledRowQuery,
): Promise<Row[]> {
  const values = [...query.params];
  const add = (value: unknown, cast: string) => `$${values.push(value)}::${cast}`;
  const keys = query.sortKeys.map((sql, i) => `, ${sql} AS k${i}`).join('');
  const sql = `SELECT ${BLOCK_COLUMNS_FOR.none}${query.columns}, q.*
    FROM (SELECT b.id AS qid${keys}
          FROM blocks b
          WHERE b.parent_id = ${add(query.dataSourceId, 'uuid')} AND b.parent_type = 'data_source_id' AND b.archived = ${add(query.inTrash, 'boolean')}
            AND ${query.where} AND ${query.after}
          ORDER BY ${query.orderBy}
          LIMIT ${add(query.limit, 'int')}) q
    JOIN blocks b ON b.id = q.qid
    ORDER BY ${query.orderByColumns}`;
  checkPlaceholders(sql, values);
  return db.query<Row>(sql, values);
}

/** Rows by id with their computed values, in no particular order (page objects: no computed flags). */
export async function findRowsWithComputed<Row extends BlockRow = BlockRow>(
  db: SqlExecutor,
  ids: readonly string[],
  computed: ComputedSelect,
): Promise<Row[]> {
  const values = [...computed.params, ids];
  const sql = `SELECT ${BLOCK_COLUMNS_FOR.none}${computed.columns} FROM blocks b WHERE b.id = ANY ($${values.length}::uuid[])`;
  checkPlaceholders(sql, values);
  return db.query<Row>(sql, values);
}

/**
 * Which of `ids` the caller may see (its workspace, under a shared root); with `live`, rows in the trash are
 * left out too, as relations and rollups show them. In no particular order.
 */
export async function findVisibleIds(
  db: SqlExecutor,
  sharing: Sharing,
  ids: readonly string[],
  options: { live?: boolean } = {},
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    `SELECT b.id FROM blocks b WHERE b.id = ANY ($1::uuid[]) AND ${visibleSql('b', '$2', '$3', options)}`,
    [ids, sharing.workspaceId, [...sharing.sharedRootIds]],
  );
  return rows.map((r) => r.id);
}

/** Which of `ids` are live rows of the data source that the caller may see (what a relation may point to). */
export async function findVisibleRowIds(
  db: SqlExecutor,
  sharing: Sharing,
  dataSourceId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    `SELECT b.id FROM blocks b WHERE b.id = ANY ($1::uuid[]) AND b.parent_id = $2 AND b.parent_type = 'data_source_id'
       AND ${visibleSql('b', '$3', '$4', { live: true })}`,
    [ids, dataSourceId, sharing.workspaceId, [...sharing.sharedRootIds]],
  );
  return rows.map((r) => r.id);
}

/** A row's values as a write leaves them: wire values, comparable values set and removed, the plain title. */
export interface RowValuesEdit {
  /** every wire value of the row (`properties`), as it is to be stored */
  readonly properties: Record<string, unknown>;
  /** comparable values to set, by property id */
  readonly set: Record<string, unknown>;
  /** property ids whose comparable value goes */
  readonly unset: readonly string[];
  /** the plain-text title, when the title was written */
  readonly title?: string | undefined;
}

/** Writes a row's values (only the comparable values named change), in one statement. */
export async function updateRowValues(db: SqlExecutor, id: string, edit: RowValuesEdit): Promise<void> {
  await db.query(
    `UPDATE blocks SET properties = $2, props = (COALESCE(props, '{}'::jsonb) || $3::jsonb) - $4::text[], title = COALESCE($5, title) WHERE id = $1`,
    [id, JSON.stringify(edit.properties), JSON.stringify(edit.set), [...edit.unset], edit.title ?? null],
  );
}

const ROWS_OF_SOURCE = `parent_id = $2 AND parent_type = 'data_source_id'`;

/** Drops the comparable values of properties from every row of a data source (removed or retyped properties). */
export async function clearRowValues(
  db: SqlExecutor,
  dataSourceId: string,
  propertyIds: readonly string[],
): Promise<void> {
  if (propertyIds.length === 0) return;
  await db.query(`UPDATE blocks SET props = props - $1::text[] WHERE ${ROWS_OF_SOURCE} AND props ?| $1::text[]`, [
    [...propertyIds],
    dataSourceId,
  ]);
}

/** Drops a single-valued property's value from a data source's rows where it is one of `values` (removed options). */
export async function clearRowValuesIn(
  db: SqlExecutor,
  dataSourceId: string,
  propertyId: string,
  values: readonly string[],
): Promise<void> {
  await db.query(
    `UPDATE blocks SET props = props - $1::text WHERE ${ROWS_OF_SOURCE} AND props ->> $1::text = ANY ($3::text[])`,
    [propertyId, dataSourceId, [...values]],
  );
}

/** Numbers the rows of a data source for a new unique_id property, oldest first; its counter starts after them. */
export async function numberRows(db: SqlExecutor, dataSourceId: string, propertyId: string): Promise<void> {
  await db.query(
    `UPDATE blocks b SET props = COALESCE(b.props, '{}'::jsonb) || jsonb_build_object($1::text, n.rn)
     FROM (SELECT id, row_number() OVER (ORDER BY created_time, id) AS rn FROM blocks WHERE ${ROWS_OF_SOURCE}) n WHERE b.id = n.id`,
    [propertyId, dataSourceId],
  );
  await db.query(
    `INSERT INTO unique_id_counters (database_id, property_id, last_value)
     VALUES ($2, $1, (SELECT count(*) FROM blocks WHERE ${ROWS_OF_SOURCE}))
     ON CONFLICT (database_id, property_id) DO UPDATE SET last_value = EXCLUDED.last_value`,
    [propertyId, dataSourceId],
  );
}

/** Next number of a unique_id property (numbers are never reused). */
export async function nextUniqueId(db: SqlExecutor, dataSourceId: string, propertyId: string): Promise<number> {
  const rows = await db.query<{ last_value: string | number }>(
    `INSERT INTO unique_id_counters (database_id, property_id, last_value) VALUES ($1, $2, 1)
     ON CONFLICT (database_id, property_id) DO UPDATE SET last_value = unique_id_counters.last_value + 1
     RETURNING last_value`,
    [dataSourceId, propertyId],
  );
  return Number(rows[0]?.last_value ?? 1);
}

/** Appends `value` to a list property (a relation's ids) of the rows that do not hold it yet. */
export async function addToList(
  db: SqlExecutor,
  rowIds: readonly string[],
  propertyId: string,
  value: string,
): Promise<void> {
  if (rowIds.length === 0) return;
  await db.query(
    `UPDATE blocks SET props = jsonb_set(COALESCE(props, '{}'::jsonb), ARRAY[$2::text], COALESCE(props -> $2::text, '[]'::jsonb) || $3::jsonb)
     WHERE id = ANY ($1::uuid[]) AND NOT COALESCE(props -> $2::text, '[]'::jsonb) @> $3::jsonb`,
    [[...rowIds], propertyId, JSON.stringify([value])],
  );
}

/**
 * Removes `values` from a list property (relation ids, multi-select option ids) of some rows, or of every row
 * of a data source; an emptied list is removed.
 */
export async function removeFromList(
  db: SqlExecutor,
  rows: { readonly ids: readonly string[] } | { readonly dataSourceId: string },
  propertyId: string,
  values: readonly string[],
): Promise<void> {
  const kept = `(SELECT jsonb_agg(e) FROM jsonb_array_elements(props -> $1::text) e WHERE NOT (e #>> '{}' = ANY ($2::text[])))`;
  const where = 'ids' in rows ? 'id = ANY ($3::uuid[])' : `parent_id = $3 AND parent_type = 'data_source_id'`;
  await db.query(
    `UPDATE blocks SET props = CASE WHEN ${kept} IS NULL THEN props - $1::text ELSE jsonb_set(props, ARRAY[$1::text], ${kept}) END
     WHERE ${where} AND props -> $1::text ?| $2::text[]`,
    [propertyId, [...values], 'ids' in rows ? [...rows.ids] : rows.dataSourceId],
  );
}
