// The sessions table: portal sessions and one-time sign-in links (both stored by the SHA-256 of their secret,
// told apart by `kind`), and the password check of people who sign in with one.
import type { SqlExecutor } from './sql-store.js';

export type SessionKind = 'session' | 'sign_in_link';

export interface SessionInsert {
  /** The SHA-256 of the secret the browser holds. */
  id: string;
  userId: string;
  kind: SessionKind;
  createdTime: Date;
  expiresTime: Date;
}

/** Who a live session belongs to: the person and their workspace. */
export interface SessionOwnerRow {
  user_id: string;
  name: string;
  email: string | null;
  role: 'owner' | 'member' | null;
  workspace_id: string;
  workspace_name: string;
  seeded: boolean;
}

/** A session as kept across a reset of its workspace. */
export interface StoredSession {
  id: string;
  user_id: string;
  created_time: Date;
  expires_time: Date;
}

export async function insertSession(db: SqlExecutor, session: SessionInsert): Promise<void> {
  await db.query(`INSERT INTO sessions (id, user_id, kind, created_time, expires_time) VALUES ($1, $2, $3, $4, $5)`, [
    session.id,
    session.userId,
    session.kind,
    session.createdTime,
    session.expiresTime,
  ]);
}

/** The person a live (unexpired) session of this hash belongs to, with their workspace, or null. */
export async function findSessionOwner(
  db: SqlExecutor,
  sessionHash: string,
  now: Date,
): Promise<SessionOwnerRow | null> {
  const rows = await db.query<SessionOwnerRow>(
    `SELECT u.id AS user_id, u.name, u.email, u.role, w.id AS workspace_id, w.name AS workspace_name,
            EXISTS (SELECT 1 FROM seeds sd WHERE sd.workspace_id = w.id) AS seeded
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = u.workspace_id
     WHERE s.id = $1 AND s.kind = 'session' AND s.expires_time > $2 AND u.type = 'person'`,
    [sessionHash, now],
  );
  return rows[0] ?? null;
}

/** Deletes an unexpired sign-in link (it is used once) and returns its user, or null. */
export async function deleteSignInLink(db: SqlExecutor, linkHash: string, now: Date): Promise<string | null> {
  const used = await db.query<{ user_id: string }>(
    `DELETE FROM sessions WHERE id = $1 AND kind = 'sign_in_link' AND expires_time > $2 RETURNING user_id`,
    [linkHash, now],
  );
  return used[0]?.user_id ?? null;
}

export async function deleteSession(db: SqlExecutor, sessionHash: string): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE id = $1 AND kind = 'session'`, [sessionHash]);
}

/** A person who signs in with a password: who, where, and the stored hash. */
export interface PasswordUserRow {
  id: string;
  workspace_id: string;
  password_hash: string;
}

/** The person with this email (any case) who has a password, oldest workspace first, with its hash. */
export async function findPasswordUser(db: SqlExecutor, email: string): Promise<PasswordUserRow | null> {
  const rows = await db.query<PasswordUserRow>(
    `SELECT u.id, u.workspace_id, u.password_hash FROM users u JOIN workspaces w ON w.id = u.workspace_id
     WHERE u.type = 'person' AND lower(u.email) = lower($1) AND u.password_hash IS NOT NULL
     ORDER BY w.created_time, w.id LIMIT 1`,
    [email],
  );
  return rows[0] ?? null;
}

/**
 * Replaces a person's password hash if it is still `previous` (a sign-in that upgrades an old hash never
 * overwrites a newer one); true when it did.
 */
export async function replacePasswordHash(
  db: SqlExecutor,
  userId: string,
  previous: string,
  next: string,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE users SET password_hash = $3 WHERE id = $1 AND type = 'person' AND password_hash = $2 RETURNING id`,
    [userId, previous, next],
  );
  return rows.length > 0;
}

/** The sessions (not sign-in links) of the workspace's people. */
export function listWorkspaceSessions(db: SqlExecutor, workspaceId: string): Promise<StoredSession[]> {
  return db.query<StoredSession>(
    `SELECT s.id, s.user_id, s.created_time, s.expires_time FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE u.workspace_id = $1 AND s.kind = 'session'`,
    [workspaceId],
  );
}

/** Puts a session back if its person still exists and it is not there already. */
export async function restoreSession(db: SqlExecutor, session: StoredSession): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, user_id, kind, created_time, expires_time)
     SELECT $1, $2, 'session', $3, $4 WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) ON CONFLICT (id) DO NOTHING`,
    [session.id, session.user_id, session.created_time, session.expires_time],
  );
}
