// Loads a seed: validate everything first (schema, then references between names), then resolve ids and
// tokens, then write it all in one transaction — a bad seed changes nothing. The resolved seed (ids
// fixed, token hashes instead of tokens) is kept per workspace so a reset rebuilds the same state.
import { readFile } from 'node:fs/promises';
import { generateToken, hashPassword, hashToken, tokenHint } from '../auth/tokens.js';
import { normalizeIcon, zChildren, type BlockInput } from '../domain/block-types.js';
import { plainText, textRichText, type MentionResolver } from '../domain/rich-text.js';
import { notionUrl } from '../domain/serialize.js';
import { parseWith, validationMessage } from '../domain/validation.js';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { findBlock, insertBlockTree, insertRow, type ParentRef } from '../store/block-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { zSeed, type Seed, type SeedPage, type SeedWorkspace } from './seed-schema.js';

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

interface ResolvedPage {
  id: string;
  title: string;
  icon: unknown;
  shared_with: string[];
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
  }[];
  pages: ResolvedPage[];
}

export interface IssuedToken {
  workspace: string;
  integration: string;
  integrationId: string;
  token: string;
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
      if (integ.token) {
        if (tokens.has(integ.token))
          throw new SeedError(`seed failed validation: ${ip}.token is used by another integration.`);
        tokens.add(integ.token);
      }
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
  });
  return seed;
}

export function resolveWorkspace(ws: SeedWorkspace): { resolved: ResolvedWorkspace; issued: IssuedToken[] } {
  const users = (ws.users ?? []).map((u, i) => ({
    id: u.id ?? newId(),
    name: u.name,
    email: u.email ?? null,
    role: u.role ?? (i === 0 && !(ws.users ?? []).some((x) => x.role === 'owner') ? 'owner' : 'member'),
    avatar_url: u.avatar_url ?? null,
    password_hash: u.password ? hashPassword(u.password) : null,
  })) as ResolvedWorkspace['users'];
  const owner = users.find((u) => u.role === 'owner') ?? null;
  const issued: IssuedToken[] = [];
  const integrations = (ws.integrations ?? []).map((integ) => {
    const id = integ.id ?? newId();
    const token = integ.token ?? generateToken();
    if (!integ.token) issued.push({ workspace: ws.name, integration: integ.name, integrationId: id, token });
    const ownerUser = integ.owner ? users.find((u) => u.name === integ.owner || u.email === integ.owner) : owner;
    return {
      id,
      name: integ.name,
      token_hash: hashToken(token),
      token_hint: tokenHint(token),
      capabilities: integ.capabilities ?? ['read_content', 'update_content', 'insert_content'],
      owner_id: ownerUser?.id ?? null,
      settings: integ.settings ?? {},
    };
  });
  const resolvePages = (pages: readonly SeedPage[]): ResolvedPage[] =>
    pages.map((p) => ({
      id: p.id ?? newId(),
      title: p.title,
      icon: p.icon ?? null,
      shared_with: p.shared_with ?? [],
      blocks: p.blocks ?? [],
      children: resolvePages(p.children ?? []),
    }));
  return {
    resolved: { id: ws.id ?? newId(), name: ws.name, users, integrations, pages: resolvePages(ws.pages ?? []) },
    issued,
  };
}

function systemResolver(db: SqlExecutor): MentionResolver {
  return {
    async userName(id) {
      return (await db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [id]))[0]?.name ?? null;
    },
    async pageInfo(id) {
      const row = await findBlock(db, id);
      return row ? { title: row.title, url: notionUrl(row.id, row.title) } : null;
    },
  };
}

