// The pacing rule shared by every budget store: a token bucket written as GCRA (generic cell rate
// algorithm) with reservations. State is two numbers per budget — the theoretical arrival time of the
// next request and a pause set by `Retry-After` — so it fits one Redis hash or one SQL row, and one
// atomic statement can apply it. Each caller reserves a slot and learns how long to wait for it.

export interface PaceSpec {
  /** Average requests per second; 0 = no pacing (pauses from `Retry-After` still apply). */
  readonly requestsPerSecond: number;
  /** Requests that may go back to back before pacing starts. */
  readonly burst: number;
}

export interface BudgetState {
  /** Theoretical arrival time of the next request at the average rate (ms since epoch). */
  readonly tatMs: number;
  /** No request may start before this (ms since epoch); set from `Retry-After`. */
  readonly pausedUntilMs: number;
}

export interface Reservation {
  /** How long the caller waits before sending. */
  readonly waitMs: number;
  /** The pause in force when the slot was reserved. */
  readonly pausedUntilMs: number;
}

export const EMPTY_BUDGET: BudgetState = Object.freeze({ tatMs: 0, pausedUntilMs: 0 });

/** Notion's documented average (reference §6.1): 3 requests per second per integration. */
export const DEFAULT_REQUESTS_PER_SECOND = 3;

export function intervalMs(spec: PaceSpec): number {
  return spec.requestsPerSecond > 0 ? 1000 / spec.requestsPerSecond : 0;
}

export function burstToleranceMs(spec: PaceSpec): number {
  return Math.max(0, Math.floor(spec.burst) - 1) * intervalMs(spec);
}

/** Reserves the next slot at `nowMs`: returns the new state and the wait. Pure. */
export function reserveSlot(
  state: BudgetState,
  nowMs: number,
  spec: PaceSpec,
): { state: BudgetState; reservation: Reservation } {
  const base = Math.max(nowMs, state.pausedUntilMs);
  const tat = Math.max(state.tatMs, base);
  const startMs = Math.max(base, tat - burstToleranceMs(spec));
  return {
    state: { tatMs: tat + intervalMs(spec), pausedUntilMs: state.pausedUntilMs },
    reservation: { waitMs: startMs - nowMs, pausedUntilMs: state.pausedUntilMs },
  };
}

/** Records a `Retry-After`: no request of this budget starts before `untilMs`. Pure. */
export function pauseBudget(state: BudgetState, untilMs: number): BudgetState {
  return { tatMs: state.tatMs, pausedUntilMs: Math.max(state.pausedUntilMs, untilMs) };
}

/** Computes the reservation from the state an atomic store update returned (the new `tatMs`). */
export function reservationFromUpdatedState(updated: BudgetState, nowMs: number, spec: PaceSpec): Reservation {
  const base = Math.max(nowMs, updated.pausedUntilMs);
  const tat = updated.tatMs - intervalMs(spec);
  const startMs = Math.max(base, tat - burstToleranceMs(spec));
  return { waitMs: startMs - nowMs, pausedUntilMs: updated.pausedUntilMs };
}
