// Webhook subscriptions, the one way to change them — create (active with a given verification token, or
// pending with a handshake sent to the URL), verify with the token the owner pasted, resend the handshake,
// pause and resume, edit, delete — and to read and replay their deliveries. The seed, the portal and the
// admin API all write through here; each write records a `webhook.*` change (never the token).
import { timingSafeEqual } from 'node:crypto';
import { generateToken } from '../auth/tokens.js';
import {
  ALL_WEBHOOK_EVENT_TYPES,
  DEFAULT_WEBHOOK_API_VERSION,
  WEBHOOK_API_VERSIONS,
  type WebhookApiVersion,
} from '../domain/webhook-events.js';
import { newId } from '../ids.js';
import { integrationExists } from '../store/integration-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import {
  deleteWebhookSubscription,
  findWebhookEvent,
  findWebhookSubscription,
  insertWebhookEvent,
  insertWebhookSubscription,
  listWebhookAttempts,
  listWebhookEvents,
  listWebhookSubscriptions,
  requeueWebhookEvent,
  updateWebhookSubscription,
  type WebhookAttemptRow,
  type WebhookEventRow,
  type WebhookState,
  type WebhookSubscriptionRow,
} from '../store/webhook-repo.js';
import { commitWrite, type Actor, type ChangeKind, type WriteScope } from './changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

export type WebhookRefusal =
  | 'not_found'
  | 'integration_not_found'
  | 'bad_url'
  | 'bad_event_type'
  | 'bad_api_version'
  | 'wrong_token'
  | 'not_pending'
  | 'not_verified'
  | 'url_locked'
  | 'event_not_found';

const REFUSALS: Record<WebhookRefusal, string> = {
  not_found: 'No such webhook subscription.',
  integration_not_found: 'No such integration in this workspace.',
  bad_url: 'The URL should be an http:// or https:// URL.',
  bad_event_type: `Unknown event type; known: ${ALL_WEBHOOK_EVENT_TYPES.join(', ')}.`,
  bad_api_version: `The API version should be one of ${WEBHOOK_API_VERSIONS.join(', ')}.`,
  wrong_token: 'That is not the verification token sent to this subscription.',
  not_pending: 'This subscription is already verified.',
  not_verified: 'This subscription is waiting for its verification token.',
  url_locked: 'The URL can only be changed before the subscription is verified.',
  event_not_found: 'No such webhook event.',
};

export class WebhookError extends Error {
  constructor(readonly reason: WebhookRefusal) {
    super(REFUSALS[reason]);
    this.name = 'WebhookError';
  }
}

export interface WebhookInput {
  id?: string;
  integrationId: string;
  url: string;
  eventTypes?: readonly string[] | null;
  apiVersion?: string;
  /** Given: the subscription is active and signs with it. Absent: a handshake is sent and it waits. */
  verificationToken?: string | null;
}

/** A subscription as its owner sees it: no token, only whether one is set and its last characters. */
export interface WebhookSummary {
  id: string;
  workspace_id: string;
  integration_id: string;
  url: string;
  event_types: string[] | null;
  api_version: string;
  state: WebhookState;
  verification_token_hint: string;
  created_time: string;
  verified_time: string | null;
}

export function summarizeWebhook(row: WebhookSubscriptionRow): WebhookSummary {
  return {
    id: row.id,
    workspace_id: row.workspace_id,
    integration_id: row.integration_id,
    url: row.url,
    event_types: row.event_types,
    api_version: row.api_version,
    state: row.state,
    verification_token_hint: `…${row.verification_token.slice(-4)}`,
    created_time: row.created_time.toISOString(),
    verified_time: row.verified_time?.toISOString() ?? null,
  };
}

