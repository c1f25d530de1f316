// Loads a seed: validate everything first (schema, then references between names), then resolve ids and
// tokens, then write it all in one transaction through services/workspaces.ts — a bad seed changes nothing.
// The resolved seed (ids fixed, token hashes instead of tokens, salted scrypt hashes instead of passwords) is
// kept per workspace so a reset rebuilds the same state; no secret of the seed file is stored as written.
import { readFile } from 'node:fs/promises';
import { makePasswordHash } from '../auth/passwords.js';
import { generateToken, hashToken, tokenHint } from '../auth/tokens.js';
import type { CustomEmoji } from '../domain/block-types.js';
import { validationMessage } from '../domain/validation.js';
import { ALL_WEBHOOK_EVENT_TYPES, DEFAULT_WEBHOOK_API_VERSION } from '../domain/webhook-events.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { ChangeFeed } from '../services/changes.js';
import {
  applySeed,
  NotSeededError,
  resetWorkspace as resetSeededWorkspace,
  type ResolvedPage,
  type ResolvedPublicClient,
  type ResolvedWorkspace,
} from '../services/workspaces.js';
import type { Store } from '../store/sql-store.js';
import { zSeed, type Seed, type SeedPage, type SeedWorkspace } from './seed-schema.js';

export type { ResolvedPage, ResolvedWorkspace } from '../services/workspaces.js';

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

export interface IssuedToken {
  workspace: string;
  integration: string;
  integrationId: string;
  /** The integration's token, or for a public integration (`kind: 'client_secret'`) its client secret. */
  token: string;
  kind?: 'token' | 'client_secret';
  /** A public integration's client id. */
  clientId?: string;
}

