// Comments (reference §8.9, §19.1–§19.2): start a discussion on a page (or block), reply by discussion_id, list
// by block_id, retrieve, edit and delete. A comment is visible exactly when its parent is; an integration edits
// and deletes only its own comments (any other answers the 404 of a missing one). A new comment records
// comment.created, an edit comment.updated, a delete comment.deleted (one per comment a deleted thread held).
import { z } from 'zod';
import { errors } from '../errors.js';
import { newId } from '../ids.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { commentMarkdownToRichText } from '../domain/comment-markdown.js';
import { normalizeRichText, zRichText } from '../domain/rich-text.js';
import { serializeComment } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import type { CommentRow } from '../model/rows.js';
import {
  deleteComment as deleteCommentRow,
  deleteDiscussion,
  findComment,
  findDiscussionStart,
  insertComment,
  listCommentsOn,
  lockComment,
  updateCommentText,
} from '../store/comment-repo.js';
import { findWorkspaceUsersById } from '../store/user-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { Principal } from '../auth/access.js';
import { commitWrite } from './changes.js';
import { botActor } from './content-changes.js';
import { assertEditable, loadVisible, mentionResolver, type ServiceContext } from './service-context.js';

const zCreate = z.union([
  z
    .object({
      parent: z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
      rich_text: zRichText,
    })
    .strict(),
  z
    .object({
      parent: z.object({ type: z.literal('block_id').optional(), block_id: zId }).strict(),
      rich_text: zRichText,
    })
    .strict(),
  z.object({ discussion_id: zId, rich_text: zRichText }).strict(),
]);
type CommentCreate = z.infer<typeof zCreate>;

/** Where a new comment goes: its discussion and the page or block that discussion is on. */
type CommentPlace = Pick<CommentRow, 'discussion_id' | 'parent_type' | 'parent_id'>;

export async function createComment(ctx: ServiceContext, body: unknown): Promise<unknown> {
  if (body && typeof body === 'object' && !('rich_text' in body)) {
    throw errors.validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
  }
  const input = parseWith(zCreate, body);
  const { principal } = ctx;
  const id = newId();
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const place =
      'discussion_id' in input
        ? await discussionPlace(tx, principal, input.discussion_id)
        : await newDiscussionPlace(tx, principal, input);
    const now = ctx.clock.now();
    const richText = await normalizeRichText(input.rich_text, mentionResolver(tx, principal));
    const workspaceId = principal.workspaceId;
    await insertComment(tx, {
      id,
      workspace_id: workspaceId,
      ...place,
      rich_text: richText,
      created_by: principal.integrationId,
      created_time: now,
    });
    record({
      kind: 'comment.created',
      workspaceId,
      entity: { type: 'comment', id },
      actor: botActor(principal.integrationId),
      at: now,
      parent: { type: place.parent_type === 'page_id' ? 'page' : 'block', id: place.parent_id },
      details: { discussion_id: place.discussion_id },
    });
  });
  return retrieveComment(ctx, id);
}

/** A reply: the discussion must exist and its page or block be visible (else it is not found). */
async function discussionPlace(tx: SqlExecutor, principal: Principal, discussionId: string): Promise<CommentPlace> {
  const head = await findDiscussionStart(tx, discussionId);
  if (!head) throw errors.notFound('discussion', discussionId);
  await loadVisible(tx, principal, head.parent_id, 'block').catch(() => {
    throw errors.notFound('discussion', discussionId);
  });
  return { discussion_id: head.discussion_id, parent_type: head.parent_type, parent_id: head.parent_id };
}

/** A new discussion on a visible, editable page (page_id) or page or block (block_id). */
async function newDiscussionPlace(
  tx: SqlExecutor,
  principal: Principal,
  input: Exclude<CommentCreate, { discussion_id: string }>,
): Promise<CommentPlace> {
  const isPage = 'page_id' in input.parent;
  const parentId = 'page_id' in input.parent ? input.parent.page_id : input.parent.block_id;
  const parent = await loadVisible(tx, principal, parentId, isPage ? 'page' : 'block');
  if (isPage && parent.object !== 'page') throw errors.notFound('page', parentId);
  assertEditable(parent);
  return {
    discussion_id: newId(),
    parent_type: parent.object === 'page' ? 'page_id' : 'block_id',
    parent_id: parentId,
  };
}

