// An integration's webhook subscriptions in the portal: list, create (URL, event types of the chosen API version,
// optionally a verification token of one's own), verify with the token the URL received, resend that handshake,
// pause and resume, edit, delete — and each subscription's deliveries (body and signature as sent, every
// attempt) with a resend. All through services/webhooks.ts; reads for any member, writes for owners, as
// integrations are. Another integration's or workspace's subscription or delivery is not found here.
import {
  DEFAULT_WEBHOOK_API_VERSION,
  WEBHOOK_API_VERSIONS,
  webhookEventTypes,
  type WebhookApiVersion,
} from '../domain/webhook-events.js';
import { findIntegration } from '../services/integrations.js';
import { listSignedWebhookDeliveries, webhookEventSubscriptionId } from '../services/webhook-portal.js';
import {
  createWebhook,
  deleteWebhook,
  findWebhook,
  listWebhooks,
  redeliverWebhookEvent,
  resendWebhookVerification,
  summarizeWebhook,
  updateWebhook,
  verifyWebhook,
  WebhookError,
  type WebhookEdit,
  type WebhookSummary,
} from '../services/webhooks.js';
import { pathId, personActor, type PortalContext, type PortalRoute } from './portal-context.js';
import { PortalError, portalErrors, stringField } from './portal-http.js';
import type { PortalWebhook, PortalWebhookDelivery, PortalWebhookList } from './portal-types.js';

const MAX_URL = 2000;
const MAX_TOKEN = 200;
const SUBSCRIPTION = 'This webhook subscription';
const DELIVERY = 'This webhook delivery';

function toWire(row: WebhookSummary): PortalWebhook {
  return {
    id: row.id,
    integration_id: row.integration_id,
    url: row.url,
    event_types: row.event_types,
    api_version: row.api_version,
    state: row.state,
    verification_token_hint: row.verification_token_hint,
    created_time: row.created_time,
    verified_time: row.verified_time,
  };
}

/** A refused webhook write, in the portal's words: unknown things 404, a write the state forbids 409, else 400. */
function portalWebhookError(error: unknown): unknown {
  if (!(error instanceof WebhookError)) return error;
  switch (error.reason) {
    case 'not_found':
      return portalErrors.notFound(SUBSCRIPTION);
    case 'event_not_found':
      return portalErrors.notFound(DELIVERY);
    case 'integration_not_found':
      return portalErrors.notFound('This integration');
    case 'not_pending':
    case 'not_verified':
    case 'url_locked':
      return new PortalError('conflict', error.message);
    default:
      return portalErrors.invalid(error.message);
  }
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw portalWebhookError(error);
  }
}

/** The integration of the path, in the session's workspace. */
async function integrationOf(ctx: PortalContext): Promise<string> {
  const id = pathId(ctx, 'id', 'This integration');
  if (!(await findIntegration(ctx.store, ctx.session.workspace.id, id)))
    throw portalErrors.notFound('This integration');
  return id;
}

/** The subscription of the path, which must belong to the path's integration in the session's workspace. */
async function subscriptionOf(ctx: PortalContext): Promise<WebhookSummary> {
  const integrationId = await integrationOf(ctx);
  const id = pathId(ctx, 'webhook_id', SUBSCRIPTION);
  const row = await guarded(() => findWebhook(ctx.store, ctx.session.workspace.id, id));
  if (row.integration_id !== integrationId) throw portalErrors.notFound(SUBSCRIPTION);
  return row;
}

function writeTarget(ctx: PortalContext, id: string) {
  return { workspaceId: ctx.session.workspace.id, id, actor: personActor(ctx), now: ctx.clock.now() };
}

function parseApiVersion(value: unknown): WebhookApiVersion | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(WEBHOOK_API_VERSIONS as readonly string[]).includes(value))
    throw portalErrors.invalid(`api_version should be one of ${WEBHOOK_API_VERSIONS.join(', ')}.`);
  return value as WebhookApiVersion;
}

/** Event types from the form: null (every type of the version), or a non-empty list of the version's types. */
function parseEventTypes(value: unknown, version: WebhookApiVersion): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string'))
    throw portalErrors.invalid('event_types should be a list of event type names, or null for all of them.');
  const known = webhookEventTypes(version);
  const unknown = (value as string[]).find((t) => !known.includes(t));
  if (unknown !== undefined) throw portalErrors.invalid(`"${unknown}" is not an event type of API version ${version}.`);
  if (value.length === 0) throw portalErrors.invalid('Choose at least one event type.');
  return [...new Set(value as string[])];
}

function parseUrl(body: Record<string, unknown>, optional: boolean): string | undefined {
  const url = stringField(body, 'url', { max: MAX_URL, optional });
  if (url === '') throw portalErrors.invalid('Give the subscription a URL.');
  return url;
}

async function list(ctx: PortalContext): Promise<PortalWebhookList> {
  const integrationId = await integrationOf(ctx);
  const all = await listWebhooks(ctx.store, ctx.session.workspace.id);
  return {
    subscriptions: all.filter((w) => w.integration_id === integrationId).map(toWire),
    api_versions: [...WEBHOOK_API_VERSIONS],
    default_api_version: DEFAULT_WEBHOOK_API_VERSION,
    event_types: Object.fromEntries(WEBHOOK_API_VERSIONS.map((v) => [v, [...webhookEventTypes(v)]])),
  };
}

