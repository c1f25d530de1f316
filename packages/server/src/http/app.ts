// The HTTP edge. Fastify only receives the request and sends the answer; the pipeline is one straight
// line of guard clauses (docs/architecture.md):
//   request id → body limit → authenticate → Notion-Version → route → capability → validate → service → serialize
import Fastify, {
  type FastifyServerOptions,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { satisfies } from '../auth/capabilities.js';
import { bearerToken, revokedTokenOwner } from '../auth/authenticate.js';
import { Accepted } from '../services/async-tasks.js';
import type { ChangeFeed } from '../services/changes.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import type { Clock } from '../clock.js';
import { ApiError, errors, invalidVersionMessage, MESSAGES } from '../errors.js';
import { isId, normalizeId } from '../ids.js';
import { hostName, isAllowedHost } from './host-check.js';
import { is2026, isApiVersion, type ApiVersion } from '../api-version.js';
import { assertNoNul, renderValue } from '../domain/validation.js';
import type { Store } from '../store/sql-store.js';
import type { Principal } from '../auth/access.js';
import type { FaultInjector } from '../limits/fault-injector.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { RequestLog } from '../observability/request-log.js';
import { notFoundReason } from '../observability/not-found-reason.js';
import { mountAdminRoutes } from './admin-routes.js';
import { API_ROUTES, type ApiRoute } from './routes.js';
import { Router, type Method } from './router.js';
import { errorBody, sendError, toApiError } from './error-writer.js';
import { isMultipart, readMultipart } from './multipart.js';
import { FILE_UPLOAD_MESSAGES, MAX_PART_BYTES } from '../services/file-uploads.js';
import { FILES_PATH, readSignedFile, signFileUrls } from '../services/file-urls.js';
import { mountOAuthRoutes } from './routes-oauth.js';

export const BODY_LIMIT_BYTES = 500 * 1000;
/** A file upload's part (20 MB) and room for the form around it (http/multipart.ts). */
export const FORM_LIMIT_BYTES = MAX_PART_BYTES + 64 * 1024;

/** The HTTP server's limits on slow and idle clients and on connections (the config file's `server` key). */
export interface ServerLimits {
  /** Time a client has to send the request line and headers; then 408 and the connection is closed. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send the whole request, headers and body (0: no limit); then 408 and close. */
  readonly requestTimeoutMs: number;
  /** A keep-alive connection with no request for this long is closed. */
  readonly keepAliveTimeoutMs: number;
  /** A connection with no byte in either direction for this long is closed, even mid-request (0: never). */
  readonly idleTimeoutMs: number;
  /** Connections open at once; one more is answered 503 `service_unavailable` and closed, its request unread. */
  readonly maxConnections: number;
}

/**
 * Defaults no legitimate client meets: 500 KB (the body limit) in 30 s is 17 KB/s; keep-alive is Node's 5 s
 * (clients' own idle timeouts, e.g. undici's 4 s, are shorter, so a reused connection is never closed under
 * them); the idle timeout only ends connections where nothing moves for two minutes.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 120_000,
  maxConnections: 1_000,
});

/** The reason a ServerLimits cannot be used (e.g. "headers_timeout_ms must be …"), or null; names are the config's. */
export function serverLimitsProblem(limits: ServerLimits): string | null {
  const rules: [string, number, number][] = [
    ['headers_timeout_ms', limits.headersTimeoutMs, 1],
    ['request_timeout_ms', limits.requestTimeoutMs, 0],
    ['keep_alive_timeout_ms', limits.keepAliveTimeoutMs, 1],
    ['idle_timeout_ms', limits.idleTimeoutMs, 0],
    ['max_connections', limits.maxConnections, 1],
  ];
  for (const [name, value, min] of rules) {
    if (!Number.isSafeInteger(value) || value < min || value > 2_147_483_647)
      return `${name} must be an integer from ${min} to 2147483647, not ${value}`;
  }
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs)
    return `headers_timeout_ms (${limits.headersTimeoutMs}) must not exceed request_timeout_ms (${limits.requestTimeoutMs})`;
  return null;
}

