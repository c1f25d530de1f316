// SQL for databases and their data sources as objects. A database is a container (title, description, its
// place in a page); each of its data sources holds a schema (the `properties` column: property definitions
// by name) and rows (pages whose parent is the data source). Here: schemas read for the data sources
// relations reach and saved after a change, the data sources of databases, and the list of databases an
// integration can see. The rows themselves are in database-row-repo.ts.
import { BLOCK_COLUMNS } from './columns.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';
import type { Sharing } from './database-row-repo.js';

/** What a schema is read from: a data source's id, title and property definitions. */
export type DataSourceSchemaRow = Pick<BlockRow, 'id' | 'title' | 'properties'>;

/** The schemas of the data sources among `ids`, in no particular order (ids of other rows are left out). */
export function findDataSourceSchemas(db: SqlExecutor, ids: readonly string[]): Promise<DataSourceSchemaRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query<DataSourceSchemaRow>(
    `SELECT id, title, properties FROM blocks WHERE id = ANY ($1::uuid[]) AND object = 'data_source'`,
    [ids],
  );
}

/** Saves a data source's schema (its property definitions, as the API shows them). */
export async function saveDataSourceSchema(
  db: SqlExecutor,
  dataSourceId: string,
  properties: Record<string, unknown>,
): Promise<void> {
  await db.query('UPDATE blocks SET properties = $2 WHERE id = $1', [dataSourceId, JSON.stringify(properties)]);
}

/** A data source as its database lists it. */
export interface DataSourceRef {
  id: string;
  database_id: string;
  title: string;
  archived: boolean;
}

/**
 * The data sources of the databases among `databaseIds`, oldest first per database (the first is the one a
 * single-source database reads and writes under 2022-06-28). Trashed ones are left out unless asked for.
 */
export function findDataSourcesOf(
  db: SqlExecutor,
  databaseIds: readonly string[],
  options: { withTrashed?: boolean } = {},
): Promise<DataSourceRef[]> {
  if (databaseIds.length === 0) return Promise.resolve([]);
  return db.query<DataSourceRef>(
    `SELECT id, parent_id AS database_id, title, archived FROM blocks
     WHERE parent_id = ANY ($1::uuid[]) AND object = 'data_source' AND ($2::boolean OR NOT archived)
     ORDER BY parent_id, created_time, position, id`,
    [databaseIds, options.withTrashed ?? false],
  );
}

/** Databases with more than one live data source: what a 2022-06-28 search and list leave out. */
const SINGLE_SOURCE = (alias: string) =>
  `(SELECT count(*) FROM blocks s WHERE s.parent_id = ${alias}.id AND s.object = 'data_source' AND NOT s.archived) <= 1`;

export { SINGLE_SOURCE as singleSourceSql };

/**
 * The databases the caller can see, newest first, from the cursor's database on (a cursor is a database id),
 * leaving out those in the trash or below a trashed page, and those with several data sources (which
 * 2022-06-28, the only version that lists databases, cannot show); at most `limit` rows. The cursor is found
 * only among those same databases: any other id (another workspace's, an unshared or trashed one, a page)
 * answers no rows, as an unknown id does.
 */
export function listVisibleDatabases(
  db: SqlExecutor,
  sharing: Sharing,
  startCursor: string | null,
  limit: number,
): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE ${visibleSql('b', '$1', '$2')} AND b.object = 'database' AND ${SINGLE_SOURCE('b')}
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
       AND ($3::uuid IS NULL OR (b.created_time, b.id) <= (
         SELECT c.created_time, c.id FROM blocks c
         WHERE c.id = $3 AND ${visibleSql('c', '$1', '$2')} AND c.object = 'database' AND ${SINGLE_SOURCE('c')}
           AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (c.path) AND a.archived)))
     ORDER BY b.created_time DESC, b.id DESC LIMIT $4`,
    [sharing.workspaceId, [...sharing.sharedRootIds], startCursor, limit],
  );
}
