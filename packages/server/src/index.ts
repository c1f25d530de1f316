// Public entry of the server package.
export { startPlatform, type Platform, type PlatformConfig, type PlatformOptions } from './platform.js';
export { DEFAULT_SERVER_LIMITS, LOG_SERIALIZERS, serverLimitsProblem, type ServerLimits } from './http/app.js';
export { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from './limits/rate-limiter.js';
export { FaultInjector, seededRandom, validateFaultRules, type FaultRuleInput } from './limits/fault-injector.js';
export {
  DEFAULT_SIGN_IN_THROTTLE,
  signInThrottleProblem,
  type SignInThrottleConfig,
} from './limits/sign-in-throttle.js';
export type { StoreOptions } from './store/open-store.js';
export { lockForStore, openStore } from './store/open-store.js';
export { redactUrl } from './store/redact-url.js';
// PostgreSQL helpers load `pg` only when called, so an embedded start never pays for it.
export async function openPostgres(...args: Parameters<typeof import('./store/postgres-store.js').openPostgres>) {
  return (await import('./store/postgres-store.js')).openPostgres(...args);
}
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  return (await import('./store/postgres-store.js')).dropPostgresSchema(url, schema);
}
export { DataDirLockedError } from './store/data-dir-lock.js';
export { StoreUnavailableError, fixedPlan, type Store, type SqlExecutor } from './store/sql-store.js';
export { SeedError, readSeedFile, validateSeed } from './seed/seed-loader.js';
export { demoSeed, DEMO_INTEGRATION_NAME } from './seed/demo-seed.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export { generateToken, hashToken } from './auth/tokens.js';
export * from './errors.js';
// The developer portal's JSON API types, imported type-only by packages/portal.
export type * from './portal/portal-types.js';
export { SIGN_IN_TTL_MS } from './platform.js';
export { DEFAULT_MAX_CURSORS_PER_INTEGRATION, queryCursorLimitProblem } from './services/database-query.js';
export { DEFAULT_WEBHOOKS, webhookSettingsProblem, type WebhookSettings } from './services/webhook-outbox.js';
export { webhookSignature } from './services/webhook-dispatcher.js';
export { exportState, parseState, StateFileError, STATE_FORMAT_VERSION } from './services/state.js';
export { restoreClone, RestoreError, type CloneBundleInput, type RestoreResult } from './services/restore.js';
export { cloneBundleToState } from './services/restore-state.js';