function checkInput(input: {
  url?: string | undefined;
  eventTypes?: readonly string[] | null;
  apiVersion?: string | undefined;
}): void {
  if (input.url !== undefined && !isHttpUrl(input.url)) throw new WebhookError('bad_url');
  if (input.eventTypes?.some((t) => !ALL_WEBHOOK_EVENT_TYPES.includes(t))) throw new WebhookError('bad_event_type');
  if (input.apiVersion !== undefined && !(WEBHOOK_API_VERSIONS as readonly string[]).includes(input.apiVersion))
    throw new WebhookError('bad_api_version');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const change = (kind: ChangeKind, row: WebhookSubscriptionRow, actor: Actor, at: Date) => ({
  kind,
  workspaceId: row.workspace_id,
  entity: { type: 'webhook' as const, id: row.id },
  actor,
  at,
  details: { integration_id: row.integration_id, url: row.url, state: row.state },
});

/**
 * Writes a subscription in the caller's transaction (the seed's, or createWebhook's): active when a token is
 * given, else pending with a fresh token and the handshake queued for delivery.
 */
export async function writeWebhook(
  scope: WriteScope,
  workspaceId: string,
  input: WebhookInput,
  actor: Actor,
  now: Date,
): Promise<WebhookSubscriptionRow> {
  checkInput(input);
  if (!(await integrationExists(scope.tx, workspaceId, input.integrationId)))
    throw new WebhookError('integration_not_found');
  const given = input.verificationToken ?? null;
  const row: WebhookSubscriptionRow = {
    id: input.id ?? newId(),
    workspace_id: workspaceId,
    integration_id: input.integrationId,
    url: input.url,
    event_types: input.eventTypes ? [...input.eventTypes] : null,
    api_version: (input.apiVersion ?? DEFAULT_WEBHOOK_API_VERSION) as WebhookApiVersion,
    state: given ? 'active' : 'pending_verification',
    verification_token: given ?? generateToken('secret_'),
    created_time: now,
    verified_time: given ? now : null,
  };
  await insertWebhookSubscription(scope.tx, row);
  if (!given) await queueHandshake(scope.tx, row, now);
  scope.record(change('webhook.created', row, actor, now));
  return row;
}

/** The handshake Notion sends to a new subscription: `{"verification_token": "secret_…"}`, signed with it. */
async function queueHandshake(tx: SqlExecutor, row: WebhookSubscriptionRow, now: Date): Promise<void> {
  await insertWebhookEvent(tx, {
    id: newId(),
    subscription_id: row.id,
    workspace_id: row.workspace_id,
    type: 'verification',
    aggregate_key: null,
    payload: { verification_token: row.verification_token },
    next_attempt_time: now,
    created_time: now,
  });
}

export function createWebhook(
  deps: WorkspaceWriteDeps,
  workspaceId: string,
  input: WebhookInput,
  actor: Actor,
  now: Date,
): Promise<WebhookSubscriptionRow> {
  return commitWrite(deps.store, deps.changes, (scope) => writeWebhook(scope, workspaceId, input, actor, now));
}

/** Loads a subscription of the workspace for a write, or refuses as not found. */
async function ownSubscription(tx: SqlExecutor, workspaceId: string, id: string): Promise<WebhookSubscriptionRow> {
  const row = await findWebhookSubscription(tx, id);
  if (!row || row.workspace_id !== workspaceId) throw new WebhookError('not_found');
  return row;
}

/** Activates a pending subscription with the token its URL received (compared in constant time). */
export function verifyWebhook(
  deps: WorkspaceWriteDeps,
  target: { workspaceId: string; id: string; actor: Actor; now: Date },
  token: string,
): Promise<WebhookSubscriptionRow> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const row = await ownSubscription(scope.tx, target.workspaceId, target.id);
    if (row.state !== 'pending_verification') throw new WebhookError('not_pending');
    const a = Buffer.from(token);
    const b = Buffer.from(row.verification_token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookError('wrong_token');
    const edit = { state: 'active' as const, verified_time: target.now };
    const updated = (await updateWebhookSubscription(scope.tx, row.id, edit)) ?? row;
    scope.record(change('webhook.updated', updated, target.actor, target.now));
    return updated;
  });
}

/** Sends the handshake of a pending subscription again. */
export function resendWebhookVerification(
  deps: WorkspaceWriteDeps,
  target: { workspaceId: string; id: string; actor: Actor; now: Date },
): Promise<WebhookSubscriptionRow> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const row = await ownSubscription(scope.tx, target.workspaceId, target.id);
    if (row.state !== 'pending_verification') throw new WebhookError('not_pending');
    await queueHandshake(scope.tx, row, target.now);
    scope.record(change('webhook.updated', row, target.actor, target.now));
    return row;
  });
}

export interface WebhookEdit {
  url?: string;
  eventTypes?: readonly string[] | null;
  apiVersion?: string;
  /** Pause (true) or resume (false) a verified subscription. */
  paused?: boolean;
}

