// Databases as a person of the workspace reads them (the portal): a database's data sources with their
// schemas and row counts, a data source's rows a page at a time, and what their values name (people, related
// pages). No sharing check: sharing limits integrations, not members (reference §4). Reads only.
import type { BlockRow, UserRow } from '../model/rows.js';
import { findBlock, findBlocks } from '../store/block-repo.js';
import { countLiveRows, listDataSourceRowsAfter, listLiveDataSources } from '../store/portal-database-repo.js';
import type { Store } from '../store/sql-store.js';
import { findWorkspaceUsersById } from '../store/user-repo.js';

/** A live data source of a database and how many live rows it has. */
export interface WorkspaceDataSource {
  source: BlockRow;
  rowCount: number;
}

/** The live data sources of a database, oldest first, each with its number of live rows. */
export async function readDatabaseSources(store: Store, databaseId: string): Promise<WorkspaceDataSource[]> {
  const sources = await listLiveDataSources(store, databaseId);
  const counts = await countLiveRows(
    store,
    sources.map((s) => s.id),
  );
  return sources.map((source) => ({ source, rowCount: counts.get(source.id) ?? 0 }));
}

/** A data source of the workspace (live or in the trash), or null: other workspaces' and other objects are not. */
export async function readWorkspaceDataSource(store: Store, workspaceId: string, id: string): Promise<BlockRow | null> {
  const row = await findBlock(store, id, 'none');
  return row && row.workspace_id === workspaceId && row.object === 'data_source' ? row : null;
}

/** One page of a data source's live rows, newest first, after the row `afterId` (a cursor) when given. */
export async function readDataSourceRows(
  store: Store,
  dataSourceId: string,
  afterId: string | null,
  limit: number,
): Promise<{ rows: BlockRow[]; hasMore: boolean }> {
  const rows = await listDataSourceRowsAfter(store, dataSourceId, afterId, limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Rows by id without the computed flags (what a breadcrumb needs: object, title, parent). */
export function readObjects(store: Store, ids: readonly string[]): Promise<BlockRow[]> {
  return findBlocks(store, ids, 'none');
}

/** The people and bots of the workspace among `ids`. */
export function readWorkspaceUsers(store: Store, workspaceId: string, ids: readonly string[]): Promise<UserRow[]> {
  return findWorkspaceUsersById(store, workspaceId, ids);
}

/** The titles of pages by id, of this workspace only (a relation may name any page); missing ids are left out. */
export async function readWorkspaceTitles(
  store: Store,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await findBlocks(store, ids, 'none');
  return new Map(rows.filter((r) => r.workspace_id === workspaceId).map((r) => [r.id, r.title]));
}
