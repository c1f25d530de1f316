// The shape of an integration's own rate-limit override as it is stored (integrations.settings.rate_limit):
// written by the seed, the admin API and the portal (services/rate-limits.ts), read with the principal on
// every request (auth/authenticate.ts) and applied by the rate limiter (limits/rate-limiter.ts).

/** Per-integration overrides of the platform's rate limit. */
export interface IntegrationRateLimit {
  requests_per_minute?: number;
}
