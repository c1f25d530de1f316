// Portal sign-in and sessions as the browser sees them: a random session id in an HttpOnly, SameSite=Strict
// cookie (made, found and ended by services/portal-sessions.ts, which stores only its SHA-256), and the CSRF
// token derived from the session id, so a page that cannot read the cookie cannot compute it, and it needs
// no storage of its own.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sameSecret } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import {
  findPortalSession,
  SESSION_TTL_MS,
  startPortalSession,
  type PortalSessionOwner,
} from '../services/portal-sessions.js';
import type { Store } from '../store/sql-store.js';
import { cookieValue } from './portal-http.js';

export { sameSecret } from '../auth/tokens.js';
export { SESSION_TTL_MS } from '../services/portal-sessions.js';

export const SESSION_COOKIE = 'nl_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Sign-in by password has no session yet: the header must still be present (it forces a CORS preflight). */
export const SIGN_IN_CSRF_VALUE = 'sign-in';

export interface SignedIn extends PortalSessionOwner {
  csrfToken: string;
}

export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf\0${sessionId}`).digest('base64url');
}

/** The CSRF token a state-changing request carries must be its session's. */
export function hasCsrfToken(header: unknown, expected: string): boolean {
  return typeof header === 'string' && sameSecret(header, expected);
}

export async function loadSession(store: Store, clock: Clock, request: FastifyRequest): Promise<SignedIn | null> {
  const sid = cookieValue(request, SESSION_COOKIE);
  return sid ? loadSessionById(store, clock, sid) : null;
}

export async function loadSessionById(store: Store, clock: Clock, sid: string): Promise<SignedIn | null> {
  const owner = await findPortalSession(store, sid, clock.now());
  return owner ? { ...owner, csrfToken: csrfTokenFor(sid) } : null;
}

/** Creates a session; returns its id (for the CSRF token) and the cookie that carries it. */
export async function createSession(
  store: Store,
  clock: Clock,
  userId: string,
): Promise<{ sid: string; cookie: string }> {
  const sid = await startPortalSession(store, userId, clock.now());
  return { sid, cookie: sessionCookie(sid, SESSION_TTL_MS / 1000) };
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

export const CLEARED_SESSION_COOKIE = sessionCookie('', 0);