/** Writes one resolved workspace; the caller owns the transaction. */
export async function applyWorkspace(tx: SqlExecutor, ws: ResolvedWorkspace, now: Date): Promise<void> {
  await tx.query('INSERT INTO workspaces (id, name, created_time) VALUES ($1, $2, $3)', [ws.id, ws.name, now]);
  let tick = 0;
  const later = () => new Date(now.getTime() + tick++); // keeps list order = seed order
  for (const u of ws.users) {
    await tx.query(
      `INSERT INTO users (id, workspace_id, type, name, email, avatar_url, role, password_hash, created_time)
       VALUES ($1, $2, 'person', $3, $4, $5, $6, $7, $8)`,
      [u.id, ws.id, u.name, u.email, u.avatar_url, u.role, u.password_hash, later()],
    );
  }
  const byName = new Map<string, string>();
  for (const i of ws.integrations) {
    byName.set(i.name, i.id);
    await tx.query(`INSERT INTO users (id, workspace_id, type, name, created_time) VALUES ($1, $2, 'bot', $3, $4)`, [
      i.id,
      ws.id,
      i.name,
      later(),
    ]);
    await tx.query(
      `INSERT INTO integrations (id, workspace_id, owner_user_id, capabilities, settings, created_time) VALUES ($1, $2, $3, $4, $5, $6)`,
      [i.id, ws.id, i.owner_id, i.capabilities, JSON.stringify(i.settings), now],
    );
    await tx.query(
      'INSERT INTO tokens (token_hash, integration_id, token_hint, created_time) VALUES ($1, $2, $3, $4)',
      [i.token_hash, i.id, i.token_hint, now],
    );
  }
  const author = ws.users.find((u) => u.role === 'owner')?.id ?? ws.integrations[0]?.id ?? ws.id;
  const resolver = systemResolver(tx);
  // A page's content blocks come first, then its child pages (as the app shows them).
  const insertPages = async (pages: readonly ResolvedPage[], parent: ParentRef, firstPosition: number) => {
    let position = firstPosition;
    for (const page of pages) {
      const title = textRichText(page.title);
      await insertRow(
        tx,
        parent,
        {
          id: page.id,
          object: 'page',
          type: 'page',
          content: {},
          properties: { title: { id: 'title', type: 'title', title: page.title ? title : [] } },
          title: plainText(title),
          icon: page.icon ? normalizeIcon(page.icon as Parameters<typeof normalizeIcon>[0]) : null,
        },
        position++,
        author,
        now,
      );
      for (const name of page.shared_with) {
        await tx.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)', [byName.get(name), page.id]);
      }
      const ref: ParentRef = { workspaceId: ws.id, id: page.id, type: 'page_id', path: [...parent.path, page.id] };
      const blocks = parseWith(zChildren, page.blocks) as BlockInput[];
      await insertBlockTree(tx, ref, blocks, 1, author, now, resolver);
      await insertPages(page.children, ref, blocks.length + 1);
    }
  };
  await insertPages(ws.pages, { workspaceId: ws.id, id: null, type: 'workspace', path: [] }, 1);
  await tx.query(
    'INSERT INTO seeds (workspace_id, seed) VALUES ($1, $2) ON CONFLICT (workspace_id) DO UPDATE SET seed = EXCLUDED.seed',
    [ws.id, JSON.stringify(ws)],
  );
}

export interface SeedResult {
  workspaceIds: string[];
  issued: IssuedToken[];
}

/**
 * Applies a seed in one transaction. With `onlyIfEmpty`, several processes starting at once on one
 * PostgreSQL agree on one seeding: the check and the writes happen under one advisory lock.
 * Returns null when the store already held data.
 */
export async function loadSeed(
  store: Store,
  input: unknown,
  now: Date,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<SeedResult | null> {
  const seed = validateSeed(input);
  const resolved = seed.workspaces.map(resolveWorkspace);
  try {
    const applied = await store.transaction(async (tx) => {
      if (store.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7312027)');
      if (options.onlyIfEmpty) {
        const rows = await tx.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
        if (Number(rows[0]?.n ?? 0) > 0) return false;
      }
      for (const { resolved: ws } of resolved) await applyWorkspace(tx, ws, now);
      return true;
    });
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
export async function resetWorkspace(store: Store, workspaceId: string, now: Date): Promise<void> {
  await store.transaction(async (tx) => {
    const rows = await tx.query<{ seed: ResolvedWorkspace }>('SELECT seed FROM seeds WHERE workspace_id = $1', [
      workspaceId,
    ]);
    const seed = rows[0]?.seed;
    if (!seed) throw new SeedError(`workspace ${workspaceId} was not created from a seed`);
    await tx.query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
    await applyWorkspace(tx, seed, now);
  });
}
