// Webhook subscriptions, the outbox of their events and the attempts to deliver them (migration 8).
// Claiming is a lease (`claimed_until`) taken with FOR UPDATE SKIP LOCKED, so several processes on one
// PostgreSQL never claim the same due event at once, and an event whose claimer died is claimed again later.
import { fixedPlan, type SqlExecutor } from './sql-store.js';

export type WebhookState = 'active' | 'pending_verification' | 'paused';

export interface WebhookSubscriptionRow {
  id: string;
  workspace_id: string;
  integration_id: string;
  url: string;
  event_types: string[] | null;
  api_version: string;
  state: WebhookState;
  verification_token: string;
  created_time: Date;
  verified_time: Date | null;
  /**
   * listActiveWebhookSubscriptions only: for a public integration's subscription, its connections in the
   * workspace read (the bots whose sight decides its events); null for an internal integration's.
   */
  connection_ids?: string[] | null;
}

export interface WebhookEventRow {
  id: string;
  subscription_id: string;
  workspace_id: string;
  type: string;
  aggregate_key: string | null;
  payload: Record<string, unknown>;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_time: Date;
  claimed_until: Date | null;
  created_time: Date;
  finished_time: Date | null;
}

export interface WebhookAttemptRow {
  event_id: string;
  attempt_number: number;
  started_time: Date;
  status: number | null;
  error: string | null;
  latency_ms: number;
}

/** A claimed event with what its delivery needs from its subscription. */
export interface ClaimedWebhookEvent extends WebhookEventRow {
  url: string;
  verification_token: string;
}

const SUBSCRIPTION_COLUMNS =
  'id, workspace_id, integration_id, url, event_types, api_version, state, verification_token, created_time, verified_time';
const EVENT_COLUMNS =
  'id, subscription_id, workspace_id, type, aggregate_key, payload, state, attempts, next_attempt_time, claimed_until, created_time, finished_time';

export async function insertWebhookSubscription(db: SqlExecutor, row: WebhookSubscriptionRow): Promise<void> {
  await db.query(
    `INSERT INTO webhook_subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.id,
      row.workspace_id,
      row.integration_id,
      row.url,
      row.event_types,
      row.api_version,
      row.state,
      row.verification_token,
      row.created_time,
      row.verified_time,
    ],
  );
}

export async function findWebhookSubscription(db: SqlExecutor, id: string): Promise<WebhookSubscriptionRow | null> {
  const rows = await db.query<WebhookSubscriptionRow>(
    fixedPlan(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1`),
    [id],
  );
  return rows[0] ?? null;
}

/** A workspace's subscriptions, oldest first (every state). */
export function listWebhookSubscriptions(db: SqlExecutor, workspaceId: string): Promise<WebhookSubscriptionRow[]> {
  return db.query<WebhookSubscriptionRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE workspace_id = $1 ORDER BY created_time, id`,
    [workspaceId],
  );
}

/**
 * The active subscriptions that hear of a workspace's changes: its internal integrations' own, and those of public
 * integrations (of any workspace) with connections in it, each with those connections' ids.
 */
export function listActiveWebhookSubscriptions(
  db: SqlExecutor,
  workspaceId: string,
): Promise<WebhookSubscriptionRow[]> {
  const columns = SUBSCRIPTION_COLUMNS.split(', ')
    .map((c) => `s.${c}`)
    .join(', ');
  return db.query<WebhookSubscriptionRow>(
    fixedPlan(
      `SELECT ${columns}, NULL::uuid[] AS connection_ids FROM webhook_subscriptions s
        WHERE s.workspace_id = $1 AND s.state = 'active'
          AND NOT EXISTS (SELECT 1 FROM oauth_clients o WHERE o.integration_id = s.integration_id)
       UNION ALL
       SELECT ${columns}, array_agg(c.id ORDER BY c.id) AS connection_ids FROM webhook_subscriptions s
         JOIN integrations c ON c.public_integration_id = s.integration_id
        WHERE c.workspace_id = $1 AND s.state = 'active' GROUP BY s.id
       ORDER BY created_time, id`,
    ),
    [workspaceId],
  );
}

export interface WebhookSubscriptionEdit {
  url?: string;
  event_types?: string[] | null;
  api_version?: string;
  state?: WebhookState;
  verification_token?: string;
  verified_time?: Date | null;
}

export async function updateWebhookSubscription(
  db: SqlExecutor,
  id: string,
  edit: WebhookSubscriptionEdit,
): Promise<WebhookSubscriptionRow | null> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [column, value] of Object.entries(edit)) {
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (sets.length === 0) return findWebhookSubscription(db, id);
  const rows = await db.query<WebhookSubscriptionRow>(
    `UPDATE webhook_subscriptions SET ${sets.join(', ')} WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
    params,
  );
  return rows[0] ?? null;
}

