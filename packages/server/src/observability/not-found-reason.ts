// Why a 404 happened, for the request log only (shown to the workspace owner in the portal, never in
// the API answer, where missing and unshared must stay indistinguishable).
import type { Principal } from '../auth/access.js';
import { findBlock } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { findWorkspaceOfUserOrComment } from '../store/workspace-repo.js';

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

export async function notFoundReason(db: SqlExecutor, principal: Principal, message: string): Promise<string | null> {
  const id = ID.exec(message)?.[0];
  if (!id) return null;
  try {
    const row = await findBlock(db, id, 'none');
    if (!row) {
      const otherWorkspaceId = await findWorkspaceOfUserOrComment(db, id);
      if (!otherWorkspaceId) return 'does not exist';
      return otherWorkspaceId === principal.workspaceId
        ? 'exists, but its page is not shared with the integration'
        : 'belongs to another workspace';
    }
    if (row.workspace_id !== principal.workspaceId) return 'belongs to another workspace';
    const rootId = row.path[0];
    const root = rootId ? await findBlock(db, rootId, 'none') : null;
    return `exists, but is not shared with "${principal.integrationName}": share "${root?.title || 'Untitled'}" (or a page above it) through ••• → Connections`;
  } catch {
    return null;
  }
}
