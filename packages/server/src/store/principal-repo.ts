// What authentication reads: everything a Principal is made of (integration, its bot user's name, workspace,
// capabilities, settings, the roots shared with it), found by token hash or listed for a workspace, and the
// owner of a revoked token (for the request log). auth/authenticate.ts turns these rows into Principals.
import type { IntegrationRateLimit } from '../model/limits.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';

export interface PrincipalRow {
  integration_id: string;
  integration_name: string;
  workspace_id: string;
  workspace_name: string;
  owner_user_id: string | null;
  capabilities: string[];
  settings: { rate_limit?: IntegrationRateLimit } | null;
  shared: string[] | null;
}

/** Everything a Principal is made of, for any set of integrations (joined with tokens for auth). */
const PRINCIPAL_SELECT = `SELECT i.id AS integration_id, u.name AS integration_name, w.id AS workspace_id,
         w.name AS workspace_name, i.owner_user_id, i.capabilities, i.settings,
         ARRAY(SELECT s.block_id FROM shares s WHERE s.integration_id = i.id) AS shared
  FROM integrations i
  JOIN users u ON u.id = i.id
  JOIN workspaces w ON w.id = i.workspace_id`;

const BY_LIVE_TOKEN = fixedPlan(
  `${PRINCIPAL_SELECT} JOIN tokens t ON t.integration_id = i.id WHERE t.token_hash = $1 AND t.revoked_time IS NULL`,
);

/** The integration a live (not revoked) token of this hash belongs to. */
export async function findPrincipalByTokenHash(db: SqlExecutor, tokenHash: string): Promise<PrincipalRow | null> {
  const rows = await db.query<PrincipalRow>(BY_LIVE_TOKEN, [tokenHash]);
  return rows[0] ?? null;
}

/** Every integration of the workspace, oldest first. */
export function listWorkspacePrincipals(db: SqlExecutor, workspaceId: string): Promise<PrincipalRow[]> {
  return db.query<PrincipalRow>(
    `${PRINCIPAL_SELECT} WHERE i.workspace_id = $1 ORDER BY i.created_time, u.created_time, u.id`,
    [workspaceId],
  );
}

/** The integration (and its workspace) a revoked token of this hash belonged to. */
export async function findRevokedTokenOwner(
  db: SqlExecutor,
  tokenHash: string,
): Promise<{ integrationId: string; workspaceId: string } | null> {
  const rows = await db.query<{ integration_id: string; workspace_id: string }>(
    `SELECT t.integration_id, i.workspace_id FROM tokens t JOIN integrations i ON i.id = t.integration_id
     WHERE t.token_hash = $1 AND t.revoked_time IS NOT NULL`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { integrationId: row.integration_id, workspaceId: row.workspace_id } : null;
}
