// When to retry a Notion request, and how long to wait — Notion's documented advice (reference §6.2):
// retry 429 `rate_limited` and 529 `service_overload` after `Retry-After` (never
// `public_api_request_blocked`); retry 500/502/503/504 only for idempotent requests (GET/DELETE, and
// the POSTs that only read: database query, search); exponential
// backoff with jitter; cap attempts. Pure functions plus a small retry budget.

export const DEFAULT_MAX_RETRIES = 6;
export const DEFAULT_BASE_DELAY_MS = 1_000;
export const DEFAULT_MAX_DELAY_MS = 60_000;
/** A `Retry-After` longer than this is not waited out; the response is returned instead. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 10 * 60_000;

const RATE_LIMIT_STATUSES = new Set([429, 529]);
const SERVER_ERROR_STATUSES = new Set([500, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
/** Errors that prove the request never reached the server, so any method may be re-sent. */
const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** Network errors worth a retry for idempotent requests. */
const TRANSIENT_ERROR_CODES = new Set([
  ...NOT_SENT_ERROR_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ATTEMPT_TIMEOUT',
]);

/** POSTs that only read: a database query and search (safe to send twice). */
const READ_ONLY_POST = /\/v1\/(databases\/[^/?#]+\/query|data_sources\/[^/?#]+\/query|search)\/?(?:[?#]|$)/;

/**
 * Is sending this request twice harmless? GET/DELETE, and the POSTs that only read (query, search) when the
 * URL is known.
 */
export function isIdempotent(method: string, url?: string): boolean {
  const m = method.toUpperCase();
  if (IDEMPOTENT_METHODS.has(m)) return true;
  return m === 'POST' && url !== undefined && READ_ONLY_POST.test(url);
}

export type ResponseVerdict = { kind: 'done' } | { kind: 'rate-limited' } | { kind: 'server-error' };

/** What a response means for the retry loop (before any retry limits apply). */
export function classifyResponse(status: number, method: string, url?: string): ResponseVerdict {
  if (RATE_LIMIT_STATUSES.has(status)) return { kind: 'rate-limited' };
  if (SERVER_ERROR_STATUSES.has(status) && isIdempotent(method, url)) return { kind: 'server-error' };
  return { kind: 'done' };
}

/** The error code of a failed fetch (Node puts the system error on `cause`). */
export function networkErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function isRetryableNetworkError(error: unknown, method: string, url?: string): boolean {
  const code = networkErrorCode(error);
  if (code === null) return false;
  return NOT_SENT_ERROR_CODES.has(code) || (isIdempotent(method, url) && TRANSIENT_ERROR_CODES.has(code));
}

/**
 * `Retry-After` as milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Falls back to
 * Notion's `additional_data.retry_after` (a string of whole seconds) when the header is missing.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number, body?: unknown): number | null {
  const value = header?.trim();
  if (value) {
    if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
    const dateMs = Date.parse(value);
    if (!Number.isNaN(dateMs)) return Math.max(0, dateMs - nowMs);
  }
  const fromBody = (body as { additional_data?: { retry_after?: unknown } } | undefined)?.additional_data?.retry_after;
  if ((typeof fromBody === 'string' || typeof fromBody === 'number') && /^\d+(\.\d+)?$/.test(String(fromBody))) {
    return Math.round(Number(fromBody) * 1000);
  }
  return null;
}

/** A 429 that no retry will fix (reference §6.2: "API access restricted; retrying won't help"). */
export function isBlockedForGood(body: unknown): boolean {
  return (
    (body as { additional_data?: { rate_limit_reason?: unknown } } | undefined)?.additional_data?.rate_limit_reason ===
    'public_api_request_blocked'
  );
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)). */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  baseMs = DEFAULT_BASE_DELAY_MS,
  capMs = DEFAULT_MAX_DELAY_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

export interface RetryBudgetOptions {
  /** Retries earned by each first attempt (default 0.2: at most one retry per five requests in a storm). */
  readonly ratio?: number;
  /** Retries available from the start, and the floor a long quiet period refills to (default 10). */
  readonly initial?: number;
  /** Most retries that can be saved up (default 100). */
  readonly max?: number;
}

/**
 * Caps retries of server errors and network failures across all requests of one fetch, so an
 * outage turns into quick failures instead of a retry storm. Rate-limit retries are not counted:
 * the server said when to come back, and one 429 must never fail a batch.
 */
export class RetryBudget {
  private tokens: number;
  private readonly ratio: number;
  private readonly max: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.max = options.max ?? 100;
    this.tokens = Math.min(this.max, options.initial ?? 10);
  }

  recordRequest(): void {
    this.tokens = Math.min(this.max, this.tokens + this.ratio);
  }

  tryWithdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  get available(): number {
    return Math.floor(this.tokens);
  }
}
