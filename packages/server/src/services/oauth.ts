// OAuth 2.0 for public integrations (reference §2): the authorization request's checks, the consent (a single-use
// code valid 10 minutes), and the token endpoint — code exchange, refresh, introspection, revocation — with HTTP
// Basic client authentication. Each code exchange makes a connection: an integration of the authorizing person's
// workspace with its own bot user, the public integration's capabilities, the pages picked on the consent screen
// and its own access token, so the API treats it as any integration (authentication, sharing, rate limits).
// Answers and errors follow RFC 6749 as Notion does: `{error, error_description?}`, not the API's error envelope.
// Codes, access and refresh tokens are returned once and stored as SHA-256 hashes only.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ALL_CAPABILITIES } from '../auth/capabilities.js';
import { generateToken, hashToken, sameSecret, tokenHint } from '../auth/tokens.js';
import { botOwner } from '../domain/serialize.js';
import { parseWith } from '../domain/validation.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { findBlock } from '../store/block-repo.js';
import { insertToken } from '../store/integration-repo.js';
import {
  deleteConnection,
  findClientByClientId,
  findConnectionOfToken,
  findConnectionOwner,
  findConnectionToken,
  insertCode,
  insertRefreshToken,
  lockCode,
  lockRefreshToken,
  markCodeUsed,
  markConnection,
  markRefreshTokenUsed,
  revokeToken,
  type OAuthClientRow,
  type OAuthCodeRow,
} from '../store/oauth-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { findUser } from '../store/user-repo.js';
import { findWorkspace } from '../store/workspace-repo.js';
import { commitWrite, type Actor, type WriteScope } from './changes.js';
import { writeIntegration } from './integrations.js';
import { writeShare } from './sharing.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** A public integration's OAuth client, as the token endpoints authenticate it. */
export type OAuthClient = OAuthClientRow;

/** How long an authorization code may be exchanged (Notion's codes are short-lived; RFC 6749 says at most 10 min). */
export const CODE_TTL_MS = 10 * 60 * 1000;

/** The messages of the token endpoint's errors (docs/errors.md, "OAuth endpoints"). */
export const OAUTH_MESSAGES = {
  invalidCode: 'Invalid code: this code has been revoked.',
  expiredCode: 'Invalid code: this code has expired.',
  redirectMismatch: 'Invalid redirect_uri: it does not match the redirect_uri of the authorization request.',
  invalidRefreshToken: 'Invalid refresh_token: this token has been revoked.',
  invalidJson: 'Error parsing JSON body.',
} as const;

