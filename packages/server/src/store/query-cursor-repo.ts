// The query_cursors table: where a database query's next page starts (the sort-key values of the last row
// answered), kept a limited time so that pages stay consistent while rows change. Its `database_id` column
// holds the id of the data source queried (migration 6).
import type { SqlExecutor } from './sql-store.js';

export interface QueryCursor {
  readonly id: string;
  readonly workspaceId: string;
  readonly dataSourceId: string;
  /** what the query's sorts hash to: a cursor only continues the same query */
  readonly fingerprint: string;
  /** the sort-key values and id of the last row answered (stored as json) */
  readonly position: unknown;
  readonly createdTime: Date;
}

/** Remembers a cursor and forgets those created before `expiredBefore`, in one statement. */
export async function saveQueryCursor(db: SqlExecutor, cursor: QueryCursor, expiredBefore: Date): Promise<void> {
  await db.query(
    `WITH expired AS (DELETE FROM query_cursors WHERE created_time < $7)
     INSERT INTO query_cursors (id, workspace_id, database_id, fingerprint, position, created_time) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      cursor.id,
      cursor.workspaceId,
      cursor.dataSourceId,
      cursor.fingerprint,
      JSON.stringify(cursor.position),
      cursor.createdTime,
      expiredBefore,
    ],
  );
}

/** A cursor of the workspace by id, or null (unknown, expired or of another workspace). */
export async function findQueryCursor<Position>(
  db: SqlExecutor,
  workspaceId: string,
  id: string,
): Promise<{ data_source_id: string; fingerprint: string; position: Position } | null> {
  const rows = await db.query<{ data_source_id: string; fingerprint: string; position: Position }>(
    'SELECT database_id AS data_source_id, fingerprint, position FROM query_cursors WHERE id = $1 AND workspace_id = $2',
    [id, workspaceId],
  );
  return rows[0] ?? null;
}