export async function deleteWebhookSubscription(db: SqlExecutor, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}

export interface WebhookEventInsert {
  id: string;
  subscription_id: string;
  workspace_id: string;
  type: string;
  aggregate_key: string | null;
  payload: Record<string, unknown>;
  next_attempt_time: Date;
  created_time: Date;
}

export async function insertWebhookEvent(db: SqlExecutor, event: WebhookEventInsert): Promise<void> {
  await insertWebhookEvents(db, [event]);
}

/** Inserts events in one statement (the events of one write). */
export async function insertWebhookEvents(db: SqlExecutor, events: readonly WebhookEventInsert[]): Promise<void> {
  if (events.length === 0) return;
  const column = <T>(pick: (e: WebhookEventInsert) => T) => events.map(pick);
  await db.query(
    `INSERT INTO webhook_events (id, subscription_id, workspace_id, type, aggregate_key, payload, state, next_attempt_time, created_time)
     SELECT id, subscription_id, workspace_id, type, aggregate_key, payload::json, 'pending', next_attempt_time, created_time
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
         AS e(id, subscription_id, workspace_id, type, aggregate_key, payload, next_attempt_time, created_time)`,
    [
      column((e) => e.id),
      column((e) => e.subscription_id),
      column((e) => e.workspace_id),
      column((e) => e.type),
      column((e) => e.aggregate_key),
      column((e) => JSON.stringify(e.payload)),
      column((e) => e.next_attempt_time),
      column((e) => e.created_time),
    ],
  );
}

/**
 * The event still waiting in its aggregation window for `key` (never attempted, not yet due), locked so that
 * the write that merges into it is the only one; null when there is none.
 */
