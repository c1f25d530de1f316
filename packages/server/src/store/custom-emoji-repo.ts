// SQL for the custom_emojis table (migration 7): a workspace's custom emojis, each with a name unique in the
// workspace and the URL of its image. They are written by the seed (services/custom-emojis.ts) and read by the
// list route and by every write of an icon that names one.
import { fixedPlan, type SqlExecutor } from './sql-store.js';

export interface CustomEmojiRow {
  id: string;
  workspace_id: string;
  name: string;
  url: string;
  created_time: Date;
}

const COLUMNS = 'e.id, e.workspace_id, e.name, e.url, e.created_time';

export async function insertCustomEmoji(db: SqlExecutor, row: CustomEmojiRow): Promise<void> {
  await db.query(
    fixedPlan('INSERT INTO custom_emojis (id, workspace_id, name, url, created_time) VALUES ($1, $2, $3, $4, $5)'),
    [row.id, row.workspace_id, row.name, row.url, row.created_time],
  );
}

/** A custom emoji of the workspace by id; emojis of other workspaces do not exist there. */
export async function findCustomEmoji(
  db: SqlExecutor,
  workspaceId: string,
  id: string,
): Promise<CustomEmojiRow | null> {
  const rows = await db.query<CustomEmojiRow>(
    fixedPlan(`SELECT ${COLUMNS} FROM custom_emojis e WHERE e.id = $1 AND e.workspace_id = $2`),
    [id, workspaceId],
  );
  return rows[0] ?? null;
}

/**
 * A page of the workspace's custom emojis in the order they were created (then by id), from the cursor's emoji
 * on (a cursor is an emoji id of the same workspace: any other id answers no rows, as an unknown id does),
 * only those named exactly `name` when it is given; at most `limit` rows.
 */
export function listCustomEmojis(
  db: SqlExecutor,
  workspaceId: string,
  options: { startCursor: string | null; name: string | null; limit: number },
): Promise<CustomEmojiRow[]> {
  return db.query<CustomEmojiRow>(
    `SELECT ${COLUMNS} FROM custom_emojis e
     WHERE e.workspace_id = $1
       AND ($2::text IS NULL OR e.name = $2)
       AND ($3::uuid IS NULL OR (e.created_time, e.id) >=
         (SELECT c.created_time, c.id FROM custom_emojis c WHERE c.id = $3 AND c.workspace_id = $1))
     ORDER BY e.created_time, e.id
     LIMIT $4`,
    [workspaceId, options.name, options.startCursor, options.limit],
  );
}
