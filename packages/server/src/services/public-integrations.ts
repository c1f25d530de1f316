// Public integrations (OAuth apps), the one way to change them: write one (from a seed or the portal: its bot
// user, its integrations row and its client — client id, secret hash and hint, redirect URIs; no token of its
// own), rotate its client secret (shown once), set its redirect URIs, and list or revoke the connections people
// made by authorizing it (services/oauth.ts makes them). Each write records what it changed on the ChangeFeed.
import type { Capability } from '../auth/capabilities.js';
import { generateToken, hashToken, tokenHint } from '../auth/tokens.js';
import { newId } from '../ids.js';
import { findIntegrationIdByName, insertIntegration } from '../store/integration-repo.js';
import {
  clientIdTaken,
  deleteConnection,
  findClientOfIntegration,
  insertOAuthClient,
  listConnections,
  setClientSecret,
  setRedirectUris,
  type ConnectionRow,
  type OAuthClientRow,
} from '../store/oauth-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { commitWrite, type Actor, type Change, type WriteScope } from './changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** Why a public integration write was refused; the caller says it in its own words. */
export type PublicIntegrationRefusal = 'not_found' | 'name_taken' | 'client_id_taken' | 'connection_not_found';

export class PublicIntegrationError extends Error {
  constructor(readonly reason: PublicIntegrationRefusal) {
    super(`public integration write refused: ${reason}`);
    this.name = 'PublicIntegrationError';
  }
}

/** Everything a new public integration is made of; the client secret is given as its hash and hint. */
export interface PublicIntegrationRecord {
  id: string;
  workspaceId: string;
  name: string;
  ownerUserId: string | null;
  capabilities: readonly string[];
  settings: Record<string, unknown>;
  clientId: string;
  secretHash: string;
  secretHint: string;
  redirectUris: readonly string[];
  createdTime: Date;
  /** When its bot user was made (a seed spaces them out to keep list order); default createdTime. */
  botCreatedTime?: Date;
}

/** A public integration as its developer sees it: its client and the connections made by authorizing it. */
export interface PublicIntegrationView {
  client: OAuthClientRow;
  connections: ConnectionRow[];
}

interface Target {
  workspaceId: string;
  /** The public integration. */
  id: string;
  actor: Actor;
  now: Date;
}

function change(
  kind: Change['kind'],
  workspaceId: string,
  id: string,
  actor: Actor,
  at: Date,
  details?: Record<string, unknown>,
): Change {
  const entity = { type: 'integration' as const, id };
  return { kind, workspaceId, entity, actor, at, ...(details ? { details } : {}) };
}

/** Writes a new public integration in the caller's transaction and records integration.created. */
export async function writePublicIntegration(
  scope: WriteScope,
  record: PublicIntegrationRecord,
  actor: Actor,
): Promise<void> {
  await insertIntegration(scope.tx, record);
  await insertOAuthClient(scope.tx, {
    integrationId: record.id,
    clientId: record.clientId,
    secretHash: record.secretHash,
    secretHint: record.secretHint,
    secretCreatedTime: record.createdTime,
    redirectUris: record.redirectUris,
  });
  const details = { name: record.name, capabilities: [...record.capabilities], type: 'public' };
  scope.record(change('integration.created', record.workspaceId, record.id, actor, record.createdTime, details));
}

/** Creates a public integration owned by `ownerUserId`; returns its id, client id and client secret (shown once). */
export function createPublicIntegration(
  deps: WorkspaceWriteDeps,
  input: {
    workspaceId: string;
    name: string;
    capabilities: readonly Capability[];
    redirectUris: readonly string[];
    ownerUserId: string | null;
    actor: Actor;
    now: Date;
  },
): Promise<{ id: string; clientId: string; clientSecret: string }> {
  const id = newId();
  const clientId = newId();
  const clientSecret = generateToken('secret_');
  return commitWrite(deps.store, deps.changes, async (scope) => {
    if ((await findIntegrationIdByName(scope.tx, input.workspaceId, input.name)) !== null)
      throw new PublicIntegrationError('name_taken');
    if (await clientIdTaken(scope.tx, clientId)) throw new PublicIntegrationError('client_id_taken');
    const record: PublicIntegrationRecord = {
      id,
      workspaceId: input.workspaceId,
      name: input.name,
      ownerUserId: input.ownerUserId,
      capabilities: input.capabilities,
      settings: {},
      clientId,
      secretHash: hashToken(clientSecret),
      secretHint: tokenHint(clientSecret),
      redirectUris: input.redirectUris,
      createdTime: input.now,
    };
    await writePublicIntegration(scope, record, input.actor);
    return { id, clientId, clientSecret };
  });
}

async function clientOf(db: SqlExecutor, workspaceId: string, id: string): Promise<OAuthClientRow> {
  const client = await findClientOfIntegration(db, workspaceId, id);
  if (!client) throw new PublicIntegrationError('not_found');
  return client;
}

/** A public integration of the workspace with its connections, or null (no such integration, or an internal one). */
export async function readPublicIntegration(
  store: Store,
  workspaceId: string,
  id: string,
): Promise<PublicIntegrationView | null> {
  const client = await findClientOfIntegration(store, workspaceId, id);
  if (!client) return null;
  return { client, connections: await listConnections(store, id) };
}

/** Issues a new client secret (the old one stops working at once); returns it once. */
export function rotateClientSecret(deps: WorkspaceWriteDeps, target: Target): Promise<string> {
  const secret = generateToken('secret_');
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await clientOf(tx, target.workspaceId, target.id);
    await setClientSecret(tx, target.id, { hash: hashToken(secret), hint: tokenHint(secret), createdTime: target.now });
    record(change('integration.token_rotated', target.workspaceId, target.id, target.actor, target.now));
    return secret;
  });
}

/** Replaces the redirect URIs an authorization request may name. */
export function updateRedirectUris(
  deps: WorkspaceWriteDeps,
  target: Target & { redirectUris: readonly string[] },
): Promise<void> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await clientOf(tx, target.workspaceId, target.id);
    await setRedirectUris(tx, target.id, target.redirectUris);
    const details = { redirect_uris: [...target.redirectUris] };
    record(change('integration.updated', target.workspaceId, target.id, target.actor, target.now, details));
  });
}

/** Removes one connection of the public integration: its tokens answer 401 at once and its shares go. */
export function revokeConnection(deps: WorkspaceWriteDeps, target: Target & { connectionId: string }): Promise<void> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await clientOf(tx, target.workspaceId, target.id);
    const deleted = await deleteConnection(tx, target.id, target.connectionId);
    if (!deleted) throw new PublicIntegrationError('connection_not_found');
    record(change('integration.deleted', deleted.workspaceId, target.connectionId, target.actor, target.now));
  });
}