export async function findAggregatingEvent(
  db: SqlExecutor,
  subscriptionId: string,
  keys: readonly string[],
  now: Date,
): Promise<WebhookEventRow | null> {
  const rows = await db.query<WebhookEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM webhook_events
      WHERE subscription_id = $1 AND aggregate_key = ANY($2::text[]) AND state = 'pending' AND attempts = 0
        AND next_attempt_time > $3 AND claimed_until IS NULL
      ORDER BY created_time LIMIT 1 FOR UPDATE`,
    [subscriptionId, keys, now],
  );
  return rows[0] ?? null;
}

export async function updateEventPayload(db: SqlExecutor, id: string, payload: Record<string, unknown>): Promise<void> {
  await db.query(fixedPlan('UPDATE webhook_events SET payload = $2 WHERE id = $1'), [id, JSON.stringify(payload)]);
}

/**
 * Claims up to `limit` due events of active subscriptions (and verification handshakes of pending ones) for
 * `leaseMs`: no other process claims them before the lease ends.
 */
export function claimDueWebhookEvents(
  db: SqlExecutor,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedWebhookEvent[]> {
  return db.query<ClaimedWebhookEvent>(
    `WITH due AS (
       SELECT e.id FROM webhook_events e JOIN webhook_subscriptions s ON s.id = e.subscription_id
        WHERE e.state = 'pending' AND e.next_attempt_time <= $1 AND (e.claimed_until IS NULL OR e.claimed_until < $1)
          AND (s.state = 'active' OR (s.state = 'pending_verification' AND e.type = 'verification'))
        ORDER BY e.next_attempt_time LIMIT $3 FOR UPDATE OF e SKIP LOCKED)
     UPDATE webhook_events e SET claimed_until = $2 FROM due, webhook_subscriptions s
      WHERE e.id = due.id AND s.id = e.subscription_id
      RETURNING ${EVENT_COLUMNS.split(', ')
        .map((c) => `e.${c}`)
        .join(', ')}, s.url, s.verification_token`,
    [now, leaseUntil, limit],
  );
}

/** The earliest time an event becomes due (null: nothing pending), for the dispatcher's timer. */
export async function nextWebhookDueTime(db: SqlExecutor): Promise<Date | null> {
  const rows = await db.query<{ t: Date | null }>(
    `SELECT min(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_time THEN claimed_until
                     ELSE next_attempt_time END) AS t
       FROM webhook_events WHERE state = 'pending'`,
  );
  return rows[0]?.t ?? null;
}

/** One attempt's end: delivered, failed for good, or due again at `nextAttemptTime`. */
export interface WebhookAttemptOutcome {
  attempt: WebhookAttemptRow;
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptTime: Date;
  at: Date;
}

/** Records the attempts of a claimed batch and each event's new state, in two statements. */
export async function recordWebhookAttempts(
  db: SqlExecutor,
  outcomes: readonly WebhookAttemptOutcome[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const column = <T>(pick: (o: WebhookAttemptOutcome) => T) => outcomes.map(pick);
  await db.query(
    `INSERT INTO webhook_attempts (event_id, attempt_number, started_time, status, error, latency_ms)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::int[], $5::text[], $6::int[])
     ON CONFLICT DO NOTHING`,
    [
      column((o) => o.attempt.event_id),
      column((o) => o.attempt.attempt_number),
      column((o) => o.attempt.started_time),
      column((o) => o.attempt.status),
      column((o) => o.attempt.error),
      column((o) => o.attempt.latency_ms),
    ],
  );
  await db.query(
    `UPDATE webhook_events e SET state = u.state, attempts = u.attempts, next_attempt_time = u.next_time,
            claimed_until = NULL, finished_time = CASE WHEN u.state = 'pending' THEN NULL ELSE u.at END
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[])
         AS u(id, state, attempts, next_time, at)
      WHERE e.id = u.id`,
    [
      column((o) => o.attempt.event_id),
      column((o) => o.state),
      column((o) => o.attempt.attempt_number),
      column((o) => o.nextAttemptTime),
      column((o) => o.at),
    ],
  );
}

/** Puts an event back in the queue to be sent now (a replay): a delivered or failed one gets one more attempt. */
export async function requeueWebhookEvent(db: SqlExecutor, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_events SET state = 'pending', next_attempt_time = $2, claimed_until = NULL, finished_time = NULL
      WHERE id = $1 RETURNING id`,
    [id, now],
  );
  return rows.length > 0;
}

export async function findWebhookEvent(db: SqlExecutor, id: string): Promise<WebhookEventRow | null> {
  const rows = await db.query<WebhookEventRow>(fixedPlan(`SELECT ${EVENT_COLUMNS} FROM webhook_events WHERE id = $1`), [
    id,
  ]);
  return rows[0] ?? null;
}

/** A subscription's events, newest first, with their attempts. */
export function listWebhookEvents(db: SqlExecutor, subscriptionId: string, limit: number): Promise<WebhookEventRow[]> {
  return db.query<WebhookEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM webhook_events WHERE subscription_id = $1 ORDER BY created_time DESC, id LIMIT $2`,
    [subscriptionId, limit],
  );
}

export function listWebhookAttempts(db: SqlExecutor, eventIds: readonly string[]): Promise<WebhookAttemptRow[]> {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db.query<WebhookAttemptRow>(
    `SELECT event_id, attempt_number, started_time, status, error, latency_ms FROM webhook_attempts
      WHERE event_id = ANY($1::uuid[]) ORDER BY started_time, attempt_number`,
    [eventIds],
  );
}

/** How many events wait or were given up, for /metrics. */
export async function countWebhookEvents(db: SqlExecutor): Promise<{ pending: number; failed: number }> {
  const rows = await db.query<{ state: string; n: string }>(
    `SELECT state, count(*) AS n FROM webhook_events WHERE state <> 'delivered' GROUP BY state`,
  );
  const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}