export async function readSeedFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SeedError(
      `cannot read seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SeedError(`seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export function validateSeed(input: unknown): Seed {
  const parsed = zSeed.safeParse(input);
  if (!parsed.success) {
    throw new SeedError(validationMessage('body', parsed.error.issues, input).replace(/\bbody\b/g, 'seed'));
  }
  const seed = parsed.data;
  const ids = new Set<string>();
  const claim = (id: string | undefined, path: string) => {
    if (!id) return;
    if (ids.has(id)) throw new SeedError(`seed failed validation: ${path}.id ${id} is used twice.`);
    ids.add(id);
  };
  const tokens = new Set<string>();
  const clientIds = new Set<string>();
  seed.workspaces.forEach((ws, w) => {
    const at = `seed.workspaces[${w}]`;
    claim(ws.id, at);
    ws.users?.forEach((u, i) => claim(u.id, `${at}.users[${i}]`));
    const names = new Set<string>();
    ws.integrations?.forEach((integ, i) => {
      const ip = `${at}.integrations[${i}]`;
      claim(integ.id, ip);
      if (names.has(integ.name))
        throw new SeedError(
          `seed failed validation: ${ip}.name "${integ.name}" is used by another integration of this workspace.`,
        );
      names.add(integ.name);
      const caps = integ.capabilities ?? [];
      if (caps.includes('read_user_with_email') && caps.includes('read_user_without_email')) {
        throw new SeedError(
          `seed failed validation: ${ip}.capabilities should hold at most one of "read_user_with_email" and "read_user_without_email".`,
        );
      }
      validateIntegrationType(integ, ip, clientIds);
      if (integ.token) {
        if (tokens.has(integ.token))
          throw new SeedError(`seed failed validation: ${ip}.token is used by another integration.`);
        tokens.add(integ.token);
      }
      integ.webhooks?.forEach((w, j) => {
        claim(w.id, `${ip}.webhooks[${j}]`);
        w.event_types?.forEach((type, k) => {
          if (!ALL_WEBHOOK_EVENT_TYPES.includes(type))
            throw new SeedError(
              `seed failed validation: ${ip}.webhooks[${j}].event_types[${k}] "${type}" is not a webhook event type.`,
            );
        });
      });
      if (integ.owner && !ws.users?.some((u) => u.name === integ.owner || u.email === integ.owner)) {
        throw new SeedError(`seed failed validation: ${ip}.owner "${integ.owner}" is not a user of this workspace.`);
      }
    });
    const walk = (pages: readonly SeedPage[], path: string) =>
      pages.forEach((page, i) => {
        const pp = `${path}[${i}]`;
        claim(page.id, pp);
        page.shared_with?.forEach((name, j) => {
          if (!names.has(name))
            throw new SeedError(
              `seed failed validation: ${pp}.shared_with[${j}] "${name}" is not an integration of this workspace.`,
            );
        });
        walk(page.children ?? [], `${pp}.children`);
      });
    walk(ws.pages ?? [], `${at}.pages`);
    validateCustomEmojis(ws, at, claim);
  });
  return seed;
}

type SeedIntegration = NonNullable<SeedWorkspace['integrations']>[number];

/**
 * A public integration (design.md "Public integrations") has a client and no token; an internal one has no client.
 * Client ids are unique across the seed (an authorization request names the integration by its client id alone).
 */
function validateIntegrationType(integ: SeedIntegration, ip: string, clientIds: Set<string>): void {
  const fail = (message: string) => {
    throw new SeedError(`seed failed validation: ${ip}.${message}`);
  };
  if (integ.type !== 'public') {
    for (const key of ['client_id', 'client_secret', 'redirect_uris'] as const)
      if (integ[key] !== undefined) fail(`${key} is only for integrations of "type": "public".`);
    return;
  }
  if (integ.token !== undefined) fail('token should be absent: a public integration gets its tokens through OAuth.');
  if (!integ.redirect_uris?.length) fail('redirect_uris should list at least one URI for a public integration.');
  integ.redirect_uris?.forEach((uri, k) => {
    if (!/^https?:\/\//.test(uri)) fail(`redirect_uris[${k}] should be an http:// or https:// URL.`);
  });
  if (integ.client_id !== undefined) {
    if (clientIds.has(integ.client_id)) fail(`client_id "${integ.client_id}" is used by another integration.`);
    clientIds.add(integ.client_id);
  }
}

/**
 * A workspace's custom emojis: ids unique in the seed (claimed like every other id), names unique in the
 * workspace, and every page icon that names a custom emoji naming one of them by its id.
 */
function validateCustomEmojis(ws: SeedWorkspace, at: string, claim: (id: string | undefined, path: string) => void) {
  const names = new Set<string>();
  const ids = new Set<string>();
  ws.custom_emojis?.forEach((emoji, i) => {
    const ep = `${at}.custom_emojis[${i}]`;
    claim(emoji.id, ep);
    if (emoji.id) ids.add(emoji.id);
    if (names.has(emoji.name))
      throw new SeedError(
        `seed failed validation: ${ep}.name "${emoji.name}" is used by another custom emoji of this workspace.`,
      );
    names.add(emoji.name);
  });
  const walk = (pages: readonly SeedPage[], path: string): void =>
    pages.forEach((page, i) => {
      const pp = `${path}[${i}]`;
      const icon = page.icon;
      if (icon && 'custom_emoji' in icon && !ids.has(icon.custom_emoji.id))
        throw new SeedError(
          `seed failed validation: ${pp}.icon.custom_emoji.id ${icon.custom_emoji.id} is not the id of one of ${at}.custom_emojis.`,
        );
      walk(page.children ?? [], `${pp}.children`);
    });
  walk(ws.pages ?? [], `${at}.pages`);
}

/** A page icon as the seed writes it: a custom emoji gets the name and URL of the workspace's emoji. */
function seedPageIcon(icon: SeedPage['icon'], emojis: readonly CustomEmoji[]): unknown {
  if (!icon || !('custom_emoji' in icon)) return icon ?? null;
  const emoji = emojis.find((e) => e.id === icon.custom_emoji.id);
  return emoji ? { type: 'custom_emoji', custom_emoji: { ...emoji } } : icon;
}

/** The scrypt hash of each user's password (null for users without one), hashed in parallel. */
function hashSeedPasswords(ws: SeedWorkspace): Promise<(string | null)[]> {
  return Promise.all((ws.users ?? []).map((u) => (u.password ? makePasswordHash(u.password) : null)));
}

/** A public integration's client: its client id and its secret's hash (a generated secret is printed once). */
function resolvePublicClient(
  integ: SeedIntegration,
  workspace: string,
  integrationId: string,
  issued: IssuedToken[],
): ResolvedPublicClient {
  const clientId = integ.client_id ?? newId();
  const secret = integ.client_secret ?? generateToken('secret_');
  if (!integ.client_secret)
    issued.push({ workspace, integration: integ.name, integrationId, token: secret, kind: 'client_secret', clientId });
  return {
    client_id: clientId,
    client_secret_hash: hashToken(secret),
    client_secret_hint: tokenHint(secret),
    redirect_uris: integ.redirect_uris ?? [],
  };
}

export async function resolveWorkspace(
  ws: SeedWorkspace,
): Promise<{ resolved: ResolvedWorkspace; issued: IssuedToken[] }> {
  const passwordHashes = await hashSeedPasswords(ws);
  const users = (ws.users ?? []).map((u, i) => ({
    id: u.id ?? newId(),
    name: u.name,
    email: u.email ?? null,
    role: u.role ?? (i === 0 && !(ws.users ?? []).some((x) => x.role === 'owner') ? 'owner' : 'member'),
    avatar_url: u.avatar_url ?? null,
    password_hash: passwordHashes[i] ?? null,
  })) as ResolvedWorkspace['users'];
  const owner = users.find((u) => u.role === 'owner') ?? null;
  const issued: IssuedToken[] = [];
  const integrations = (ws.integrations ?? []).map((integ) => {
    const id = integ.id ?? newId();
    const publicClient = integ.type === 'public' ? resolvePublicClient(integ, ws.name, id, issued) : undefined;
    const token = integ.token ?? generateToken();
    if (!integ.token && !publicClient)
      issued.push({ workspace: ws.name, integration: integ.name, integrationId: id, token });
    const ownerUser = integ.owner ? users.find((u) => u.name === integ.owner || u.email === integ.owner) : owner;
    return {
      id,
      name: integ.name,
      ...(publicClient ? { public: publicClient } : {}),
      // A public integration has no token: its hash is kept empty and nothing is written for it.
      token_hash: publicClient ? '' : hashToken(token),
      token_hint: publicClient ? '' : tokenHint(token),
      capabilities: integ.capabilities ?? ['read_content', 'update_content', 'insert_content'],
      owner_id: ownerUser?.id ?? null,
      settings: integ.settings ?? {},
      webhooks: (integ.webhooks ?? []).map((w) => ({
        id: w.id ?? newId(),
        url: w.url,
        event_types: w.event_types ?? null,
        api_version: w.api_version ?? DEFAULT_WEBHOOK_API_VERSION,
        verification_token: w.verification_token ?? null,
      })),
    };
  });
  const customEmojis = (ws.custom_emojis ?? []).map((e) => ({ id: e.id ?? newId(), name: e.name, url: e.url }));
  const resolvePages = (pages: readonly SeedPage[]): ResolvedPage[] =>
    pages.map((p) => ({
      id: p.id ?? newId(),
      title: p.title,
      icon: seedPageIcon(p.icon, customEmojis),
      shared_with: p.shared_with ?? [],
      blocks: p.blocks ?? [],
      children: resolvePages(p.children ?? []),
    }));
  return {
    resolved: {
      id: ws.id ?? newId(),
      name: ws.name,
      users,
      integrations,
      pages: resolvePages(ws.pages ?? []),
      custom_emojis: customEmojis,
      ...(ws.limits ? { limits: ws.limits } : {}),
    },
    issued,
  };
}

export interface SeedResult {
  workspaceIds: string[];
  issued: IssuedToken[];
}

/**
 * Applies a seed in one transaction. With `onlyIfEmpty`, several processes starting at once on one
 * PostgreSQL agree on one seeding (services/workspaces.ts applySeed). Returns null when the store already held
 * data. What was written is published on `changes` after commit.
 */
export async function loadSeed(
  store: Store,
  input: unknown,
  now: Date,
  options: { onlyIfEmpty?: boolean; changes?: ChangeFeed } = {},
): Promise<SeedResult | null> {
  const seed = validateSeed(input);
  const resolved = await Promise.all(seed.workspaces.map(resolveWorkspace));
  const deps = { store, changes: options.changes ?? new ChangeFeed() };
  try {
    const workspaces = resolved.map((r) => r.resolved);
    const applied = await applySeed(deps, workspaces, now, { onlyIfEmpty: options.onlyIfEmpty ?? false });
    if (!applied) return null;
  } catch (error) {
    if (error instanceof ApiError) throw new SeedError(`seed failed validation: ${error.message}`);
    const code = (error as { code?: string }).code;
    if (code === '23505')
      throw new SeedError(`seed conflicts with data already in the store: ${(error as Error).message}`);
    throw error;
  }
  return { workspaceIds: resolved.map((r) => r.resolved.id), issued: resolved.flatMap((r) => r.issued) };
}

/** Puts a workspace back exactly as its seed made it (same ids, same tokens). */
export async function resetWorkspace(
  store: Store,
  workspaceId: string,
  now: Date,
  changes = new ChangeFeed(),
): Promise<void> {
  try {
    await resetSeededWorkspace({ store, changes }, workspaceId, now);
  } catch (error) {
    if (error instanceof NotSeededError) throw new SeedError(error.message);
    throw error;
  }
}
