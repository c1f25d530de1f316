// Monitoring for the workspace owner: the request log of this workspace (filters, cursor pages, 404
// reasons), per-minute and per-integration summaries computed in the store, per-integration rate limits
// (services/rate-limits.ts: the same rule and write as the admin API) and this workspace's fault rules
// (limits/fault-injector.ts: made here or by the admin API for one of its integrations, by id; they never
// match another workspace's integrations). Another workspace's rule is neither shown nor deletable here (it
// answers as a missing one); server-wide rules (config file, admin API) reaching its integrations are counted.
import { ApiError } from '../errors.js';
import { zFaultRule, type FaultInjector } from '../limits/fault-injector.js';
import { queryRequestLog, summarizeRequestLog } from '../observability/request-log-query.js';
import { integrationNames } from '../services/integrations.js';
import {
  MAX_REQUESTS_PER_MINUTE,
  MIN_REQUESTS_PER_MINUTE,
  RateLimitNotFoundError,
  readIntegrationRateLimits,
  setIntegrationRateLimit,
} from '../services/rate-limits.js';
import { PortalError, portalErrors } from './portal-http.js';
import { pathId, personActor, type PortalContext, type PortalMonitoring, type PortalRoute } from './portal-context.js';
import type { PortalFaultRule, PortalLimits, PortalRequestPage, PortalRequestSummary } from './portal-types.js';

export const MAX_SUMMARY_MINUTES = 24 * 60;

function monitoring(ctx: PortalContext): PortalMonitoring {
  if (!ctx.monitoring) throw new PortalError('not_found', 'Monitoring is not available on this server.');
  return ctx.monitoring;
}

async function requests(ctx: PortalContext): Promise<PortalRequestPage> {
  const m = monitoring(ctx);
  await m.requestLog.flush();
  const query = Object.fromEntries(Object.entries(ctx.query).filter(([k, v]) => k !== 'workspace_id' && v !== ''));
  const page = await queryRequestLog(ctx.store, query, ctx.session.workspace.id);
  return {
    results: page.results.map(({ workspace_id: _ws, ...entry }) => entry),
    next_cursor: page.next_cursor,
    has_more: page.has_more,
  };
}

async function summary(ctx: PortalContext): Promise<PortalRequestSummary> {
  const m = monitoring(ctx);
  await m.requestLog.flush();
  const minutes = Math.min(MAX_SUMMARY_MINUTES, Math.max(1, Number(ctx.query.minutes ?? 60) || 60));
  const now = ctx.clock.now();
  const since = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - (minutes - 1) * 60_000);
  const counted = await summarizeRequestLog(ctx.store, ctx.session.workspace.id, since);
  return { since: since.toISOString(), minutes, ...counted };
}

/** This workspace's rules, and how many global rules reach its integrations (`names`: id → name). */
function ownRules(
  faults: FaultInjector,
  workspaceId: string,
  names: Map<string, string>,
): { own: PortalFaultRule[]; global: number } {
  const ownNames = new Set(names.values());
  const own: PortalFaultRule[] = [];
  let global = 0;
  for (const r of faults.list()) {
    if (r.workspace_id === null) {
      if (!r.integration || names.has(r.integration) || ownNames.has(r.integration)) global++;
      continue;
    }
    if (r.workspace_id !== workspaceId || !r.integration) continue;
    own.push({
      id: r.id,
      integration_id: r.integration,
      route: r.route ?? null,
      status: r.status ?? null,
      probability: r.probability ?? null,
      count: r.count ?? null,
      remaining: r.remaining,
      matched: r.matched,
      latency_ms: r.latency_ms ?? null,
      after_commit: r.after_commit ?? false,
    });
  }
  return { own, global };
}

async function limits(ctx: PortalContext): Promise<PortalLimits> {
  const m = monitoring(ctx);
  const budgets = await readIntegrationRateLimits(ctx.store, ctx.session.workspace.id);
  const names = new Map(budgets.map((r) => [r.id, r.name]));
  const { own, global } = ownRules(m.faults, ctx.session.workspace.id, names);
  const rl = m.rateLimit;
  return {
    rate_limit: {
      enabled: rl.enabled,
      mode: rl.mode,
      requests_per_minute: rl.requestsPerMinute,
      workspace_requests_per_minute: rl.workspaceRequestsPerMinute,
      requests_per_second: rl.requestsPerSecond,
    },
    integrations: budgets.map((r) => ({ id: r.id, name: r.name, requests_per_minute: r.requestsPerMinute })),
    faults: own,
    global_fault_count: global,
  };
}

/** Sets or clears (null) an integration's own per-minute budget; the API reads it on the next request. */
async function setRateLimit(ctx: PortalContext): Promise<PortalLimits> {
  const id = pathId(ctx, 'id', 'This integration');
  const change = {
    integrationId: id,
    workspaceId: ctx.session.workspace.id,
    setting: { requests_per_minute: ctx.body.requests_per_minute },
    actor: personActor(ctx),
    now: ctx.clock.now(),
  };
  await setIntegrationRateLimit(ctx, change).catch((error: unknown) => {
    if (error instanceof RateLimitNotFoundError) throw portalErrors.notFound('This integration');
    if (error instanceof ApiError && error.code === 'validation_error')
      throw portalErrors.invalid(
        `requests_per_minute should be a whole number from ${MIN_REQUESTS_PER_MINUTE} to ${MAX_REQUESTS_PER_MINUTE}, or null for the default.`,
      );
    throw error;
  });
  return limits(ctx);
}

async function addFault(ctx: PortalContext): Promise<PortalLimits> {
  const m = monitoring(ctx);
  const { integration_id: raw, ...rest } = ctx.body;
  const names = await integrationNames(ctx.store, ctx.session.workspace.id);
  const id = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (!names.has(id)) throw portalErrors.invalid("Choose one of this workspace's integrations for the fault rule.");
  const parsed = zFaultRule.safeParse({ ...rest, integration: id });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw portalErrors.invalid(`${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.status === undefined && parsed.data.latency_ms === undefined)
    throw portalErrors.invalid('A fault rule needs a status to answer with, an added latency, or both.');
  m.faults.add({ ...parsed.data, workspace_id: ctx.session.workspace.id });
  return limits(ctx);
}

async function removeFault(ctx: PortalContext): Promise<PortalLimits> {
  const m = monitoring(ctx);
  const names = await integrationNames(ctx.store, ctx.session.workspace.id);
  const ruleId = ctx.params.rule_id ?? '';
  if (!ownRules(m.faults, ctx.session.workspace.id, names).own.some((r) => r.id === ruleId))
    throw portalErrors.notFound('This fault rule');
  m.faults.remove(ruleId);
  return limits(ctx);
}

export const MONITORING_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/requests', ownerOnly: true, handle: requests },
  { method: 'GET', path: '/requests/summary', ownerOnly: true, handle: summary },
  { method: 'GET', path: '/limits', ownerOnly: true, handle: limits },
  { method: 'PUT', path: '/integrations/:id/rate_limit', ownerOnly: true, handle: setRateLimit },
  { method: 'POST', path: '/faults', ownerOnly: true, handle: addFault },
  { method: 'DELETE', path: '/faults/:rule_id', ownerOnly: true, handle: removeFault },
];
