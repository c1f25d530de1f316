// Where a rate budget lives. In memory for one process (the default); PostgreSQL or Redis when
// several workers share one integration's budget (postgres-budget-store.ts, redis-budget-store.ts).
// Every store applies pacing.ts atomically; time is passed in by the caller's clock.
import { EMPTY_BUDGET, pauseBudget, reserveSlot, type BudgetState, type PaceSpec, type Reservation } from './pacing.js';

export interface BudgetStore {
  /** Atomically reserves the next slot of budget `key` at `nowMs`. */
  reserve(key: string, nowMs: number, spec: PaceSpec): Promise<Reservation>;
  /** Atomically records that no request of budget `key` may start before `untilMs`. */
  pause(key: string, untilMs: number, nowMs: number): Promise<void>;
  close(): Promise<void>;
}

export class MemoryBudgetStore implements BudgetStore {
  private readonly budgets = new Map<string, BudgetState>();

  reserve(key: string, nowMs: number, spec: PaceSpec): Promise<Reservation> {
    const { state, reservation } = reserveSlot(this.budgets.get(key) ?? EMPTY_BUDGET, nowMs, spec);
    this.budgets.set(key, state);
    return Promise.resolve(reservation);
  }

  pause(key: string, untilMs: number, _nowMs: number): Promise<void> {
    this.budgets.set(key, pauseBudget(this.budgets.get(key) ?? EMPTY_BUDGET, untilMs));
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
