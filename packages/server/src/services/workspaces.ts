// Workspaces as a whole, the one way to make and remake them: apply a resolved seed (the workspace, its
// people, integrations with their tokens, pages with their blocks, shares — all in one transaction), reset a
// workspace to its seed, and read everything an export writes out. The seed loader (seed/) validates and
// resolves seed files; the platform, the admin API and the portal reset through here.
import type { BlockRow } from '../model/rows.js';
import { listIntegrationsForExport, type IntegrationExportRow } from '../store/integration-repo.js';
import { listWorkspaceSessions, restoreSession } from '../store/session-repo.js';
import { listWorkspaceShares } from '../store/share-repo.js';
import type { Store } from '../store/sql-store.js';
import {
  deleteWorkspace,
  findSeed,
  findWorkspace,
  hasWorkspaces,
  insertPerson,
  insertWorkspace,
  isSeeded,
  listLiveWorkspaceBlocks,
  listPeople,
  listSeededWorkspaceIds,
  listWorkspaceIds,
  lockSeeding,
  saveSeed,
  saveWorkspaceLimits,
  type PersonRow,
} from '../store/workspace-repo.js';
import { commitWrite, type Actor, type Change, type WriteScope } from './changes.js';
import { writeSeedCustomEmojis, type SeedCustomEmoji } from './custom-emojis.js';
import { writeIntegration } from './integrations.js';
import { writePublicIntegration } from './public-integrations.js';
import { writeShare } from './sharing.js';
import { writeWebhook } from './webhooks.js';
import { writeWorkspacePage, type WorkspaceWriteDeps } from './workspace-pages.js';

/** What the platform itself does (seeding, resets) is done by no one in particular. */
const SYSTEM: Actor = { type: 'system' };

export interface ResolvedPage {
  id: string;
  title: string;
  icon: unknown;
  /** Names of integrations of the workspace. */
  shared_with: string[];
  /** Block objects as the API's `children`, as the seed wrote them. */
  blocks: unknown[];
  children: ResolvedPage[];
}

/** A workspace with every id decided and tokens replaced by their hashes: what a reset re-applies. */
export interface ResolvedWorkspace {
  id: string;
  name: string;
  users: {
    id: string;
    name: string;
    email: string | null;
    role: 'owner' | 'member';
    avatar_url: string | null;
    password_hash: string | null;
  }[];
  integrations: {
    id: string;
    name: string;
    token_hash: string;
    token_hint: string;
    capabilities: string[];
    owner_id: string | null;
    settings: Record<string, unknown>;
    /** Absent in seeds kept before webhooks existed. */
    webhooks?: ResolvedWebhook[];
    /** A public integration's client (design.md "Public integrations"); it then has no token (hash and hint ''). */
    public?: ResolvedPublicClient;
  }[];
  pages: ResolvedPage[];
  /** The workspace's plan limits (absent: the default, paid plan). */
  limits?: { max_file_upload_size_in_bytes?: number } | undefined;
  /** Absent in seeds kept before custom emojis existed. */
  custom_emojis?: SeedCustomEmoji[];
}

/** The OAuth client of a public seed integration: its client id, its secret's SHA-256 hash and hint, redirect URIs. */
export interface ResolvedPublicClient {
  client_id: string;
  client_secret_hash: string;
  client_secret_hint: string;
  redirect_uris: string[];
}

/** A webhook subscription of a seed integration (design.md "Webhooks"). */
export interface ResolvedWebhook {
  id: string;
  url: string;
  event_types: string[] | null;
  api_version: string;
  verification_token: string | null;
}

/** A reset of a workspace that was not made from a seed: there is nothing to reset it to. */
export class NotSeededError extends Error {
  constructor(readonly workspaceId: string) {
    super(`workspace ${workspaceId} was not created from a seed`);
    this.name = 'NotSeededError';
  }
}

/** Everything an export of a workspace writes out (tokens are never readable: only their hashes are kept). */
export interface WorkspaceExport {
  workspace: { id: string; name: string };
  people: PersonRow[];
  integrations: IntegrationExportRow[];
  shares: { block_id: string; name: string }[];
  /** Live pages, databases and blocks, siblings in order. */
  blocks: BlockRow[];
}

/**
 * Writes resolved workspaces in one transaction and publishes what they recorded after commit. With
 * `onlyIfEmpty`, several processes starting at once on one PostgreSQL agree on one seeding: the check and
 * the writes happen under one lock. Returns false when the store already held a workspace.
 */
export function applySeed(
  deps: WorkspaceWriteDeps,
  workspaces: readonly ResolvedWorkspace[],
  now: Date,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<boolean> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    await lockSeeding(scope.tx);
    if (options.onlyIfEmpty && (await hasWorkspaces(scope.tx))) return false;
    for (const ws of workspaces) await writeResolvedWorkspace(scope, ws, now);
    return true;
  });
}

/**
 * Puts a workspace back exactly as its seed made it (same ids, same tokens), in one transaction, and records
 * workspace.reset (one change for the whole rebuild). With `keepSessions`, the people signed in to the portal
 * stay signed in (the seed rebuilds them with the same ids).
 */