/** What the log says of a request and a reply: never the query string (a sign-in token travels there) or a header. */
export const LOG_SERIALIZERS = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: (request.url ?? '').split('?')[0],
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  limiter: RateLimiter;
  faults: FaultInjector;
  requestLog: RequestLog;
  metrics: Metrics;
  /** Where services describe committed writes (services/changes.ts). */
  changes: ChangeFeed;
  /** Bearer token of the admin API (`/__admin/…`); the admin API is off without one. */
  adminToken: string | null;
  /** Timeouts and the connection cap (default DEFAULT_SERVER_LIMITS). */
  serverLimits?: ServerLimits;
  /** Host names served besides IP literals and localhost (http/host-check.ts). */
  allowedHosts?: readonly string[];
}

/** What the pipeline learnt about a request, for the request log and metrics. */
interface RequestFacts {
  principal: Principal | null;
  /** For a 401 with a refreshed (revoked) token: whose it was, so the owner sees it in their log. */
  revokedOwner: { integrationId: string; workspaceId: string } | null;
  route: string | null;
  error: ApiError | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No route declares a JSON schema (zod validates in the services), so Fastify need not load ajv. */
const NO_SCHEMA_COMPILERS = {
  compilersFactory: {
    buildValidator: () => () => () => true,
    buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
  },
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;

const METHODS: Method[] = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'];

function buildRouter(): Router<ApiRoute> {
  const router = new Router<ApiRoute>();
  for (const route of API_ROUTES) router.add({ method: route.method, path: route.path, handler: route });
  return router;
}

/** Parses the raw body only once the request is known to be authenticated and routed. */
function parseJsonBody(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
  assertNoNul(text, body);
  return body;
}

/** 2026-03-11 renamed `archived` to `in_trash` in requests and rejects the old key (reference §11.5). */
function rejectArchived(body: unknown): void {
  if (isPlainObject(body) && 'archived' in body) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.archived should be not present, instead was ${renderValue(body.archived)}.`,
    );
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request's Notion-Version, or the 400 Notion gives for a missing or unknown one. */
function resolveVersion(value: string | string[] | undefined): ApiVersion {
  if (value === undefined) throw new ApiError('missing_version', MESSAGES.missingVersion);
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !isApiVersion(v)) throw new ApiError('validation_error', invalidVersionMessage(v ?? ''));
  return v;
}

function checkPathParams(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('_id') && name !== 'property_id' && !isId(value)) {
      throw new ApiError(
        'validation_error',
        `path failed validation: path.${name} should be a valid uuid, instead was ${renderValue(value)}.`,
      );
    }
  }
}

/** Reads a GET request's body (if any) from the raw stream, within the same size limit as other bodies. */
async function readGetBody(request: FastifyRequest): Promise<string | undefined> {
  const raw = request.raw;
  const length = Number(raw.headers['content-length'] ?? 0);
  if (!(length > 0) && raw.headers['transfer-encoding'] === undefined) return undefined;
  if (length > BODY_LIMIT_BYTES) throw new ApiError('validation_error', MESSAGES.bodyTooLarge);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new ApiError('validation_error', MESSAGES.bodyTooLarge);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GET and DELETE take no body; Notion validates one if sent, key by key. */
function checkNoBody(body: unknown): void {
  if (body === undefined) return;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const [key, value] = Object.entries(body)[0] ?? [];
    if (key === undefined) return;
    throw new ApiError(
      'validation_error',
      `body failed validation: body.${key} should be not present, instead was ${renderValue(value)}.`,
    );
  }
  throw new ApiError(
    'validation_error',
    `body failed validation: body should be not present, instead was ${renderValue(body)}.`,
  );
}

/** Node and Fastify's names for the server limits; Node checks the header and request timeouts every interval. */
function serverOptions(limits: ServerLimits) {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || limits.headersTimeoutMs);
  return {
    // Fastify takes 0 as "its default", so these two are never 0 here: Node's `timeout` 0 means none.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node's default is 30 s, which would let a 500 ms timeout run for 30 s.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(shortest / 5))),
    },
  };
}

/** A complete HTTP/1.1 answer in Notion's error shape, for a socket about to close. */
function rawErrorAnswer(
  status: number,
  reason: string,
  message: string,
  code: 'invalid_request' | 'service_unavailable' = 'invalid_request',
  headers: Record<string, string> = {},
): string {
  // The body is errorBody's; for invalid_request the status may be HTTP's more precise one (408, 431).
  const body = JSON.stringify({ ...errorBody(new ApiError(code, message), randomUUID()), status });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    body,
  ].join('\r\n');
}

/**
 * Bytes that are not HTTP, or a request not received in time: answer once in Notion's shape, then close. A
 * reset connection, or one whose answer has begun, gets nothing more.
 */
function clientErrorHandler(limits: ServerLimits) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    // The response in flight on this socket, as Node's own handler checks it: once begun, no other answer fits.
    const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || answered || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    let answer: string;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      // Node does not say whether the headers or the body were late; both limits are named.
      const whole = limits.requestTimeoutMs > 0 ? ` and the whole request within ${limits.requestTimeoutMs} ms` : '';
      const message = `Request timed out: the headers must arrive within ${limits.headersTimeoutMs} ms${whole}.`;
      answer = rawErrorAnswer(408, 'Request Timeout', message);
    } else if (error.code === 'HPE_HEADER_OVERFLOW') {
      answer = rawErrorAnswer(431, 'Request Header Fields Too Large', 'Unsupported request: headers too large.');
    } else {
      answer = rawErrorAnswer(400, 'Bad Request', 'Unsupported request: malformed HTTP request.');
    }
    socket.end(answer);
    // A client that neither reads nor closes does not keep the connection open.
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/** Fastify with the platform's options: no schema compilers, Notion-shaped errors even before routing. */
function createFastify(deps: AppDeps): FastifyInstance {
  const limits = deps.serverLimits ?? DEFAULT_SERVER_LIMITS;
  const problem = serverLimitsProblem(limits);
  if (problem) throw new Error(`server limits: ${problem}`);
  const app = Fastify({
    // The platform's serializers win over Fastify's (which log the URL with its query string).
    loggerInstance: deps.logger.child({}, { serializers: LOG_SERIALIZERS }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    schemaController: NO_SCHEMA_COMPILERS,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ...serverOptions(limits),
    // Errors raised before routing (a URL that is not valid percent-encoding, …) get Notion's shape too.
    frameworkErrors: (error, request, reply) => {
      const apiError = error.code === 'FST_ERR_BAD_URL' ? errors.invalidUrl() : toApiError(error).apiError;
      void sendError(reply, apiError, request.id);
    },
    clientErrorHandler: clientErrorHandler(limits),
  });
  capConnections(app.server, limits.maxConnections);
  return app;
}

/**
 * At most `max` connections reach HTTP at once. One more is answered 503 `service_unavailable` with Retry-After
 * and closed, without reading its request (Node's own `maxConnections` closes it silently, and fetch then waits
 * forever); past another `max` of those being answered, a connection is closed at once.
 */
function capConnections(server: Server, max: number): void {
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  let open = 0;
  let refusing = 0;
  // Notion's message for its 503 (docs/errors.md), as fault injection uses it; a request id per connection.
  const answer = () =>
    rawErrorAnswer(503, 'Service Unavailable', MESSAGES.unavailable, 'service_unavailable', {
      'Retry-After': '1',
    });
  server.on('connection', (socket: Socket) => {
    if (open < max) {
      open++;
      socket.once('close', () => open--);
      for (const listener of listeners) listener.call(server, socket);
      return;
    }
    if (refusing >= max) {
      socket.destroy();
      return;
    }
    refusing++;
    socket.once('close', () => refusing--);
    socket.on('error', () => socket.destroy());
    socket.resume(); // read and drop the request, so closing does not reset the connection under the answer
    socket.end(answer());
    setTimeout(() => socket.destroy(), 1000).unref();
  });
}

type FactsByRequest = WeakMap<FastifyRequest, RequestFacts>;

/** After the answer is sent: the request log and metrics, off the client's clock. */
async function recordRequest(
  deps: AppDeps,
  factsByRequest: FactsByRequest,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const facts = factsByRequest.get(request);
  if (!facts) return;
  const status = reply.statusCode;
  const route = facts.route ?? 'unmatched';
  const integration = facts.principal?.integrationId ?? 'none';
  deps.metrics.requests.inc({ method: request.method, route, status: String(status), integration });
  deps.metrics.duration.observe({ route }, reply.elapsedTime / 1000);
  const code = facts.error?.code ?? null;
  deps.requestLog.record({
    time: deps.clock.now(),
    requestId: request.id,
    workspaceId: facts.principal?.workspaceId ?? facts.revokedOwner?.workspaceId ?? null,
    integrationId: facts.principal?.integrationId ?? facts.revokedOwner?.integrationId ?? null,
    method: request.method,
    route: facts.route,
    path: request.url.split('?')[0] ?? '',
    status,
    code,
    message: facts.error?.message ?? null,
    durationMs: reply.elapsedTime,
    notFoundReason:
      code === 'object_not_found' && facts.principal
        ? await notFoundReason(deps.store, facts.principal, facts.error!.message)
        : null,
  });
}

/** The rate limit for this integration and workspace: passes, or throws Notion's 429. */
async function admitOrRefuse(deps: AppDeps, principal: Principal): Promise<void> {
  const decision = await deps.limiter.admit(principal.integrationId, principal.workspaceId, principal.rateLimit);
  if (decision.allowed) return;
  deps.metrics.rateLimited.inc({ integration: principal.integrationId, reason: decision.reason });
  const seconds = String(decision.retryAfterSeconds);
  throw new ApiError(
    'rate_limited',
    MESSAGES.rateLimited,
    { rate_limit_reason: decision.reason, retry_after: seconds },
    { 'retry-after': seconds },
  );
}

/** Fault injection for this integration and route: added latency, then an error now or after the service. */
async function injectFault(deps: AppDeps, principal: Principal, method: string, route: ApiRoute) {
  const fault = deps.faults.decide({
    integrationId: principal.integrationId,
    integrationName: principal.integrationName,
    workspaceId: principal.workspaceId,
    method,
    route: route.path,
  });
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.error && !fault.afterCommit) {
    deps.metrics.faults.inc({ status: String(fault.error.status) });
    throw fault.error;
  }
  return fault;
}

const baseUrlOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? 'localhost'}`;

/**
 * The request's body: multipart/form-data for a route that takes it (read only now, after authentication, up to
 * a part's size), JSON for the others. Fastify does not read GET bodies, nor multipart ones (buildApp): Notion
 * validates them as JSON, so they are read here within the usual limit.
 */
async function requestBody(request: FastifyRequest, route: ApiRoute): Promise<unknown> {
  if (route.multipart) {
    const tooLarge = () => new ApiError('validation_error', FILE_UPLOAD_MESSAGES.tooLarge(MAX_PART_BYTES));
    return readMultipart(request, FORM_LIMIT_BYTES, tooLarge);
  }
  const unread = request.method === 'GET' || isMultipart(request.headers['content-type']);
  return parseJsonBody(unread ? await readGetBody(request) : request.body);
}

/**
 * GET /files/<upload id>/<file name>: an uploaded file through its signed URL, without a token (the signature is
 * the credential). Errors have Notion's shape: 403 for a changed or expired URL, 404 for a file no longer kept.
 */
function fileHandler(deps: AppDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { upload_id: id, filename } = request.params as { upload_id: string; filename: string };
    if (!isId(id)) throw errors.invalidUrl();
    const query = (request.query ?? {}) as Record<string, unknown>;
    // The name is signed as it appears in the URL, percent-encoded; Fastify hands it over decoded.
    const file = await readSignedFile(deps.store, deps.clock, id, encodeURIComponent(filename), query);
    void reply
      .code(200)
      .header('content-type', file.contentType)
      .header('content-length', String(file.contentLength))
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('cache-control', 'private, max-age=3600');
    return reply.send(Readable.from(file.parts));
  };
}

/** The pipeline of one /v1 request, stage by stage (docs/architecture.md). */
function apiHandler(deps: AppDeps, factsByRequest: FactsByRequest) {
  const router = buildRouter();
  // Who a token is, remembered until the next write to the auth tables by any process (auth/principal-cache.ts).
  const principals = new PrincipalCache(deps.store);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const facts: RequestFacts = { principal: null, revokedOwner: null, route: null, error: null };
    factsByRequest.set(request, facts);
    const token = bearerToken(request.headers.authorization);
    const principal = token ? await principals.lookup(token) : null;
    if (!principal) {
      if (token) facts.revokedOwner = await revokedTokenOwner(deps.store, token);
      throw errors.unauthorized();
    }
    facts.principal = principal;
    const version = resolveVersion(request.headers['notion-version']);
    await admitOrRefuse(deps, principal);
    const pathname = request.url.split('?')[0] ?? '';
    const match = router.match(request.method, pathname.replace(/\/+$/, ''));
    if (!match.route) throw errors.invalidUrl();
    const route = match.route.handler;
    facts.route = route.path;
    const fault = await injectFault(deps, principal, request.method, route);
    if (!satisfies(principal.capabilities, route.requirement)) throw errors.restricted();
    checkPathParams(match.params);
    const body = await requestBody(request, route);
    if (route.method === 'GET' || route.method === 'DELETE') checkNoBody(body);
    if (is2026(version)) rejectArchived(body);
    const result = await route.handle(
      {
        store: deps.store,
        clock: deps.clock,
        principal,
        version,
        changes: deps.changes,
        baseUrl: baseUrlOf(request),
      },
      { params: normalizeParams(match.params), query: (request.query ?? {}) as Record<string, unknown>, body },
    );
    if (fault.error) {
      // The write is committed; the answer is lost on the way back, as after a gateway timeout.
      deps.metrics.faults.inc({ status: String(fault.error.status) });
      throw fault.error;
    }
    // Notion's 2026 responses carry the request id in every body (reference §8.1), whatever the version; a
    // request that became an async task is answered 202 Accepted (services/async-tasks.ts).
    const accepted = result instanceof Accepted;
    const payload = accepted ? result.body : result;
    const answer = isPlainObject(payload) ? { ...payload, request_id: request.id } : payload;
    // Uploaded files are stored as placeholders; each answer carries freshly signed URLs (services/file-urls.ts).
    const text = await signFileUrls(deps.store, deps.clock, baseUrlOf(request), JSON.stringify(answer));
    return reply
      .code(accepted ? 202 : 200)
      .header('content-type', 'application/json; charset=utf-8')
      .send(text);
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps);

  // Every body arrives as text, whatever its content type; it is parsed as JSON later in the pipeline.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // multipart/form-data is left unread: the pipeline reads it once the request is authenticated (requestBody).
  app.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null, undefined));

  const factsByRequest: FactsByRequest = new WeakMap();

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-notion-request-id', request.id);
    if (!isAllowedHost(request.headers.host, deps.allowedHosts ?? [])) {
      const name = hostName(request.headers.host ?? '');
      return sendError(
        reply,
        new ApiError(
          'restricted_resource',
          `Host "${name}" is not allowed: add it to allowed_hosts in the server's config to serve it.`,
        ),
        request.id,
      );
    }
  });
  app.addHook('onResponse', (request, reply) => recordRequest(deps, factsByRequest, request, reply));

  app.setErrorHandler((error, request, reply) => {
    const { apiError, unexpected } = toApiError(error);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    const facts = factsByRequest.get(request);
    if (facts) facts.error = apiError;
    return sendError(reply, apiError, request.id, facts?.principal?.integrationId);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, errors.invalidUrl(), request.id));

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  if (deps.adminToken) mountAdminRoutes(app, deps, deps.adminToken);

  app.get(`${FILES_PATH}/:upload_id/:filename`, fileHandler(deps));
  // Public integrations' OAuth endpoints: HTTP Basic client auth and RFC 6749 answers, not the pipeline below.
  mountOAuthRoutes(app, deps);

  const handle = apiHandler(deps, factsByRequest);
  app.route({ method: METHODS, url: '/v1/*', handler: handle });
  app.route({ method: METHODS, url: '/v1', handler: handle });
  return app;
}

/** Ids are echoed dashed and lowercase whichever form the request used (checked by checkPathParams). */
function normalizeParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = (k !== 'property_id' && normalizeId(v)) || v;
  return out;
}
