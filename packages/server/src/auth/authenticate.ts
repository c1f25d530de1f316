// Bearer token → Principal, in one query. Tokens are looked up by SHA-256; the token itself is never
// stored or logged. Any token shape is accepted (Notion says not to validate them by regex).
import type { Principal } from './access.js';
import { isCapability, type Capability } from './capabilities.js';
import { hashToken } from './tokens.js';
import {
  findPrincipalByTokenHash,
  findRevokedTokenOwner,
  listWorkspacePrincipals,
  type PrincipalRow,
} from '../store/principal-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

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
  const row = await findPrincipalByTokenHash(db, hashToken(token));
  return row ? toPrincipal(row) : null;
}

/** The principal each integration of a workspace authenticates as — what the portal's Connections menu shows. */
export async function workspacePrincipals(db: SqlExecutor, workspaceId: string): Promise<Principal[]> {
  return (await listWorkspacePrincipals(db, workspaceId)).map(toPrincipal);
}

/** The integration a revoked token belonged to (for the request log only; the API answer stays a plain 401). */
export function revokedTokenOwner(
  db: SqlExecutor,
  token: string,
): Promise<{ integrationId: string; workspaceId: string } | null> {
  return findRevokedTokenOwner(db, hashToken(token));
}
