// What the portal shows of a subscription's deliveries beyond services/webhooks.ts: each delivery's body as it
// was last sent (the payload with the last attempt's `attempt_number`) and the `X-Notion-Signature` it carried,
// and which subscription an event belongs to. The handshake's body is the verification token itself: it is shown
// cut down to the token's last characters, and without a signature, so the portal never reveals the token.
import type { Store } from '../store/sql-store.js';
import { findWebhookEvent, findWebhookSubscription } from '../store/webhook-repo.js';
import { webhookSignature } from './webhook-dispatcher.js';
import { listWebhookDeliveries, WebhookError, type WebhookDelivery } from './webhooks.js';

export interface SignedWebhookDelivery extends WebhookDelivery {
  /** The raw body of the last attempt, exactly as sent; null before the first attempt and for the handshake. */
  body: string | null;
  /** `sha256=…` of `body` keyed by the subscription's token, as the last attempt was signed; null with `body`. */
  signature: string | null;
}

/** The body the dispatcher sent for attempt `attemptNumber` (services/webhook-dispatcher.ts). */
function sentBody(delivery: WebhookDelivery, attemptNumber: number): string {
  return JSON.stringify({ ...delivery.payload, attempt_number: attemptNumber });
}

function redactHandshake(delivery: WebhookDelivery): SignedWebhookDelivery {
  const token = delivery.payload.verification_token;
  const hint = typeof token === 'string' ? `${token.slice(0, 7)}…${token.slice(-4)}` : '…';
  return { ...delivery, payload: { verification_token: hint }, body: null, signature: null };
}

/** A subscription's deliveries, newest first, each with the body and signature of its last attempt. */
export async function listSignedWebhookDeliveries(
  store: Store,
  target: { workspaceId: string; id: string },
  limit = 100,
): Promise<SignedWebhookDelivery[]> {
  const subscription = await findWebhookSubscription(store, target.id);
  if (!subscription || subscription.workspace_id !== target.workspaceId) throw new WebhookError('not_found');
  const deliveries = await listWebhookDeliveries(store, target, limit);
  return deliveries.map((delivery) => {
    if (delivery.type === 'verification') return redactHandshake(delivery);
    const last = delivery.attempts.reduce((n, a) => Math.max(n, a.attempt_number), 0);
    if (last === 0) return { ...delivery, body: null, signature: null };
    const body = sentBody(delivery, last);
    return { ...delivery, body, signature: webhookSignature(body, subscription.verification_token) };
  });
}

/** The subscription a webhook event of the workspace belongs to, or null when there is no such event there. */
export async function webhookEventSubscriptionId(
  store: Store,
  workspaceId: string,
  eventId: string,
): Promise<string | null> {
  const event = await findWebhookEvent(store, eventId);
  return event && event.workspace_id === workspaceId ? event.subscription_id : null;
}