/** A refused OAuth request, as the token endpoints answer it: `{error, error_description?}` with a status. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant',
    readonly description?: string,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}

const invalidGrant = (description: string) => new OAuthError(400, 'invalid_grant', description);

/** The body checked by the API's validator, its message carried in `error_description`. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  try {
    return parseWith(schema, body ?? {}, 'body');
  } catch (error) {
    if (error instanceof ApiError) throw new OAuthError(400, 'invalid_request', error.message);
    throw error;
  }
}

// ---- client authentication -------------------------------------------------------------------------------

/** `Basic base64(client_id:client_secret)` → the credentials, or null. */
export function basicCredentials(header: string | undefined): { clientId: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return { clientId: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/** The public integration the Basic credentials name, or 401 invalid_client. */
export async function authenticateClient(store: Store, header: string | undefined): Promise<OAuthClientRow> {
  const credentials = basicCredentials(header);
  const client = credentials ? await findClientByClientId(store, credentials.clientId) : null;
  if (!client || !credentials || !sameSecret(client.secret_hash, hashToken(credentials.secret)))
    throw new OAuthError(401, 'invalid_client');
  return client;
}

// ---- the authorization request and the consent -----------------------------------------------------------

/** Why an authorization request cannot even be sent back to the app: an error page, no redirect. */
export type AuthorizeRefusal = 'missing_client_id' | 'unknown_client' | 'missing_redirect_uri' | 'bad_redirect_uri';

/** The reason in words, for the error page and the consent screen. */
function refusalMessage(reason: AuthorizeRefusal, clientId: string, redirectUri: string): string {
  switch (reason) {
    case 'missing_client_id':
      return 'This authorization link has no client_id.';
    case 'unknown_client':
      return `No public integration has the client_id "${clientId}".`;
    case 'missing_redirect_uri':
      return 'This authorization link has no redirect_uri, and the integration registers more than one.';
    case 'bad_redirect_uri':
      return `The redirect_uri "${redirectUri}" is not one of the integration's redirect URIs.`;
  }
}

export class AuthorizeError extends Error {
  constructor(
    readonly reason: AuthorizeRefusal,
    clientId: string,
    redirectUri: string,
  ) {
    super(refusalMessage(reason, clientId, redirectUri));
    this.name = 'AuthorizeError';
  }
}

/** The client and the redirect URI an authorization request names, both checked (no redirect otherwise). */
export async function checkAuthorizeTarget(
  store: SqlExecutor,
  clientId: string | undefined,
  redirectUri: string | undefined,
): Promise<{ client: OAuthClientRow; redirectUri: string }> {
  const refuse = (reason: AuthorizeRefusal) => new AuthorizeError(reason, clientId ?? '', redirectUri ?? '');
  if (!clientId) throw refuse('missing_client_id');
  const client = await findClientByClientId(store, clientId);
  if (!client) throw refuse('unknown_client');
  // Without a redirect_uri, the one registered URI is meant (RFC 6749 §3.1.2.3); with several, one must be named.
  const uri = redirectUri || (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (!uri) throw refuse('missing_redirect_uri');
  if (!client.redirect_uris.includes(uri)) throw refuse('bad_redirect_uri');
  return { client, redirectUri: uri };
}

/** What the consent screen shows of an authorization request, checked as the authorize endpoint checks it. */
export async function describeAuthorization(
  store: Store,
  clientId: string | undefined,
  redirectUri: string | undefined,
): Promise<{ client: OAuthClientRow; redirectUri: string; developerWorkspace: string }> {
  const target = await checkAuthorizeTarget(store, clientId, redirectUri);
  const workspace = await findWorkspace(store, target.client.workspace_id);
  return { ...target, developerWorkspace: workspace?.name ?? '' };
}

/** `uri` with the given query parameters added (state only when the app sent one). */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export interface ConsentInput {
  clientId: string;
  redirectUri: string;
  state?: string | undefined;
  workspaceId: string;
  userId: string;
  /** Pages and databases of the person's workspace to share with the new connection. */
  pageIds: readonly string[];
  now: Date;
}

/** Why a consent was refused: a picked id that is not a page or database of the person's workspace. */
export class ConsentError extends Error {
  constructor(readonly pageId: string) {
    super(`not a page of this workspace: ${pageId}`);
    this.name = 'ConsentError';
  }
}

/**
 * The person allowed access: a single-use code valid 10 minutes, which remembers the picked pages, is kept
 * (as its hash); returns the URL to send the browser to, `redirect_uri?code=…&state=…`.
 */
export function approveAuthorization(deps: WorkspaceWriteDeps, input: ConsentInput): Promise<string> {
  const code = randomUUID();
  return commitWrite(deps.store, deps.changes, async ({ tx }) => {
    const { client, redirectUri } = await checkAuthorizeTarget(tx, input.clientId, input.redirectUri);
    const pageIds = [...new Set(input.pageIds)];
    for (const id of pageIds) {
      const row = await findBlock(tx, id);
      if (!row || row.workspace_id !== input.workspaceId || row.object === 'block' || row.archived)
        throw new ConsentError(id);
    }
    await insertCode(tx, {
      codeHash: hashToken(code),
      publicIntegrationId: client.integration_id,
      workspaceId: input.workspaceId,
      userId: input.userId,
      redirectUri,
      pageIds,
      createdTime: input.now,
      expiresTime: new Date(input.now.getTime() + CODE_TTL_MS),
    });
    return redirectWith(redirectUri, { code, state: input.state });
  });
}

// ---- the token endpoint ----------------------------------------------------------------------------------

const zGrant = z.object({ grant_type: z.enum(['authorization_code', 'refresh_token']) }).passthrough();
const zCodeGrant = z
  .object({
    code: z.string(),
    redirect_uri: z.string(),
    external_account: z.object({ key: z.string(), name: z.string() }).optional(),
  })
  .passthrough();
const zRefreshGrant = z.object({ refresh_token: z.string() }).passthrough();
const zTokenBody = z.object({ token: z.string() }).passthrough();

/** The token endpoint's answer (reference §2), without the request id the edge adds. */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  refresh_token: string;
  bot_id: string;
  workspace_icon: null;
  workspace_name: string | null;
  workspace_id: string;
  owner: { type: 'user'; user: Record<string, unknown> } | { type: 'workspace'; workspace: true };
  duplicated_template_id: null;
}

interface Connection {
  id: string;
  workspaceId: string;
  ownerUserId: string | null;
}

/** A new access token and refresh token for a connection, written in the caller's transaction. */
async function issueTokens(db: SqlExecutor, connectionId: string, now: Date, access?: string) {
  const accessToken = access ?? generateToken('ntn_');
  const refreshToken = generateToken('ntn_');
  if (!access) {
    const hint = tokenHint(accessToken);
    await insertToken(db, {
      tokenHash: hashToken(accessToken),
      integrationId: connectionId,
      tokenHint: hint,
      createdTime: now,
    });
  }
  const row = { tokenHash: hashToken(refreshToken), integrationId: connectionId, createdTime: now };
  await insertRefreshToken(db, { ...row, accessTokenHash: hashToken(accessToken) });
  return { accessToken, refreshToken };
}

async function tokenResponse(
  db: SqlExecutor,
  connection: Connection,
  tokens: { accessToken: string; refreshToken: string },
): Promise<TokenResponse> {
  const workspace = await findWorkspace(db, connection.workspaceId);
  const user = connection.ownerUserId ? await findUser(db, connection.ownerUserId) : null;
  const owner: TokenResponse['owner'] = botOwner(user);
  return {
    access_token: tokens.accessToken,
    token_type: 'bearer',
    refresh_token: tokens.refreshToken,
    bot_id: connection.id,
    workspace_icon: null,
    workspace_name: workspace?.name ?? null,
    workspace_id: connection.workspaceId,
    owner,
    duplicated_template_id: null,
  };
}

/** The code, checked: this client's, unused, unexpired, for this redirect URI. */
function checkCode(code: OAuthCodeRow | null, client: OAuthClientRow, redirectUri: string, now: Date): OAuthCodeRow {
  if (!code || code.used_time || code.public_integration_id !== client.integration_id)
    throw invalidGrant(OAUTH_MESSAGES.invalidCode);
  if (new Date(code.expires_time).getTime() <= now.getTime()) throw invalidGrant(OAUTH_MESSAGES.expiredCode);
  if (code.redirect_uri !== redirectUri) throw invalidGrant(OAUTH_MESSAGES.redirectMismatch);
  return code;
}

/** Writes the connection an exchanged code makes: its integration (and access token), its shares. */
async function writeConnection(scope: WriteScope, client: OAuthClientRow, code: OAuthCodeRow, now: Date) {
  const id = newId();
  const accessToken = generateToken('ntn_');
  const actor: Actor = { type: 'person', id: code.user_id };
  const record = {
    id,
    workspaceId: code.workspace_id,
    name: client.name,
    ownerUserId: code.user_id,
    capabilities: client.capabilities,
    settings: {},
    tokenHash: hashToken(accessToken),
    tokenHint: tokenHint(accessToken),
    createdTime: now,
  };
  await writeIntegration(scope, record, actor);
  await markConnection(scope.tx, id, client.integration_id);
  for (const pageId of code.page_ids) {
    // A page trashed or deleted since the consent is not shared.
    const row = await findBlock(scope.tx, pageId);
    if (!row || row.archived || row.workspace_id !== code.workspace_id) continue;
    const target = { workspaceId: code.workspace_id, pageId, integrationId: id, actor, now };
    await writeShare(scope, row, target);
  }
  const connection = { id, workspaceId: code.workspace_id, ownerUserId: code.user_id };
  return { connection, accessToken };
}

async function exchangeCode(deps: WorkspaceWriteDeps, client: OAuthClientRow, body: unknown, now: Date) {
  const input = parseBody(zCodeGrant, body);
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const code = checkCode(await lockCode(scope.tx, hashToken(input.code)), client, input.redirect_uri, now);
    await markCodeUsed(scope.tx, code.code_hash, now);
    const { connection, accessToken } = await writeConnection(scope, client, code, now);
    const tokens = await issueTokens(scope.tx, connection.id, now, accessToken);
    return tokenResponse(scope.tx, connection, tokens);
  });
}

