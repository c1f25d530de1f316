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

/** Where one attempt of a request stands, for the events and the retry decision. */
interface Attempt {
  readonly method: string;
  readonly url: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
}

/** One paced, retrying fetch: the options resolved once, the counters kept across requests. */
class PacedRetryingFetch {
  readonly stats: FetchStats = {
    requests: 0,
    attempts: 0,
    retries: 0,
    rateLimited: 0,
    serverErrors: 0,
    networkErrors: 0,
    waitedMs: 0,
  };
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  private readonly baseFetch: BaseFetch;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly budget: RetryBudget | null;
  private readonly attemptTimeoutMs: number;
  private readonly random: () => number;
  private readonly emit: (event: FetchEvent) => void;
  private readonly pauseOnRetryAfter: boolean;

  constructor(options: NotionFetchOptions) {
    this.clock = options.clock ?? systemClock;
    this.limiter = options.limiter ?? new RateLimiter({ clock: this.clock });
    this.baseFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.budget = options.retryBudget === false ? null : (options.retryBudget ?? new RetryBudget());
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.emit = options.onEvent ?? (() => undefined);
    this.pauseOnRetryAfter = options.pauseOnRetryAfter ?? true;
  }

  readonly fetch: NotionFetch = async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    this.stats.requests++;
    this.budget?.recordRequest();
    for (let attempt = 0; ; attempt++) {
      await this.pace();
      this.stats.attempts++;
      const at: Attempt = { method, url, attempt };
      let response: Response;
      try {
        response = await this.sendOnce(url, init, method);
      } catch (error) {
        await this.retryNetworkError(error, at);
        continue;
      }
      this.emit({ type: 'response', method, url, status: response.status, attempt });
      const verdict = classifyResponse(response.status, method, url);
      if (verdict.kind === 'done') return response;
      const final = await this.retryErrorResponse(response, verdict.kind, at);
      if (final) return final;
    }
  };

  private async pace(): Promise<void> {
    const pacedMs = await this.limiter.acquire();
    if (pacedMs > 0) {
      this.stats.waitedMs += pacedMs;
      this.emit({ type: 'paced', waitedMs: pacedMs });
    }
  }

  private async sendOnce(url: string, init: NotionFetchInit, method: string): Promise<Response> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(init.signal?.reason);
    init.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.attemptTimeoutMs);
    try {
      const requestInit: RequestInit = { method, signal: controller.signal };
      if (init.headers) requestInit.headers = init.headers;
      if (init.body !== undefined && init.body !== null) requestInit.body = init.body;
      return await this.baseFetch(url, requestInit);
    } catch (error) {
      if (timedOut) throw new AttemptTimeoutError(method, url, this.attemptTimeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  private async wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.stats.waitedMs += ms;
    await this.clock.sleep(ms);
  }

  private backoffMs(attempt: number): number {
    return backoffDelayMs(attempt, this.random, this.baseDelayMs, this.maxDelayMs);
  }

  /** Waits before the next attempt after a network failure, or rethrows it when it may not be retried. */
  private async retryNetworkError(error: unknown, { method, url, attempt }: Attempt): Promise<void> {
    this.stats.networkErrors++;
    const canRetry =
      attempt < this.maxRetries && isRetryableNetworkError(error, method, url) && (this.budget?.tryWithdraw() ?? true);
    if (!canRetry) throw error;
    const delayMs = this.backoffMs(attempt);
    this.stats.retries++;
    const reason = networkErrorCode(error) ?? 'network error';
    this.emit({ type: 'retry', method, url, attempt: attempt + 1, reason, delayMs });
    await this.wait(delayMs);
  }

  /**
   * A 429/529 or a retryable server error: returns the response to hand back (rebuilt, its body read), or
   * null after waiting for the next attempt.
   */
  private async retryErrorResponse(
    response: Response,
    kind: 'rate-limited' | 'server-error',
    at: Attempt,
  ): Promise<Response | null> {
    // Read the body: it may say why (rate_limit_reason) and how long (retry_after); it is also
    // what the SDK needs if we hand this response back.
    const text = await readBodyText(response);
    const body = parseJson(text);
    const rebuilt = new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), this.clock.now(), body);
    if (kind === 'rate-limited') return this.retryRateLimited(rebuilt, body, retryAfterMs, at);

    this.stats.serverErrors++;
    if (at.attempt >= this.maxRetries || !(this.budget?.tryWithdraw() ?? true)) return rebuilt;
    const delayMs = Math.max(retryAfterMs ?? 0, this.backoffMs(at.attempt));
    this.stats.retries++;
    this.emit({ type: 'retry', ...at, attempt: at.attempt + 1, reason: `${response.status}`, delayMs });
    await this.wait(delayMs);
    return null;
  }

  private async retryRateLimited(
    rebuilt: Response,
    body: unknown,
    retryAfterMs: number | null,
    { method, url, attempt }: Attempt,
  ): Promise<Response | null> {
    this.stats.rateLimited++;
    if (isBlockedForGood(body)) return rebuilt;
    if (retryAfterMs !== null) {
      if (retryAfterMs > this.maxRetryAfterMs) return rebuilt;
      // Shared: every caller of this budget (and every process sharing its store) waits too.
      if (this.pauseOnRetryAfter) await this.limiter.pauseFor(retryAfterMs);
    }
    if (attempt >= this.maxRetries) return rebuilt;
    const delayMs = retryAfterMs === null ? this.backoffMs(attempt) : 0;
    this.stats.retries++;
    const reason = `${rebuilt.status}`;
    this.emit({ type: 'retry', method, url, attempt: attempt + 1, reason, delayMs: retryAfterMs ?? delayMs });
    await this.wait(delayMs); // with Retry-After the limiter's pause does the waiting
    return null;
  }
}

export function createNotionFetch(options: NotionFetchOptions = {}): NotionFetchHandle {
  const paced = new PacedRetryingFetch(options);
  return { fetch: paced.fetch, stats: paced.stats, limiter: paced.limiter };
}
