// SQL for the views and view_queries tables (migration 7): a database's views in tab order (`position`), each
// over one of its data sources, and view queries: the ids of the rows a view matched when the query was made,
// kept until `expires_time` and read by the integration that made them. A view is visible exactly when its
// database is (the sharing rule of visibility-sql.ts over the database's row).
import { fixedPlan, type SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';

export interface ViewRow {
  id: string;
  workspace_id: string;
  database_id: string;
  data_source_id: string | null;
  name: string;
  type: string;
  filter: unknown;
  sorts: unknown;
  quick_filters: unknown;
  configuration: unknown;
  created_time: Date;
  created_by: string;
  last_edited_time: Date;
  last_edited_by: string;
}

/** A new view's stored fields; json fields are stored as given (null: SQL NULL). */
export type NewView = ViewRow;

/** Where a new view goes among its database's tabs. */
export type ViewPlacement = { type: 'start' } | { type: 'end' } | { type: 'after_view'; view_id: string };

const COLUMNS = `v.id, v.workspace_id, v.database_id, v.data_source_id, v.name, v.type, v.filter, v.sorts,
  v.quick_filters, v.configuration, v.created_time, v.created_by, v.last_edited_time, v.last_edited_by`;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The position a new view gets ($1 is the database id, $15 the view it follows when `after_view`). */
function positionSql(placement: ViewPlacement): string {
  switch (placement.type) {
    case 'start':
      return 'COALESCE((SELECT min(p.position) FROM views p WHERE p.database_id = $1), 1) - 1';
    case 'end':
      return 'COALESCE((SELECT max(p.position) FROM views p WHERE p.database_id = $1), 0) + 1';
    case 'after_view':
      return '(SELECT p.position FROM views p WHERE p.id = $15) + 1';
  }
}

/**
 * Inserts a view at its place among the database's views (after_view: the views after that one move one
 * place on; the caller checked that view is one of the database's).
 */
export async function insertView(db: SqlExecutor, row: NewView, placement: ViewPlacement): Promise<void> {
  if (placement.type === 'after_view') {
    await db.query(
      `UPDATE views SET position = position + 1
       WHERE database_id = $1 AND position > (SELECT p.position FROM views p WHERE p.id = $2)`,
      [row.database_id, placement.view_id],
    );
  }
  const values: unknown[] = [
    row.database_id,
    row.id,
    row.workspace_id,
    row.data_source_id,
    row.name,
    row.type,
    json(row.filter),
    json(row.sorts),
    json(row.quick_filters),
    json(row.configuration),
    row.created_time,
    row.created_by,
    row.last_edited_time,
    row.last_edited_by,
  ];
  if (placement.type === 'after_view') values.push(placement.view_id);
  await db.query(
    `INSERT INTO views (id, workspace_id, database_id, data_source_id, position, name, type, filter, sorts,
       quick_filters, configuration, created_time, created_by, last_edited_time, last_edited_by)
     VALUES ($2, $3, $1, $4, ${positionSql(placement)}, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    values,
  );
}

/**
 * A view whose database the caller may see, or null (missing, of another workspace, or its database not
 * shared): one statement, whichever it is. `lock` also locks the view row for the rest of the transaction.
 */
export async function findVisibleView(
  db: SqlExecutor,
  sharing: { workspaceId: string; sharedRootIds: Iterable<string> },
  id: string,
  lock = false,
): Promise<ViewRow | null> {
  const forUpdate = lock && !db.exclusive ? ' FOR UPDATE OF v' : '';
  const rows = await db.query<ViewRow>(
    fixedPlan(
      `SELECT ${COLUMNS} FROM views v JOIN blocks b ON b.id = v.database_id
       WHERE v.id = $1 AND ${visibleSql('b', '$2', '$3')}${forUpdate}`,
    ),
    [id, sharing.workspaceId, [...sharing.sharedRootIds]],
  );
  return rows[0] ?? null;
}

/**
 * A page of view ids in tab order (then by id): the views of a database, of a data source, or of both when
 * both are given, from the cursor's view on (a view id of the same selection: any other answers no rows);
 * at most `limit` ids.
 */
export async function listViewIds(
  db: SqlExecutor,
  options: {
    workspaceId: string;
    databaseId: string | null;
    dataSourceId: string | null;
    startCursor: string | null;
    limit: number;
  },
): Promise<{ id: string }[]> {
  return db.query<{ id: string }>(
    `SELECT v.id FROM views v
     WHERE v.workspace_id = $1
       AND ($2::uuid IS NULL OR v.database_id = $2)
       AND ($3::uuid IS NULL OR v.data_source_id = $3)
       AND ($4::uuid IS NULL OR (v.database_id, v.position, v.id) >=
         (SELECT c.database_id, c.position, c.id FROM views c
          WHERE c.id = $4 AND c.workspace_id = $1 AND ($2::uuid IS NULL OR c.database_id = $2)
            AND ($3::uuid IS NULL OR c.data_source_id = $3)))
     ORDER BY v.database_id, v.position, v.id
     LIMIT $5`,
    [options.workspaceId, options.databaseId, options.dataSourceId, options.startCursor, options.limit],
  );
}

/** Whether `viewId` is one of the database's views. */
export async function isViewOf(db: SqlExecutor, databaseId: string, viewId: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    fixedPlan('SELECT v.id FROM views v WHERE v.id = $1 AND v.database_id = $2'),
    [viewId, databaseId],
  );
  return rows.length > 0;
}

/** How many views a database has. */
export async function countViews(db: SqlExecutor, databaseId: string): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM views v WHERE v.database_id = $1', [
    databaseId,
  ]);
  return rows[0]?.n ?? 0;
}

/** The fields an update writes (json ones as given: null stores SQL NULL). */
export interface ViewEdit {
  name: string;
  filter: unknown;
  sorts: unknown;
  quick_filters: unknown;
  configuration: unknown;
}

export async function updateView(db: SqlExecutor, id: string, edit: ViewEdit, by: string, at: Date): Promise<void> {
  await db.query(
    fixedPlan(
      `UPDATE views SET name = $2, filter = $3, sorts = $4, quick_filters = $5, configuration = $6,
         last_edited_time = $7, last_edited_by = $8
       WHERE id = $1`,
    ),
    [id, edit.name, json(edit.filter), json(edit.sorts), json(edit.quick_filters), json(edit.configuration), at, by],
  );
}

/** Deletes a view (its queries go with it). */
export async function deleteView(db: SqlExecutor, id: string): Promise<void> {
  await db.query(fixedPlan('DELETE FROM views WHERE id = $1'), [id]);
}

export interface ViewQueryRow {
  id: string;
  view_id: string;
  workspace_id: string;
  integration_id: string;
  row_ids: string[];
  created_time: Date;
  expires_time: Date;
}

/** Remembers a view query and forgets every query that expired before `now`, in one statement. */
export async function insertViewQuery(db: SqlExecutor, row: ViewQueryRow, now: Date): Promise<void> {
  await db.query(
    `WITH expired AS (DELETE FROM view_queries WHERE expires_time < $8)
     INSERT INTO view_queries (id, view_id, workspace_id, integration_id, row_ids, created_time, expires_time)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7)`,
    [row.id, row.view_id, row.workspace_id, row.integration_id, row.row_ids, row.created_time, row.expires_time, now],
  );
}

/** Which view query `key` names: its id, its view, and who made it (another integration's is not found). */
export interface ViewQueryKey {
  id: string;
  viewId: string;
  workspaceId: string;
  integrationId: string;
}

/** A live (not expired at `now`) view query of the view made by the integration, or null. */
export async function findViewQuery(db: SqlExecutor, key: ViewQueryKey, now: Date): Promise<ViewQueryRow | null> {
  const rows = await db.query<Omit<ViewQueryRow, 'row_ids'> & { row_ids: string[] | string }>(
    fixedPlan(
      `SELECT q.id, q.view_id, q.workspace_id, q.integration_id, to_json(q.row_ids) AS row_ids, q.created_time,
         q.expires_time
       FROM view_queries q
       WHERE q.id = $1 AND q.view_id = $2 AND q.workspace_id = $3 AND q.integration_id = $4 AND q.expires_time >= $5`,
    ),
    [key.id, key.viewId, key.workspaceId, key.integrationId, now],
  );
  const row = rows[0];
  if (!row) return null;
  const ids = typeof row.row_ids === 'string' ? (JSON.parse(row.row_ids) as string[]) : row.row_ids;
  return { ...row, row_ids: ids };
}

/** Forgets a view query of the view made by the integration (nothing when there is none). */
export async function deleteViewQuery(db: SqlExecutor, key: ViewQueryKey): Promise<void> {
  await db.query(
    fixedPlan('DELETE FROM view_queries WHERE id = $1 AND view_id = $2 AND workspace_id = $3 AND integration_id = $4'),
    [key.id, key.viewId, key.workspaceId, key.integrationId],
  );
}
