// The HTTP edge. Fastify only receives the request and sends the answer; the pipeline is one straight
// line of guard clauses (docs/architecture.md):
//   request id → body limit → authenticate → Notion-Version → route → capability → validate → service → serialize
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { satisfies } from '../auth/capabilities.js';
import { bearerToken, principalForToken } from '../auth/authenticate.js';
import type { Clock } from '../clock.js';
import { ACCEPTED_VERSIONS, ApiError, errors, invalidVersionMessage, MESSAGES } from '../errors.js';
import { isId, normalizeId } from '../ids.js';
import { renderValue } from '../domain/validation.js';
import type { Store } from '../store/sql-store.js';
import { API_ROUTES, type ApiRoute } from './routes.js';
import { Router, type Method } from './router.js';
import { sendError, toApiError } from './error-writer.js';

export const BODY_LIMIT_BYTES = 500 * 1000;

export interface AppDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

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
  try {
    return JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
}

function checkVersion(value: string | string[] | undefined): void {
  if (value === undefined) throw new ApiError('missing_version', MESSAGES.missingVersion);
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !(ACCEPTED_VERSIONS as readonly string[]).includes(v)) throw new ApiError('validation_error', invalidVersionMessage(v ?? ''));
}

function checkPathParams(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('_id') && name !== 'property_id' && !isId(value)) {
      throw new ApiError('validation_error', `path failed validation: path.${name} should be a valid uuid, instead was ${renderValue(value)}.`);
    }
  }
}

/** GET and DELETE take no body; Notion validates one if sent, key by key. */
function checkNoBody(body: unknown): void {
  if (body === undefined) return;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const [key, value] = Object.entries(body)[0] ?? [];
    if (key === undefined) return;
    throw new ApiError('validation_error', `body failed validation: body.${key} should be not present, instead was ${renderValue(value)}.`);
  }
  throw new ApiError('validation_error', `body failed validation: body should be not present, instead was ${renderValue(body)}.`);
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const router = buildRouter();
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });

  // Every body arrives as text, whatever its content type; it is parsed as JSON later in the pipeline.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-notion-request-id', request.id);
  });

  app.setErrorHandler((error, request, reply) => {
    const { apiError, unexpected } = toApiError(error);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, apiError, request.id);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, errors.invalidUrl(), request.id));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    const principal = token ? await principalForToken(deps.store, token) : null;
    if (!principal) throw errors.unauthorized();
    checkVersion(request.headers['notion-version']);
    const pathname = request.url.split('?')[0] ?? '';
    const match = router.match(request.method, pathname.replace(/\/+$/, ''));
    if (!match.route) throw errors.invalidUrl();
    const route = match.route.handler;
    if (!satisfies(principal.capabilities, route.requirement)) throw errors.restricted();
    checkPathParams(match.params);
    const body = parseJsonBody(request.body);
    if (route.method === 'GET' || route.method === 'DELETE') checkNoBody(body);
    const result = await route.handle(
      { store: deps.store, clock: deps.clock, principal },
      { params: normalizeParams(match.params), query: (request.query ?? {}) as Record<string, unknown>, body },
    );
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(result));
  };

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
