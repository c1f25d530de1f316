// Prometheus metrics for one platform instance (its own registry, so several platforms in one test
// process never share counters): requests by route/status/integration, latency, 429s, store pool.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status' | 'integration'>;
  readonly duration: Histogram<'route'>;
  readonly rateLimited: Counter<'integration' | 'reason'>;
  readonly faults: Counter<'status'>;
  readonly webhookAttempts: Counter<'outcome'>;
  readonly webhookLatency: Histogram<'outcome'>;
  readonly webhookSinceEvent: Histogram;

  constructor(storePool: () => { total: number; idle: number; waiting: number } | null) {
    this.requests = new Counter({
      name: 'notion_local_requests_total',
      help: 'API requests by route, status and integration',
      labelNames: ['method', 'route', 'status', 'integration'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'notion_local_request_duration_seconds',
      help: 'API request latency',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.rateLimited = new Counter({
      name: 'notion_local_rate_limited_total',
      help: 'Requests answered 429 by the rate limiter',
      labelNames: ['integration', 'reason'],
      registers: [this.registry],
    });
    this.faults = new Counter({
      name: 'notion_local_injected_faults_total',
      help: 'Responses replaced by fault injection',
      labelNames: ['status'],
      registers: [this.registry],
    });
    this.webhookAttempts = new Counter({
      name: 'notion_local_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered, failed: answered non-2xx or not at all)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.webhookLatency = new Histogram({
      name: 'notion_local_webhook_attempt_duration_seconds',
      help: 'How long receivers took to answer a webhook delivery attempt',
      labelNames: ['outcome'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers: [this.registry],
    });
    this.webhookSinceEvent = new Histogram({
      name: 'notion_local_webhook_delivered_after_seconds',
      help: 'From the change (the event timestamp) to its successful delivery, aggregation window included',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 30, 60, 300, 3600],
      registers: [this.registry],
    });
    const pool = (field: 'total' | 'idle' | 'waiting') =>
      new Gauge({
        name: `notion_local_store_pool_${field}`,
        help: `PostgreSQL pool clients (${field}); 0 for PGlite`,
        registers: [this.registry],
        collect() {
          this.set(storePool()?.[field] ?? 0);
        },
      });
    pool('total');
    pool('idle');
    pool('waiting');
    collectDefaultMetrics({ register: this.registry, prefix: 'notion_local_' });
  }

  /** Counts one webhook delivery attempt (services/webhook-dispatcher.ts reports them). */
  webhookAttempt(report: { ok: boolean; latencyMs: number; sinceEventMs: number }): void {
    const outcome = report.ok ? 'delivered' : 'failed';
    this.webhookAttempts.inc({ outcome });
    this.webhookLatency.observe({ outcome }, report.latencyMs / 1000);
    if (report.ok) this.webhookSinceEvent.observe(report.sinceEventMs / 1000);
  }
}
