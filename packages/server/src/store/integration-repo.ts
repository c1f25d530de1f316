// Integrations and what they are made of: the bot user that carries an integration's name, the integrations
// row (owner, capabilities, settings such as its own rate limit) and its tokens (SHA-256 hashes and a hint
// only). Shares are in share-repo.ts; what authentication reads of all this is in principal-repo.ts.
import type { IntegrationRateLimit } from '../model/limits.js';
import type { SqlExecutor } from './sql-store.js';

export interface IntegrationInsert {
  id: string;
  workspaceId: string;
  name: string;
  ownerUserId: string | null;
  capabilities: readonly string[];
  settings: Record<string, unknown>;
  createdTime: Date;
  /** When the bot user was made (seeds space them out to keep list order); default createdTime. */
  botCreatedTime?: Date;
}

export interface TokenInsert {
  tokenHash: string;
  integrationId: string;
  tokenHint: string;
  createdTime: Date;
}

/** An integration as the portal lists it: its live token's hint and the pages shared with it. */
export interface IntegrationSummaryRow {
  id: string;
  name: string;
  capabilities: string[];
  created_time: Date;
  owner_id: string | null;
  owner_name: string | null;
  token_hint: string | null;
  token_created_time: Date | null;
  shared: { id: string; title: string }[] | null;
  /** A public (OAuth) integration: it has a client (store/oauth-repo.ts) and no token of its own. */
  is_public: boolean;
}

/** An integration as an export writes it back into a seed file (owner by email, else name). */
export interface IntegrationExportRow {
  id: string;
  name: string;
  capabilities: string[];
  settings: Record<string, unknown>;
  owner: string | null;
}

const INTEGRATION_ORDER = 'ORDER BY i.created_time, u.created_time, u.id';

const SELECT_SUMMARIES = `
  SELECT u.id, u.name, i.capabilities, i.created_time, o.id AS owner_id, o.name AS owner_name,
         t.token_hint, t.created_time AS token_created_time,
         (SELECT json_agg(json_build_object('id', b.id, 'title', b.title) ORDER BY b.title, b.id)
            FROM shares s JOIN blocks b ON b.id = s.block_id WHERE s.integration_id = i.id) AS shared,
         EXISTS (SELECT 1 FROM oauth_clients c WHERE c.integration_id = i.id) AS is_public
  FROM integrations i
  JOIN users u ON u.id = i.id
  LEFT JOIN users o ON o.id = i.owner_user_id
  LEFT JOIN LATERAL (SELECT token_hint, created_time FROM tokens
                     WHERE integration_id = i.id AND revoked_time IS NULL ORDER BY created_time DESC LIMIT 1) t ON true
  WHERE i.workspace_id = $1 AND i.public_integration_id IS NULL`;