/** A refresh token is used once: it and the access token issued with it are replaced by a new pair. */
async function refresh(deps: WorkspaceWriteDeps, client: OAuthClientRow, body: unknown, now: Date) {
  const input = parseBody(zRefreshGrant, body);
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    const row = await lockRefreshToken(tx, hashToken(input.refresh_token), client.integration_id);
    if (!row || row.used_time) throw invalidGrant(OAUTH_MESSAGES.invalidRefreshToken);
    await markRefreshTokenUsed(tx, row.token_hash, now);
    await revokeToken(tx, row.access_token_hash, now);
    const tokens = await issueTokens(tx, row.integration_id, now);
    const connection = await findConnectionRow(tx, row.integration_id);
    const entity = { type: 'integration' as const, id: connection.id };
    const actor: Actor = connection.ownerUserId ? { type: 'person', id: connection.ownerUserId } : { type: 'system' };
    record({ kind: 'integration.token_rotated', workspaceId: connection.workspaceId, entity, actor, at: now });
    return tokenResponse(tx, connection, tokens);
  });
}

async function findConnectionRow(db: SqlExecutor, id: string): Promise<Connection> {
  const row = await findConnectionOwner(db, id);
  return { id, workspaceId: row?.workspace_id ?? '', ownerUserId: row?.owner_user_id ?? null };
}

