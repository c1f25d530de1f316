// Rate limits (reference §6.1–6.2), as one atomic operation in the store so they are exact under
// concurrency and across several server processes on one PostgreSQL. Time comes from the injected clock.
//
// "window" (default, Notion's current rule): per integration a budget per fixed 60-second window
// (180, or 600 on Business plans) plus a per-workspace budget shared by its integrations.
// "classic": a token bucket per integration — 3 requests/second on average, bursts up to `burst`.
import type { Clock } from '../clock.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';

export const WINDOW_MS = 60_000;

export interface RateLimitConfig {
  readonly enabled: boolean;
  readonly mode: 'window' | 'classic';
  /** Per integration, per 60 s window. */
  readonly requestsPerMinute: number;
  /** Shared by all integrations of a workspace, per 60 s window. */
  readonly workspaceRequestsPerMinute: number;
  /** Classic mode: average requests per second and bucket size. */
  readonly requestsPerSecond: number;
  readonly burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = Object.freeze({
  enabled: true,
  mode: 'window',
  requestsPerMinute: 180,
  workspaceRequestsPerMinute: 900,
  requestsPerSecond: 3,
  burst: 10,
});

/** Per-integration overrides (seed `settings.rate_limit`, later the portal). */
export interface IntegrationRateLimit {
  requests_per_minute?: number;
}

export type RateLimitReason = 'public_api_request_rate_limit' | 'public_api_space_request_rate_limit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: RateLimitReason };

/** Takes one unit from a fixed window if it has room; returns false when the window is full. */
async function takeFromWindow(tx: SqlExecutor, key: string, windowStart: number, limit: number): Promise<boolean> {
  const rows = await tx.query<{ count: number }>(
    `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1 WHERE rate_windows.count < $3
     RETURNING count`,
    [key, windowStart, limit],
  );
  return rows.length > 0 && limit >= 1;
}

class Denied extends Error {
  constructor(readonly decision: RateDecision) {
    super('rate limited');
  }
}

export class RateLimiter {
  private calls = 0;
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: RateLimitConfig,
  ) {}

  get enabled(): boolean {
    return this.config.enabled;
  }

  async admit(integrationId: string, workspaceId: string, override?: IntegrationRateLimit): Promise<RateDecision> {
    if (!this.config.enabled) return { allowed: true };
    if (++this.calls % 1000 === 0) void this.prune().catch(() => undefined);
    const nowMs = this.clock.now().getTime();
    return this.config.mode === 'classic' ? this.admitClassic(integrationId, nowMs) : this.admitWindow(integrationId, workspaceId, nowMs, override);
  }

  private async admitWindow(integrationId: string, workspaceId: string, nowMs: number, override?: IntegrationRateLimit): Promise<RateDecision> {
    const windowStart = nowMs - (nowMs % WINDOW_MS);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - nowMs) / 1000));
    const perIntegration = override?.requests_per_minute ?? this.config.requestsPerMinute;
    try {
      await this.store.transaction(async (tx) => {
        if (!(await takeFromWindow(tx, `i:${integrationId}`, windowStart, perIntegration))) {
          throw new Denied({ allowed: false, retryAfterSeconds, reason: 'public_api_request_rate_limit' });
        }
        // Both budgets or neither: a request refused by the workspace budget rolls back the integration's unit.
        if (!(await takeFromWindow(tx, `w:${workspaceId}`, windowStart, this.config.workspaceRequestsPerMinute))) {
          throw new Denied({ allowed: false, retryAfterSeconds, reason: 'public_api_space_request_rate_limit' });
        }
      });
      return { allowed: true };
    } catch (error) {
      if (error instanceof Denied) return error.decision;
      throw error;
    }
  }

  private async admitClassic(integrationId: string, nowMs: number): Promise<RateDecision> {
    const { requestsPerSecond: rate, burst } = this.config;
    const key = `c:${integrationId}`;
    // One transaction holding the bucket's row lock: refill by elapsed time, take a token if there is one.
    return this.store.transaction(async (tx) => {
      await tx.query('INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, burst, nowMs]);
      const rows = await tx.query<{ tokens: number; updated_ms: string }>('SELECT tokens, updated_ms FROM rate_buckets WHERE key = $1 FOR UPDATE', [key]);
      const row = rows[0];
      const elapsedMs = Math.max(0, nowMs - Number(row?.updated_ms ?? nowMs));
      const available = Math.min(burst, Number(row?.tokens ?? burst) + (elapsedMs * rate) / 1000);
      const allowed = available >= 1;
      await tx.query('UPDATE rate_buckets SET tokens = $2, updated_ms = GREATEST(updated_ms, $3) WHERE key = $1', [key, allowed ? available - 1 : available, nowMs]);
      if (allowed) return { allowed: true } as const;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / rate)), reason: 'public_api_request_rate_limit' } as const;
    });
  }

  /** Drops windows that can no longer limit anything. */
  async prune(): Promise<void> {
    const before = this.clock.now().getTime() - 2 * WINDOW_MS;
    await this.store.query('DELETE FROM rate_windows WHERE window_start < $1', [before]);
  }
}
