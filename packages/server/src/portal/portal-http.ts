// The portal API's HTTP helpers: its one error shape, JSON bodies, and the guards every route runs
// (signed in; CSRF-safe when it changes state; owner-only where Notion restricts to workspace owners).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalErrorCode } from './portal-types.js';

/** The portal's error codes, with `rate_limited` (429, the sign-in throttle) whether or not portal-types lists it. */
export type PortalErrorKind = PortalErrorCode | 'rate_limited';

const STATUS: Record<PortalErrorKind, number> = {
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
  not_seeded: 409,
  rate_limited: 429,
};

export class PortalError extends Error {
  readonly status: number;
  constructor(
    readonly code: PortalErrorKind,
    message: string,
    /** Sent as `Retry-After` (a 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PortalError';
    this.status = STATUS[code];
  }
}

export const portalErrors = {
  signedOut: () =>
    new PortalError(
      'unauthorized',
      'You are signed out. Sign in with the link `notion-local serve` printed, or with your email and password.',
    ),
  ownerOnly: () => new PortalError('forbidden', 'Only workspace owners can do this.'),
  notFound: (what: string) => new PortalError('not_found', `${what} was not found in this workspace.`),
  invalid: (message: string) => new PortalError('invalid_request', message),
  /** Sign-in refused by the throttle (limits/sign-in-throttle.ts), even with the right password. */
  signInThrottled: (limitedBy: 'account' | 'address', retryAfterSeconds: number) =>
    new PortalError(
      'rate_limited',
      `Too many failed sign-ins ${limitedBy === 'account' ? 'for this account' : 'from this address'}. ` +
        `Until ${retryAfterSeconds === 1 ? '1 second has' : `${retryAfterSeconds} seconds have`} passed, ` +
        `every sign-in ${limitedBy === 'account' ? 'to it' : 'from it'} is refused, even with the right password.`,
      retryAfterSeconds,
    ),
};

export function sendPortalError(reply: FastifyReply, error: PortalError): FastifyReply {
  const body: { error: { code: PortalErrorKind; message: string } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

export function sendJson(reply: FastifyReply, value: unknown, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(value));
}

/** The app parses every body as text (http/app.ts); portal routes take JSON objects only. */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw portalErrors.invalid('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw portalErrors.invalid('The request body should be a JSON object.');
  return parsed as Record<string, unknown>;
}

export function stringField(
  body: Record<string, unknown>,
  key: string,
  opts: { max: number; optional?: boolean },
): string | undefined {
  const value = body[key];
  if (value === undefined && opts.optional) return undefined;
  if (typeof value !== 'string') throw portalErrors.invalid(`${key} should be a string.`);
  const trimmed = value.trim();
  if (trimmed.length > opts.max) throw portalErrors.invalid(`${key} should be at most ${opts.max} characters.`);
  return trimmed;
}

export function cookieValue(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/**
 * Cross-site requests never change state: the browser says where a request comes from
 * (`Sec-Fetch-Site`, `Origin`); anything but this origin itself is refused. Checked before the CSRF token.
 */
export function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new PortalError('csrf_failed', 'Cross-site requests may not change anything in the portal.');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    const host = request.headers.host;
    if (!host || hostOf(origin) !== host)
      throw new PortalError('csrf_failed', 'Cross-origin requests may not change anything in the portal.');
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export const isStateChanging = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
