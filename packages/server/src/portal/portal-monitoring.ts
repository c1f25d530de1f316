// Monitoring for the workspace owner: the request log of this workspace (filters, cursor pages, 404
// reasons), per-minute and per-integration summaries computed in SQL, per-integration rate limits
// (integrations.settings.rate_limit, read by the API on every request) and fault rules aimed at this
// workspace's integrations. Global fault rules (config file, admin API) are counted but not editable here.
import { zFaultRule, type FaultInjector } from '../limits/fault-injector.js';
import { queryRequestLog } from '../observability/request-log-query.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { PortalError, portalErrors } from './portal-http.js';
import { pathId, type PortalContext, type PortalMonitoring, type PortalRoute } from './portal-context.js';
import type { PortalFaultRule, PortalLimits, PortalRequestPage, PortalRequestSummary } from './portal-types.js';

export const MAX_SUMMARY_MINUTES = 24 * 60;
export const MAX_REQUESTS_PER_MINUTE = 100_000;

function monitoring(ctx: PortalContext): PortalMonitoring {
  if (!ctx.monitoring) throw new PortalError('not_found', 'Monitoring is not available on this server.');
  return ctx.monitoring;
}

async function integrationIds(db: SqlExecutor, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; name: string }>(
    'SELECT i.id, u.name FROM integrations i JOIN users u ON u.id = i.id WHERE i.workspace_id = $1',
    [workspaceId],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
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

interface MinuteRow {
  minute: Date;
  ok: string;
  client_errors: string;
  rate_limited: string;
  server_errors: string;
}
interface IntegrationRow {
  integration_id: string | null;
  total: string;
  errors: string;
  rate_limited: string;
  p50: number | null;
  p95: number | null;
}

async function summary(ctx: PortalContext): Promise<PortalRequestSummary> {
  const m = monitoring(ctx);
  await m.requestLog.flush();
  const minutes = Math.min(MAX_SUMMARY_MINUTES, Math.max(1, Number(ctx.query.minutes ?? 60) || 60));
  const now = ctx.clock.now();
  const since = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - (minutes - 1) * 60_000);
  const ws = ctx.session.workspace.id;
  const perMinute = await ctx.store.query<MinuteRow>(
    `SELECT date_trunc('minute', time) AS minute,
            count(*) FILTER (WHERE status < 400) AS ok,
            count(*) FILTER (WHERE status >= 400 AND status < 500 AND status <> 429) AS client_errors,
            count(*) FILTER (WHERE status = 429) AS rate_limited,
            count(*) FILTER (WHERE status >= 500) AS server_errors
     FROM request_log WHERE workspace_id = $1 AND time >= $2 GROUP BY 1 ORDER BY 1`,
    [ws, since],
  );
  const stats = `count(*) AS total, count(*) FILTER (WHERE status >= 400) AS errors, count(*) FILTER (WHERE status = 429) AS rate_limited,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95`;
  const perIntegration = await ctx.store.query<IntegrationRow>(
    `SELECT integration_id, ${stats} FROM request_log WHERE workspace_id = $1 AND time >= $2 GROUP BY integration_id ORDER BY count(*) DESC`,
    [ws, since],
  );
  const total = (
    await ctx.store.query<IntegrationRow>(
      `SELECT NULL AS integration_id, ${stats} FROM request_log WHERE workspace_id = $1 AND time >= $2`,
      [ws, since],
    )
  )[0];
  const ms = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
  return {
    since: since.toISOString(),
    minutes,
    per_minute: perMinute.map((r) => ({
      minute: new Date(r.minute).toISOString(),
      ok: Number(r.ok),
      client_errors: Number(r.client_errors),
      rate_limited: Number(r.rate_limited),
      server_errors: Number(r.server_errors),
    })),
    per_integration: perIntegration.map((r) => ({
      integration_id: r.integration_id,
      total: Number(r.total),
      errors: Number(r.errors),
      rate_limited: Number(r.rate_limited),
      p50_ms: ms(r.p50) ?? 0,
      p95_ms: ms(r.p95) ?? 0,
    })),
    total: {
      total: Number(total?.total ?? 0),
      errors: Number(total?.errors ?? 0),
      rate_limited: Number(total?.rate_limited ?? 0),
      p50_ms: ms(total?.p50),
      p95_ms: ms(total?.p95),
    },
  };
}

