// An integration's own rate limit (integrations.settings.rate_limit, read with the principal on every
// request): one rule for what may be set and one write, whoever sets it — the admin API or the portal's
// Monitoring screen (a seed gives it in `settings`). Each change records integration.rate_limit_updated.
import { z } from 'zod';
import { parseWith } from '../domain/validation.js';
import type { IntegrationRateLimit } from '../model/limits.js';
import { listIntegrationRateLimits, setIntegrationRateLimit as storeRateLimit } from '../store/integration-repo.js';
import type { Store } from '../store/sql-store.js';
import { commitWrite, type Actor } from './changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** At least one request a window: to refuse every request, add a fault rule with status 429 instead. */
export const MIN_REQUESTS_PER_MINUTE = 1;
export const MAX_REQUESTS_PER_MINUTE = 1_000_000;

/** What may be set: a whole number of requests per 60-second window, or null for the platform's budget. */
const zRateLimitSetting = z
  .object({
    requests_per_minute: z.number().int().min(MIN_REQUESTS_PER_MINUTE).max(MAX_REQUESTS_PER_MINUTE).nullable(),
  })
  .strict();

export class RateLimitNotFoundError extends Error {
  constructor(readonly integrationId: string) {
    super(`no integration ${integrationId}`);
    this.name = 'RateLimitNotFoundError';
  }
}

export interface RateLimitChange {
  integrationId: string;
  /** Only an integration of this workspace (the portal); null: any workspace (the admin API). */
  workspaceId: string | null;
  /** The request body as sent: `{ "requests_per_minute": n | null }`. */
  setting: unknown;
  actor: Actor;
  now: Date;
}

/**
 * Checks a setting (a 400 validation_error in Notion's words when it breaks the rule), stores it and records
 * integration.rate_limit_updated. Returns the override as stored (null: none). The API applies it on the
 * integration's next request.
 */
export async function setIntegrationRateLimit(
  deps: WorkspaceWriteDeps,
  change: RateLimitChange,
): Promise<IntegrationRateLimit | null> {
  const requestsPerMinute = parseWith(zRateLimitSetting, change.setting).requests_per_minute;
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    const stored = await storeRateLimit(tx, change.integrationId, change.workspaceId, requestsPerMinute);
    if (!stored) throw new RateLimitNotFoundError(change.integrationId);
    record({
      kind: 'integration.rate_limit_updated',
      workspaceId: stored.workspaceId,
      entity: { type: 'integration', id: change.integrationId },
      actor: change.actor,
      at: change.now,
      details: { requests_per_minute: requestsPerMinute },
    });
    return stored.rateLimit;
  });
}

/** The workspace's integrations with their own per-minute budget (null: the platform's), oldest first. */
export async function readIntegrationRateLimits(
  store: Store,
  workspaceId: string,
): Promise<{ id: string; name: string; requestsPerMinute: number | null }[]> {
  const rows = await listIntegrationRateLimits(store, workspaceId);
  return rows.map((r) => ({ id: r.id, name: r.name, requestsPerMinute: r.rpm === null ? null : Number(r.rpm) }));
}
