// Databases (reference §8.2, §9.1, §11.1, §11.6): create under a page (inline or not; it appears as a
// child_database block of the page), retrieve, update (title, description, icon, cover, is_inline,
// properties, trash/restore) and the deprecated list. Queries are in database-query.ts.
import { z } from 'zod';
import { ApiError, MESSAGES } from '../errors.js';
import { newId } from '../ids.js';
import { normalizeIcon, zCover, zIcon } from '../domain/block-types.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { normalizeRichText, plainText, zRichText } from '../domain/rich-text.js';
import { readSchema } from '../domain/properties/schema.js';
import type { DatabaseContent } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import { findBlock, insertRow, touch, type ParentRef } from '../store/block-repo.js';
import { BLOCK_COLUMNS } from '../store/columns.js';
import { type BlockRow } from '../model/rows.js';
import { applyEffects, buildCreateSchema, buildUpdateSchema } from './database-schema.js';
import { databaseObject, loadBundle } from './database-rows.js';
import {
  assertEditable,
  loadVisible,
  loadVisibleDatabase,
  mentionResolver,
  wrongKind,
  type ServiceContext,
} from './service-context.js';

const zCreateDatabase = z
  .object({
    parent: z.union([
      z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
      z.object({ type: z.literal('block_id').optional(), block_id: zId }).strict(),
    ]),
    title: zRichText.optional(),
    description: zRichText.optional(),
    properties: z.record(z.unknown()),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    is_inline: z.boolean().optional(),
  })
  .strict();

const zUpdateDatabase = z
  .object({
    title: zRichText.optional(),
    description: zRichText.optional(),
    properties: z.record(z.unknown()).optional(),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    is_inline: z.boolean().optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
  })
  .strict();

const cover = (c: z.infer<typeof zCover> | null | undefined) =>
  c ? { type: 'external', external: { url: c.external.url } } : null;

export async function createDatabase(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zCreateDatabase, body);
  const { principal, clock } = ctx;
  const id = newId();
  await ctx.store.transaction(async (tx) => {
    const parentId = 'page_id' in input.parent ? input.parent.page_id : input.parent.block_id;
    const parent = await loadVisible(tx, principal, parentId, 'page_id' in input.parent ? 'page' : 'block', {
      lock: true,
    });
    if ('page_id' in input.parent && parent.object === 'database') throw wrongKind.databaseNotPage(parentId);
    if ('page_id' in input.parent && parent.object !== 'page')
      throw new ApiError(
        'object_not_found',
        `Could not find page with ID: ${parentId}. Make sure the relevant pages and databases are shared with your integration.`,
      );
    assertEditable(parent);
    const resolver = mentionResolver(tx, principal);
    const title = await normalizeRichText(input.title ?? [], resolver);
    const description = await normalizeRichText(input.description ?? [], resolver);
    const { schema, effects } = await buildCreateSchema(tx, ctx, id, plainText(title), input.properties);
    const ref: ParentRef = {
      workspaceId: parent.workspace_id,
      id: parent.id,
      type: parent.object === 'page' ? 'page_id' : 'block_id',
      path: parent.path,
    };
    const content: DatabaseContent = { title, description, is_inline: input.is_inline ?? false };
    await insertRow(
      tx,
      ref,
      {
        id,
        object: 'database',
        type: 'child_database',
        content: content as unknown as Record<string, unknown>,
        properties: schema.toWire(),
        title: plainText(title),
        icon: input.icon ? normalizeIcon(input.icon) : null,
        cover: cover(input.cover),
      },
      'last',
      principal.integrationId,
      clock.now(),
    );
    await applyEffects(tx, id, effects);
    await touch(tx, parent.id, principal.integrationId, clock.now());
  });
  return databaseObject(ctx.store, (await findBlock(ctx.store, id))!);
}

export async function retrieveDatabase(ctx: ServiceContext, databaseId: string): Promise<unknown> {
  return databaseObject(ctx.store, await loadVisibleDatabase(ctx.store, ctx.principal, databaseId));
}

export async function updateDatabase(ctx: ServiceContext, databaseId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdateDatabase, body);
  const { principal, clock } = ctx;
  await ctx.store.transaction(async (tx) => {
    const row = await loadVisibleDatabase(tx, principal, databaseId, { lock: true });
    if (input.in_trash !== undefined && input.archived !== undefined && input.in_trash !== input.archived) {
      throw new ApiError(
        'validation_error',
        'body failed validation: body.in_trash and body.archived should match when both are present.',
      );
    }
    const trash = input.in_trash ?? input.archived;
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    else if (row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.blockArchived);
    const content = { ...(row.content as unknown as DatabaseContent) };
    const resolver = mentionResolver(tx, principal);
    const sets: string[] = [];
    const params: unknown[] = [row.id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (input.title) {
      content.title = await normalizeRichText(input.title, resolver);
      set('title', plainText(content.title as { plain_text: string }[]));
    }
    if (input.description) content.description = await normalizeRichText(input.description, resolver);
    if (input.is_inline !== undefined) content.is_inline = input.is_inline;
    if (input.title || input.description || input.is_inline !== undefined) set('content', JSON.stringify(content));
    if (input.icon !== undefined) set('icon', input.icon ? JSON.stringify(normalizeIcon(input.icon)) : null);
    if (input.cover !== undefined) set('cover', input.cover ? JSON.stringify(cover(input.cover)) : null);
    if (trash !== undefined) set('archived', trash);
    if (input.properties) {
      const { schema, effects } = await buildUpdateSchema(tx, ctx, readSchema(row), input.properties);
      set('properties', JSON.stringify(schema.toWire()));
      await applyEffects(tx, row.id, effects);
    }
    if (sets.length > 0) await tx.query(`UPDATE blocks SET ${sets.join(', ')} WHERE id = $1`, params);
    await touch(tx, row.id, principal.integrationId, clock.now());
  });
  const row = (await findBlock(ctx.store, databaseId))!;
  return databaseObject(ctx.store, row, await loadBundle(ctx.store, row));
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

/** GET /v1/databases (deprecated since 2022-02-22, still in SDK v4): the databases the integration can see. */
export async function listDatabases(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await ctx.store.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE b.workspace_id = $1 AND b.object = 'database' AND b.path && $2::uuid[]
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
       AND ($3::uuid IS NULL OR (b.created_time, b.id) <= (SELECT created_time, id FROM blocks WHERE id = $3))
     ORDER BY b.created_time DESC, b.id DESC LIMIT $4`,
    [ctx.principal.workspaceId, [...ctx.principal.sharedRootIds], page.startCursor, page.pageSize + 1],
  );
  const objects = new Map<string, unknown>();
  for (const row of rows.slice(0, page.pageSize)) objects.set(row.id, await databaseObject(ctx.store, row));
  return listEnvelope('database', rows, page.pageSize, (row) => objects.get(row.id));
}
