// Reads of the users table for the API (people and bots of a workspace) and for rich text mentions.
// Users are written by the workspace and integration services, through their own repositories.
import type { UserRow } from '../model/rows.js';
import { USER_COLUMNS } from './columns.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';

/** A user by id, in any workspace (the calling bot itself). */
export async function findUser(db: SqlExecutor, id: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return rows[0] ?? null;
}

/** A user of one workspace by id; users of other workspaces do not exist there. */
export async function findWorkspaceUser(db: SqlExecutor, workspaceId: string, id: string): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.workspace_id = $2`, [
    id,
    workspaceId,
  ]);
  return rows[0] ?? null;
}

/** The name of a user of the workspace (what a mention shows), or null. */
export async function findUserName(db: SqlExecutor, workspaceId: string, id: string): Promise<string | null> {
  const rows = await db.query<{ name: string }>(
    fixedPlan('SELECT name FROM users WHERE id = $1 AND workspace_id = $2'),
    [id, workspaceId],
  );
  return rows[0]?.name ?? null;
}

/**
 * A page of the workspace's users in the order they were created, from the cursor's user on (a cursor is a
 * user id of the same workspace: any other id answers no rows, as an unknown id does); at most `limit` rows.
 */
export function listWorkspaceUsers(
  db: SqlExecutor,
  workspaceId: string,
  startCursor: string | null,
  limit: number,
): Promise<UserRow[]> {
  return db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u
     WHERE u.workspace_id = $1
       AND ($2::uuid IS NULL
         OR (u.created_time, u.id) >= (SELECT created_time, id FROM users WHERE id = $2 AND workspace_id = $1))
     ORDER BY u.created_time, u.id LIMIT $3`,
    [workspaceId, startCursor, limit],
  );
}

/**
 * The users of a workspace among `ids` (people values, created_by and last_edited_by of rows), in no
 * particular order; ids of other workspaces and unknown ids are left out.
 */
export function findWorkspaceUsersById(
  db: SqlExecutor,
  workspaceId: string,
  ids: readonly string[],
): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY ($1::uuid[]) AND u.workspace_id = $2`,
    [ids, workspaceId],
  );
}

/** An integration as an operator's fault rule names it: its id, workspace and name. */
export interface IntegrationRef {
  id: string;
  workspace_id: string;
  name: string;
}

/**
 * The integrations with this id (in any workspace) or, when `id` is null, with this name — in one workspace
 * or, with `workspaceId` null, in every workspace (names are unique only within a workspace).
 */
export function findIntegrationRefs(
  db: SqlExecutor,
  ref: { id: string | null; name: string },
  workspaceId: string | null,
): Promise<IntegrationRef[]> {
  return db.query<IntegrationRef>(
    `SELECT u.id, u.workspace_id, u.name FROM users u JOIN integrations i ON i.id = u.id
     WHERE ($1::uuid IS NULL AND u.name = $2 OR u.id = $1::uuid) AND ($3::uuid IS NULL OR u.workspace_id = $3)
     ORDER BY u.workspace_id LIMIT 100`,
    [ref.id, ref.name, workspaceId],
  );
}
