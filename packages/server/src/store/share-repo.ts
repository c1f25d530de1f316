// The shares table: which pages and databases were shared with which integration (the roots of what it
// can see; everything below a shared row is visible too, reference §4).
import type { SqlExecutor } from './sql-store.js';

/** Shares a row with an integration; false when it was shared already. */
export async function insertShare(db: SqlExecutor, integrationId: string, blockId: string): Promise<boolean> {
  const rows = await db.query(
    'INSERT INTO shares (integration_id, block_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING block_id',
    [integrationId, blockId],
  );
  return rows.length > 0;
}

/** Removes the share of this row (not of its ancestors); false when there was none. */
export async function deleteShare(db: SqlExecutor, integrationId: string, blockId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM shares WHERE integration_id = $1 AND block_id = $2 RETURNING block_id', [
    integrationId,
    blockId,
  ]);
  return rows.length > 0;
}

/** Every share of the workspace's integrations, by shared row and integration name, oldest integration first. */
export function listWorkspaceShares(
  db: SqlExecutor,
  workspaceId: string,
): Promise<{ block_id: string; name: string }[]> {
  return db.query<{ block_id: string; name: string }>(
    `SELECT s.block_id, u.name FROM shares s JOIN integrations i ON i.id = s.integration_id JOIN users u ON u.id = i.id
     WHERE i.workspace_id = $1 ORDER BY i.created_time, u.id`,
    [workspaceId],
  );
}