export async function retrieveComment(ctx: ServiceContext, commentId: string): Promise<unknown> {
  const row = await findComment(ctx.store, commentId);
  if (!row) throw errors.notFound('comment', commentId);
  await loadVisible(ctx.store, ctx.principal, row.parent_id, 'block').catch(() => {
    throw errors.notFound('comment', commentId);
  });
  return (await commentSerializer(ctx, [row]))(row);
}

/** Serializes comments with their authors' names (`display_name`), read in one query for the whole page. */
async function commentSerializer(
  ctx: ServiceContext,
  rows: readonly CommentRow[],
): Promise<(row: CommentRow) => Record<string, unknown>> {
  const ids = [...new Set(rows.map((r) => r.created_by))];
  const authors = new Map(
    (await findWorkspaceUsersById(ctx.store, ctx.principal.workspaceId, ids)).map((u) => [u.id, u]),
  );
  return (row) => serializeComment(row, authors.get(row.created_by) ?? null);
}

const zListQuery = z
  .object({ block_id: zId, start_cursor: z.unknown().optional(), page_size: z.unknown().optional() })
  .strict();

export async function listComments(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  const { block_id: blockId } = parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  await loadVisible(ctx.store, ctx.principal, blockId, 'block');
  const rows = await listCommentsOn(ctx.store, blockId, page.startCursor, page.pageSize + 1);
  return listEnvelope('comment', rows, page.pageSize, await commentSerializer(ctx, rows));
}

/** PATCH body (reference §19.1): exactly one of `rich_text` and `markdown` (inline Markdown). */
const zUpdate = z.union([z.object({ rich_text: zRichText }).strict(), z.object({ markdown: z.string() }).strict()]);

/** Where a comment lives, as a change describes it. */
function commentParent(row: CommentRow) {
  return { type: row.parent_type === 'page_id' ? ('page' as const) : ('block' as const), id: row.parent_id };
}

/**
 * A comment the caller may edit or delete, locked for the rest of the transaction: it exists, its page or block
 * is visible to the caller, and the caller wrote it. Anything else is the 404 of a missing comment.
 */
async function loadOwnComment(tx: SqlExecutor, principal: Principal, commentId: string): Promise<CommentRow> {
  const row = await lockComment(tx, commentId);
  if (!row || row.created_by !== principal.integrationId) throw errors.notFound('comment', commentId);
  await loadVisible(tx, principal, row.parent_id, 'block').catch(() => {
    throw errors.notFound('comment', commentId);
  });
  return row;
}

/** PATCH /v1/comments/{id}: new text for one of the caller's comments; answers the comment as edited. */
export async function updateComment(ctx: ServiceContext, commentId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdate, body);
  const items = 'markdown' in input ? commentMarkdownToRichText(input.markdown) : input.rich_text;
  const { principal } = ctx;
  const edited = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadOwnComment(tx, principal, commentId);
    const richText = await normalizeRichText(items, mentionResolver(tx, principal));
    const now = ctx.clock.now();
    await updateCommentText(tx, row.id, richText, now);
    record({
      kind: 'comment.updated',
      workspaceId: row.workspace_id,
      entity: { type: 'comment', id: row.id },
      actor: botActor(principal.integrationId),
      at: now,
      parent: commentParent(row),
      details: { discussion_id: row.discussion_id },
    });
    return { ...row, rich_text: richText, last_edited_time: now };
  });
  return (await commentSerializer(ctx, [edited]))(edited);
}

/**
 * DELETE /v1/comments/{id}: deletes one of the caller's comments and answers it as it stood. Deleting the
 * comment that opened a discussion deletes the whole discussion (reference §19.2 ⚠).
 */
export async function deleteComment(ctx: ServiceContext, commentId: string): Promise<unknown> {
  const { principal } = ctx;
  const deleted = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadOwnComment(tx, principal, commentId);
    const head = await findDiscussionStart(tx, row.discussion_id);
    let removed = [row.id];
    if (head?.id === row.id) removed = await deleteDiscussion(tx, row.discussion_id);
    else await deleteCommentRow(tx, row.id);
    const now = ctx.clock.now();
    for (const id of removed) {
      record({
        kind: 'comment.deleted',
        workspaceId: row.workspace_id,
        entity: { type: 'comment', id },
        actor: botActor(principal.integrationId),
        at: now,
        parent: commentParent(row),
        details: { discussion_id: row.discussion_id, ...(id === row.id ? {} : { with_discussion_of: row.id }) },
      });
    }
    return row;
  });
  return (await commentSerializer(ctx, [deleted]))(deleted);
}
