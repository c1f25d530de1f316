// Blocks (reference §8.3, §11.1, §11.5, §11.6): retrieve, update, delete (trash), list children, append children
// (at the end, at the start or after a child: `position`, or `after` before 2026-03-11).
// A page id is accepted wherever a block id is (it answers as a child_page block). Every write records its
// Change: block.created / block.updated / block.deleted, or page.* / database.* for a page or database.
import { z } from 'zod';
import { is2026, type ApiVersion } from '../api-version.js';
import { errors } from '../errors.js';
import { BLOCK_TYPES, checkChildren, updateSchema, zChildren, type BlockInput } from '../domain/block-types.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { serializeBlock } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import {
  editBlock,
  findBlock,
  findBlocks,
  listLiveChildren,
  reservePositions,
  touch,
  type BlockEdit,
  type ParentRef,
} from '../store/block-repo.js';
import { type BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { Principal } from '../auth/access.js';
import { insertBlockTree } from './block-trees.js';
import { commitWrite, type Change } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { mentionResolver } from './mention-resolvers.js';
import { assertEditable, loadVisible, type ServiceContext } from './service-context.js';

export async function retrieveBlock(ctx: ServiceContext, blockId: string): Promise<unknown> {
  return serializeBlock(await loadVisible(ctx.store, ctx.principal, blockId, 'block'), ctx.version);
}

const zTrashFields = { archived: z.boolean().optional(), in_trash: z.boolean().optional() };

type BlockUpdate = { archived?: boolean; in_trash?: boolean } & Record<string, unknown>;

export async function updateBlock(ctx: ServiceContext, blockId: string, body: unknown): Promise<unknown> {
  const { principal } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisible(tx, principal, blockId, 'block');
    const type = row.object === 'page' ? 'child_page' : row.type;
    const input = parseWith(blockUpdateSchema(row, type), body) as BlockUpdate;
    const trash = input.in_trash ?? input.archived;
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    const now = ctx.clock.now();
    const edit: BlockEdit = {};
    const patch = input[type] as Record<string, unknown> | undefined;
    const content = patch && row.object === 'block' ? await patchedContent(tx, principal, row, patch) : undefined;
    if (content) edit.content = content;
    if (trash !== undefined) edit.archived = trash;
    await editBlock(tx, row.id, edit, principal.integrationId, now);
    const actor = botActor(principal.integrationId);
    const changes: Change[] = [];
    if (content) changes.push(contentChange('block.updated', row, actor, now));
    if (trash !== undefined && trash !== row.archived) changes.push(trashChange(row, trash, actor, now));
    changes.forEach(record);
  });
  return serializeBlock((await findBlock(ctx.store, blockId))!, ctx.version);
}

/** The body an update of this row accepts: its type's fields (blocks only) and the trash flags. */
function blockUpdateSchema(row: BlockRow, type: string) {
  const payloadSchema = row.object === 'block' ? updateSchema(row.type) : null;
  return z
    .object({
      type: z.literal(type).optional(),
      ...zTrashFields,
      ...(payloadSchema ? { [type]: payloadSchema.optional() } : {}),
    })
    .strict();
}

/** A block's stored payload with `patch` merged over it, normalised; undefined for a type without a table entry. */
async function patchedContent(
  tx: SqlExecutor,
  principal: Principal,
  row: BlockRow,
  patch: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const def = BLOCK_TYPES[row.type];
  if (!def) return undefined;
  if (patch.is_toggleable === false && row.has_children) {
    throw errors.validation("Can't set is_toggleable to false on a heading block that has children.");
  }
  // Merge over the stored input-equivalent so omitted fields keep their values.
  return def.normalize({ ...row.content, ...patch }, mentionResolver(tx, principal));
}

export async function deleteBlock(ctx: ServiceContext, blockId: string): Promise<unknown> {
  const { principal } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisible(tx, principal, blockId, 'block');
    assertEditable(row);
    const now = ctx.clock.now();
    await editBlock(tx, row.id, { archived: true }, principal.integrationId, now);
    record(trashChange(row, true, botActor(principal.integrationId), now));
  });
  return serializeBlock((await findBlock(ctx.store, blockId))!, ctx.version);
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

export async function listChildren(
  ctx: ServiceContext,
  blockId: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const parent = await loadVisible(ctx.store, ctx.principal, blockId, 'block');
  const rows = await listLiveChildren(ctx.store, parent.id, page.startCursor, page.pageSize + 1);
  return listEnvelope('block', rows, page.pageSize, (row) => serializeBlock(row, ctx.version));
}

