// One integration's request budget as seen by one process: reserve a slot, wait for it, and honour
// pauses from `Retry-After` — including pauses another caller (or another process, through a shared
// store) recorded while this one was waiting.
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { MemoryBudgetStore, type BudgetStore } from './budget-store.js';
import { DEFAULT_REQUESTS_PER_SECOND, type PaceSpec } from './pacing.js';

export interface RateLimiterOptions {
  /** Average requests per second (default 3, Notion's average); 0 = no pacing. */
  readonly requestsPerSecond?: number;
  /** Back-to-back requests allowed before pacing starts (default: one second's worth, at least 1). */
  readonly burst?: number;
  /** Where the budget lives (default: this process's memory). */
  readonly store?: BudgetStore;
  /** Budget name; callers sharing one integration share one key. See `budgetKeyForToken`. */
  readonly key?: string;
  readonly clock?: Clock;
}

/** A stable budget key for a token that never reveals it (stores may be shared and inspected). */
export function budgetKeyForToken(token: string): string {
  return `token-${createHash('sha256').update(token).digest('hex').slice(0, 24)}`;
}

/** Gives up re-reserving after this many pauses in a row (a pause is re-checked after every wait). */
const MAX_RESERVATIONS_PER_ACQUIRE = 20;

export class RateLimiter {
  readonly spec: PaceSpec;
  readonly key: string;
  private readonly store: BudgetStore;
  private readonly clock: Clock;
  /** The latest pause this process knows of, so a caller that slept through a new pause waits again. */
  private knownPausedUntilMs = 0;

  constructor(options: RateLimiterOptions = {}) {
    const rate = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    if (!(rate >= 0) || !Number.isFinite(rate))
      throw new RangeError(`requestsPerSecond must be a number ≥ 0, got ${rate}`);
    this.spec = { requestsPerSecond: rate, burst: Math.max(1, Math.floor(options.burst ?? Math.max(1, rate))) };
    this.store = options.store ?? new MemoryBudgetStore();
    this.key = options.key ?? 'default';
    this.clock = options.clock ?? systemClock;
  }

  /** Waits until this caller may send one request; returns the milliseconds waited. */
  async acquire(): Promise<number> {
    let waitedMs = 0;
    for (let i = 0; i < MAX_RESERVATIONS_PER_ACQUIRE; i++) {
      const reservation = await this.store.reserve(this.key, this.clock.now(), this.spec);
      this.knownPausedUntilMs = Math.max(this.knownPausedUntilMs, reservation.pausedUntilMs);
      if (reservation.waitMs > 0) {
        await this.clock.sleep(reservation.waitMs);
        waitedMs += reservation.waitMs;
      }
      // A `Retry-After` that arrived while we slept moves our start too.
      if (this.knownPausedUntilMs <= this.clock.now()) return waitedMs;
    }
    return waitedMs;
  }

  /** Records a `Retry-After`: no request of this budget starts for `retryAfterMs`. */
  async pauseFor(retryAfterMs: number): Promise<void> {
    const untilMs = this.clock.now() + Math.max(0, retryAfterMs);
    this.knownPausedUntilMs = Math.max(this.knownPausedUntilMs, untilMs);
    await this.store.pause(this.key, untilMs, this.clock.now());
  }

  /** When the latest known pause ends (0 when none). */
  get pausedUntilMs(): number {
    return this.knownPausedUntilMs;
  }
}