function ownRules(faults: FaultInjector, names: Map<string, string>): { own: PortalFaultRule[]; global: number } {
  const byName = new Map([...names].map(([id, name]) => [name, id]));
  const own: PortalFaultRule[] = [];
  let global = 0;
  for (const r of faults.list()) {
    if (!r.integration) {
      global++;
      continue;
    }
    const id = names.has(r.integration) ? r.integration : byName.get(r.integration);
    if (!id) continue;
    own.push({
      id: r.id,
      integration_id: id,
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
  const rows = await ctx.store.query<{ id: string; name: string; rpm: number | null }>(
    `SELECT i.id, u.name, (i.settings -> 'rate_limit' ->> 'requests_per_minute')::int AS rpm
     FROM integrations i JOIN users u ON u.id = i.id WHERE i.workspace_id = $1 ORDER BY i.created_time, u.created_time, u.id`,
    [ctx.session.workspace.id],
  );
  const { own, global } = ownRules(m.faults, new Map(rows.map((r) => [r.id, r.name])));
  const rl = m.rateLimit;
  return {
    rate_limit: {
      enabled: rl.enabled,
      mode: rl.mode,
      requests_per_minute: rl.requestsPerMinute,
      workspace_requests_per_minute: rl.workspaceRequestsPerMinute,
      requests_per_second: rl.requestsPerSecond,
    },
    integrations: rows.map((r) => ({
      id: r.id,
      name: r.name,
      requests_per_minute: r.rpm === null ? null : Number(r.rpm),
    })),
    faults: own,
    global_fault_count: global,
  };
}

/** Sets or clears (null) an integration's own per-minute budget; the API reads it on the next request. */
async function setRateLimit(ctx: PortalContext): Promise<PortalLimits> {
  const id = pathId(ctx, 'id', 'This integration');
  const value = ctx.body.requests_per_minute;
  if (
    value !== null &&
    (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_REQUESTS_PER_MINUTE)
  ) {
    throw portalErrors.invalid(
      `requests_per_minute should be a whole number from 1 to ${MAX_REQUESTS_PER_MINUTE}, or null for the default.`,
    );
  }
  const rows = await ctx.store.query(
    `UPDATE integrations SET settings = CASE WHEN $3::int IS NULL THEN settings - 'rate_limit'
       ELSE jsonb_set(settings, '{rate_limit}', jsonb_build_object('requests_per_minute', $3::int)) END
     WHERE id = $1 AND workspace_id = $2 RETURNING id`,
    [id, ctx.session.workspace.id, value],
  );
  if (rows.length === 0) throw portalErrors.notFound('This integration');
  return limits(ctx);
}

async function addFault(ctx: PortalContext): Promise<PortalLimits> {
  const m = monitoring(ctx);
  const { integration_id: raw, ...rest } = ctx.body;
  const names = await integrationIds(ctx.store, ctx.session.workspace.id);
  const id = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (!names.has(id)) throw portalErrors.invalid("Choose one of this workspace's integrations for the fault rule.");
  const parsed = zFaultRule.safeParse({ ...rest, integration: id });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw portalErrors.invalid(`${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.status === undefined && parsed.data.latency_ms === undefined)
    throw portalErrors.invalid('A fault rule needs a status to answer with, an added latency, or both.');
  m.faults.add(parsed.data);
  return limits(ctx);
}

async function removeFault(ctx: PortalContext): Promise<PortalLimits> {
  const m = monitoring(ctx);
  const names = await integrationIds(ctx.store, ctx.session.workspace.id);
  const ruleId = ctx.params.rule_id ?? '';
  if (!ownRules(m.faults, names).own.some((r) => r.id === ruleId)) throw portalErrors.notFound('This fault rule');
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
