// Rate limits (reference §6.1–6.2), as one atomic operation in the store so they are exact under
// concurrency and across several server processes on one PostgreSQL. Time comes from the injected clock.
//
// "window" (default, Notion's current rule): per integration a budget per fixed 60-second window
// (180, or 600 on Business plans) plus a per-workspace budget shared by its integrations.
// "classic": a token bucket per integration — 3 requests/second on average, bursts up to `burst`.
import type { Clock } from '../clock.js';
import type { IntegrationRateLimit } from '../model/limits.js';
import { deleteWindowsBefore, lockBucket, saveBucket, takeFromWindow } from '../store/rate-window-repo.js';
import type { Store } from '../store/sql-store.js';

export type { IntegrationRateLimit } from '../model/limits.js';

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

export type RateLimitReason = 'public_api_request_rate_limit' | 'public_api_space_request_rate_limit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: RateLimitReason };

class Denied extends Error {
  constructor(readonly decision: RateDecision) {
    super('rate limited');
  }
}

/** Counters kept by the process that owns an embedded store. */
class MemoryCounters {
  readonly windows = new Map<string, number>();
  readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();
  private oldest = 0;

  dropBefore(windowStart: number): void {
    if (windowStart <= this.oldest) return;
    this.oldest = windowStart;
    for (const key of this.windows.keys())
      if (Number(key.slice(key.lastIndexOf('@') + 1)) < windowStart) this.windows.delete(key);
  }
}

export class RateLimiter {
  private calls = 0;
  /** Set when this process is the store's only client (PGlite); PostgreSQL keeps the counters in the store. */
  private readonly memory: MemoryCounters | null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: RateLimitConfig,
  ) {
    this.memory = store.exclusive ? new MemoryCounters() : null;
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  async admit(integrationId: string, workspaceId: string, override?: IntegrationRateLimit): Promise<RateDecision> {
    if (!this.config.enabled) return { allowed: true };
    // Counters kept in memory drop old windows themselves; store windows are pruned now and then.
    if (!this.memory && ++this.calls % 1000 === 0) void this.prune().catch(() => undefined);
    const nowMs = this.clock.now().getTime();
    return this.config.mode === 'classic'
      ? this.admitClassic(integrationId, nowMs)
      : this.admitWindow(integrationId, workspaceId, nowMs, override);
  }

  private async admitWindow(
    integrationId: string,
    workspaceId: string,
    nowMs: number,
    override?: IntegrationRateLimit,
  ): Promise<RateDecision> {
    const windowStart = nowMs - (nowMs % WINDOW_MS);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - nowMs) / 1000));
    const perIntegration = override?.requests_per_minute ?? this.config.requestsPerMinute;
    const perWorkspace = this.config.workspaceRequestsPerMinute;
    const keys = [`i:${integrationId}`, `w:${workspaceId}`] as const;
    const denied = (reason: RateLimitReason): RateDecision => ({ allowed: false, retryAfterSeconds, reason });
    if (this.memory) {
      // PGlite: this process is the store's only client, so counters it keeps are exactly the store's
      // (and cost no SQL: a statement doing both checks costs ~0.5 ms to plan in PGlite).
      const ik = `${keys[0]}@${windowStart}`;
      const wk = `${keys[1]}@${windowStart}`;
      this.memory.dropBefore(windowStart);
      const used = this.memory.windows;
      if ((used.get(ik) ?? 0) >= perIntegration) return denied('public_api_request_rate_limit');
      if ((used.get(wk) ?? 0) >= perWorkspace) return denied('public_api_space_request_rate_limit');
      used.set(ik, (used.get(ik) ?? 0) + 1);
      used.set(wk, (used.get(wk) ?? 0) + 1);
      return { allowed: true };
    }
    try {
      // PostgreSQL: several processes at once. Each conditional upsert holds its row until COMMIT, and a
      // request refused by the workspace budget rolls back the integration's unit: both or neither.
      await this.store.transaction(async (tx) => {
        if (!(await takeFromWindow(tx, keys[0], windowStart, perIntegration)))
          throw new Denied(denied('public_api_request_rate_limit'));
        if (!(await takeFromWindow(tx, keys[1], windowStart, perWorkspace)))
          throw new Denied(denied('public_api_space_request_rate_limit'));
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
    if (this.memory) {
      const bucket = this.memory.buckets.get(key) ?? { tokens: burst, updatedMs: nowMs };
      const available = Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.updatedMs) * rate) / 1000);
      const allowed = available >= 1;
      this.memory.buckets.set(key, {
        tokens: allowed ? available - 1 : available,
        updatedMs: Math.max(bucket.updatedMs, nowMs),
      });
      if (allowed) return { allowed: true };
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / rate)),
        reason: 'public_api_request_rate_limit',
      };
    }
    // One transaction holding the bucket's row lock: refill by elapsed time, take a token if there is one.
    return this.store.transaction(async (tx) => {
      const bucket = await lockBucket(tx, key, burst, nowMs);
      const elapsedMs = Math.max(0, nowMs - (bucket?.updatedMs ?? nowMs));
      const available = Math.min(burst, (bucket?.tokens ?? burst) + (elapsedMs * rate) / 1000);
      const allowed = available >= 1;
      await saveBucket(tx, key, allowed ? available - 1 : available, nowMs);
      if (allowed) return { allowed: true } as const;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / rate)),
        reason: 'public_api_request_rate_limit',
      } as const;
    });
  }

  /** Drops windows that can no longer limit anything. */
  async prune(): Promise<void> {
    const before = this.clock.now().getTime() - 2 * WINDOW_MS;
    await deleteWindowsBefore(this.store, before);
  }
}
