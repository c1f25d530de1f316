// The admin API (`/__admin/…`, bearer admin token from the config): request log, fault injection,
// per-integration rate limits and workspace resets — what tests, scripts and the portal use.
// Errors use Notion's shape, through the same error writer as the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearerToken } from '../auth/authenticate.js';
import { sameSecret } from '../auth/tokens.js';
import { errors } from '../errors.js';
import { parseWith, zId } from '../domain/validation.js';
import { zFaultRule, type FaultInjector } from '../limits/fault-injector.js';
import { queryRequestLog } from '../observability/request-log-query.js';
import type { RequestLog } from '../observability/request-log.js';
import type { Actor, ChangeFeed } from '../services/changes.js';
import { RateLimitNotFoundError, setIntegrationRateLimit } from '../services/rate-limits.js';
import { resetWorkspace } from '../services/workspaces.js';
import type { Store } from '../store/sql-store.js';
import type { Clock } from '../clock.js';

interface AdminDeps {
  store: Store;
  clock: Clock;
  faults: FaultInjector;
  requestLog: RequestLog;
  changes: ChangeFeed;
}

/** Whoever holds the admin token acts as the platform itself. */
const ADMIN_ACTOR: Actor = { type: 'system' };

export function mountAdminRoutes(app: FastifyInstance, deps: AdminDeps, adminToken: string): void {
  const guard = async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (!token || !sameSecret(token, adminToken)) throw errors.unauthorized();
  };
  const json = (reply: FastifyReply, value: unknown) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));
  const body = (request: FastifyRequest): unknown => {
    const raw = request.body;
    if (typeof raw !== 'string' || raw.trim() === '') return {};
    try {
      return JSON.parse(raw);
    } catch {
      throw errors.invalidJson();
    }
  };

  app.register(async (admin) => {
    admin.addHook('onRequest', guard);

    admin.get('/__admin/requests', async (request, reply) => {
      await deps.requestLog.flush();
      return json(reply, await queryRequestLog(deps.store, request.query));
    });

    admin.get('/__admin/faults', async (_request, reply) => json(reply, { rules: deps.faults.list() }));
    admin.post('/__admin/faults', async (request, reply) =>
      json(reply, deps.faults.add(parseWith(zFaultRule, body(request)))),
    );
    admin.put('/__admin/faults', async (request, reply) => {
      const { rules } = parseWith(z.object({ rules: z.array(zFaultRule) }).strict(), body(request));
      deps.faults.replace(rules);
      return json(reply, { rules: deps.faults.list() });
    });
    admin.delete('/__admin/faults', async (_request, reply) => {
      deps.faults.replace([]);
      return json(reply, { rules: [] });
    });
    admin.delete('/__admin/faults/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!deps.faults.remove(id))
        throw errors.validation(
          `path failed validation: path.id should be the id of a fault rule, instead was \`${JSON.stringify(id)}\`.`,
        );
      return json(reply, { rules: deps.faults.list() });
    });

    admin.put('/__admin/integrations/:integration_id/rate_limit', async (request, reply) => {
      const { integration_id: id } = parseWith(z.object({ integration_id: zId }), request.params, 'path');
      const change = { integrationId: id, workspaceId: null, setting: body(request), actor: ADMIN_ACTOR };
      const rateLimit = await setIntegrationRateLimit(deps, { ...change, now: deps.clock.now() }).catch(
        (error: unknown) => {
          throw error instanceof RateLimitNotFoundError ? errors.notFound('user', id) : error;
        },
      );
      return json(reply, { integration_id: id, rate_limit: rateLimit });
    });

    admin.post('/__admin/workspaces/:workspace_id/reset', async (request, reply) => {
      const { workspace_id: id } = parseWith(z.object({ workspace_id: zId }), request.params, 'path');
      const started = performance.now();
      await resetWorkspace(deps, id, deps.clock.now());
      return json(reply, {
        workspace_id: id,
        reset: true,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
      });
    });
  });
}
