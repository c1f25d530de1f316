// Public integrations and their OAuth authorizations (migration 10): the client of a public integration (client
// id, secret hash and hint, redirect URIs), authorization codes and refresh tokens (hashes only), and the
// connections each authorization made — integrations rows whose public_integration_id names the public one.
// A connection's bot user, row and access tokens are written by integration-repo.ts like any integration's.
import { fixedPlan, type SqlExecutor } from './sql-store.js';

export interface OAuthClientInsert {
  integrationId: string;
  clientId: string;
  secretHash: string;
  secretHint: string;
  secretCreatedTime: Date;
  redirectUris: readonly string[];
}

/** A public integration's client, with what a connection copies from it (name, capabilities). */
export interface OAuthClientRow {
  integration_id: string;
  workspace_id: string;
  name: string;
  capabilities: string[];
  client_id: string;
  secret_hash: string;
  secret_hint: string;
  secret_created_time: Date;
  redirect_uris: string[];
}

export interface OAuthCodeInsert {
  codeHash: string;
  publicIntegrationId: string;
  workspaceId: string;
  userId: string;
  redirectUri: string;
  pageIds: readonly string[];
  createdTime: Date;
  expiresTime: Date;
}

export interface OAuthCodeRow {
  code_hash: string;
  public_integration_id: string;
  workspace_id: string;
  user_id: string;
  redirect_uri: string;
  page_ids: string[];
  expires_time: Date;
  used_time: Date | null;
}

export interface RefreshTokenRow {
  token_hash: string;
  integration_id: string;
  access_token_hash: string;
  used_time: Date | null;
}

/** A connection of a public integration as its developer sees it in the portal. */
export interface ConnectionRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  user_id: string | null;
  user_name: string | null;
  created_time: Date;
  shared: { id: string; title: string }[] | null;
}

/** A token of one of a client's connections, as introspection describes it. */
export interface ConnectionTokenRow {
  integration_id: string;
  capabilities: string[];
  created_time: Date;
  live: boolean;
}

const CLIENT_SELECT = `SELECT c.integration_id, i.workspace_id, u.name, i.capabilities, c.client_id, c.secret_hash,
         c.secret_hint, c.secret_created_time, c.redirect_uris
  FROM oauth_clients c JOIN integrations i ON i.id = c.integration_id JOIN users u ON u.id = c.integration_id`;

export async function insertOAuthClient(db: SqlExecutor, client: OAuthClientInsert): Promise<void> {
  await db.query(
    `INSERT INTO oauth_clients (integration_id, client_id, secret_hash, secret_hint, secret_created_time, redirect_uris)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      client.integrationId,
      client.clientId,
      client.secretHash,
      client.secretHint,
      client.secretCreatedTime,
      client.redirectUris,
    ],
  );
}

/** The public integration with this client id, in any workspace, or null. */
export async function findClientByClientId(db: SqlExecutor, clientId: string): Promise<OAuthClientRow | null> {
  const rows = await db.query<OAuthClientRow>(`${CLIENT_SELECT} WHERE c.client_id = $1`, [clientId]);
  return rows[0] ?? null;
}

/** The client of a public integration of the workspace, or null (no such integration, or an internal one). */
export async function findClientOfIntegration(
  db: SqlExecutor,
  workspaceId: string,
  integrationId: string,
): Promise<OAuthClientRow | null> {
  const rows = await db.query<OAuthClientRow>(`${CLIENT_SELECT} WHERE c.integration_id = $1 AND i.workspace_id = $2`, [
    integrationId,
    workspaceId,
  ]);
  return rows[0] ?? null;
}

/** Whether this client id is taken by another public integration. */
export async function clientIdTaken(db: SqlExecutor, clientId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM oauth_clients WHERE client_id = $1', [clientId])).length > 0;
}

export async function setClientSecret(
  db: SqlExecutor,
  integrationId: string,
  secret: { hash: string; hint: string; createdTime: Date },
): Promise<void> {
  await db.query(
    'UPDATE oauth_clients SET secret_hash = $2, secret_hint = $3, secret_created_time = $4 WHERE integration_id = $1',
    [integrationId, secret.hash, secret.hint, secret.createdTime],
  );
}

export async function setRedirectUris(db: SqlExecutor, integrationId: string, uris: readonly string[]): Promise<void> {
  await db.query('UPDATE oauth_clients SET redirect_uris = $2 WHERE integration_id = $1', [integrationId, uris]);
}

/** Marks a new integrations row as a connection of a public integration. */
export async function markConnection(db: SqlExecutor, connectionId: string, publicId: string): Promise<void> {
  await db.query('UPDATE integrations SET public_integration_id = $2 WHERE id = $1', [connectionId, publicId]);
}

/** Writes a new code and drops codes that expired more than a day ago (used or not, they can do nothing). */
export async function insertCode(db: SqlExecutor, code: OAuthCodeInsert): Promise<void> {
  await db.query('DELETE FROM oauth_codes WHERE expires_time < $1', [
    new Date(code.createdTime.getTime() - 24 * 3600 * 1000),
  ]);
  await db.query(
    `INSERT INTO oauth_codes (code_hash, public_integration_id, workspace_id, user_id, redirect_uri, page_ids,
       created_time, expires_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      code.codeHash,
      code.publicIntegrationId,
      code.workspaceId,
      code.userId,
      code.redirectUri,
      code.pageIds,
      code.createdTime,
      code.expiresTime,
    ],
  );
}

/** A code by its hash, locked until the transaction ends (two exchanges of one code: one wins). */
export async function lockCode(db: SqlExecutor, codeHash: string): Promise<OAuthCodeRow | null> {
  const rows = await db.query<OAuthCodeRow>(
    `SELECT code_hash, public_integration_id, workspace_id, user_id, redirect_uri, page_ids, expires_time, used_time
     FROM oauth_codes WHERE code_hash = $1 FOR UPDATE`,
    [codeHash],
  );
  return rows[0] ?? null;
}

