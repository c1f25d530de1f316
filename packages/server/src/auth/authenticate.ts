// Bearer token → Principal, in one query. Tokens are looked up by SHA-256; the token itself is never
// stored or logged. Any token shape is accepted (Notion says not to validate them by regex).
import type { Principal } from './access.js';
import { isCapability, type Capability } from './capabilities.js';
import { hashToken } from './tokens.js';
import { fixedPlan, type SqlExecutor } from '../store/sql-store.js';
import type { IntegrationRateLimit } from '../limits/rate-limiter.js';

interface PrincipalRow {
  integration_id: string;
  integration_name: string;
  workspace_id: string;
  workspace_name: string;
  owner_user_id: string | null;
  capabilities: string[];
  settings: { rate_limit?: IntegrationRateLimit } | null;
  shared: string[] | null;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/** Everything a Principal is made of, for any set of integrations (joined with tokens for auth). */
const PRINCIPAL_SELECT = `SELECT i.id AS integration_id, u.name AS integration_name, w.id AS workspace_id, w.name AS workspace_name,
         i.owner_user_id, i.capabilities, i.settings,
         ARRAY(SELECT s.block_id FROM shares s WHERE s.integration_id = i.id) AS shared
  FROM integrations i
  JOIN users u ON u.id = i.id
  JOIN workspaces w ON w.id = i.workspace_id`;

function toPrincipal(row: PrincipalRow): Principal {
  return {
    integrationId: row.integration_id,
    integrationName: row.integration_name,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    ownerUserId: row.owner_user_id,
    capabilities: new Set(row.capabilities.filter(isCapability) as Capability[]),
    sharedRootIds: new Set(row.shared ?? []),
    rateLimit: row.settings?.rate_limit,
  };
}

export async function principalForToken(db: SqlExecutor, token: string): Promise<Principal | null> {
  const rows = await db.query<PrincipalRow>(
    fixedPlan(
      `${PRINCIPAL_SELECT} JOIN tokens t ON t.integration_id = i.id WHERE t.token_hash = $1 AND t.revoked_time IS NULL`,
    ),
    [hashToken(token)],
  );
  return rows[0] ? toPrincipal(rows[0]) : null;
}

/** The principal each integration of a workspace authenticates as — what the portal's Connections menu shows. */
export async function workspacePrincipals(db: SqlExecutor, workspaceId: string): Promise<Principal[]> {
  const rows = await db.query<PrincipalRow>(
    `${PRINCIPAL_SELECT} WHERE i.workspace_id = $1 ORDER BY i.created_time, u.created_time, u.id`,
    [workspaceId],
  );
  return rows.map(toPrincipal);
}

/** The integration a revoked token belonged to (for the request log only; the API answer stays a plain 401). */
export async function revokedTokenOwner(
  db: SqlExecutor,
  token: string,
): Promise<{ integrationId: string; workspaceId: string } | null> {
  const rows = await db.query<{ integration_id: string; workspace_id: string }>(
    `SELECT t.integration_id, i.workspace_id FROM tokens t JOIN integrations i ON i.id = t.integration_id
     WHERE t.token_hash = $1 AND t.revoked_time IS NOT NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { integrationId: row.integration_id, workspaceId: row.workspace_id } : null;
}
