// The request_log table: batches of API requests written off the hot path, each batch pruned to the retention
// limit in its own transaction, read back newest first with filters, and summarised per minute and per
// integration for the portal.
import { fixedPlan, type SqlExecutor, type Store } from './sql-store.js';

/** Serialises the batches of every process sharing a PostgreSQL store, so each keeps the bound exactly. */
const REQUEST_LOG_LOCK_KEY = 7312028;

/** One logged request, as the table stores it (never a token or a body). */
export interface RequestLogInsert {
  time: Date;
  requestId: string;
  workspaceId: string | null;
  integrationId: string | null;
  method: string;
  route: string | null;
  path: string;
  status: number;
  code: string | null;
  message: string | null;
  durationMs: number;
  notFoundReason: string | null;
}

/** The filters a read of the log may combine (all optional); `beforeSeq` is the cursor (inclusive). */
export interface RequestLogFilter {
  workspaceId?: string | undefined;
  integrationId?: string | undefined;
  status?: number | undefined;
  code?: string | undefined;
  route?: string | undefined;
  method?: string | undefined;
  beforeSeq?: number | undefined;
}

export interface RequestLogRow {
  seq: string;
  time: Date;
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
  not_found_reason: string | null;
}

export interface RequestMinuteRow {
  minute: Date;
  ok: string;
  client_errors: string;
  rate_limited: string;
  server_errors: string;
}

/** Request counts and latency percentiles, for one integration (null: none, or every one in a total). */
export interface RequestStatsRow {
  integration_id: string | null;
  total: string;
  errors: string;
  rate_limited: string;
  p50: number | null;
  p95: number | null;
}

// One statement text whatever the batch size (a column of values per array), so it is prepared once.
const INSERT_BATCH = fixedPlan(`INSERT INTO request_log (time, request_id, workspace_id, integration_id, method, route,
    path, status, code, message, duration_ms, not_found_reason)
  SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
    $8::int[], $9::text[], $10::text[], $11::float8[], $12::text[])`);

const FILTER_COLUMNS: readonly [keyof RequestLogFilter, string][] = [
  ['workspaceId', 'workspace_id = ?'],
  ['integrationId', 'integration_id = ?'],
  ['status', 'status = ?'],
  ['code', 'code = ?'],
  ['route', 'route = ?'],
  ['method', 'method = ?'],
  ['beforeSeq', 'seq <= ?'],
];

const STATS = `count(*) AS total, count(*) FILTER (WHERE status >= 400) AS errors,
  count(*) FILTER (WHERE status = 429) AS rate_limited,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95`;

export async function insertRequestLogBatch(db: SqlExecutor, batch: readonly RequestLogInsert[]): Promise<void> {
  if (batch.length === 0) return;
  const columns: unknown[][] = Array.from({ length: 12 }, () => []);
  for (const e of batch) {
    const values = [
      e.time,
      e.requestId,
      e.workspaceId,
      e.integrationId,
      e.method,
      e.route,
      e.path,
      e.status,
      e.code,
      e.message,
      e.durationMs,
      e.notFoundReason,
    ];
    for (let k = 0; k < values.length; k++) columns[k]!.push(values[k]);
  }
  await db.query(INSERT_BATCH, columns);
}

/** Keeps the newest `maxEntries` requests. */
export async function pruneRequestLog(db: SqlExecutor, maxEntries: number): Promise<void> {
  await db.query('DELETE FROM request_log WHERE seq <= (SELECT max(seq) FROM request_log) - $1', [maxEntries]);
}

/**
 * Inserts a batch and prunes to the newest `maxEntries` in one transaction, so the table never holds more than
 * `maxEntries` rows once a batch is committed. Exact: seq values are distinct, so at most `maxEntries` of them are
 * above max(seq) - maxEntries; on PostgreSQL a transaction lock keeps another process's batch from taking seq
 * values between this batch's insert and its prune. The prune is one range delete on the primary key.
 */
export async function insertRequestLogBounded(
  store: Store,
  batch: readonly RequestLogInsert[],
  maxEntries: number,
): Promise<void> {
  if (batch.length === 0) return;
  await store.transaction(async (tx) => {
    if (!tx.exclusive) await tx.query('SELECT pg_advisory_xact_lock($1)', [REQUEST_LOG_LOCK_KEY]);
    await insertRequestLogBatch(tx, batch);
    await pruneRequestLog(tx, maxEntries);
  });
}

/** The newest `limit` requests that pass every filter given, newest first. */
export function listRequests(db: SqlExecutor, filter: RequestLogFilter, limit: number): Promise<RequestLogRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [key, condition] of FILTER_COLUMNS) {
    const value = filter[key];
    if (value === undefined) continue;
    params.push(value);
    where.push(condition.replace('?', `$${params.length}`));
  }
  params.push(limit);
  return db.query<RequestLogRow>(
    `SELECT seq, time, request_id, workspace_id, integration_id, method, route, path, status, code, message,
            duration_ms, not_found_reason
     FROM request_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
}

/** The workspace's requests since `since`, counted per minute by outcome. */
export function countRequestsPerMinute(db: SqlExecutor, workspaceId: string, since: Date): Promise<RequestMinuteRow[]> {
  return db.query<RequestMinuteRow>(
    `SELECT date_trunc('minute', time) AS minute,
            count(*) FILTER (WHERE status < 400) AS ok,
            count(*) FILTER (WHERE status >= 400 AND status < 500 AND status <> 429) AS client_errors,
            count(*) FILTER (WHERE status = 429) AS rate_limited,
            count(*) FILTER (WHERE status >= 500) AS server_errors
     FROM request_log WHERE workspace_id = $1 AND time >= $2 GROUP BY 1 ORDER BY 1`,
    [workspaceId, since],
  );
}

/** The workspace's requests since `since`, per integration, busiest first. */
export function requestStatsPerIntegration(
  db: SqlExecutor,
  workspaceId: string,
  since: Date,
): Promise<RequestStatsRow[]> {
  return db.query<RequestStatsRow>(
    `SELECT integration_id, ${STATS} FROM request_log WHERE workspace_id = $1 AND time >= $2
     GROUP BY integration_id ORDER BY count(*) DESC`,
    [workspaceId, since],
  );
}

/** The workspace's requests since `since`, all integrations together. */
export async function requestStatsTotal(
  db: SqlExecutor,
  workspaceId: string,
  since: Date,
): Promise<RequestStatsRow | null> {
  const rows = await db.query<RequestStatsRow>(
    `SELECT NULL AS integration_id, ${STATS} FROM request_log WHERE workspace_id = $1 AND time >= $2`,
    [workspaceId, since],
  );
  return rows[0] ?? null;
}
