// Why a 404 happened, for the request log only (shown to the workspace owner in the portal, never in
// the API answer, where missing and unshared must stay indistinguishable). It runs after the answer is
// sent (the onResponse hook) and always as the same one statement (store/block-repo.ts findNotFoundFacts),
// so the work that follows a 404 takes as long for a missing id as for an unshared one.
import type { Principal } from '../auth/access.js';
import { findNotFoundFacts } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

export async function notFoundReason(db: SqlExecutor, principal: Principal, message: string): Promise<string | null> {
  const id = ID.exec(message)?.[0];
  if (!id) return null;
  try {
    const facts = await findNotFoundFacts(db, id);
    if (facts.block_workspace_id === null) {
      if (!facts.other_workspace_id) return 'does not exist';
      return facts.other_workspace_id === principal.workspaceId
        ? 'exists, but its page is not shared with the integration'
        : 'belongs to another workspace';
    }
    if (facts.block_workspace_id !== principal.workspaceId) return 'belongs to another workspace';
    return `exists, but is not shared with "${principal.integrationName}": share "${facts.root_title || 'Untitled'}" (or a page above it) through ••• → Connections`;
  } catch {
    return null;
  }
}
