// Delivers the webhook outbox (services/webhook-outbox.ts): claims due events for a lease, POSTs each one
// signed with its subscription's verification token, and records the attempt. A 2xx ends an event; anything
// else, or no answer within the timeout, makes it due again after the next retry delay, up to 8 attempts.
// Several processes on one PostgreSQL share the work: a claim is exclusive until its lease ends, and an event
// whose process died mid-delivery is claimed again once the lease is over (at least once, same id).
import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/sql-store.js';
import {
  claimDueWebhookEvents,
  nextWebhookDueTime,
  recordWebhookAttempts,
  type ClaimedWebhookEvent,
  type WebhookAttemptOutcome,
} from '../store/webhook-repo.js';
import type { WebhookSettings } from './webhook-outbox.js';

/** Attempts in all, as Notion makes them. */
export const MAX_WEBHOOK_ATTEMPTS = 8;

/** One attempt's outcome, for metrics and logs. */
export interface WebhookAttemptReport {
  type: string;
  attemptNumber: number;
  status: number | null;
  ok: boolean;
  latencyMs: number;
  /** From the change's commit to this attempt's answer (the event's `timestamp` to now). */
  sinceEventMs: number;
}

export interface DispatcherOptions {
  settings: WebhookSettings;
  /** How often to look for work another process made due (its own writes wake it at once). */
  pollMs?: number;
  /** Events claimed at once. */
  batchSize?: number;
  onAttempt?: (report: WebhookAttemptReport) => void;
}

/** `sha256=<hex HMAC-SHA256 of the raw body keyed by the verification token>`, as Notion signs. */
export function webhookSignature(body: string, verificationToken: string): string {
  return `sha256=${createHmac('sha256', verificationToken).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private again = false;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.batchSize = options.batchSize ?? 32;
  }

  start(): void {
    this.schedule(0);
  }

  /** Something may have become due (a write committed, a replay was asked for): look now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops claiming; waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    let delay: number | null = this.pollMs;
    try {
      for (;;) {
        this.again = false;
        const claimed = await this.claim();
        const outcomes = await Promise.all(claimed.map((event) => this.deliver(event)));
        // One transaction records the whole batch; an attempt not recorded (a crash) is made again later.
        await this.store.transaction((tx) =>
          recordWebhookAttempts(
            tx,
            outcomes.map((o) => o.outcome),
          ),
        );
        for (const { report } of outcomes) this.options.onAttempt?.(report);
        if (this.stopped) return;
        if (claimed.length < this.batchSize && !this.again) break;
      }
      delay = await this.untilNextDue();
      // Woken while it looked: something committed after its last claim.
      if (this.again) delay = 0;
    } catch {
      // The store is unreachable or closing: try again at the next poll.
    }
    if (delay !== null) this.schedule(delay);
  }

  private claim(): Promise<ClaimedWebhookEvent[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.options.settings.deliveryTimeoutMs + 5_000);
    return claimDueWebhookEvents(this.store, now, lease, this.batchSize);
  }

  /**
   * Real milliseconds until the next event is due. Where this process is the store's only client (PGlite), only
   * its own writes make events, and they wake it: with nothing pending it sleeps (null). Otherwise another
   * process may add work at any time, so it looks again within the poll interval.
   */
  private async untilNextDue(): Promise<number | null> {
    const next = await nextWebhookDueTime(this.store);
    const wait = next ? Math.max(0, next.getTime() - this.clock.now().getTime()) : null;
    if (this.store.exclusive) return wait;
    return Math.min(wait ?? this.pollMs, this.pollMs);
  }

  /** One attempt: POST the event, and say how it ended (recorded with the rest of its batch). */
  private async deliver(
    event: ClaimedWebhookEvent,
  ): Promise<{ outcome: WebhookAttemptOutcome; report: WebhookAttemptReport }> {
    const attemptNumber = event.attempts + 1;
    const body =
      event.type === 'verification'
        ? JSON.stringify(event.payload)
        : JSON.stringify({ ...event.payload, attempt_number: attemptNumber });
    const started = this.clock.now();
    const t0 = performance.now();
    const { status, error } = await post(event.url, body, event.verification_token, this.options.settings);
    const latencyMs = Math.round(performance.now() - t0);
    const ok = status !== null && status >= 200 && status < 300;
    const at = this.clock.now();
    // A handshake is sent once (the owner can resend it); an event up to MAX_WEBHOOK_ATTEMPTS times.
    const last = ok || event.type === 'verification' || attemptNumber >= MAX_WEBHOOK_ATTEMPTS;
    const delay = last ? 0 : (this.options.settings.retryDelaysMs[attemptNumber - 1] ?? 0);
    const timestamp = typeof event.payload.timestamp === 'string' ? Date.parse(event.payload.timestamp) : NaN;
    return {
      outcome: {
        attempt: {
          event_id: event.id,
          attempt_number: attemptNumber,
          started_time: started,
          status,
          error,
          latency_ms: latencyMs,
        },
        state: ok ? 'delivered' : last ? 'failed' : 'pending',
        nextAttemptTime: new Date(at.getTime() + delay),
        at,
      },
      report: {
        type: event.type,
        attemptNumber,
        status,
        ok,
        latencyMs,
        sinceEventMs: Number.isNaN(timestamp) ? 0 : at.getTime() - timestamp,
      },
    };
  }
}

/** One POST; the answer's status, or null and why when there was none. */
async function post(
  url: string,
  body: string,
  token: string,
  settings: WebhookSettings,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'notion-api',
        'x-notion-signature': webhookSignature(body, token),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.deliveryTimeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, error: null };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.message);
    return { status: null, error: reason };
  }
}