export async function markCodeUsed(db: SqlExecutor, codeHash: string, now: Date): Promise<void> {
  await db.query('UPDATE oauth_codes SET used_time = $2 WHERE code_hash = $1', [codeHash, now]);
}

export async function insertRefreshToken(
  db: SqlExecutor,
  token: { tokenHash: string; integrationId: string; accessTokenHash: string; createdTime: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO oauth_refresh_tokens (token_hash, integration_id, access_token_hash, created_time)
     VALUES ($1, $2, $3, $4)`,
    [token.tokenHash, token.integrationId, token.accessTokenHash, token.createdTime],
  );
}

/** A refresh token of one of the public integration's connections, locked until the transaction ends. */
export async function lockRefreshToken(
  db: SqlExecutor,
  tokenHash: string,
  publicId: string,
): Promise<RefreshTokenRow | null> {
  const rows = await db.query<RefreshTokenRow>(
    `SELECT r.token_hash, r.integration_id, r.access_token_hash, r.used_time
     FROM oauth_refresh_tokens r JOIN integrations i ON i.id = r.integration_id
     WHERE r.token_hash = $1 AND i.public_integration_id = $2 FOR UPDATE OF r`,
    [tokenHash, publicId],
  );
  return rows[0] ?? null;
}

export async function markRefreshTokenUsed(db: SqlExecutor, tokenHash: string, now: Date): Promise<void> {
  await db.query('UPDATE oauth_refresh_tokens SET used_time = $2 WHERE token_hash = $1', [tokenHash, now]);
}

/** Revokes one access token (the API answers it 401 from now on). */
export async function revokeToken(db: SqlExecutor, tokenHash: string, now: Date): Promise<void> {
  await db.query('UPDATE tokens SET revoked_time = $2 WHERE token_hash = $1 AND revoked_time IS NULL', [
    tokenHash,
    now,
  ]);
}

/** An access or refresh token of one of the public integration's connections, or null. */
export async function findConnectionToken(
  db: SqlExecutor,
  tokenHash: string,
  publicId: string,
): Promise<ConnectionTokenRow | null> {
  const rows = await db.query<ConnectionTokenRow>(
    `SELECT i.id AS integration_id, i.capabilities, t.created_time, t.revoked_time IS NULL AS live
       FROM tokens t JOIN integrations i ON i.id = t.integration_id
      WHERE t.token_hash = $1 AND i.public_integration_id = $2
     UNION ALL
     SELECT i.id, i.capabilities, r.created_time, r.used_time IS NULL
       FROM oauth_refresh_tokens r JOIN integrations i ON i.id = r.integration_id
      WHERE r.token_hash = $1 AND i.public_integration_id = $2`,
    [tokenHash, publicId],
  );
  return rows[0] ?? null;
}

const CONNECTION_SELECT = `SELECT i.id, i.workspace_id, w.name AS workspace_name, o.id AS user_id, o.name AS user_name,
         i.created_time,
         (SELECT json_agg(json_build_object('id', b.id, 'title', b.title) ORDER BY b.title, b.id)
            FROM shares s JOIN blocks b ON b.id = s.block_id WHERE s.integration_id = i.id) AS shared
  FROM integrations i
  JOIN workspaces w ON w.id = i.workspace_id
  LEFT JOIN users o ON o.id = i.owner_user_id
  WHERE i.public_integration_id = $1`;

/** The connections of a public integration, oldest first. */
export function listConnections(db: SqlExecutor, publicId: string): Promise<ConnectionRow[]> {
  return db.query<ConnectionRow>(`${CONNECTION_SELECT} ORDER BY i.created_time, i.id`, [publicId]);
}

/**
 * Deletes a connection of the public integration through its bot user (its row, tokens, refresh tokens and
 * shares go with it by cascade). Returns its workspace, or null when the integration has no such connection.
 */
export async function deleteConnection(
  db: SqlExecutor,
  publicId: string,
  connectionId: string,
): Promise<{ workspaceId: string } | null> {
  const rows = await db.query<{ workspace_id: string }>(
    `DELETE FROM users WHERE type = 'bot'
       AND id = (SELECT id FROM integrations WHERE id = $2 AND public_integration_id = $1) RETURNING workspace_id`,
    [publicId, connectionId],
  );
  const row = rows[0];
  return row ? { workspaceId: row.workspace_id } : null;
}

/** The connection an access or refresh token of the public integration belongs to, or null. */
export async function findConnectionOfToken(
  db: SqlExecutor,
  tokenHash: string,
  publicId: string,
): Promise<string | null> {
  return (await findConnectionToken(db, tokenHash, publicId))?.integration_id ?? null;
}

/** A connection's workspace and the person who authorized it (null once that person is gone), or null. */
export async function findConnectionOwner(
  db: SqlExecutor,
  connectionId: string,
): Promise<{ workspace_id: string; owner_user_id: string | null } | null> {
  const rows = await db.query<{ workspace_id: string; owner_user_id: string | null }>(
    'SELECT workspace_id, owner_user_id FROM integrations WHERE id = $1',
    [connectionId],
  );
  return rows[0] ?? null;
}

/** Whether an integration is a public integration's connection (an authorization), for users/me's owner. */
export async function isConnection(db: SqlExecutor, integrationId: string): Promise<boolean> {
  const rows = await db.query<{ public_integration_id: string | null }>(
    fixedPlan('SELECT public_integration_id FROM integrations WHERE id = $1'),
    [integrationId],
  );
  return Boolean(rows[0]?.public_integration_id);
}
