// Mounts the developer portal on the API's port: the one-time sign-in link, the portal's JSON API under
// /portal/api (session cookie; state changes need the same origin and the CSRF header), and the built
// web UI at / with an SPA fallback. The Notion API under /v1 is untouched: it knows nothing of sessions.
// Both ways of signing in pass the sign-in throttle first (limits/sign-in-throttle.ts): a throttled attempt
// answers 429 with Retry-After and uses nothing up — not the link, not a password check.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../errors.js';
import { sendError } from '../http/error-writer.js';
import {
  DEFAULT_SIGN_IN_THROTTLE,
  SignInThrottle,
  type SignInAttempt,
  type SignInThrottleConfig,
  type SignInTicket,
} from '../limits/sign-in-throttle.js';
import { checkPassword, consumeSignInLink, endPortalSession } from '../services/portal-sessions.js';
import { signFileUrls } from '../services/file-urls.js';
import { CONNECTION_ROUTES } from './portal-connections.js';
import {
  checkSameOrigin,
  isStateChanging,
  jsonBody,
  PortalError,
  portalErrors,
  sendJson,
  sendPortalError,
  stringField,
} from './portal-http.js';
import { INTEGRATION_ROUTES } from './portal-integrations.js';
import { PAGE_ROUTES } from './portal-pages.js';
import type { PortalDeps, PortalRoute } from './portal-context.js';
import { MONITORING_ROUTES } from './portal-monitoring.js';
import { OAUTH_ROUTES } from './portal-oauth.js';
import { SANDBOX_ROUTES } from './portal-sandbox.js';
import { WEBHOOK_ROUTES } from './portal-webhooks.js';
import {
  CLEARED_SESSION_COOKIE,
  createSession,
  CSRF_HEADER,
  hasCsrfToken,
  loadSession,
  loadSessionById,
  type SignedIn,
} from './portal-session.js';
import { HTML_SECURITY_HEADERS, loadPortalFiles, sendStatic, type PortalFiles } from './portal-static.js';
import type { PortalSession } from './portal-types.js';

export const PORTAL_API_PREFIX = '/portal/api';
export const PORTAL_ROUTES: readonly PortalRoute[] = [
  ...INTEGRATION_ROUTES,
  ...PAGE_ROUTES,
  ...CONNECTION_ROUTES,
  ...SANDBOX_ROUTES,
  ...MONITORING_ROUTES,
  ...WEBHOOK_ROUTES,
  ...OAUTH_ROUTES,
];

export interface PortalOptions extends PortalDeps {
  /** The built web UI (default: packages/portal/dist). */
  staticDir?: string;
  /** Limits on failed sign-ins (default DEFAULT_SIGN_IN_THROTTLE: 5 per account, 20 per address, 15 min). */
  signInThrottle?: Partial<SignInThrottleConfig> | undefined;
}

type RequireSession = (request: FastifyRequest) => Promise<SignedIn>;
/** Counts a sign-in attempt, or throws the throttle's 429. */
type AdmitSignIn = (attempt: SignInAttempt) => Promise<SignInTicket>;
interface SignIns {
  admit: AdmitSignIn;
  succeeded(ticket: SignInTicket): Promise<void>;
}

function sessionView(s: Pick<SignedIn, 'user' | 'workspace' | 'csrfToken'>): PortalSession {
  return { user: s.user, workspace: s.workspace, csrf_token: s.csrfToken };
}

function checkCsrf(request: FastifyRequest, expected: string): void {
  if (!hasCsrfToken(request.headers[CSRF_HEADER], expected)) {
    throw new PortalError('csrf_failed', 'This request is missing its CSRF token. Reload the portal and try again.');
  }
}

export function mountPortal(app: FastifyInstance, options: PortalOptions): void {
  void app.register(async (scope) => {
    const files = await loadPortalFiles(options.staticDir);
    scope.setErrorHandler(handlePortalError);
    const requireSession = sessionGuard(options);
    const throttle = new SignInThrottle(options.store, options.clock, {
      ...DEFAULT_SIGN_IN_THROTTLE,
      ...options.signInThrottle,
    });
    const admitSignIn: AdmitSignIn = async (attempt) => {
      const admission = await throttle.admit(attempt);
      if (!admission.allowed) throw portalErrors.signInThrottled(admission.limitedBy, admission.retryAfterSeconds);
      return admission.ticket;
    };
    const signIns = { admit: admitSignIn, succeeded: (ticket: SignInTicket) => throttle.succeeded(ticket) };
    registerApiRoutes(scope, options, requireSession);
    registerSessionRoutes(scope, options, requireSession, signIns);
    scope.all(`${PORTAL_API_PREFIX}/*`, async () => {
      throw new PortalError('not_found', 'There is no such portal API endpoint.');
    });
    registerSignInLink(scope, options, signIns);
    registerWebUi(scope, files);
  });
}

/** Portal errors in the portal's shape; anything unexpected is logged and answered as one plain 500. */
function handlePortalError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof PortalError) return sendPortalError(reply, error);
  // Shared validators (request-log filters, fault rules, rate limits) speak the API's error type.
  if (error instanceof ApiError && error.status < 500)
    return sendPortalError(reply, portalErrors.invalid(error.message));
  request.log.error({ err: error }, 'portal: unexpected error');
  return reply
    .code(500)
    .header('cache-control', 'no-store')
    .send({ error: { code: 'internal_error', message: 'Something went wrong on the server; see its log.' } });
}

