// The query_cursors table: where a database query's next page starts (the sort-key values of the last row
// answered), kept a limited time so that pages stay consistent while rows change. Its `database_id` column
// holds the id of the data source queried (migration 6). Each integration keeps a bounded number of live
// cursors: saving one drops that integration's oldest beyond the bound, in the same statement.
//
// A cursor belongs to the integration that made it (`integration_id`, migration 8): only it may continue it.
import type { SqlExecutor } from './sql-store.js';

export interface QueryCursor {
  readonly id: string;
  readonly workspaceId: string;
  /** the integration that asked: only it may continue the query, and its cursors are counted together */
  readonly integrationId: string;
  readonly dataSourceId: string;
  /** what the query's sorts hash to: a cursor only continues the same query */
  readonly fingerprint: string;
  /** the sort-key values and id of the last row answered (stored as json) */
  readonly position: unknown;
  readonly createdTime: Date;
}

export interface CursorBounds {
  /** cursors created before this are forgotten */
  readonly expiredBefore: Date;
  /** live cursors one integration keeps, the new one included; the oldest are dropped first */
  readonly maxPerIntegration: number;
}

/**
 * Remembers a cursor and, in the same statement, forgets the expired ones and the integration's oldest beyond
 * its bound. (The statement's snapshot does not hold the new row: `maxPerIntegration - 1` older ones are kept.)
 */
export async function saveQueryCursor(db: SqlExecutor, cursor: QueryCursor, bounds: CursorBounds): Promise<void> {
  await db.query(
    `WITH expired AS (DELETE FROM query_cursors WHERE created_time < $7),
     overflow AS (
       DELETE FROM query_cursors WHERE id IN (
         SELECT id FROM query_cursors WHERE integration_id = $8
         ORDER BY created_time DESC, id DESC OFFSET $9))
     INSERT INTO query_cursors (id, workspace_id, integration_id, database_id, fingerprint, position, created_time)
     VALUES ($1, $2, $8, $3, $4, $5, $6)`,
    [
      cursor.id,
      cursor.workspaceId,
      cursor.dataSourceId,
      cursor.fingerprint,
      JSON.stringify(cursor.position),
      cursor.createdTime,
      bounds.expiredBefore,
      cursor.integrationId,
      Math.max(0, bounds.maxPerIntegration - 1),
    ],
  );
}

/** A cursor of the integration by id, or null (unknown, expired, dropped, or another integration's). */
export async function findQueryCursor<Position>(
  db: SqlExecutor,
  owner: { workspaceId: string; integrationId: string },
  id: string,
): Promise<{ data_source_id: string; fingerprint: string; position: Position } | null> {
  const rows = await db.query<{ data_source_id: string; fingerprint: string; position: Position }>(
    `SELECT database_id AS data_source_id, fingerprint, position
     FROM query_cursors WHERE id = $1 AND workspace_id = $2 AND integration_id = $3`,
    [id, owner.workspaceId, owner.integrationId],
  );
  return rows[0] ?? null;
}

/** How many live cursors an integration holds (expired ones not yet forgotten included). */
export async function countQueryCursors(
  db: SqlExecutor,
  owner: { workspaceId: string; integrationId: string },
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM query_cursors WHERE workspace_id = $1 AND integration_id = $2',
    [owner.workspaceId, owner.integrationId],
  );
  return rows[0]?.n ?? 0;
}
