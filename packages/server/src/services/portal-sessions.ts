// Portal sign-in and sessions, the one way to make and end them: a one-time sign-in link (printed by
// `serve`), a seed person's email and password, and the sessions they become. Secrets (session ids, link
// tokens) are random, handed to the browser once and stored only as SHA-256, like tokens; passwords as
// salted scrypt (auth/passwords.ts). Sessions and password hashes are not workspace content: they record
// no Change.
import { randomBytes } from 'node:crypto';
import { verifyPassword } from '../auth/passwords.js';
import { hashToken } from '../auth/tokens.js';
import {
  deleteSession,
  deleteSignInLink,
  findPasswordUser,
  findSessionOwner,
  insertSession,
  replacePasswordHash,
  type PasswordUserRow,
} from '../store/session-repo.js';
import type { Store } from '../store/sql-store.js';
import { findFirstOwner, replaceSeedPasswordHash } from '../store/workspace-repo.js';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const SIGN_IN_TTL_MS = 24 * 60 * 60 * 1000;

/** A live session: its stored hash, the person it belongs to and their workspace. */
export interface PortalSessionOwner {
  sessionHash: string;
  user: { id: string; name: string; email: string | null; role: 'owner' | 'member' };
  workspace: { id: string; name: string; seeded: boolean };
}

/** The person a session id (as the cookie carries it) signs in, or null when it is unknown or expired. */
export async function findPortalSession(
  store: Store,
  sessionId: string,
  now: Date,
): Promise<PortalSessionOwner | null> {
  const sessionHash = hashToken(sessionId);
  const row = await findSessionOwner(store, sessionHash, now);
  if (!row) return null;
  return {
    sessionHash,
    user: { id: row.user_id, name: row.name, email: row.email, role: row.role ?? 'member' },
    workspace: { id: row.workspace_id, name: row.workspace_name, seeded: row.seeded },
  };
}

/** Starts a session for a person; returns its id (the cookie's value, shown only this once). */
export async function startPortalSession(store: Store, userId: string, now: Date): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await insertSession(store, {
    id: hashToken(sessionId),
    userId,
    kind: 'session',
    createdTime: now,
    expiresTime: new Date(now.getTime() + SESSION_TTL_MS),
  });
  return sessionId;
}

export async function endPortalSession(store: Store, sessionHash: string): Promise<void> {
  await deleteSession(store, sessionHash);
}

/** Uses up a one-time sign-in link; returns its person, or null when it was used, expired or never issued. */
export function consumeSignInLink(store: Store, token: string, now: Date): Promise<string | null> {
  return deleteSignInLink(store, hashToken(token), now);
}

/**
 * Issues a one-time sign-in link for the owner of the oldest workspace that has one; returns its secret (for
 * the URL `serve` prints), or null when no workspace has an owner.
 */
export async function issueOwnerSignInLink(store: Store, now: Date): Promise<string | null> {
  const ownerId = await findFirstOwner(store);
  if (!ownerId) return null;
  const secret = randomBytes(24).toString('base64url');
  await insertSession(store, {
    id: hashToken(secret),
    userId: ownerId,
    kind: 'sign_in_link',
    createdTime: now,
    expiresTime: new Date(now.getTime() + SIGN_IN_TTL_MS),
  });
  return secret;
}

/**
 * The person with this email and password, or null. Passwords are checked by auth/passwords.ts (scrypt with a
 * per-person salt); a person whose stored hash is of the older unsalted SHA-256 formula (or weaker scrypt
 * parameters) has it replaced by a scrypt hash on this successful sign-in — in the users table and in the
 * workspace's resolved seed, so a reset does not bring the old hash back.
 */
export async function checkPassword(store: Store, email: string, password: string): Promise<string | null> {
  const user = await findPasswordUser(store, email);
  // Checked even when no person matched, so timing does not tell which emails exist.
  const check = await verifyPassword(user?.password_hash ?? null, password);
  if (!check.ok || !user) return null;
  if (check.upgrade) await upgradePasswordHash(store, user, check.upgrade);
  return user.id;
}

async function upgradePasswordHash(store: Store, user: PasswordUserRow, next: string): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await replacePasswordHash(tx, user.id, user.password_hash, next))) return;
    await replaceSeedPasswordHash(tx, user.workspace_id, user.id, user.password_hash, next);
  });
}
