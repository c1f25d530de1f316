// The OAuth endpoints of public integrations (reference §2), beside the API's pipeline: they authenticate the
// client with HTTP Basic (not a Bearer token) and answer errors in RFC 6749's shape, `{error, error_description?,
// request_id}`, not the API's envelope. GET /v1/oauth/authorize checks the client and its redirect URI — a wrong
// one gets an error page and no redirect — then sends the browser to the portal's consent screen
// (/oauth/consent), which signs the person in if needed and redirects back to the app with a code.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../services/changes.js';
import {
  authenticateClient,
  AuthorizeError,
  checkAuthorizeTarget,
  exchangeToken,
  introspectToken,
  OAUTH_MESSAGES,
  OAuthError,
  redirectWith,
  revokeOAuthToken,
  type OAuthClient,
} from '../services/oauth.js';
import type { Store } from '../store/sql-store.js';

export interface OAuthRouteDeps {
  store: Store;
  clock: Clock;
  changes: ChangeFeed;
}

/** The portal's consent screen (packages/portal/src/screens/Consent.tsx). */
export const CONSENT_PATH = '/oauth/consent';

/** A body as JSON or, as many OAuth clients send it, as a form; invalid JSON is refused. */
function oauthBody(request: FastifyRequest): unknown {
  const raw = request.body;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return {};
  if (/^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? ''))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OAuthError(400, 'invalid_request', OAUTH_MESSAGES.invalidJson);
  }
}

function sendOAuth(reply: FastifyReply, request: FastifyRequest, status: number, body: Record<string, unknown>) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ ...body, request_id: request.id }));
}

type OAuthHandler = (client: OAuthClient, body: unknown, deps: OAuthRouteDeps) => Promise<object>;

/** Client authentication, the body, the handler; an OAuthError becomes its RFC 6749 answer. */
function tokenRoute(deps: OAuthRouteDeps, handle: OAuthHandler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const client = await authenticateClient(deps.store, request.headers.authorization);
      const result = await handle(client, oauthBody(request), deps);
      return await sendOAuth(reply, request, 200, { ...result });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const body = { error: error.error, ...(error.description ? { error_description: error.description } : {}) };
      if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="notion-local"');
      return sendOAuth(reply, request, error.status, body);
    }
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** The page a browser gets for an authorization request that cannot be sent back to the app. */
function sendRefusalPage(reply: FastifyReply, message: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization failed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>This integration cannot be authorized</h1><p role="alert">${escapeHtml(message)}</p>
<p>The link the app sent you here with is wrong; nothing was shared. Tell the app's developer.</p></body></html>`;
  return reply
    .code(400)
    .header('cache-control', 'no-store')
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(html);
}

const queryString = (query: Record<string, unknown>, name: string): string | undefined =>
  typeof query[name] === 'string' ? query[name] : undefined;

/** GET /v1/oauth/authorize: to the consent screen, back to the app with an error, or an error page. */
function authorizeRoute(deps: OAuthRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const clientId = queryString(query, 'client_id') ?? '';
    const requested = queryString(query, 'redirect_uri');
    const state = queryString(query, 'state');
    let redirectUri: string;
    try {
      redirectUri = (await checkAuthorizeTarget(deps.store, clientId, requested)).redirectUri;
    } catch (error) {
      if (!(error instanceof AuthorizeError)) throw error;
      return sendRefusalPage(reply, error.message);
    }
    // The app named a valid client and redirect URI: from here on, problems go back to it (RFC 6749 §4.1.2.1).
    const responseType = queryString(query, 'response_type');
    if (responseType !== 'code') {
      const description = 'response_type should be "code".';
      const error = responseType === undefined ? 'invalid_request' : 'unsupported_response_type';
      return reply.redirect(redirectWith(redirectUri, { error, error_description: description, state }), 302);
    }
    const owner = queryString(query, 'owner');
    if (owner !== undefined && owner !== 'user') {
      const description = 'owner should be "user".';
      return reply.redirect(
        redirectWith(redirectUri, { error: 'invalid_request', error_description: description, state }),
        302,
      );
    }
    const consent = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri });
    if (state !== undefined) consent.set('state', state);
    return reply.header('cache-control', 'no-store').redirect(`${CONSENT_PATH}?${consent.toString()}`, 302);
  };
}

/** Registers /v1/oauth/* ahead of the API's catch-all /v1/* route (static routes win in Fastify's router). */
export function mountOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): void {
  app.get('/v1/oauth/authorize', authorizeRoute(deps));
  app.post(
    '/v1/oauth/token',
    tokenRoute(deps, (client, body) => exchangeToken(deps, client, body, deps.clock.now())),
  );
  app.post(
    '/v1/oauth/introspect',
    tokenRoute(deps, (client, body) => introspectToken(deps.store, client, body)),
  );
  app.post(
    '/v1/oauth/revoke',
    tokenRoute(deps, (client, body) => revokeOAuthToken(deps, client, body, deps.clock.now())),
  );
}
