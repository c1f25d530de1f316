import { APIErrorCode, Client, LogLevel, isNotionClientError } from '@notionhq/client';
import { Client as ClientV5 } from 'notion-client-v5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { MemoryBudgetStore } from '../src/limiter/budget-store.js';
import { RateLimiter } from '../src/limiter/rate-limiter.js';
import { createNotionFetch, type NotionFetchOptions } from '../src/http/notion-fetch.js';
import { RetryBudget, backoffDelayMs, isRetryableNetworkError, parseRetryAfterMs } from '../src/http/retry-policy.js';
import { INTERNAL, RATE_LIMITED, UNAVAILABLE, startFaultStub, type FaultStub } from './support/fault-stub.js';

const T0 = Date.UTC(2026, 0, 1);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return isNotionClientError(error) ? error.code : String(error);
  }
}

describe('the retrying fetch against a fault stub of Notion', () => {
  let stub: FaultStub;
  beforeAll(async () => {
    stub = await startFaultStub();
  });
  afterAll(async () => {
    await stub?.close();
  });

  function setup(options: Partial<NotionFetchOptions> & { rate?: number; clock?: FakeClock } = {}) {
    const clock = options.clock ?? new FakeClock({ startMs: T0 });
    const limiter = new RateLimiter({ requestsPerSecond: options.rate ?? 0, clock });
    const handle = createNotionFetch({ clock, limiter, random: () => 0.5, ...options });
    const client = new Client({
      auth: 'secret_x',
      baseUrl: stub.baseUrl,
      fetch: handle.fetch,
      logLevel: LogLevel.ERROR,
    });
    return { clock, handle, client };
  }

  it('waits exactly Retry-After on 429, then succeeds', async () => {
    stub.script([RATE_LIMITED(2)]);
    const { clock, handle, client } = setup();
    const me = await client.users.me({});
    expect(me.id).toBe('bot-1');
    expect(stub.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
    expect(handle.stats).toMatchObject({ requests: 1, attempts: 2, retries: 1, rateLimited: 1 });
  });

  it('retries a 429 for a POST too (the request was not processed)', async () => {
    stub.script([RATE_LIMITED(1), RATE_LIMITED(1)], { status: 200, body: { object: 'page', id: 'p1' } });
    const { clock, client } = setup();
    await client.pages.create({ parent: { page_id: '0a000000-0000-4000-8000-0000000000c1' }, properties: {} });
    expect(stub.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    expect(clock.sleptMs).toBe(2000);
  });

  it('without Retry-After, backs off exponentially with full jitter', async () => {
    stub.script([RATE_LIMITED(null), RATE_LIMITED(null), RATE_LIMITED(null)]);
    const { clock, client } = setup({ random: () => 0.5, baseDelayMs: 1000 });
    await client.users.me({});
    // uniform in [0, 1000·2^attempt): with random 0.5 → 500, 1000, 2000
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('Retry-After is a minimum wait for the calls that follow, across callers of one budget', async () => {
    const clock = new FakeClock({ startMs: T0, autoAdvance: false });
    const store = new MemoryBudgetStore();
    let retryScheduled!: () => void;
    const aPaused = new Promise<void>((resolve) => (retryScheduled = resolve));
    const workerA = createNotionFetch({
      clock,
      limiter: new RateLimiter({ requestsPerSecond: 0, clock, store, key: 'shared' }),
      // A schedules its retry only after it has paused the shared budget for the Retry-After.
      onEvent: (event) => event.type === 'retry' && retryScheduled(),
    });
    const workerB = createNotionFetch({
      clock,
      limiter: new RateLimiter({ requestsPerSecond: 0, clock, store, key: 'shared' }),
    });
    stub.script([RATE_LIMITED(5)]);
    const a = workerA.fetch(`${stub.baseUrl}/v1/users/me`);
    await aPaused;
    expect(workerA.limiter.pausedUntilMs).toBe(T0 + 5000);
    const b = workerB.fetch(`${stub.baseUrl}/v1/users/me`);
    await clock.advance(4999);
    expect(stub.requests).toHaveLength(1); // B has not gone out: it learned of A's pause from the store
    await clock.advance(1);
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(stub.requests).toHaveLength(3);
  });

  it('retries 5xx for GET, DELETE and the read-only POSTs (query, search) only', async () => {
    stub.script([UNAVAILABLE, INTERNAL]);
    const get = setup();
    expect((await get.client.users.me({})).id).toBe('bot-1');
    expect(stub.requests).toHaveLength(3);

    stub.script([UNAVAILABLE], { status: 200, body: { object: 'block', id: 'b1' } });
    const del = setup();
    await del.client.blocks.delete({ block_id: '0a000000-0000-4000-8000-0000000000c1' });
    expect(stub.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);

    for (const method of ['POST', 'PATCH'] as const) {
      stub.script([UNAVAILABLE]);
      const w = setup();
      const call =
        method === 'POST'
          ? w.client.pages.create({ parent: { page_id: '0a000000-0000-4000-8000-0000000000c1' }, properties: {} })
          : w.client.pages.update({ page_id: '0a000000-0000-4000-8000-0000000000c1', properties: {} });
      expect(await codeOf(call)).toBe(APIErrorCode.ServiceUnavailable);
      expect(stub.requests).toHaveLength(1);
      expect(w.clock.sleeps).toEqual([]);
    }

    // POSTs that only read (database query, search) are retried like GETs.
    stub.script([UNAVAILABLE, INTERNAL], {
      status: 200,
      body: { object: 'list', results: [], next_cursor: null, has_more: false },
    });
    const q = setup();
    await q.client.databases.query({ database_id: '0a000000-0000-4000-8000-0000000000d1' });
    await q.client.search({});
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/databases/0a000000-0000-4000-8000-0000000000d1/query',
      'POST /v1/databases/0a000000-0000-4000-8000-0000000000d1/query',
      'POST /v1/databases/0a000000-0000-4000-8000-0000000000d1/query',
      'POST /v1/search',
    ]);
  });

  it('stops after the attempt cap and hands the SDK the last answer', async () => {
    stub.script([], RATE_LIMITED(1));
    const { client, handle } = setup({ maxRetries: 3 });
    expect(await codeOf(client.users.me({}))).toBe(APIErrorCode.RateLimited);
    expect(stub.requests).toHaveLength(4);
    expect(handle.stats.retries).toBe(3);
  });

  it('never retries public_api_request_blocked', async () => {
    stub.script([RATE_LIMITED(1, 'public_api_request_blocked')]);
    const { client } = setup();
    expect(await codeOf(client.users.me({}))).toBe(APIErrorCode.RateLimited);
    expect(stub.requests).toHaveLength(1);
  });

  it('a retry budget turns an outage into quick failures instead of a retry storm', async () => {
    stub.script([], UNAVAILABLE);
    const { client } = setup({ retryBudget: new RetryBudget({ initial: 2, ratio: 0 }) });
    for (let i = 0; i < 3; i++) expect(await codeOf(client.users.me({}))).toBe(APIErrorCode.ServiceUnavailable);
    // 3 first attempts + the 2 retries the budget held
    expect(stub.requests).toHaveLength(5);
  });

  it('paces to the configured budget (fake clock)', async () => {
    stub.script([]);
    const { clock, client } = setup({ rate: 5 });
    for (let i = 0; i < 10; i++) await client.users.me({});
    // burst of 5 (one second's worth), then one every 200 ms
    expect(Math.round(clock.now() - T0)).toBe(1000);
    expect(stub.requests).toHaveLength(10);
  });

  it('works as the fetch of SDK v5 (with its own retries off)', async () => {
    stub.script([RATE_LIMITED(3)]);
    const clock = new FakeClock({ startMs: T0 });
    const handle = createNotionFetch({ clock, limiter: new RateLimiter({ requestsPerSecond: 0, clock }) });
    const client = new ClientV5({
      auth: 'ntn_x',
      baseUrl: stub.baseUrl,
      fetch: handle.fetch,
      retry: false,
      logLevel: LogLevel.ERROR as never,
    });
    const me = await client.users.me({});
    expect(me.id).toBe('bot-1');
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[0]?.path).toBe('/v1/users/me');
    expect(clock.sleeps).toEqual([3000]);
  });
});

describe('retry rules (pure)', () => {
  it("parses Retry-After as seconds, an HTTP date, or Notion's additional_data.retry_after", () => {
    expect(parseRetryAfterMs('12', T0)).toBe(12_000);
    expect(parseRetryAfterMs(new Date(T0 + 30_000).toUTCString(), T0)).toBe(30_000);
    expect(parseRetryAfterMs(null, T0, { additional_data: { retry_after: '7' } })).toBe(7_000);
    expect(parseRetryAfterMs('soon', T0)).toBeNull();
  });

  it('full jitter stays under the capped exponential ceiling', () => {
    expect(backoffDelayMs(0, () => 0.999, 1000, 60_000)).toBe(999);
    expect(backoffDelayMs(10, () => 0.999, 1000, 60_000)).toBe(59_940);
    expect(backoffDelayMs(3, () => 0, 1000, 60_000)).toBe(0);
  });

  it('network errors: any method when the request never left, idempotent ones otherwise', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(isRetryableNetworkError(refused, 'POST')).toBe(true);
    expect(isRetryableNetworkError(reset, 'POST')).toBe(false);
    expect(isRetryableNetworkError(reset, 'GET')).toBe(true);
    expect(isRetryableNetworkError(new Error('boom'), 'GET')).toBe(false);
    expect(isRetryableNetworkError(reset, 'POST', 'https://api.notion.com/v1/databases/abc/query')).toBe(true);
    expect(isRetryableNetworkError(reset, 'POST', 'https://api.notion.com/v1/search')).toBe(true);
    expect(isRetryableNetworkError(reset, 'POST', 'https://api.notion.com/v1/pages')).toBe(false);
    expect(isRetryableNetworkError(reset, 'POST', 'https://api.notion.com/v1/databases')).toBe(false);
  });
});