/** Edits a subscription: event types and API version any time, the URL only before verification. */
export function updateWebhook(
  deps: WorkspaceWriteDeps,
  target: { workspaceId: string; id: string; actor: Actor; now: Date },
  edit: WebhookEdit,
): Promise<WebhookSubscriptionRow> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    checkInput({ url: edit.url, eventTypes: edit.eventTypes ?? null, apiVersion: edit.apiVersion });
    const row = await ownSubscription(scope.tx, target.workspaceId, target.id);
    if (edit.url !== undefined && edit.url !== row.url && row.state !== 'pending_verification')
      throw new WebhookError('url_locked');
    if (edit.paused !== undefined && row.state === 'pending_verification') throw new WebhookError('not_verified');
    const state: WebhookState | undefined = edit.paused === undefined ? undefined : edit.paused ? 'paused' : 'active';
    const updated = await updateWebhookSubscription(scope.tx, row.id, {
      ...(edit.url !== undefined ? { url: edit.url } : {}),
      ...(edit.eventTypes !== undefined ? { event_types: edit.eventTypes ? [...edit.eventTypes] : null } : {}),
      ...(edit.apiVersion !== undefined ? { api_version: edit.apiVersion } : {}),
      ...(state ? { state } : {}),
    });
    if (!updated) throw new WebhookError('not_found');
    scope.record(change('webhook.updated', updated, target.actor, target.now));
    return updated;
  });
}

export function deleteWebhook(
  deps: WorkspaceWriteDeps,
  target: { workspaceId: string; id: string; actor: Actor; now: Date },
): Promise<void> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const row = await ownSubscription(scope.tx, target.workspaceId, target.id);
    await deleteWebhookSubscription(scope.tx, row.id);
    scope.record(change('webhook.deleted', row, target.actor, target.now));
  });
}

/** The workspace a subscription (or, with `event`, a webhook event) belongs to: for callers that act on any. */
export async function webhookWorkspaceId(store: Store, id: string, kind: 'subscription' | 'event'): Promise<string> {
  const row = kind === 'subscription' ? await findWebhookSubscription(store, id) : await findWebhookEvent(store, id);
  if (!row) throw new WebhookError(kind === 'subscription' ? 'not_found' : 'event_not_found');
  return row.workspace_id;
}

export async function listWebhooks(store: Store, workspaceId: string): Promise<WebhookSummary[]> {
  return (await listWebhookSubscriptions(store, workspaceId)).map(summarizeWebhook);
}

export async function findWebhook(store: Store, workspaceId: string, id: string): Promise<WebhookSummary> {
  return summarizeWebhook(await ownSubscription(store, workspaceId, id));
}

/** A delivery as the portal and the admin API show it: the event, its body and signature, every attempt. */
export interface WebhookDelivery {
  id: string;
  type: string;
  state: WebhookEventRow['state'];
  created_time: string;
  next_attempt_time: string | null;
  attempts: {
    attempt_number: number;
    started_time: string;
    status: number | null;
    error: string | null;
    latency_ms: number;
  }[];
  payload: Record<string, unknown>;
}

export async function listWebhookDeliveries(
  store: Store,
  target: { workspaceId: string; id: string },
  limit = 100,
): Promise<WebhookDelivery[]> {
  const subscription = await ownSubscription(store, target.workspaceId, target.id);
  const events = await listWebhookEvents(store, subscription.id, Math.min(Math.max(limit, 1), 1000));
  const attempts = await listWebhookAttempts(
    store,
    events.map((e) => e.id),
  );
  return events.map((event) =>
    delivery(
      event,
      attempts.filter((a) => a.event_id === event.id),
    ),
  );
}

function delivery(event: WebhookEventRow, attempts: readonly WebhookAttemptRow[]): WebhookDelivery {
  return {
    id: event.id,
    type: event.type,
    state: event.state,
    created_time: event.created_time.toISOString(),
    next_attempt_time: event.state === 'pending' ? event.next_attempt_time.toISOString() : null,
    attempts: attempts.map((a) => ({
      attempt_number: a.attempt_number,
      started_time: a.started_time.toISOString(),
      status: a.status,
      error: a.error,
      latency_ms: a.latency_ms,
    })),
    payload: event.payload,
  };
}

/** Sends an event again now (one more attempt, counted after the ones it had). */
export function redeliverWebhookEvent(
  deps: WorkspaceWriteDeps,
  target: { workspaceId: string; eventId: string; actor: Actor; now: Date },
): Promise<void> {
  return commitWrite(deps.store, deps.changes, async (scope) => {
    const event = await findWebhookEvent(scope.tx, target.eventId);
    if (!event || event.workspace_id !== target.workspaceId) throw new WebhookError('event_not_found');
    await requeueWebhookEvent(scope.tx, event.id, target.now);
    const subscription = await ownSubscription(scope.tx, target.workspaceId, event.subscription_id);
    scope.record(change('webhook.updated', subscription, target.actor, target.now));
  });
}
