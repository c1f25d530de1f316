// Finding the data source a request means: by its own id (every version), or by its database's id, which
// under 2022-06-28 names the database's single data source (reference §1.3).
import { ApiError, errors } from '../errors.js';
import type { Principal } from '../auth/access.js';
import { findBlock } from '../store/block-repo.js';
import { findDataSourcesOf } from '../store/database-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { loadVisible, loadVisibleDatabase, type LoadOptions } from './service-context.js';

/** A data source the integration can see; anything else (a database's or page's id too) is its 404. */
export async function loadVisibleDataSource(
  db: SqlExecutor,
  principal: Principal,
  id: string,
  options: LoadOptions = {},
): Promise<BlockRow> {
  const row = await loadVisible(db, principal, id, 'data_source', options);
  if (row.object === 'database')
    throw new ApiError(
      'validation_error',
      `Provided ID ${id} is a database, not a data source. Use the retrieve database API to list its data sources.`,
    );
  if (row.object !== 'data_source') throw errors.notFound('data_source', id);
  return row;
}

/**
 * The data source a database reads and writes through its own id (2022-06-28): its only live one (or, when
 * all are in the trash, its first). Several live data sources answer the 400 of reference §1.3.
 */
export async function singleDataSource(db: SqlExecutor, database: BlockRow, options: LoadOptions = {}) {
  const sources = await findDataSourcesOf(db, [database.id], { withTrashed: true });
  const live = sources.filter((source) => !source.archived);
  if (live.length > 1)
    throw errors.multipleDataSources(
      database.id,
      live.map((source) => source.id),
    );
  const chosen = live[0] ?? sources[0];
  const row = chosen ? await findBlock(db, chosen.id, options.flags, options.lock) : null;
  if (!row) throw new Error(`database ${database.id} has no data source`);
  return row;
}

/** The data source a parent or relation names: `data_source_id`, or `database_id` (its single data source). */
export async function resolveDataSource(
  db: SqlExecutor,
  principal: Principal,
  ref: { database_id?: string | undefined; data_source_id?: string | undefined },
  options: LoadOptions = {},
): Promise<BlockRow> {
  if (ref.data_source_id) return loadVisibleDataSource(db, principal, ref.data_source_id, options);
  const database = await loadVisibleDatabase(db, principal, ref.database_id as string);
  return singleDataSource(db, database, options);
}
