// A `fetch` for the official SDK (`new Client({ fetch })`, v4 and v5 alike) that paces requests to a
// budget, waits out `Retry-After` (as a minimum for every call that follows, across all callers of
// the budget), and retries safely: rate limits for any method, server errors and network failures
// only for idempotent requests, with full-jitter backoff, an attempt cap and a retry budget.
// With SDK v5 pass `retry: false` too, or both layers would retry.
import { systemClock, type Clock } from '../clock.js';
import { RateLimiter } from '../limiter/rate-limiter.js';
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  RetryBudget,
  backoffDelayMs,
  classifyResponse,
  isBlockedForGood,
  isRetryableNetworkError,
  networkErrorCode,
  parseRetryAfterMs,
} from './retry-policy.js';

/** What the SDK passes to `fetch` (the shape of its `SupportedRequestInit`, v4 and v5). */
export interface NotionFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData | null;
  agent?: unknown;
  signal?: AbortSignal;
}

export type NotionFetch = (url: string, init?: NotionFetchInit) => Promise<Response>;
export type BaseFetch = (url: string, init: RequestInit) => Promise<Response>;

export type FetchEvent =
  | { type: 'paced'; waitedMs: number }
  | { type: 'retry'; method: string; url: string; attempt: number; reason: string; delayMs: number }
  | { type: 'response'; method: string; url: string; status: number; attempt: number };

export interface NotionFetchOptions {
  /** The limiter (budget, store, clock). Default: 3 requests/s in this process's memory. */
  readonly limiter?: RateLimiter;
  readonly clock?: Clock;
  /** The transport; default `globalThis.fetch`. */
  readonly fetch?: BaseFetch;
  /** Retries after the first attempt (default 6, Notion's example). */
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxRetryAfterMs?: number;
  /** Caps retries of 5xx/network failures across requests; `false` = uncapped. */
  readonly retryBudget?: RetryBudget | false;
  /** Aborts one attempt after this long (real time; default 60 s). The SDK's own timeout covers all attempts. */
  readonly attemptTimeoutMs?: number;
  readonly random?: () => number;
  readonly onEvent?: (event: FetchEvent) => void;
  /** Record `Retry-After` as a pause of the whole budget (default true; doctor turns it off to look, not wait). */
  readonly pauseOnRetryAfter?: boolean;
}

export interface FetchStats {
  /** Calls made by the SDK. */
  requests: number;
  /** HTTP attempts sent (requests + retries). */
  attempts: number;
  retries: number;
  /** Responses with 429 or 529. */
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  /** Time spent waiting for the budget or for retries. */
  waitedMs: number;
}

export interface NotionFetchHandle {
  readonly fetch: NotionFetch;
  readonly stats: Readonly<FetchStats>;
  readonly limiter: RateLimiter;
}

/** Thrown when one attempt exceeded `attemptTimeoutMs`: for a write, the server may have committed it. */
export class AttemptTimeoutError extends Error {
  readonly code = 'ATTEMPT_TIMEOUT';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${url} did not answer within ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

async function readBodyText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createNotionFetch(options: NotionFetchOptions = {}): NotionFetchHandle {
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? new RateLimiter({ clock });
  const baseFetch: BaseFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const budget = options.retryBudget === false ? null : (options.retryBudget ?? new RetryBudget());
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  const random = options.random ?? Math.random;
  const emit = options.onEvent ?? (() => undefined);
  const stats: FetchStats = {
    requests: 0,
    attempts: 0,
    retries: 0,
    rateLimited: 0,
    serverErrors: 0,
    networkErrors: 0,
    waitedMs: 0,
  };

  async function sendOnce(url: string, init: NotionFetchInit, method: string): Promise<Response> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(init.signal?.reason);
    init.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, attemptTimeoutMs);
    try {
      const requestInit: RequestInit = { method, signal: controller.signal };
      if (init.headers) requestInit.headers = init.headers;
      if (init.body !== undefined && init.body !== null) requestInit.body = init.body;
      return await baseFetch(url, requestInit);
    } catch (error) {
      if (timedOut) throw new AttemptTimeoutError(method, url, attemptTimeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  async function wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    stats.waitedMs += ms;
    await clock.sleep(ms);
  }

  const notionFetch: NotionFetch = async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    stats.requests++;
    budget?.recordRequest();
    for (let attempt = 0; ; attempt++) {
      const pacedMs = await limiter.acquire();
      if (pacedMs > 0) {
        stats.waitedMs += pacedMs;
        emit({ type: 'paced', waitedMs: pacedMs });
      }
      stats.attempts++;
      let response: Response;
      try {
        response = await sendOnce(url, init, method);
      } catch (error) {
        stats.networkErrors++;
        const canRetry =
          attempt < maxRetries && isRetryableNetworkError(error, method, url) && (budget?.tryWithdraw() ?? true);
        if (!canRetry) throw error;
        const delayMs = backoffDelayMs(attempt, random, baseDelayMs, maxDelayMs);
        stats.retries++;
        emit({
          type: 'retry',
          method,
          url,
          attempt: attempt + 1,
          reason: networkErrorCode(error) ?? 'network error',
          delayMs,
        });
        await wait(delayMs);
        continue;
      }
      emit({ type: 'response', method, url, status: response.status, attempt });
      const verdict = classifyResponse(response.status, method, url);
      if (verdict.kind === 'done') return response;

      // Read the body: it may say why (rate_limit_reason) and how long (retry_after); it is also
      // what the SDK needs if we hand this response back.
      const text = await readBodyText(response);
      const body = parseJson(text);
      const rebuilt = () =>
        new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), clock.now(), body);

      if (verdict.kind === 'rate-limited') {
        stats.rateLimited++;
        if (isBlockedForGood(body)) return rebuilt();
        if (retryAfterMs !== null) {
          if (retryAfterMs > maxRetryAfterMs) return rebuilt();
          // Shared: every caller of this budget (and every process sharing its store) waits too.
          if (options.pauseOnRetryAfter ?? true) await limiter.pauseFor(retryAfterMs);
        }
        if (attempt >= maxRetries) return rebuilt();
        const delayMs = retryAfterMs === null ? backoffDelayMs(attempt, random, baseDelayMs, maxDelayMs) : 0;
        stats.retries++;
        emit({
          type: 'retry',
          method,
          url,
          attempt: attempt + 1,
          reason: `${response.status}`,
          delayMs: retryAfterMs ?? delayMs,
        });
        await wait(delayMs); // with Retry-After the limiter's pause does the waiting
        continue;
      }

      stats.serverErrors++;
      if (attempt >= maxRetries || !(budget?.tryWithdraw() ?? true)) return rebuilt();
      const delayMs = Math.max(retryAfterMs ?? 0, backoffDelayMs(attempt, random, baseDelayMs, maxDelayMs));
      stats.retries++;
      emit({ type: 'retry', method, url, attempt: attempt + 1, reason: `${response.status}`, delayMs });
      await wait(delayMs);
    }
  };

  return { fetch: notionFetch, stats, limiter };
}
