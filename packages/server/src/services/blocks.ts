// Blocks (reference §8.3, §11.1, §11.6): retrieve, update, delete (trash), list children, append children.
// A page id is accepted wherever a block id is (it answers as a child_page block).
import { z } from 'zod';
import { errors } from '../errors.js';
import { BLOCK_TYPES, updateSchema, zChildren } from '../domain/block-types.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { serializeBlock } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import {
  findBlock,
  findBlocks,
  insertBlockTree,
  reservePositions,
  touch,
  type ParentRef,
} from '../store/block-repo.js';
import { BLOCK_COLUMNS } from '../store/columns.js';
import { type BlockRow } from '../model/rows.js';
import { assertEditable, loadVisible, mentionResolver, type ServiceContext } from './service-context.js';
import { checkChildren } from './pages.js';

export async function retrieveBlock(ctx: ServiceContext, blockId: string): Promise<unknown> {
  return serializeBlock(await loadVisible(ctx.store, ctx.principal, blockId, 'block'));
}

const zTrashFields = { archived: z.boolean().optional(), in_trash: z.boolean().optional() };

export async function updateBlock(ctx: ServiceContext, blockId: string, body: unknown): Promise<unknown> {
  const { principal } = ctx;
  await ctx.store.transaction(async (tx) => {
    const row = await loadVisible(tx, principal, blockId, 'block');
    const type = row.object === 'page' ? 'child_page' : row.type;
    const payloadSchema = row.object === 'block' ? updateSchema(row.type) : null;
    const schema = z
      .object({
        type: z.literal(type).optional(),
        ...zTrashFields,
        ...(payloadSchema ? { [type]: payloadSchema.optional() } : {}),
      })
      .strict();
    const input = parseWith(schema, body) as { archived?: boolean; in_trash?: boolean } & Record<string, unknown>;
    const trash = input.in_trash ?? input.archived;
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    const now = ctx.clock.now();
    const patch = input[type] as Record<string, unknown> | undefined;
    if (patch && row.object === 'block') {
      const def = BLOCK_TYPES[row.type];
      if (def) {
        if (patch.is_toggleable === false && row.has_children) {
          throw errors.validation("Can't set is_toggleable to false on a heading block that has children.");
        }
        // Merge over the stored input-equivalent so omitted fields keep their values.
        const merged = { ...row.content, ...patch };
        const content = await def.normalize(merged, mentionResolver(tx, principal));
        await tx.query('UPDATE blocks SET content = $2 WHERE id = $1', [row.id, JSON.stringify(content)]);
      }
    }
    if (trash !== undefined) await tx.query('UPDATE blocks SET archived = $2 WHERE id = $1', [row.id, trash]);
    await touch(tx, row.id, principal.integrationId, now);
  });
  return serializeBlock((await findBlock(ctx.store, blockId))!);
}

export async function deleteBlock(ctx: ServiceContext, blockId: string): Promise<unknown> {
  const { principal } = ctx;
  await ctx.store.transaction(async (tx) => {
    const row = await loadVisible(tx, principal, blockId, 'block');
    assertEditable(row);
    await tx.query('UPDATE blocks SET archived = true, last_edited_time = $2, last_edited_by = $3 WHERE id = $1', [
      row.id,
      ctx.clock.now(),
      principal.integrationId,
    ]);
  });
  return serializeBlock((await findBlock(ctx.store, blockId))!);
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

// Siblings are ordered by (position, id): positions can tie (seeded child pages), and a cursor compared on
// position alone would then repeat items and never end.
export async function listChildren(
  ctx: ServiceContext,
  blockId: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const parent = await loadVisible(ctx.store, ctx.principal, blockId, 'block');
  const rows = await ctx.store.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE b.parent_id = $1 AND NOT b.archived
       AND ($2::uuid IS NULL OR (b.position, b.id) >= (SELECT position, id FROM blocks WHERE id = $2 AND parent_id = $1))
     ORDER BY b.position, b.id LIMIT $3`,
    [parent.id, page.startCursor, page.pageSize + 1],
  );
  return listEnvelope('block', rows, page.pageSize, serializeBlock);
}

const zAppend = z.object({ children: zChildren, after: zId.optional() }).strict();

export async function appendChildren(ctx: ServiceContext, blockId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zAppend, body);
  const { principal } = ctx;
  const ids = await ctx.store.transaction(async (tx) => {
    const parent = await loadVisible(tx, principal, blockId, 'block', { lock: true });
    assertEditable(parent);
    const parentType = parent.object === 'page' ? 'child_page' : parent.type;
    checkChildren(parentType, parent.content, input.children);
    const ref: ParentRef = {
      workspaceId: parent.workspace_id,
      id: parent.id,
      type: parent.object === 'page' ? 'page_id' : 'block_id',
      path: parent.path,
    };
    if (input.after) {
      const after = await findBlock(tx, input.after);
      if (!after || after.parent_id !== parent.id || after.archived) {
        throw errors.validation(
          `body failed validation: body.after should be the id of a child of the block, instead was \`${JSON.stringify(input.after)}\`.`,
        );
      }
    }
    const now = ctx.clock.now();
    const first = await reservePositions(tx, ref, input.children.length, input.after);
    const created = await insertBlockTree(
      tx,
      ref,
      input.children,
      first,
      principal.integrationId,
      now,
      mentionResolver(tx, principal),
    );
    await touch(tx, parent.id, principal.integrationId, now);
    return created;
  });
  const rows = await findBlocks(ctx.store, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = ids.map((id) => byId.get(id)).filter((r): r is BlockRow => r !== undefined);
  return listEnvelope('block', ordered, ordered.length, serializeBlock);
}
