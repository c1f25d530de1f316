// Sharing, the one way to change it: share a page or database of a workspace with one of its integrations,
// or remove that share (access inherited from a shared ancestor stays: remove it there). The portal's
// Connections menu and the seed both write through here, and each change records sharing.updated. What an
// integration can then see is decided by the pure rule of auth/access.ts over the same shares.
import type { Principal } from '../auth/access.js';
import { workspacePrincipals } from '../auth/authenticate.js';
import type { BlockRow } from '../model/rows.js';
import { findBlock, findTitles } from '../store/block-repo.js';
import { integrationExists } from '../store/integration-repo.js';
import { deleteShare, insertShare } from '../store/share-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { commitWrite, type Actor, type WriteScope } from './changes.js';
import { changeParent } from './content-changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** Why a sharing change was refused; the caller says it in its own words. */
export type SharingRefusal = 'page_not_found' | 'integration_not_found';

export class SharingError extends Error {
  constructor(readonly reason: SharingRefusal) {
    super(`sharing change refused: ${reason}`);
    this.name = 'SharingError';
  }
}

export interface SharingTarget {
  workspaceId: string;
  /** A page or database of the workspace. */
  pageId: string;
  integrationId: string;
  actor: Actor;
  now: Date;
}

/** Who can reach a page: the page, every integration of its workspace, and its ancestors' titles. */
export interface PageConnections {
  page: BlockRow;
  principals: Principal[];
  ancestorTitles: Map<string, string>;
}

type SharedRow = Pick<BlockRow, 'id' | 'workspace_id' | 'object' | 'parent_type' | 'parent_id'>;

/** A page or database of the workspace (blocks and other workspaces' rows are not shared here), or null. */
async function findShareable(db: SqlExecutor, workspaceId: string, id: string): Promise<BlockRow | null> {
  const row = await findBlock(db, id);
  return row && row.workspace_id === workspaceId && row.object !== 'block' ? row : null;
}

function recordSharing(scope: WriteScope, row: SharedRow, target: SharingTarget, shared: boolean): void {
  scope.record({
    kind: 'sharing.updated',
    workspaceId: row.workspace_id,
    entity: { type: row.object === 'database' ? 'database' : 'page', id: row.id },
    actor: target.actor,
    at: target.now,
    parent: changeParent(row),
    details: { integration_id: target.integrationId, shared },
  });
}

/**
 * Shares a row the caller already holds with an integration of its workspace, in the caller's transaction;
 * records sharing.updated when it was not shared yet.
 */
export async function writeShare(scope: WriteScope, row: SharedRow, target: SharingTarget): Promise<void> {
  if (await insertShare(scope.tx, target.integrationId, row.id)) recordSharing(scope, row, target, true);
}

async function checkedTarget(tx: SqlExecutor, target: SharingTarget): Promise<BlockRow> {
  const page = await findShareable(tx, target.workspaceId, target.pageId);
  if (!page) throw new SharingError('page_not_found');
  if (!(await integrationExists(tx, target.workspaceId, target.integrationId)))
    throw new SharingError('integration_not_found');
  return page;
}

/** Shares a page or database with an integration of the same workspace (nothing changes if it already is). */
export function shareWithIntegration(deps: WorkspaceWriteDeps, target: SharingTarget): Promise<void> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const page = await checkedTarget(scope.tx, target);
    await writeShare(scope, page, target);
  });
}

/** Removes the share of this page or database with the integration (shares of its ancestors stay). */
export function unshareWithIntegration(deps: WorkspaceWriteDeps, target: SharingTarget): Promise<void> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const page = await checkedTarget(scope.tx, target);
    if (await deleteShare(scope.tx, target.integrationId, page.id)) recordSharing(scope, page, target, false);
  });
}

/** The page, who can reach it and the titles of its ancestors; null when the workspace has no such page. */
export async function readConnections(
  store: Store,
  workspaceId: string,
  pageId: string,
): Promise<PageConnections | null> {
  const page = await findShareable(store, workspaceId, pageId);
  if (!page) return null;
  const principals = await workspacePrincipals(store, workspaceId);
  const titles = await findTitles(store, page.path.slice(0, -1));
  return { page, principals, ancestorTitles: new Map(titles.map((r) => [r.id, r.title])) };
}
