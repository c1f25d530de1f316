// SQL for databases as the developer portal shows them to a person of the workspace (no sharing rule: that
// limits integrations, not members): the live data sources of a database with their schemas, one page of a
// data source's rows in the API's default order (newest first), and how many live rows each data source has.
import { BLOCK_COLUMNS_FOR } from './columns.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from './sql-store.js';

/** The live data sources of a database, oldest first (the first is the one 2022-06-28 reads through the database). */
export function listLiveDataSources(db: SqlExecutor, databaseId: string): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS_FOR.none} FROM blocks b
     WHERE b.parent_id = $1 AND b.object = 'data_source' AND NOT b.archived
     ORDER BY b.created_time, b.position, b.id`,
    [databaseId],
  );
}

/**
 * Up to `limit` live rows of a data source, newest first (ties by id), after the row `afterId` of the same
 * data source when given; an `afterId` that is not one of its rows answers no rows.
 */
export function listDataSourceRowsAfter(
  db: SqlExecutor,
  dataSourceId: string,
  afterId: string | null,
  limit: number,
): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS_FOR.none} FROM blocks b
     WHERE b.parent_id = $1 AND b.parent_type = 'data_source_id' AND NOT b.archived
       AND ($2::uuid IS NULL OR (b.created_time, b.id) < (
         SELECT c.created_time, c.id FROM blocks c
         WHERE c.id = $2 AND c.parent_id = $1 AND c.parent_type = 'data_source_id'))
     ORDER BY b.created_time DESC, b.id DESC LIMIT $3`,
    [dataSourceId, afterId, limit],
  );
}

/** How many live rows each of the data sources has; data sources without rows are left out. */
export async function countLiveRows(db: SqlExecutor, dataSourceIds: readonly string[]): Promise<Map<string, number>> {
  if (dataSourceIds.length === 0) return new Map();
  const rows = await db.query<{ parent_id: string; n: number | string }>(
    `SELECT parent_id, count(*) AS n FROM blocks
     WHERE parent_id = ANY ($1::uuid[]) AND parent_type = 'data_source_id' AND NOT archived
     GROUP BY parent_id`,
    [dataSourceIds],
  );
  return new Map(rows.map((r) => [r.parent_id, Number(r.n)]));
}
