// SQL for database views as the developer portal shows them to a person of the workspace (no sharing rule:
// that limits integrations, not members): the views of some data sources, in their database's tab order.
import type { SqlExecutor } from './sql-store.js';
import type { ViewRow } from './view-repo.js';

/** The views over the given data sources, in tab order (position, then id) within each database. */
export function listViewsOfDataSources(db: SqlExecutor, dataSourceIds: readonly string[]): Promise<ViewRow[]> {
  if (dataSourceIds.length === 0) return Promise.resolve([]);
  return db.query<ViewRow>(
    `SELECT v.id, v.workspace_id, v.database_id, v.data_source_id, v.name, v.type, v.filter, v.sorts,
       v.quick_filters, v.configuration, v.created_time, v.created_by, v.last_edited_time, v.last_edited_by
     FROM views v
     WHERE v.data_source_id = ANY ($1::uuid[])
     ORDER BY v.database_id, v.position, v.id`,
    [dataSourceIds],
  );
}