async function create(ctx: PortalContext): Promise<PortalWebhook> {
  const integrationId = await integrationOf(ctx);
  const url = parseUrl(ctx.body, false) ?? '';
  const apiVersion = parseApiVersion(ctx.body.api_version) ?? DEFAULT_WEBHOOK_API_VERSION;
  const eventTypes = parseEventTypes(ctx.body.event_types, apiVersion) ?? null;
  const token = stringField(ctx.body, 'verification_token', { max: MAX_TOKEN, optional: true });
  const row = await guarded(() =>
    createWebhook(
      ctx,
      ctx.session.workspace.id,
      { integrationId, url, eventTypes, apiVersion, verificationToken: token || null },
      personActor(ctx),
      ctx.clock.now(),
    ),
  );
  return toWire(summarizeWebhook(row));
}

async function update(ctx: PortalContext): Promise<PortalWebhook> {
  const current = await subscriptionOf(ctx);
  const apiVersion = parseApiVersion(ctx.body.api_version);
  const version = apiVersion ?? (current.api_version as WebhookApiVersion);
  const given = parseEventTypes(ctx.body.event_types, version);
  // A new version must still offer every type the subscription keeps.
  if (apiVersion !== undefined && given === undefined) parseEventTypes(current.event_types, version);
  if (ctx.body.paused !== undefined && typeof ctx.body.paused !== 'boolean')
    throw portalErrors.invalid('paused should be true or false.');
  const url = parseUrl(ctx.body, true);
  const edit: WebhookEdit = {
    // Always the URL: updateWebhook checks the URL it is given (an unchanged one passes, even once verified).
    url: url ?? current.url,
    ...(given !== undefined ? { eventTypes: given } : {}),
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(typeof ctx.body.paused === 'boolean' ? { paused: ctx.body.paused } : {}),
  };
  const row = await guarded(() => updateWebhook(ctx, writeTarget(ctx, current.id), edit));
  return toWire(summarizeWebhook(row));
}

async function verify(ctx: PortalContext): Promise<PortalWebhook> {
  const current = await subscriptionOf(ctx);
  const token = stringField(ctx.body, 'verification_token', { max: MAX_TOKEN }) ?? '';
  if (token === '') throw portalErrors.invalid('Paste the verification token your URL received.');
  const row = await guarded(() => verifyWebhook(ctx, writeTarget(ctx, current.id), token));
  return toWire(summarizeWebhook(row));
}

async function resendVerification(ctx: PortalContext): Promise<PortalWebhook> {
  const current = await subscriptionOf(ctx);
  const row = await guarded(() => resendWebhookVerification(ctx, writeTarget(ctx, current.id)));
  return toWire(summarizeWebhook(row));
}

async function remove(ctx: PortalContext): Promise<{ deleted: true }> {
  const current = await subscriptionOf(ctx);
  await guarded(() => deleteWebhook(ctx, writeTarget(ctx, current.id)));
  return { deleted: true };
}

function parseLimit(value: unknown): number {
  if (value === undefined) return 100;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 1000)) throw portalErrors.invalid('limit should be a whole number from 1 to 1000.');
  return n;
}

async function deliveries(ctx: PortalContext): Promise<{ results: PortalWebhookDelivery[] }> {
  const current = await subscriptionOf(ctx);
  const limit = parseLimit(ctx.query.limit);
  const target = { workspaceId: ctx.session.workspace.id, id: current.id };
  return { results: await guarded(() => listSignedWebhookDeliveries(ctx.store, target, limit)) };
}

async function resendDelivery(ctx: PortalContext): Promise<{ id: string; requeued: true }> {
  const current = await subscriptionOf(ctx);
  const eventId = pathId(ctx, 'delivery_id', DELIVERY);
  const workspaceId = ctx.session.workspace.id;
  if ((await webhookEventSubscriptionId(ctx.store, workspaceId, eventId)) !== current.id)
    throw portalErrors.notFound(DELIVERY);
  const target = { workspaceId, eventId, actor: personActor(ctx), now: ctx.clock.now() };
  await guarded(() => redeliverWebhookEvent(ctx, target));
  return { id: eventId, requeued: true };
}

const ONE = '/integrations/:id/webhooks/:webhook_id';

export const WEBHOOK_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/integrations/:id/webhooks', handle: list },
  { method: 'POST', path: '/integrations/:id/webhooks', ownerOnly: true, status: 201, handle: create },
  { method: 'GET', path: ONE, handle: async (ctx) => toWire(await subscriptionOf(ctx)) },
  { method: 'PATCH', path: ONE, ownerOnly: true, handle: update },
  { method: 'DELETE', path: ONE, ownerOnly: true, handle: remove },
  { method: 'POST', path: `${ONE}/verify`, ownerOnly: true, handle: verify },
  { method: 'POST', path: `${ONE}/resend_verification`, ownerOnly: true, handle: resendVerification },
  { method: 'GET', path: `${ONE}/deliveries`, handle: deliveries },
  { method: 'POST', path: `${ONE}/deliveries/:delivery_id/resend`, ownerOnly: true, handle: resendDelivery },
];
