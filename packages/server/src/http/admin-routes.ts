// The admin API (`/__admin/…`, bearer admin token from the config): request log, fault injection,
// per-integration rate limits, new workspaces from a seed and workspace resets — what tests, scripts and the
// portal use (notion-local/testing drives it: packages/server/src/testing/).
// Errors use Notion's shape, through the same error writer as the API. A fault rule that names an
// integration belongs to that integration's workspace: by id (any workspace) or by name, with
// `workspace_id` when the name is in more than one workspace (an ambiguous name is refused).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearerToken } from '../auth/authenticate.js';
import { sameSecret } from '../auth/tokens.js';
import { errors } from '../errors.js';
import { parseWith, zId } from '../domain/validation.js';
import { zFaultRule, type FaultInjector, type FaultRuleSpec } from '../limits/fault-injector.js';
import { queryRequestLog } from '../observability/request-log-query.js';
import type { RequestLog } from '../observability/request-log.js';
import type { Actor, ChangeFeed } from '../services/changes.js';
import { RateLimitNotFoundError, setIntegrationRateLimit } from '../services/rate-limits.js';
import { findIntegrationsNamed } from '../services/users.js';
import { resetWorkspace } from '../services/workspaces.js';
import { createSeedWorkspace } from './admin-workspaces.js';
import { mountAdminWebhookRoutes } from './admin-webhooks.js';
import type { Store } from '../store/sql-store.js';
import type { Clock } from '../clock.js';

interface AdminDeps {
  store: Store;
  clock: Clock;
  faults: FaultInjector;
  requestLog: RequestLog;
  changes: ChangeFeed;
}

/** A rule as the admin API takes it: a fault rule, and which workspace a name is looked up in. */
const zAdminFaultRule = zFaultRule.extend({ workspace_id: zId.optional() }).strict();

/**
 * The rule with its integration resolved to one integration's id and that integration's workspace; a rule
 * without an integration stays global (every integration). Errors name the field as `at` says.
 */
async function resolveFaultRule(
  store: Store,
  rule: z.infer<typeof zAdminFaultRule>,
  at: string,
): Promise<FaultRuleSpec> {
  const { workspace_id: workspaceId, ...rest } = rule;
  if (rule.integration === undefined) {
    if (workspaceId === undefined) return rest;
    throw errors.validation(
      `body failed validation: ${at}.workspace_id needs ${at}.integration (a rule without one applies to every integration).`,
    );
  }
  const found = await findIntegrationsNamed(store, rule.integration, workspaceId ?? null);
  const where = workspaceId === undefined ? '' : ` of workspace ${workspaceId}`;
  if (found.length === 0)
    throw errors.validation(
      `body failed validation: ${at}.integration should be the id or name of an integration${where}, instead was \`${JSON.stringify(rule.integration)}\`.`,
    );
  if (found.length > 1)
    throw errors.validation(
      `body failed validation: ${at}.integration \`${JSON.stringify(rule.integration)}\` names integrations in ${found.length} workspaces; add ${at}.workspace_id to say which.`,
    );
  return { ...rest, integration: found[0]!.id, workspace_id: found[0]!.workspace_id };
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
    admin.post('/__admin/faults', async (request, reply) => {
      const rule = await resolveFaultRule(deps.store, parseWith(zAdminFaultRule, body(request)), 'body');
      return json(reply, deps.faults.add(rule));
    });
    admin.put('/__admin/faults', async (request, reply) => {
      const { rules } = parseWith(z.object({ rules: z.array(zAdminFaultRule) }).strict(), body(request));
      const resolved = [];
      for (const [i, rule] of rules.entries())
        resolved.push(await resolveFaultRule(deps.store, rule, `body.rules[${i}]`));
      deps.faults.replace(resolved);
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

    // One workspace in the seed format → a new, isolated workspace with its own integrations and tokens.
    admin.post('/__admin/workspaces', async (request, reply) => {
      const started = performance.now();
      const created = await createSeedWorkspace(deps, body(request), deps.clock.now());
      return json(reply, { ...created, duration_ms: Math.round((performance.now() - started) * 100) / 100 });
    });

    mountAdminWebhookRoutes(admin, deps, body);

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