/** Writes the bot user and the integrations row of a new integration (its token is inserted apart). */
export async function insertIntegration(db: SqlExecutor, integration: IntegrationInsert): Promise<void> {
  await db.query(`INSERT INTO users (id, workspace_id, type, name, created_time) VALUES ($1, $2, 'bot', $3, $4)`, [
    integration.id,
    integration.workspaceId,
    integration.name,
    integration.botCreatedTime ?? integration.createdTime,
  ]);
  await db.query(
    `INSERT INTO integrations (id, workspace_id, owner_user_id, capabilities, settings, created_time)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      integration.id,
      integration.workspaceId,
      integration.ownerUserId,
      integration.capabilities,
      JSON.stringify(integration.settings),
      integration.createdTime,
    ],
  );
}

export async function insertToken(db: SqlExecutor, token: TokenInsert): Promise<void> {
  await db.query('INSERT INTO tokens (token_hash, integration_id, token_hint, created_time) VALUES ($1, $2, $3, $4)', [
    token.tokenHash,
    token.integrationId,
    token.tokenHint,
    token.createdTime,
  ]);
}

/** Revokes every live token of the integration (the API answers them 401 from now on). */
export async function revokeLiveTokens(db: SqlExecutor, integrationId: string, now: Date): Promise<void> {
  await db.query('UPDATE tokens SET revoked_time = $2 WHERE integration_id = $1 AND revoked_time IS NULL', [
    integrationId,
    now,
  ]);
}

/** An integration's name is its bot user's. */
export async function renameIntegration(db: SqlExecutor, id: string, name: string): Promise<void> {
  await db.query('UPDATE users SET name = $2 WHERE id = $1', [id, name]);
}

export async function setIntegrationCapabilities(
  db: SqlExecutor,
  id: string,
  capabilities: readonly string[],
): Promise<void> {
  await db.query('UPDATE integrations SET capabilities = $2 WHERE id = $1', [id, capabilities]);
}

/**
 * Deletes an integration of the workspace through its bot user (which owns the integrations row; tokens and
 * shares go with it by cascade), and for a public integration the bot users of its connections (oauth-repo.ts).
 * False when the workspace has no such integration.
 */
export async function deleteIntegration(db: SqlExecutor, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `DELETE FROM users WHERE type = 'bot' AND ((id = $1 AND workspace_id = $2) OR id IN (SELECT c.id FROM integrations c
       JOIN integrations p ON p.id = c.public_integration_id WHERE p.id = $1 AND p.workspace_id = $2)) RETURNING id`,
    [id, workspaceId],
  );
  return rows.some((r) => r.id === id);
}

/** The integration of the workspace with this name, other than `exceptId`, or null (names are unique). */
export async function findIntegrationIdByName(
  db: SqlExecutor,
  workspaceId: string,
  name: string,
  exceptId: string | null = null,
): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `SELECT u.id FROM integrations i JOIN users u ON u.id = i.id
     WHERE i.workspace_id = $1 AND u.name = $2 AND ($3::uuid IS NULL OR u.id <> $3) AND i.public_integration_id IS NULL`,
    [workspaceId, name, exceptId],
  );
  return rows[0]?.id ?? null;
}

export async function integrationExists(db: SqlExecutor, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM integrations WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  return rows.length > 0;
}

/** The workspace's integrations (or the one with `id`) as the portal lists them, oldest first. */
export function listIntegrationSummaries(
  db: SqlExecutor,
  workspaceId: string,
  id: string | null = null,
): Promise<IntegrationSummaryRow[]> {
  return id === null
    ? db.query<IntegrationSummaryRow>(`${SELECT_SUMMARIES} ${INTEGRATION_ORDER}`, [workspaceId])
    : db.query<IntegrationSummaryRow>(`${SELECT_SUMMARIES} AND i.id = $2`, [workspaceId, id]);
}

/** The workspace's integrations by id and name, oldest first. */
export function listIntegrationNames(db: SqlExecutor, workspaceId: string): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>(
    `SELECT i.id, u.name FROM integrations i JOIN users u ON u.id = i.id WHERE i.workspace_id = $1 ${INTEGRATION_ORDER}`,
    [workspaceId],
  );
}

/** The workspace's integrations with their own per-minute budget (null: the platform's), oldest first. */
export function listIntegrationRateLimits(
  db: SqlExecutor,
  workspaceId: string,
): Promise<{ id: string; name: string; rpm: number | null }[]> {
  return db.query<{ id: string; name: string; rpm: number | null }>(
    `SELECT i.id, u.name, (i.settings -> 'rate_limit' ->> 'requests_per_minute')::int AS rpm
     FROM integrations i JOIN users u ON u.id = i.id WHERE i.workspace_id = $1 ${INTEGRATION_ORDER}`,
    [workspaceId],
  );
}

/**
 * Sets (or with null clears) an integration's own per-minute budget. `workspaceId` null: any workspace (the
 * admin API). Returns the integration's workspace and its override as stored, or null when there is no such
 * integration.
 */
export async function setIntegrationRateLimit(
  db: SqlExecutor,
  id: string,
  workspaceId: string | null,
  requestsPerMinute: number | null,
): Promise<{ workspaceId: string; rateLimit: IntegrationRateLimit | null } | null> {
  const rows = await db.query<{ workspace_id: string; settings: { rate_limit?: IntegrationRateLimit } }>(
    `UPDATE integrations SET settings = CASE WHEN $3::int IS NULL THEN settings - 'rate_limit'
       ELSE jsonb_set(settings, '{rate_limit}', jsonb_build_object('requests_per_minute', $3::int)) END
     WHERE id = $1 AND ($2::uuid IS NULL OR workspace_id = $2) RETURNING workspace_id, settings`,
    [id, workspaceId, requestsPerMinute],
  );
  const row = rows[0];
  return row ? { workspaceId: row.workspace_id, rateLimit: row.settings.rate_limit ?? null } : null;
}

/** The workspace's integrations as a seed file names them, oldest first. */
export function listIntegrationsForExport(db: SqlExecutor, workspaceId: string): Promise<IntegrationExportRow[]> {
  return db.query<IntegrationExportRow>(
    `SELECT i.id, u.name, i.capabilities, i.settings, coalesce(o.email, o.name) AS owner
     FROM integrations i JOIN users u ON u.id = i.id LEFT JOIN users o ON o.id = i.owner_user_id
     WHERE i.workspace_id = $1 AND i.public_integration_id IS NULL ${INTEGRATION_ORDER}`,
    [workspaceId],
  );
}
