// Portal sign-in and sessions. A one-time link (printed by `serve`) or a seed user's email and password
// becomes a session: a random id in an HttpOnly, SameSite=Strict cookie, stored only as SHA-256 (like
// tokens). The CSRF token is derived from the session id, so a page that cannot read the cookie cannot
// compute it, and it needs no storage of its own.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { hashPassword, hashToken } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { cookieValue } from './portal-http.js';

export const SESSION_COOKIE = 'nl_session';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const CSRF_HEADER = 'x-csrf-token';
/** Sign-in by password has no session yet: the header must still be present (it forces a CORS preflight). */
export const SIGN_IN_CSRF_VALUE = 'sign-in';

export interface SignedIn {
  sessionHash: string;
  csrfToken: string;
  user: { id: string; name: string; email: string | null; role: 'owner' | 'member' };
  workspace: { id: string; name: string; seeded: boolean };
}

interface SessionRow {
  user_id: string;
  name: string;
  email: string | null;
  role: 'owner' | 'member' | null;
  workspace_id: string;
  workspace_name: string;
  seeded: boolean;
}

export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf\0${sessionId}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function loadSession(db: SqlExecutor, clock: Clock, request: FastifyRequest): Promise<SignedIn | null> {
  const sid = cookieValue(request, SESSION_COOKIE);
  return sid ? loadSessionById(db, clock, sid) : null;
}

export async function loadSessionById(db: SqlExecutor, clock: Clock, sid: string): Promise<SignedIn | null> {
  const sessionHash = hashToken(sid);
  const rows = await db.query<SessionRow>(
    `SELECT u.id AS user_id, u.name, u.email, u.role, w.id AS workspace_id, w.name AS workspace_name,
            EXISTS (SELECT 1 FROM seeds sd WHERE sd.workspace_id = w.id) AS seeded
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = u.workspace_id
     WHERE s.id = $1 AND s.kind = 'session' AND s.expires_time > $2 AND u.type = 'person'`,
    [sessionHash, clock.now()],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    sessionHash,
    csrfToken: csrfTokenFor(sid),
    user: { id: row.user_id, name: row.name, email: row.email, role: row.role ?? 'member' },
    workspace: { id: row.workspace_id, name: row.workspace_name, seeded: row.seeded },
  };
}

/** Uses up a one-time sign-in link; returns its user, or null when it was used, expired or never issued. */
export async function consumeSignInLink(db: SqlExecutor, clock: Clock, token: string): Promise<string | null> {
  const used = await db.query<{ user_id: string }>(
    `DELETE FROM sessions WHERE id = $1 AND kind = 'sign_in_link' AND expires_time > $2 RETURNING user_id`,
    [hashToken(token), clock.now()],
  );
  return used[0]?.user_id ?? null;
}

/** Seed passwords are stored by auth/tokens.ts hashPassword; compared in constant time. */
export async function checkPassword(db: SqlExecutor, email: string, password: string): Promise<string | null> {
  const rows = await db.query<{ id: string; password_hash: string }>(
    `SELECT u.id, u.password_hash FROM users u JOIN workspaces w ON w.id = u.workspace_id
     WHERE u.type = 'person' AND lower(u.email) = lower($1) AND u.password_hash IS NOT NULL
     ORDER BY w.created_time, w.id LIMIT 1`,
    [email],
  );
  const candidate = hashPassword(password);
  const row = rows[0];
  // Compare even when no user matched, so timing does not tell which emails exist.
  const ok = sameSecret(row?.password_hash ?? 'sha256:', candidate);
  return ok && row ? row.id : null;
}

/** Creates a session; returns its id (for the CSRF token) and the cookie that carries it. */
export async function createSession(
  db: SqlExecutor,
  clock: Clock,
  userId: string,
): Promise<{ sid: string; cookie: string }> {
  const sid = randomBytes(32).toString('base64url');
  const now = clock.now();
  await db.query(
    `INSERT INTO sessions (id, user_id, kind, created_time, expires_time) VALUES ($1, $2, 'session', $3, $4)`,
    [hashToken(sid), userId, now, new Date(now.getTime() + SESSION_TTL_MS)],
  );
  return { sid, cookie: sessionCookie(sid, SESSION_TTL_MS / 1000) };
}

export async function deleteSession(db: SqlExecutor, sessionHash: string): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE id = $1 AND kind = 'session'`, [sessionHash]);
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

export const CLEARED_SESSION_COOKIE = sessionCookie('', 0);
