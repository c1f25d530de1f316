// Comments (reference §8.9): start a discussion on a page (or block), reply by discussion_id, list by
// block_id, retrieve. A comment is visible exactly when its parent is.
import { z } from 'zod';
import { errors } from '../errors.js';
import { newId } from '../ids.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { normalizeRichText, zRichText } from '../domain/rich-text.js';
import { serializeComment } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import type { CommentRow } from '../model/rows.js';
import { assertEditable, loadVisible, mentionResolver, type ServiceContext } from './service-context.js';

const COMMENT_COLUMNS =
  'id, workspace_id, discussion_id, parent_type, parent_id, rich_text, created_by, created_time, last_edited_time';

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

export async function createComment(ctx: ServiceContext, body: unknown): Promise<unknown> {
  if (body && typeof body === 'object' && !('rich_text' in body)) {
    throw errors.validation('body failed validation: body.rich_text should be defined, instead was `undefined`.');
  }
  const input = parseWith(zCreate, body);
  const { principal } = ctx;
  const id = newId();
  await ctx.store.transaction(async (tx) => {
    let discussionId: string;
    let parentType: 'page_id' | 'block_id';
    let parentId: string;
    if ('discussion_id' in input) {
      const first = await tx.query<CommentRow>(
        `SELECT ${COMMENT_COLUMNS} FROM comments WHERE discussion_id = $1 ORDER BY seq LIMIT 1`,
        [input.discussion_id],
      );
      const head = first[0];
      if (!head) throw errors.notFound('discussion', input.discussion_id);
      await loadVisible(tx, principal, head.parent_id, 'block').catch(() => {
        throw errors.notFound('discussion', input.discussion_id);
      });
      discussionId = head.discussion_id;
      parentType = head.parent_type;
      parentId = head.parent_id;
    } else {
      const isPage = 'page_id' in input.parent;
      parentId = 'page_id' in input.parent ? input.parent.page_id : input.parent.block_id;
      const parent = await loadVisible(tx, principal, parentId, isPage ? 'page' : 'block');
      if (isPage && parent.object !== 'page') throw errors.notFound('page', parentId);
      assertEditable(parent);
      parentType = parent.object === 'page' ? 'page_id' : 'block_id';
      discussionId = newId();
    }
    const now = ctx.clock.now();
    const richText = await normalizeRichText(input.rich_text, mentionResolver(tx, principal));
    await tx.query(
      `INSERT INTO comments (id, workspace_id, discussion_id, parent_type, parent_id, rich_text, created_by, created_time, last_edited_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [
        id,
        principal.workspaceId,
        discussionId,
        parentType,
        parentId,
        JSON.stringify(richText),
        principal.integrationId,
        now,
      ],
    );
  });
  return retrieveComment(ctx, id);
}

export async function retrieveComment(ctx: ServiceContext, commentId: string): Promise<unknown> {
  const rows = await ctx.store.query<CommentRow>(`SELECT ${COMMENT_COLUMNS} FROM comments WHERE id = $1`, [commentId]);
  const row = rows[0];
  if (!row) throw errors.notFound('comment', commentId);
  await loadVisible(ctx.store, ctx.principal, row.parent_id, 'block').catch(() => {
    throw errors.notFound('comment', commentId);
  });
  return serializeComment(row);
}

const zListQuery = z
  .object({ block_id: zId, start_cursor: z.unknown().optional(), page_size: z.unknown().optional() })
  .strict();

export async function listComments(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  const { block_id: blockId } = parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  await loadVisible(ctx.store, ctx.principal, blockId, 'block');
  const rows = await ctx.store.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM comments
     WHERE parent_id = $1 AND ($2::uuid IS NULL OR seq >= (SELECT seq FROM comments WHERE id = $2))
     ORDER BY seq LIMIT $3`,
    [blockId, page.startCursor, page.pageSize + 1],
  );
  return listEnvelope('comment', rows, page.pageSize, serializeComment);
}
