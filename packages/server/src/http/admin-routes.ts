// The admin API (`/__admin/…`, bearer admin token from the config): request log, fault injection,
// per-integration rate limits and workspace resets — what tests, scripts and the portal use.
// Errors use Notion's shape, through the same error writer as the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { bearerToken } from '../auth/authenticate.js';
import { errors } from '../errors.js';
import { parseWith, zId } from '../domain/validation.js';
import { zFaultRule, type FaultInjector } from '../limits/fault-injector.js';
import { queryRequestLog } from '../observability/request-log-query.js';
import type { RequestLog } from '../observability/request-log.js';
import { resetWorkspace } from '../seed/seed-loader.js';
import type { Store } from '../store/sql-store.js';
import type { Clock } from '../clock.js';

interface AdminDeps {
  store: Store;
  clock: Clock;
  faults: FaultInjector;
  requestLog: RequestLog;
}

const zRateLimitSetting = z.object({ requests_per_minute: z.number().int().min(0).max(1_000_000).nullable() }).strict();

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

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
      const setting = parseWith(zRateLimitSetting, body(request));
      const rows = await deps.store.query<{ settings: Record<string, unknown> }>(
        `UPDATE integrations SET settings = CASE WHEN $2::int IS NULL THEN settings - 'rate_limit'
           ELSE jsonb_set(settings, '{rate_limit}', jsonb_build_object('requests_per_minute', $2::int)) END
         WHERE id = $1 RETURNING settings`,
        [id, setting.requests_per_minute],
      );
      if (!rows[0]) throw errors.notFound('user', id);
      return json(reply, { integration_id: id, rate_limit: rows[0].settings.rate_limit ?? null });
    });

    admin.post('/__admin/workspaces/:workspace_id/reset', async (request, reply) => {
      const { workspace_id: id } = parseWith(z.object({ workspace_id: zId }), request.params, 'path');
      const started = performance.now();
      await resetWorkspace(deps.store, id, deps.clock.now());
      return json(reply, {
        workspace_id: id,
        reset: true,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
      });
    });
  });
}
