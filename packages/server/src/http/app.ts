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
import type { Logger } from 'pino';
import { satisfies } from '../auth/capabilities.js';
import { bearerToken, revokedTokenOwner } from '../auth/authenticate.js';
import type { ChangeFeed } from '../services/changes.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import type { Clock } from '../clock.js';
import { ACCEPTED_VERSIONS, ApiError, errors, invalidVersionMessage, MESSAGES } from '../errors.js';
import { isId, normalizeId } from '../ids.js';
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

export const BODY_LIMIT_BYTES = 500 * 1000;

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

function checkVersion(value: string | string[] | undefined): void {
  if (value === undefined) throw new ApiError('missing_version', MESSAGES.missingVersion);
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !(ACCEPTED_VERSIONS as readonly string[]).includes(v))
    throw new ApiError('validation_error', invalidVersionMessage(v ?? ''));
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

/** Fastify with the platform's options: no schema compilers, Notion-shaped errors even before routing. */
function createFastify(deps: AppDeps): FastifyInstance {
  return Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    schemaController: NO_SCHEMA_COMPILERS,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Errors raised before routing (a URL that is not valid percent-encoding, …) get Notion's shape too.
    frameworkErrors: (error, request, reply) => {
      const apiError = error.code === 'FST_ERR_BAD_URL' ? errors.invalidUrl() : toApiError(error).apiError;
      void sendError(reply, apiError, request.id);
    },
    // Bytes that are not HTTP at all: answer once in Notion's shape, then close the connection.
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify(
        errorBody(new ApiError('invalid_request', 'Unsupported request: malformed HTTP request.'), randomUUID()),
      );
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      void error;
    },
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
    checkVersion(request.headers['notion-version']);
    await admitOrRefuse(deps, principal);
    const pathname = request.url.split('?')[0] ?? '';
    const match = router.match(request.method, pathname.replace(/\/+$/, ''));
    if (!match.route) throw errors.invalidUrl();
    const route = match.route.handler;
    facts.route = route.path;
    const fault = await injectFault(deps, principal, request.method, route);
    if (!satisfies(principal.capabilities, route.requirement)) throw errors.restricted();
    checkPathParams(match.params);
    // Fastify does not read GET bodies; Notion validates them, so read one if the client sent it.
    const body = parseJsonBody(request.method === 'GET' ? await readGetBody(request) : request.body);
    if (route.method === 'GET' || route.method === 'DELETE') checkNoBody(body);
    const result = await route.handle(
      {
        store: deps.store,
        clock: deps.clock,
        principal,
        changes: deps.changes,
        baseUrl: `${request.protocol}://${request.headers.host ?? 'localhost'}`,
      },
      { params: normalizeParams(match.params), query: (request.query ?? {}) as Record<string, unknown>, body },
    );
    if (fault.error) {
      // The write is committed; the answer is lost on the way back, as after a gateway timeout.
      deps.metrics.faults.inc({ status: String(fault.error.status) });
      throw fault.error;
    }
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(result));
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps);

  // Every body arrives as text, whatever its content type; it is parsed as JSON later in the pipeline.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const factsByRequest: FactsByRequest = new WeakMap();

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-notion-request-id', request.id);
  });
  app.addHook('onResponse', (request, reply) => recordRequest(deps, factsByRequest, request, reply));

  app.setErrorHandler((error, request, reply) => {
    const { apiError, unexpected } = toApiError(error);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    const facts = factsByRequest.get(request);
    if (facts) facts.error = apiError;
    return sendError(reply, apiError, request.id);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, errors.invalidUrl(), request.id));

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  if (deps.adminToken) mountAdminRoutes(app, deps, deps.adminToken);

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