/** Signed in; and for a state change, from this origin with the session's CSRF token. */
function sessionGuard({ store, clock }: PortalDeps): RequireSession {
  return async (request) => {
    const changing = isStateChanging(request.method);
    if (changing) checkSameOrigin(request);
    const session = await loadSession(store, clock, request);
    if (!session) throw portalErrors.signedOut();
    if (changing) checkCsrf(request, session.csrfToken);
    return session;
  };
}

/** Every resource route of the portal API, behind the session guard (and owner-only where marked). */
function registerApiRoutes(scope: FastifyInstance, options: PortalDeps, requireSession: RequireSession): void {
  for (const route of PORTAL_ROUTES) {
    scope.route({
      method: route.method,
      url: `${PORTAL_API_PREFIX}${route.path}`,
      handler: async (request, reply) => {
        const session = await requireSession(request);
        if (route.ownerOnly && session.user.role !== 'owner') throw portalErrors.ownerOnly();
        const body = isStateChanging(request.method) ? jsonBody(request) : {};
        const params = (request.params ?? {}) as Record<string, string>;
        const query = (request.query ?? {}) as Record<string, unknown>;
        const { store, clock, changes, monitoring } = options;
        const result = await route.handle({ store, clock, changes, monitoring, session, params, body, query });
        // Uploaded files are stored as placeholders; answers carry signed URLs, as the API's do (file-urls.ts).
        const json = JSON.stringify(result);
        const signed = await signFileUrls(store, clock, `${request.protocol}://${request.headers.host ?? ''}`, json);
        return sendJson(reply, signed === json ? result : (JSON.parse(signed) as unknown), route.status ?? 200);
      },
    });
  }
}

/** GET (who am I), POST (password sign-in) and DELETE (sign out) of /portal/api/session. */
function registerSessionRoutes(
  scope: FastifyInstance,
  options: PortalDeps,
  requireSession: RequireSession,
  signIns: SignIns,
): void {
  const { store, clock } = options;
  scope.get(`${PORTAL_API_PREFIX}/session`, async (request, reply) =>
    sendJson(reply, sessionView(await requireSession(request))),
  );

  // Password sign-in (seed users with a `password`). No session yet, so the CSRF header only has to be
  // present: a custom header cannot be sent cross-origin without a preflight we never answer.
  scope.post(`${PORTAL_API_PREFIX}/session`, async (request, reply) => {
    checkSameOrigin(request);
    if (typeof request.headers[CSRF_HEADER] !== 'string')
      throw new PortalError('csrf_failed', "Sign-in requests need the portal's CSRF header.");
    const body = jsonBody(request);
    const email = stringField(body, 'email', { max: 320 }) ?? '';
    const password = typeof body.password === 'string' ? body.password : '';
    const ticket = email && password ? await signIns.admit({ account: email, address: request.ip }) : null;
    const userId = ticket ? await checkPassword(store, email, password) : null;
    if (!ticket || !userId)
      throw new PortalError(
        'unauthorized',
        'That email and password do not match a user of this server. Seed users sign in with a password only when the seed gives them one.',
      );
    await signIns.succeeded(ticket);
    const { sid, cookie } = await createSession(store, clock, userId);
    const session = await loadSessionById(store, clock, sid);
    if (!session) throw portalErrors.signedOut();
    return sendJson(reply.header('set-cookie', cookie), sessionView(session));
  });

  scope.delete(`${PORTAL_API_PREFIX}/session`, async (request, reply) => {
    checkSameOrigin(request);
    const session = await loadSession(store, clock, request);
    if (session) {
      checkCsrf(request, session.csrfToken);
      await endPortalSession(store, session.sessionHash);
    }
    return sendJson(reply.header('set-cookie', CLEARED_SESSION_COOKIE), { signed_out: true });
  });
}

/**
 * The link `serve` prints. It is used up on first use; a used or expired link lands on the sign-in screen
 * with a message instead of a bare error. Each link tried counts against the client's address; a throttled
 * address gets the 429 and its link (if it was a real one) stays unused.
 */
function registerSignInLink(scope: FastifyInstance, { store, clock }: PortalDeps, signIns: SignIns): void {
  scope.get('/sign-in', async (request, reply) => {
    const query = (request.query as Record<string, unknown>).token;
    const token = typeof query === 'string' && query !== '' ? query : null;
    void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const ticket = token ? await signIns.admit({ address: request.ip }) : null;
    const userId = ticket && token ? await consumeSignInLink(store, token, clock.now()) : null;
    if (!ticket || !userId) return reply.redirect('/?sign_in=invalid', 303);
    await signIns.succeeded(ticket);
    const { cookie } = await createSession(store, clock, userId);
    return reply.header('set-cookie', cookie).redirect('/', 303);
  });
}

/**
 * Paths the web UI never answers: `/v1` in any case (`/V1/pages`), and anything it begins (`/v1x`), as before.
 * The API's routes are case-sensitive, so these land here and get the API's 400 `invalid_request_url`.
 */
const API_PATH = /^\/v1/i;

/** The built web UI, with the SPA's index for any path that is not a file. */
function registerWebUi(scope: FastifyInstance, files: PortalFiles): void {
  const spa = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
    // Paths that look like the API, in any case (`/V1/pages`), keep the API's own error, not the web page.
    if (API_PATH.test(path)) return sendError(reply, errors.invalidUrl(), request.id);
    const file = files.find(path);
    if (file) return sendStatic(request, reply, file);
    if (/\.[a-z0-9]{1,8}$/i.test(path)) {
      for (const [k, v] of Object.entries(HTML_SECURITY_HEADERS)) void reply.header(k, v);
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    }
    return sendStatic(request, reply, files.index());
  };
  scope.get('/', spa);
  scope.get('/*', spa);
}
