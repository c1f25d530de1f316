// Time for the toolkit: every wait goes through a Clock so tests run on a fake one (no real sleeps).
// The per-attempt request timeout is the one exception: it is a safety net on real time.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number) => (ms <= 0 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, ms))),
});

/** Lets every pending promise continuation run (one macrotask turn; no time passes on a fake clock). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Sleeper {
  wakeAtMs: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told. `autoAdvance` (the default) jumps straight to the wake-up time of
 * every sleep, so code that waits runs instantly while every wait is still recorded in `sleeps`.
 * With `autoAdvance: false`, sleeps resolve when `advance()` passes their wake-up time.
 */
export class FakeClock implements Clock {
  private nowMs: number;
  private readonly autoAdvance: boolean;
  private sleepers: Sleeper[] = [];
  /** Every sleep requested, in milliseconds, in call order. */
  readonly sleeps: number[] = [];

  constructor(options: { startMs?: number; autoAdvance?: boolean } = {}) {
    this.nowMs = options.startMs ?? Date.UTC(2026, 0, 1);
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.nowMs;
  }

  sleep(ms: number): Promise<void> {
    const waitMs = Math.max(0, ms);
    this.sleeps.push(waitMs);
    if (this.autoAdvance) {
      this.nowMs += waitMs;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.sleepers.push({ wakeAtMs: this.nowMs + waitMs, resolve });
    });
  }

  /**
   * Moves time forward, waking due sleepers in wake-up order. Pending promise chains run between
   * steps (one event-loop turn each), so a caller that sleeps right after an await is not missed.
   */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await settle();
    for (;;) {
      this.sleepers.sort((a, b) => a.wakeAtMs - b.wakeAtMs);
      const next = this.sleepers[0];
      if (!next || next.wakeAtMs > target) break;
      this.sleepers.shift();
      this.nowMs = Math.max(this.nowMs, next.wakeAtMs);
      next.resolve();
      await settle();
    }
    this.nowMs = target;
    await settle();
  }

  /** Total of all requested sleeps. */
  get sleptMs(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}