/** Where appended children go (reference §11.5): at the end (the default), at the start, or after a child. */
const zPosition = z.union([
  z.object({ type: z.literal('after_block'), after_block: z.object({ id: zId }).strict() }).strict(),
  z.object({ type: z.literal('start') }).strict(),
  z.object({ type: z.literal('end') }).strict(),
]);

type Position = z.infer<typeof zPosition>;

/**
 * The append body of a version. `position` is additive and accepted by every version (reference §1.1); before
 * 2026-03-11 the older `after` is accepted too, but not together with `position`; 2026-03-11 rejects `after`
 * (reference §5.4: `body.after should be not present`).
 */
const zAppendOf = (version: ApiVersion) =>
  is2026(version)
    ? z.object({ children: zChildren, position: zPosition.optional() }).strict()
    : z
        .object({ children: zChildren, after: zId.optional(), position: zPosition.optional() })
        .strict()
        .superRefine((body, ctx) => {
          if (body.after !== undefined && body.position !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['after'], message: 'should be not present' });
          }
        });

/** `after: id` is the older spelling of `position: {type:"after_block", after_block:{id}}`. */
function positionOf(input: { after?: string; position?: Position }): Position {
  if (input.position) return input.position;
  return input.after ? { type: 'after_block', after_block: { id: input.after } } : { type: 'end' };
}

export async function appendChildren(ctx: ServiceContext, blockId: string, body: unknown): Promise<unknown> {
  const input: { children: BlockInput[]; after?: string; position?: Position } = parseWith(
    zAppendOf(ctx.version),
    body,
  );
  const position = positionOf(input);
  const { principal } = ctx;
  const ids = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const parent = await loadVisible(tx, principal, blockId, 'block', { lock: true });
    assertEditable(parent);
    checkChildren(parent.object === 'page' ? 'child_page' : parent.type, parent.content, input.children);
    const ref: ParentRef = {
      workspaceId: parent.workspace_id,
      id: parent.id,
      type: parent.object === 'page' ? 'page_id' : 'block_id',
      path: parent.path,
    };
    const first = await firstPosition(tx, parent, ref, input.children.length, position, input.after !== undefined);
    const now = ctx.clock.now();
    const actorId = principal.integrationId;
    const created = await insertBlockTree(tx, ref, input.children, first, actorId, now, mentionResolver(tx, principal));
    await touch(tx, parent.id, actorId, now);
    const actor = botActor(actorId);
    for (const id of created) {
      const block = { id, workspace_id: parent.workspace_id, object: 'block' as const, parent_type: ref.type };
      record(createdChange({ ...block, parent_id: parent.id }, actor, now));
    }
    return created;
  });
  const rows = await findBlocks(ctx.store, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = ids.map((id) => byId.get(id)).filter((r): r is BlockRow => r !== undefined);
  return listEnvelope('block', ordered, ordered.length, (row) => serializeBlock(row, ctx.version));
}

/**
 * Makes room for `count` children at `position` under the locked `parent` and returns the first free position.
 * `after_block` must name a live child of the parent; `viaAfter` says the request spelled it `after` (the message
 * names the field the client sent).
 */
async function firstPosition(
  tx: SqlExecutor,
  parent: BlockRow,
  ref: ParentRef,
  count: number,
  position: Position,
  viaAfter: boolean,
): Promise<number> {
  switch (position.type) {
    case 'end':
      return reservePositions(tx, ref, count);
    case 'start':
      // Sibling positions start at 1 (block-repo.ts), and an id that is not a child of the parent is read as
      // position 0: every child moves down by `count` and the new ones take 1..count.
      return reservePositions(tx, ref, count, parent.id);
    case 'after_block': {
      const afterId = position.after_block.id;
      await checkAfter(tx, parent, afterId, viaAfter ? 'body.after' : 'body.position.after_block.id');
      return reservePositions(tx, ref, count, afterId);
    }
  }
}

/** The block after which children go must be a live child of the parent. */
async function checkAfter(tx: SqlExecutor, parent: BlockRow, afterId: string, field: string): Promise<void> {
  const after = await findBlock(tx, afterId);
  if (!after || after.parent_id !== parent.id || after.archived) {
    throw errors.validation(
      `body failed validation: ${field} should be the id of a child of the block, instead was \`${JSON.stringify(afterId)}\`.`,
    );
  }
}
