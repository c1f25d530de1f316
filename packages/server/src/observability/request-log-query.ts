// Reading the request log back: filters and newest-first cursor pagination (the cursor is a sequence number).
import { z } from 'zod';
import { parseWith, zId } from '../domain/validation.js';
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

/** The stored row: the view's columns, with the sequence number and time as the store gives them. */
type Row = Omit<RequestLogEntryView, 'id' | 'time'> & { seq: string; time: Date };

export async function queryRequestLog(
  db: SqlExecutor,
  rawQuery: unknown,
  scopeWorkspaceId?: string,
): Promise<RequestLogPage> {
  const q = parseWith(zRequestLogQuery, rawQuery, 'query');
  const pageSize = q.page_size ?? 50;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  const workspace = scopeWorkspaceId ?? q.workspace_id;
  if (workspace) add('workspace_id = ?', workspace);
  if (q.integration_id) add('integration_id = ?', q.integration_id);
  if (q.status !== undefined) add('status = ?', q.status);
  if (q.code) add('code = ?', q.code);
  if (q.route) add('route = ?', q.route);
  if (q.method) add('method = ?', q.method.toUpperCase());
  if (q.start_cursor !== undefined) add('seq <= ?', q.start_cursor);
  params.push(pageSize + 1);
  const rows = await db.query<Row>(
    `SELECT seq, time, request_id, workspace_id, integration_id, method, route, path, status, code, message, duration_ms, not_found_reason
     FROM request_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, pageSize);
  const next = rows[pageSize];
  return {
    object: 'list',
    results: page.map((r) => ({
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
    })),
    next_cursor: next ? String(next.seq) : null,
    has_more: next !== undefined,
  };
}
