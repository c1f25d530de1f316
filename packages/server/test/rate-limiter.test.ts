// The limiter with a fake clock, on every store: exact budgets, Retry-After to the window's end,
// shared workspace budgets, the classic token bucket, and exactness under concurrency.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from '../src/limits/rate-limiter.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import type { Store } from '../src/store/sql-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const kinds = PG_URL ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('rate limiter on %s', (kind) => {
  let store: Store;
  const schema = `nl_rl_${process.pid}_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    store = kind === 'postgres' ? await openPostgres({ url: PG_URL, schema }) : await openStore({ kind: 'memory' });
  });
  afterAll(async () => {
    await store?.close();
    if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
  });

  let n = 0;
  const ids = () => ({ integration: `int-${++n}`, workspace: `ws-${n}` });
  const limiter = (clock: ManualClock, config: Partial<RateLimitConfig> = {}) =>
    new RateLimiter(store, clock, { ...DEFAULT_RATE_LIMIT, ...config });

  it('admits exactly 180 per integration per 60 s window and says when the window resets', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 15, 500));
    const rl = limiter(clock);
    const { integration, workspace } = ids();
    for (let i = 0; i < 180; i++) expect(await rl.admit(integration, workspace)).toEqual({ allowed: true });
    expect(await rl.admit(integration, workspace)).toEqual({
      allowed: false,
      retryAfterSeconds: 45,
      reason: 'public_api_request_rate_limit',
    });
    clock.advance(44_400); // 00:00:59.900 — still the same window
    expect(await rl.admit(integration, workspace)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(100); // waiting Retry-After is enough
    expect(await rl.admit(integration, workspace)).toEqual({ allowed: true });
  });

  it('honours a per-integration budget (e.g. 600 on Business plans)', async () => {
    const rl = limiter(new ManualClock());
    const { integration, workspace } = ids();
    let admitted = 0;
    for (let i = 0; i < 605; i++)
      if ((await rl.admit(integration, workspace, { requests_per_minute: 600 })).allowed) admitted++;
    expect(admitted).toBe(600);
  });

  it('shares a workspace budget between integrations; a refusal by it costs the integration nothing', async () => {
    const rl = limiter(new ManualClock(), { workspaceRequestsPerMinute: 5, requestsPerMinute: 4 });
    const workspace = `ws-shared-${kind}`;
    const results = [];
    for (const integration of ['a', 'a', 'a', 'b', 'b', 'b'])
      results.push(await rl.admit(`${integration}-${kind}`, workspace));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results[5]).toMatchObject({ reason: 'public_api_space_request_rate_limit' });
    if (kind === 'postgres') {
      // The counters live in the store here (on PGlite the owning process keeps them in memory).
      const rows = await store.query<{ key: string; count: number }>(
        `SELECT key, count FROM rate_windows WHERE key = $1`,
        [`i:b-${kind}`],
      );
      expect(rows[0]?.count).toBe(2);
    }
  });

  it('classic mode: bursts up to the bucket, then 3 per second on average', async () => {
    const clock = new ManualClock();
    const rl = limiter(clock, { mode: 'classic', requestsPerSecond: 3, burst: 10 });
    const { integration, workspace } = ids();
    for (let i = 0; i < 10; i++) expect((await rl.admit(integration, workspace)).allowed).toBe(true);
    expect(await rl.admit(integration, workspace)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
      reason: 'public_api_request_rate_limit',
    });
    clock.advance(1000);
    let admitted = 0;
    for (let i = 0; i < 5; i++) if ((await rl.admit(integration, workspace)).allowed) admitted++;
    expect(admitted).toBe(3);
  });

  it('is exact under concurrency', async () => {
    const rl = limiter(new ManualClock(), { requestsPerMinute: 50 });
    const { integration, workspace } = ids();
    const results = await Promise.all(Array.from({ length: 200 }, () => rl.admit(integration, workspace)));
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
  });

  it('does nothing when disabled', async () => {
    const rl = limiter(new ManualClock(), { enabled: false, requestsPerMinute: 0 });
    expect(await rl.admit('x', 'y')).toEqual({ allowed: true });
  });
});

describe.skipIf(!PG_URL)('rate limiter across three instances on one PostgreSQL', () => {
  const schema = `nl_rl3_${process.pid}_${randomBytes(3).toString('hex')}`;
  let stores: Store[] = [];
  beforeAll(async () => {
    stores = await Promise.all([0, 1, 2].map(() => openPostgres({ url: PG_URL, schema, poolSize: 5 })));
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropPostgresSchema(PG_URL, schema);
  });

  it('admits exactly the budget in total', async () => {
    const clock = new ManualClock();
    const limiters = stores.map((s) => new RateLimiter(s, clock, { ...DEFAULT_RATE_LIMIT, requestsPerMinute: 90 }));
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => limiters[i % 3]!.admit('shared', 'ws')));
    expect(results.filter((r) => r.allowed)).toHaveLength(90);
  });
});
