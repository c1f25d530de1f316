// SQL for the comments table. A discussion is the comments sharing a discussion_id, in the order they were
// written (`seq`); its first comment says where the discussion lives (a page or a block).
import type { CommentRow } from '../model/rows.js';
import { COMMENT_COLUMNS } from './columns.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';

export async function findComment(db: SqlExecutor, id: string): Promise<CommentRow | null> {
  const rows = await db.query<CommentRow>(`SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

/** A comment, locked until the transaction ends (an edit or delete of it waits for one already under way). */
export async function lockComment(db: SqlExecutor, id: string): Promise<CommentRow | null> {
  const rows = await db.query<CommentRow>(
    fixedPlan(`SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.id = $1 FOR UPDATE`),
    [id],
  );
  return rows[0] ?? null;
}

/** New text of a comment, edited at `at`. */
export async function updateCommentText(db: SqlExecutor, id: string, richText: unknown[], at: Date): Promise<void> {
  await db.query(fixedPlan('UPDATE comments SET rich_text = $2, last_edited_time = $3 WHERE id = $1'), [
    id,
    JSON.stringify(richText),
    at,
  ]);
}

/** Deletes one comment. */
export async function deleteComment(db: SqlExecutor, id: string): Promise<void> {
  await db.query(fixedPlan('DELETE FROM comments WHERE id = $1'), [id]);
}

/** Deletes every comment of a discussion; answers the ids deleted, in the order they were written. */
export async function deleteDiscussion(db: SqlExecutor, discussionId: string): Promise<string[]> {
  const rows = await db.query<{ id: string; seq: string }>(
    'DELETE FROM comments WHERE discussion_id = $1 RETURNING id, seq',
    [discussionId],
  );
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.id);
}

/** The first comment of a discussion, or null when there is no such discussion. */
export async function findDiscussionStart(db: SqlExecutor, discussionId: string): Promise<CommentRow | null> {
  const rows = await db.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM comments c WHERE c.discussion_id = $1 ORDER BY c.seq LIMIT 1`,
    [discussionId],
  );
  return rows[0] ?? null;
}

/** A new comment; created and last edited at `created_time`. */
export type NewComment = Omit<CommentRow, 'last_edited_time'>;

export async function insertComment(db: SqlExecutor, comment: NewComment): Promise<void> {
  await db.query(
    `INSERT INTO comments (id, workspace_id, discussion_id, parent_type, parent_id, rich_text, created_by, created_time,
       last_edited_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      comment.id,
      comment.workspace_id,
      comment.discussion_id,
      comment.parent_type,
      comment.parent_id,
      JSON.stringify(comment.rich_text),
      comment.created_by,
      comment.created_time,
    ],
  );
}

/**
 * The comments on a page or block in the order they were written, from the cursor's comment on (a cursor
 * is a comment id, found only among the comments on that page or block: any other id answers no rows, as an
 * unknown id does); at most `limit` rows.
 */
export function listCommentsOn(
  db: SqlExecutor,
  parentId: string,
  startCursor: string | null,
  limit: number,
): Promise<CommentRow[]> {
  return db.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM comments c
     WHERE c.parent_id = $1 AND ($2::uuid IS NULL OR c.seq >= (SELECT seq FROM comments WHERE id = $2 AND parent_id = $1))
     ORDER BY c.seq LIMIT $3`,
    [parentId, startCursor, limit],
  );
}
