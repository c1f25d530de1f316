// Creates that never duplicate. A create whose answer was lost (timeout, reset connection, 5xx) may
// have been committed by the server; before trying again we look for the page by its external key
// (a property the caller names), and only create when it is not there.
import { APIErrorCode, ClientErrorCode, type CreatePageParameters, type PageObjectResponse } from '@notionhq/client';
import { isNotionClientError } from '../errors.js';
import { sharedEndpoints, type NotionApi, type NotionClient } from '../api/notion-api.js';
import { systemClock, type Clock } from '../clock.js';
import { DEFAULT_MAX_RETRIES, backoffDelayMs, networkErrorCode } from '../http/retry-policy.js';

/** The answer to "did my create happen?" is unknown after these. */
export function isAmbiguousWriteError(error: unknown): boolean {
  if (isNotionClientError(error)) {
    if (error.code === ClientErrorCode.RequestTimeout) return true;
    if (error.code === APIErrorCode.InternalServerError || error.code === APIErrorCode.ServiceUnavailable) return true;
    // Any other 5xx but 529 (an overload refused before any work): SDK v4 names 502/504 a response error,
    // SDK v5 names 504 `gateway_timeout`.
    const status = (error as { status?: number }).status ?? 0;
    return status >= 500 && status !== 529;
  }
  const code = networkErrorCode(error);
  return code !== null && code !== 'ECONNREFUSED' && code !== 'ENOTFOUND';
}

/**
 * The client gave up waiting (attempt timeout, the SDK's timeout, a reset connection): the server may
 * still be working on the create, and commit it after a first look found nothing.
 */
export function mayStillBeInFlight(error: unknown): boolean {
  if (isNotionClientError(error)) return error.code === ClientErrorCode.RequestTimeout;
  const code = networkErrorCode(error);
  return (
    code === 'ATTEMPT_TIMEOUT' ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'ETIMEDOUT' ||
    code === 'ABORT_ERR'
  );
}

/** Notion's 503 after a committed write names what it saved (reference §5.2, 2026). */
export function committedResourceId(error: unknown): string | null {
  const body = (error as { body?: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
  }
  const id = (parsed as { additional_data?: { committed_resource_id?: unknown } } | undefined)?.additional_data
    ?.committed_resource_id;
  return typeof id === 'string' ? id : null;
}

/** A page create request; its parent may be a data source (2025-09-03, accepted by every version). */
export type PageCreateParameters = Omit<CreatePageParameters, 'parent'> & {
  parent: CreatePageParameters['parent'] | { data_source_id: string };
};

export interface SafeCreateOptions {
  /** An SDK client (v4 or v5), or the toolkit's `api` of one. */
  readonly client: NotionClient | NotionApi;
  readonly params: PageCreateParameters;
  /** Finds the page if an earlier attempt committed it (by external key). */
  readonly findExisting: () => Promise<PageObjectResponse | null>;
  /** Attempts in all (default 7, as the fetch's 6 retries); the fetch below already retried rate limits. */
  readonly maxAttempts?: number;
  /** Look before the first attempt too (a resumed row whose create was in flight). */
  readonly checkFirst?: boolean;
  /**
   * After a timeout (the create may still be running on the server), how long to wait before a second
   * look, when the first found nothing (default 5 s). Lowers, not removes, the risk of a duplicate:
   * a server may commit later still. A key (or Notion's committed_resource_id) is the only certainty.
   */
  readonly settleMs?: number;
  /** Before attempt n+1: a full-jitter backoff in [0, baseDelayMs·2ⁿ⁻¹) (default 250 ms, capped at 30 s). */
  readonly baseDelayMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface SafeCreateResult {
  readonly pageId: string;
  /** `created` by this call, or `found` (an earlier attempt had committed it). */
  readonly action: 'created' | 'found';
}

export async function safeCreate(options: SafeCreateOptions): Promise<SafeCreateResult> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_RETRIES + 1;
  const clock = options.clock ?? systemClock;
  if (options.checkFirst) {
    const existing = await options.findExisting();
    if (existing) return { pageId: existing.id, action: 'found' };
  }
  // Both SDKs send the parent as given; v4's typings only lack the data source parent.
  const params = options.params as CreatePageParameters;
  const pages = sharedEndpoints(options.client).pages;
  for (let attempt = 1; ; attempt++) {
    try {
      const page = await pages.create(params);
      return { pageId: page.id, action: 'created' };
    } catch (error) {
      if (!isAmbiguousWriteError(error) || attempt >= maxAttempts) throw error;
      const committed = committedResourceId(error);
      if (committed) return { pageId: committed, action: 'found' };
      let existing = await options.findExisting();
      if (!existing && mayStillBeInFlight(error)) {
        await clock.sleep(options.settleMs ?? 5_000);
        existing = await options.findExisting();
      }
      if (existing) return { pageId: existing.id, action: 'found' };
      // Not there: the server failed before writing. Back off before the next attempt (an outage).
      await clock.sleep(backoffDelayMs(attempt - 1, options.random ?? Math.random, options.baseDelayMs ?? 250, 30_000));
    }
  }
}
