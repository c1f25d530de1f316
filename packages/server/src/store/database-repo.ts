// SQL for databases as objects: their schema (the `properties` column of a database row: property
// definitions by name) read for the databases relations reach and saved after a change, and the list of
// databases an integration can see. The rows of databases are in database-row-repo.ts.
import { BLOCK_COLUMNS } from './columns.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';
import type { Sharing } from './database-row-repo.js';

/** What a schema is read from: a database's id, title and property definitions. */
export type DatabaseSchemaRow = Pick<BlockRow, 'id' | 'title' | 'properties'>;

/** The schemas of the databases among `ids`, in no particular order (ids of other rows are left out). */
export function findDatabaseSchemas(db: SqlExecutor, ids: readonly string[]): Promise<DatabaseSchemaRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query<DatabaseSchemaRow>(
    `SELECT id, title, properties FROM blocks WHERE id = ANY ($1::uuid[]) AND object = 'database'`,
    [ids],
  );
}

/** Saves a database's schema (its property definitions, as the API shows them). */
export async function saveDatabaseSchema(
  db: SqlExecutor,
  databaseId: string,
  properties: Record<string, unknown>,
): Promise<void> {
  await db.query('UPDATE blocks SET properties = $2 WHERE id = $1', [databaseId, JSON.stringify(properties)]);
}

/**
 * The databases the caller can see, newest first, from the cursor's database on (a cursor is a database id),
 * leaving out those in the trash or below a trashed page; at most `limit` rows. The cursor is found only
 * among those same databases: any other id (another workspace's, an unshared or trashed one, a page)
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
     WHERE ${visibleSql('b', '$1', '$2')} AND b.object = 'database'
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
       AND ($3::uuid IS NULL OR (b.created_time, b.id) <= (
         SELECT c.created_time, c.id FROM blocks c
         WHERE c.id = $3 AND ${visibleSql('c', '$1', '$2')} AND c.object = 'database'
           AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (c.path) AND a.archived)))
     ORDER BY b.created_time DESC, b.id DESC LIMIT $4`,
    [sharing.workspaceId, [...sharing.sharedRootIds], startCursor, limit],
  );
}
