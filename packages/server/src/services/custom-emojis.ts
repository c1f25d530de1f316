// Custom emojis (reference §19.3): a workspace's own emojis, made by its seed, listed by GET /v1/custom_emojis
// and usable as the icon of pages, databases, data sources and callouts, named by id. An icon write names an
// emoji of the writer's workspace; any other id (another workspace's included) is a validation error.
import { z } from 'zod';
import {
  resolveIcon,
  type CustomEmoji,
  type CustomEmojiLookup,
  type Icon,
  type IconInput,
} from '../domain/block-types.js';
import { readPageRequest } from '../domain/pagination.js';
import { parseWith } from '../domain/validation.js';
import { findCustomEmoji, insertCustomEmoji, listCustomEmojis as listRows } from '../store/custom-emoji-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { Actor, WriteScope } from './changes.js';
import type { ServiceContext } from './service-context.js';
import { fileUploadLookup } from './file-upload-lookup.js';

/** The emoji of `workspaceId` with an id, as an icon answers it. */
export function customEmojiLookup(db: SqlExecutor, workspaceId: string): CustomEmojiLookup {
  return async (id) => {
    const row = await findCustomEmoji(db, workspaceId, id);
    return row ? { id: row.id, name: row.name, url: row.url } : null;
  };
}

/**
 * The icon a write stores for an icon input of the API: null for none, a custom emoji resolved in the writer's
 * workspace (an unknown id is a 400 validation_error).
 */
export function storedIcon(
  db: SqlExecutor,
  principal: { workspaceId: string; integrationId?: string },
  icon: IconInput | null | undefined,
): Promise<Icon | null> {
  if (!icon) return Promise.resolve(null);
  // An integration's icon may be one of its file uploads; other writers (portal, seed) attach none.
  const { workspaceId, integrationId } = principal;
  const files = integrationId ? fileUploadLookup(db, { workspaceId, integrationId }) : undefined;
  return resolveIcon(icon, customEmojiLookup(db, principal.workspaceId), files);
}

const zListQuery = z
  .object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional(), name: z.string().optional() })
  .strict();

/**
 * GET /v1/custom_emojis: the workspace's emojis in the order they were made, `name` an exact match. The list has
 * Notion's observed shape: `type` before `results`, and no `custom_emoji: {}` member.
 */
export async function listCustomEmojis(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  const { name } = parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await listRows(ctx.store, ctx.principal.workspaceId, {
    startCursor: page.startCursor,
    name: name ?? null,
    limit: page.pageSize + 1,
  });
  const results: CustomEmoji[] = rows.slice(0, page.pageSize).map((r) => ({ id: r.id, name: r.name, url: r.url }));
  const next = rows[page.pageSize];
  return {
    object: 'list',
    type: 'custom_emoji',
    results,
    has_more: next !== undefined,
    next_cursor: next ? next.id : null,
  };
}

/** A custom emoji a seed gives its workspace (ids decided by the seed loader, kept across resets). */
export interface SeedCustomEmoji {
  id: string;
  name: string;
  url: string;
}

/**
 * Writes a seeded workspace's custom emojis in the caller's transaction, in seed order (that is the list order),
 * and records custom_emoji.created for each.
 */
export async function writeSeedCustomEmojis(
  scope: WriteScope,
  workspaceId: string,
  emojis: readonly SeedCustomEmoji[],
  now: Date,
): Promise<void> {
  const actor: Actor = { type: 'system' };
  let tick = 0;
  for (const emoji of emojis) {
    const createdTime = new Date(now.getTime() + tick++);
    await insertCustomEmoji(scope.tx, { ...emoji, workspace_id: workspaceId, created_time: createdTime });
    scope.record({
      kind: 'custom_emoji.created',
      workspaceId,
      entity: { type: 'custom_emoji', id: emoji.id },
      actor,
      at: now,
      details: { name: emoji.name },
    });
  }
}
