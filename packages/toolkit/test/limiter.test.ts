import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { MemoryBudgetStore } from '../src/limiter/budget-store.js';
import { EMPTY_BUDGET, reserveSlot, reservationFromUpdatedState, type PaceSpec } from '../src/limiter/pacing.js';
import { RateLimiter, budgetKeyForToken } from '../src/limiter/rate-limiter.js';

const T0 = Date.UTC(2026, 0, 1);

describe('pacing: GCRA with reservations', () => {
  it('lets a burst through, then spaces requests at the average rate', () => {
    const spec: PaceSpec = { requestsPerSecond: 3, burst: 3 };
    let state = EMPTY_BUDGET;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = reserveSlot(state, T0, spec);
      state = r.state;
      waits.push(Math.round(r.reservation.waitMs));
    }
    expect(waits).toEqual([0, 0, 0, 333, 667, 1000, 1333]);
  });

  it('refills while idle, but never beyond the burst', () => {
    const spec: PaceSpec = { requestsPerSecond: 2, burst: 2 };
    let state = reserveSlot(EMPTY_BUDGET, T0, spec).state;
    state = reserveSlot(state, T0, spec).state;
    // Ten seconds later: two back to back again, the third waits half a second.
    const later = T0 + 10_000;
    const waits = [0, 1, 2].map(() => {
      const r = reserveSlot(state, later, spec);
      state = r.state;
      return r.reservation.waitMs;
    });
    expect(waits).toEqual([0, 0, 500]);
  });

  it('rate 0 paces nothing but still honours a pause', () => {
    const spec: PaceSpec = { requestsPerSecond: 0, burst: 1 };
    const paused = { tatMs: 0, pausedUntilMs: T0 + 5_000 };
    expect(reserveSlot(EMPTY_BUDGET, T0, spec).reservation.waitMs).toBe(0);
    expect(reserveSlot(paused, T0, spec).reservation.waitMs).toBe(5_000);
  });

  it('the store-side formula (one atomic update) agrees with the pure one', () => {
    const spec: PaceSpec = { requestsPerSecond: 3, burst: 2 };
    let state = { tatMs: T0 + 400, pausedUntilMs: T0 + 100 };
    for (const now of [T0, T0 + 50, T0 + 2_000, T0 + 2_001]) {
      const pure = reserveSlot(state, now, spec);
      const fromStore = reservationFromUpdatedState(pure.state, now, spec);
      expect(fromStore.waitMs).toBeCloseTo(pure.reservation.waitMs, 6);
      state = pure.state;
    }
  });
});

describe('RateLimiter on a fake clock', () => {
  it('paces sequential callers to the budget without real sleeps', async () => {
    const clock = new FakeClock({ startMs: T0 });
    const limiter = new RateLimiter({ requestsPerSecond: 3, burst: 1, clock });
    for (let i = 0; i < 10; i++) await limiter.acquire();
    // 10 requests at 3/s with no burst: the last starts 3 s after the first.
    expect(Math.round(clock.now() - T0)).toBe(3000);
    expect(clock.sleeps.length).toBe(9);
  });

  it('a pause (Retry-After) holds back every caller of the budget, including ones already waiting', async () => {
    const clock = new FakeClock({ startMs: T0, autoAdvance: false });
    const store = new MemoryBudgetStore();
    const a = new RateLimiter({ requestsPerSecond: 0, clock, store, key: 'k' });
    const b = new RateLimiter({ requestsPerSecond: 0, clock, store, key: 'k' });
    await a.pauseFor(2_000);
    let bDone = false;
    const bAcquire = b.acquire().then(() => (bDone = true));
    await clock.advance(1_999);
    expect(bDone).toBe(false);
    await clock.advance(1);
    await bAcquire;
    expect(clock.now() - T0).toBe(2_000);
  });

  it('a caller that slept through a new pause waits again', async () => {
    const clock = new FakeClock({ startMs: T0, autoAdvance: false });
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, clock });
    await limiter.acquire(); // slot at T0
    let done = false;
    const second = limiter.acquire().then(() => (done = true)); // slot at T0+1000
    await clock.advance(500);
    await limiter.pauseFor(3_000); // until T0+3500
    await clock.advance(500);
    expect(done).toBe(false);
    await clock.advance(10_000);
    await second;
    expect(done).toBe(true);
  });

  it('budget keys never reveal the token', () => {
    const key = budgetKeyForToken('secret_abc');
    expect(key).not.toContain('secret');
    expect(key).toBe(budgetKeyForToken('secret_abc'));
    expect(key).not.toBe(budgetKeyForToken('ntn_abc'));
  });
});