export function resetWorkspace(
  deps: WorkspaceWriteDeps,
  workspaceId: string,
  now: Date,
  options: { keepSessions?: boolean } = {},
): Promise<void> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    const seed = (await findSeed(tx, workspaceId)) as ResolvedWorkspace | null;
    if (!seed) throw new NotSeededError(workspaceId);
    const sessions = options.keepSessions ? await listWorkspaceSessions(tx, workspaceId) : [];
    await deleteWorkspace(tx, workspaceId);
    // What the rebuild writes is described by the one workspace.reset below, not change by change.
    await writeResolvedWorkspace({ tx, record: () => undefined }, seed, now);
    // Sessions of people who still exist after the reset come back; the rest stay signed out.
    for (const session of sessions) await restoreSession(tx, session);
    record(workspaceChange('workspace.reset', workspaceId, now, { name: seed.name }));
  });
}

function workspaceChange(
  kind: 'workspace.created' | 'workspace.reset',
  workspaceId: string,
  at: Date,
  details: Change['details'],
): Change {
  return { kind, workspaceId, entity: { type: 'workspace', id: workspaceId }, actor: SYSTEM, at, details };
}

/** Writes one resolved workspace in the caller's transaction and keeps its seed for resets. */
async function writeResolvedWorkspace(scope: WriteScope, ws: ResolvedWorkspace, now: Date): Promise<void> {
  const { tx } = scope;
  await insertWorkspace(tx, ws.id, ws.name, now);
  scope.record(workspaceChange('workspace.created', ws.id, now, { name: ws.name }));
  let tick = 0;
  const later = () => new Date(now.getTime() + tick++); // keeps list order = seed order
  for (const u of ws.users) {
    const person = { id: u.id, workspaceId: ws.id, name: u.name, email: u.email, avatarUrl: u.avatar_url };
    await insertPerson(tx, { ...person, role: u.role, passwordHash: u.password_hash, createdTime: later() });
    scope.record({
      kind: 'user.created',
      workspaceId: ws.id,
      entity: { type: 'user', id: u.id },
      actor: SYSTEM,
      at: now,
      details: { name: u.name, type: 'person' },
    });
  }
  for (const i of ws.integrations) {
    const { id, name, capabilities, settings } = i;
    const record = { id, workspaceId: ws.id, name, ownerUserId: i.owner_id, capabilities, settings };
    const times = { createdTime: now, botCreatedTime: later() };
    if (i.public) {
      await writePublicIntegration(scope, { ...record, ...times, ...publicClientRecord(i.public) }, SYSTEM);
      continue;
    }
    const token = { tokenHash: i.token_hash, tokenHint: i.token_hint };
    await writeIntegration(scope, { ...record, ...token, ...times }, SYSTEM);
  }
  if (ws.limits) await saveWorkspaceLimits(tx, ws.id, ws.limits);
  for (const i of ws.integrations) {
    for (const w of i.webhooks ?? []) {
      const input = { id: w.id, integrationId: i.id, url: w.url, eventTypes: w.event_types, apiVersion: w.api_version };
      await writeWebhook(scope, ws.id, { ...input, verificationToken: w.verification_token }, SYSTEM, now);
    }
  }
  await writeSeedCustomEmojis(scope, ws.id, ws.custom_emojis ?? [], now);
  const author = ws.users.find((u) => u.role === 'owner')?.id ?? ws.integrations[0]?.id ?? ws.id;
  const integrationIds = new Map(ws.integrations.map((i) => [i.name, i.id]));
  await writeSeedPages(scope, { ws, author, now, integrationIds }, ws.pages, null);
  await saveSeed(tx, ws.id, ws);
}

function publicClientRecord(client: ResolvedPublicClient) {
  const { client_id: clientId, client_secret_hash: secretHash, client_secret_hint: secretHint } = client;
  return { clientId, secretHash, secretHint, redirectUris: client.redirect_uris };
}

interface SeedPageContext {
  ws: ResolvedWorkspace;
  author: string;
  now: Date;
  integrationIds: Map<string, string>;
}

/** Writes pages in seed order: each page with its blocks, then its shares, then its child pages. */
async function writeSeedPages(
  scope: WriteScope,
  context: SeedPageContext,
  pages: readonly ResolvedPage[],
  parentId: string | null,
): Promise<void> {
  const { ws, author, now } = context;
  for (const page of pages) {
    const row = await writeWorkspacePage(scope, {
      workspaceId: ws.id,
      parentId,
      id: page.id,
      title: page.title,
      icon: page.icon ?? null,
      blocks: page.blocks,
      actor: SYSTEM,
      authorId: author,
      now,
    });
    for (const name of page.shared_with) {
      const integrationId = context.integrationIds.get(name) ?? '';
      await writeShare(scope, row, { workspaceId: ws.id, pageId: row.id, integrationId, actor: SYSTEM, now });
    }
    await writeSeedPages(scope, context, page.children, row.id);
  }
}

/** Every workspace's id, oldest first. */
export function workspaceIds(store: Store): Promise<string[]> {
  return listWorkspaceIds(store);
}

/** The ids of the workspaces made from a seed (those a reset can rebuild). */
export function seededWorkspaceIds(store: Store): Promise<string[]> {
  return listSeededWorkspaceIds(store);
}

export function isWorkspaceSeeded(store: Store, workspaceId: string): Promise<boolean> {
  return isSeeded(store, workspaceId);
}

/** Everything an export writes out, or null when there is no such workspace. */
export async function readWorkspaceExport(store: Store, workspaceId: string): Promise<WorkspaceExport | null> {
  const workspace = await findWorkspace(store, workspaceId);
  if (!workspace) return null;
  return {
    workspace,
    people: await listPeople(store, workspaceId),
    integrations: await listIntegrationsForExport(store, workspaceId),
    shares: await listWorkspaceShares(store, workspaceId),
    blocks: await listLiveWorkspaceBlocks(store, workspaceId),
  };
}