/** POST /v1/oauth/token: an authorization code or a refresh token for a new access token (reference §2). */
export async function exchangeToken(
  deps: WorkspaceWriteDeps,
  client: OAuthClientRow,
  body: unknown,
  now: Date,
): Promise<TokenResponse> {
  const { grant_type } = parseBody(zGrant, body);
  return grant_type === 'authorization_code' ? exchangeCode(deps, client, body, now) : refresh(deps, client, body, now);
}

/** Capability names in the order Notion's `scope` lists them (`read_content insert_content update_content`). */
const SCOPE_ORDER = ['read_content', 'insert_content', 'update_content', ...ALL_CAPABILITIES.slice(3)];

/** POST /v1/oauth/introspect: whether a token of this client's connections is live, its scope and issue time. */
export async function introspectToken(
  store: Store,
  client: OAuthClientRow,
  body: unknown,
): Promise<{ active: boolean; scope?: string; iat?: number }> {
  const { token } = parseBody(zTokenBody, body);
  const row = await findConnectionToken(store, hashToken(token), client.integration_id);
  if (!row?.live) return { active: false };
  const scope = SCOPE_ORDER.filter((c) => row.capabilities.includes(c)).join(' ');
  return { active: true, scope, iat: new Date(row.created_time).getTime() };
}

/**
 * POST /v1/oauth/revoke: the connection an access or refresh token of this client belongs to is removed — every
 * token of it answers 401 at once, on every process — and its pages are no longer shared. An unknown token
 * changes nothing and is answered the same (RFC 7009 §2.2).
 */
export async function revokeOAuthToken(
  deps: WorkspaceWriteDeps,
  client: OAuthClientRow,
  body: unknown,
  now: Date,
): Promise<Record<string, never>> {
  const { token } = parseBody(zTokenBody, body);
  await commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    const connectionId = await findConnectionOfToken(tx, hashToken(token), client.integration_id);
    if (!connectionId) return;
    const deleted = await deleteConnection(tx, client.integration_id, connectionId);
    if (!deleted) return;
    const entity = { type: 'integration' as const, id: connectionId };
    record({
      kind: 'integration.deleted',
      workspaceId: deleted.workspaceId,
      entity,
      actor: { type: 'system' },
      at: now,
    });
  });
  return {};
}
