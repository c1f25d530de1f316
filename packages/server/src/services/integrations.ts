// Integrations, the one way to change them: create one (its bot user, its row and its first token), rename
// it, set its capabilities, rotate its token (the old one is revoked at once: the API answers it 401) and
// delete it. The portal, the seed and reset all write through these functions, and each records what it
// changed on the ChangeFeed. Tokens are returned once, to the caller; only SHA-256 hashes and a hint are
// stored, and no Change ever carries a token.
import type { Capability } from '../auth/capabilities.js';
import { generateToken, hashToken, tokenHint } from '../auth/tokens.js';
import { newId } from '../ids.js';
import {
  deleteIntegration as deleteIntegrationRow,
  findIntegrationIdByName,
  insertIntegration,
  insertToken,
  integrationExists,
  listIntegrationNames,
  listIntegrationSummaries,
  renameIntegration,
  revokeLiveTokens,
  setIntegrationCapabilities,
  type IntegrationSummaryRow,
} from '../store/integration-repo.js';
import { findClientOfIntegration } from '../store/oauth-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { commitWrite, type Actor, type Change, type ChangeKind, type WriteScope } from './changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** An integration as its workspace's people see it: name, capabilities, owner, token hint, shared pages. */
export type IntegrationSummary = IntegrationSummaryRow;

/** Why an integration write was refused; the caller says it in its own words. */
/** `public_integration`: a public integration has no token of its own (its connections get them by OAuth). */
export type IntegrationRefusal = 'not_found' | 'name_taken' | 'public_integration';

export class IntegrationError extends Error {
  constructor(readonly reason: IntegrationRefusal) {
    super(`integration write refused: ${reason}`);
    this.name = 'IntegrationError';
  }
}

/** Everything a new integration is made of; the token is given as its hash and hint. */
export interface IntegrationRecord {
  id: string;
  workspaceId: string;
  name: string;
  ownerUserId: string | null;
  capabilities: readonly string[];
  settings: Record<string, unknown>;
  tokenHash: string;
  tokenHint: string;
  createdTime: Date;
  /** When its bot user was made (a seed spaces them out to keep list order); default createdTime. */
  botCreatedTime?: Date;
}

interface IntegrationTarget {
  workspaceId: string;
  id: string;
  actor: Actor;
  now: Date;
}

function integrationChange(
  kind: ChangeKind,
  target: Omit<IntegrationTarget, 'now'>,
  at: Date,
  details?: Change['details'],
): Change {
  const entity = { type: 'integration' as const, id: target.id };
  return { kind, workspaceId: target.workspaceId, entity, actor: target.actor, at, ...(details ? { details } : {}) };
}

/**
 * Writes a new integration (bot user, row, token) in the caller's transaction and records
 * integration.created. Names are not checked here: the caller made sure its name is free.
 */
export async function writeIntegration(scope: WriteScope, record: IntegrationRecord, actor: Actor): Promise<void> {
  await insertIntegration(scope.tx, record);
  await insertToken(scope.tx, {
    tokenHash: record.tokenHash,
    integrationId: record.id,
    tokenHint: record.tokenHint,
    createdTime: record.createdTime,
  });
  const details = { name: record.name, capabilities: [...record.capabilities] };
  scope.record(integrationChange('integration.created', { ...record, actor }, record.createdTime, details));
}

/** Names are unique per workspace: seed files name integrations in `shared_with`. */
async function assertNameFree(db: SqlExecutor, workspaceId: string, name: string, exceptId?: string): Promise<void> {
  if ((await findIntegrationIdByName(db, workspaceId, name, exceptId ?? null)) !== null)
    throw new IntegrationError('name_taken');
}

async function assertExists(db: SqlExecutor, workspaceId: string, id: string): Promise<void> {
  if (!(await integrationExists(db, workspaceId, id))) throw new IntegrationError('not_found');
}

/** Creates an internal integration owned by `ownerUserId`; returns its id and its token (shown once). */
export function createIntegration(
  deps: WorkspaceWriteDeps,
  input: {
    workspaceId: string;
    name: string;
    capabilities: readonly Capability[];
    ownerUserId: string | null;
    actor: Actor;
    now: Date;
  },
): Promise<{ id: string; token: string }> {
  const id = newId();
  const token = generateToken('ntn_');
  return commitWrite(deps.store, deps.changes, async (scope) => {
    await assertNameFree(scope.tx, input.workspaceId, input.name);
    const record: IntegrationRecord = {
      id,
      workspaceId: input.workspaceId,
      name: input.name,
      ownerUserId: input.ownerUserId,
      capabilities: input.capabilities,
      settings: {},
      tokenHash: hashToken(token),
      tokenHint: tokenHint(token),
      createdTime: input.now,
    };
    await writeIntegration(scope, record, input.actor);
    return { id, token };
  });
}

/** Renames an integration and/or sets its capabilities; records integration.updated when either was given. */
export function updateIntegration(
  deps: WorkspaceWriteDeps,
  input: IntegrationTarget & { name?: string | undefined; capabilities?: readonly Capability[] | undefined },
): Promise<void> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await assertExists(tx, input.workspaceId, input.id);
    const details: Record<string, unknown> = {};
    if (input.name !== undefined) {
      await assertNameFree(tx, input.workspaceId, input.name, input.id);
      await renameIntegration(tx, input.id, input.name);
      details.name = input.name;
    }
    if (input.capabilities !== undefined) {
      await setIntegrationCapabilities(tx, input.id, input.capabilities);
      details.capabilities = [...input.capabilities];
    }
    if (Object.keys(details).length > 0) record(integrationChange('integration.updated', input, input.now, details));
  });
}

/** Revokes every live token of the integration and issues a new one (Notion's "Refresh"); returns it once. */
export function rotateIntegrationToken(deps: WorkspaceWriteDeps, input: IntegrationTarget): Promise<string> {
  const token = generateToken('ntn_');
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await assertExists(tx, input.workspaceId, input.id);
    if (await findClientOfIntegration(tx, input.workspaceId, input.id))
      throw new IntegrationError('public_integration');
    await revokeLiveTokens(tx, input.id, input.now);
    await insertToken(tx, {
      tokenHash: hashToken(token),
      integrationId: input.id,
      tokenHint: tokenHint(token),
      createdTime: input.now,
    });
    record(integrationChange('integration.token_rotated', input, input.now));
    return token;
  });
}

/** Deletes an integration with its tokens and shares; records integration.deleted. */
export function deleteIntegration(deps: WorkspaceWriteDeps, input: IntegrationTarget): Promise<void> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    if (!(await deleteIntegrationRow(tx, input.workspaceId, input.id))) throw new IntegrationError('not_found');
    record(integrationChange('integration.deleted', input, input.now));
  });
}

/** The workspace's integrations, oldest first. */
export function listIntegrations(store: Store, workspaceId: string): Promise<IntegrationSummary[]> {
  return listIntegrationSummaries(store, workspaceId);
}

/** One integration of the workspace, or null. */
export async function findIntegration(
  store: Store,
  workspaceId: string,
  id: string,
): Promise<IntegrationSummary | null> {
  return (await listIntegrationSummaries(store, workspaceId, id))[0] ?? null;
}

/** The workspace's integrations' names by id. */
export async function integrationNames(store: Store, workspaceId: string): Promise<Map<string, string>> {
  return new Map((await listIntegrationNames(store, workspaceId)).map((r) => [r.id, r.name]));
}
