// Database views as a person of the workspace reads them (the portal): the views over a database's data
// sources, in tab order, whatever is shared with integrations (sharing limits integrations, not members:
// reference §4). Reads only; views are written through the API (services/views.ts).
import { listViewsOfDataSources } from '../store/portal-view-repo.js';
import type { Store } from '../store/sql-store.js';
import type { ViewRow } from '../store/view-repo.js';

export type WorkspaceView = ViewRow;

/** The views over each of the data sources, in tab order; a data source without views maps to []. */
export async function readDataSourceViews(
  store: Store,
  dataSourceIds: readonly string[],
): Promise<Map<string, WorkspaceView[]>> {
  const bySource = new Map<string, WorkspaceView[]>(dataSourceIds.map((id) => [id, []]));
  for (const view of await listViewsOfDataSources(store, dataSourceIds))
    bySource.get(view.data_source_id ?? '')?.push(view);
  return bySource;
}
