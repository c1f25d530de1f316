// Public entry of the toolkit package.
export { systemClock, FakeClock, type Clock } from './clock.js';
export * from './limiter/pacing.js';
export { MemoryBudgetStore, type BudgetStore } from './limiter/budget-store.js';
export { PostgresBudgetStore, type PostgresBudgetStoreOptions } from './limiter/postgres-budget-store.js';
export { RedisBudgetStore, type RedisBudgetStoreOptions } from './limiter/redis-budget-store.js';
export { RateLimiter, budgetKeyForToken, type RateLimiterOptions } from './limiter/rate-limiter.js';
export * from './http/retry-policy.js';
export * from './http/notion-fetch.js';
export * from './client.js';
