// Reading the request log back: filters and newest-first cursor pagination (the cursor is a sequence number),
// and a workspace's summary per minute and per integration (the portal's Monitoring screen).
import { z } from 'zod';
import { parseWith, zId } from '../domain/validation.js';
import {
  countRequestsPerMinute,
  listRequests,
  requestStatsPerIntegration,
  requestStatsTotal,
  type RequestLogRow,
  type RequestStatsRow,
} from '../store/request-log-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

export const zRequestLogQuery = z
  .object({
    workspace_id: zId.optional(),
    integration_id: zId.optional(),
    status: z.coerce.number().int().optional(),
    code: z.string().optional(),
    route: z.string().optional(),
    method: z.string().optional(),
    start_cursor: z.coerce.number().int().optional(),
    page_size: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

/** One API request as the request log answers it (admin API and portal): never a token or a body. */
export interface RequestLogEntryView {
  id: number;
  time: string;
  request_id: string;
  workspace_id: string | null;
  integration_id: string | null;
  method: string;
  route: string | null;
  path: string;
  status: number;
  code: string | null;
  message: string | null;
  duration_ms: number;
  /** For a 404: whether the object exists but is not shared (shown in the log, never in the API answer). */
  not_found_reason: string | null;
}

export interface RequestLogPage {
  object: 'list';
  results: RequestLogEntryView[];
  next_cursor: string | null;
  has_more: boolean;
}

export async function queryRequestLog(
  db: SqlExecutor,
  rawQuery: unknown,
  scopeWorkspaceId?: string,
): Promise<RequestLogPage> {
  const q = parseWith(zRequestLogQuery, rawQuery, 'query');
  const pageSize = q.page_size ?? 50;
  const rows = await listRequests(
    db,
    {
      workspaceId: scopeWorkspaceId ?? q.workspace_id,
      integrationId: q.integration_id,
      status: q.status,
      code: q.code || undefined,
      route: q.route || undefined,
      method: q.method ? q.method.toUpperCase() : undefined,
      beforeSeq: q.start_cursor,
    },
    pageSize + 1,
  );
  const next = rows[pageSize];
  return {
    object: 'list',
    results: rows.slice(0, pageSize).map(entryView),
    next_cursor: next ? String(next.seq) : null,
    has_more: next !== undefined,
  };
}

function entryView(r: RequestLogRow): RequestLogEntryView {
  return {
    id: Number(r.seq),
    time: new Date(r.time).toISOString(),
    request_id: r.request_id,
    workspace_id: r.workspace_id,
    integration_id: r.integration_id,
    method: r.method,
    route: r.route,
    path: r.path,
    status: r.status,
    code: r.code,
    message: r.message,
    duration_ms: Math.round(r.duration_ms * 100) / 100,
    not_found_reason: r.not_found_reason,
  };
}

/** Counts and latency of a set of requests (milliseconds rounded to 0.01; null without requests). */
export interface RequestStats {
  total: number;
  errors: number;
  rate_limited: number;
  p50_ms: number | null;
  p95_ms: number | null;
}

export interface RequestSummary {
  per_minute: { minute: string; ok: number; client_errors: number; rate_limited: number; server_errors: number }[];
  /** Percentiles are 0 rather than null here: an integration listed made at least one request. */
  per_integration: (Omit<RequestStats, 'p50_ms' | 'p95_ms'> & {
    integration_id: string | null;
    p50_ms: number;
    p95_ms: number;
  })[];
  total: RequestStats;
}

const roundMs = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;

function statsView(r: RequestStatsRow | null): RequestStats {
  return {
    total: Number(r?.total ?? 0),
    errors: Number(r?.errors ?? 0),
    rate_limited: Number(r?.rate_limited ?? 0),
    p50_ms: roundMs(r?.p50),
    p95_ms: roundMs(r?.p95),
  };
}

/** A workspace's requests since `since`: per minute by outcome, per integration, and in total. */
export async function summarizeRequestLog(db: SqlExecutor, workspaceId: string, since: Date): Promise<RequestSummary> {
  const perMinute = await countRequestsPerMinute(db, workspaceId, since);
  const perIntegration = await requestStatsPerIntegration(db, workspaceId, since);
  const total = await requestStatsTotal(db, workspaceId, since);
  return {
    per_minute: perMinute.map((r) => ({
      minute: new Date(r.minute).toISOString(),
      ok: Number(r.ok),
      client_errors: Number(r.client_errors),
      rate_limited: Number(r.rate_limited),
      server_errors: Number(r.server_errors),
    })),
    per_integration: perIntegration.map((r) => {
      const stats = statsView(r);
      return { integration_id: r.integration_id, ...stats, p50_ms: stats.p50_ms ?? 0, p95_ms: stats.p95_ms ?? 0 };
    }),
    total: statsView(total),
  };
}
