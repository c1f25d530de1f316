// The shared budget stores against the machine's PostgreSQL and Redis: the same pacing as in memory,
// exact under concurrency, pauses shared. Each run uses its own schema / key prefix and removes it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryBudgetStore, type BudgetStore } from '../src/limiter/budget-store.js';
import type { PaceSpec } from '../src/limiter/pacing.js';
import { PostgresBudgetStore } from '../src/limiter/postgres-budget-store.js';
import { RedisBudgetStore } from '../src/limiter/redis-budget-store.js';

const DATABASE_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const REDIS_URL = process.env.NOTION_LOCAL_TEST_REDIS_URL ?? '';
const T0 = Date.UTC(2026, 0, 1);
const SPEC: PaceSpec = { requestsPerSecond: 4, burst: 2 };
const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;

if (!DATABASE_URL)
  console.warn(
    'PostgreSQL budget-store tests skipped: set NOTION_LOCAL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
if (!REDIS_URL)
  console.warn('Redis budget-store tests skipped: set NOTION_LOCAL_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379)');

interface Kind {
  name: string;
  skip: boolean;
  make: (n: number) => BudgetStore;
  cleanup: () => Promise<void>;
}

const schema = `nl_budget_${suffix}`;
const prefix = `notion-local-test:${suffix}:`;

const KINDS: Kind[] = [
  {
    name: 'memory',
    skip: false,
    make: (() => {
      const s = new MemoryBudgetStore();
      return () => s;
    })(),
    cleanup: async () => undefined,
  },
  {
    name: 'postgres',
    skip: !DATABASE_URL,
    make: () => new PostgresBudgetStore({ connectionString: DATABASE_URL, schema }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  },
  {
    name: 'redis',
    skip: !REDIS_URL,
    make: () => new RedisBudgetStore({ url: REDIS_URL, keyPrefix: prefix }),
    cleanup: async () => {
      const client = createClient({ url: REDIS_URL });
      await client.connect();
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(keys);
      await client.quit();
    },
  },
];

for (const kind of KINDS) {
  describe.skipIf(kind.skip)(`budget store: ${kind.name}`, () => {
    const opened: BudgetStore[] = [];
    const open = (n = 0) => {
      const store = kind.make(n);
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      for (const s of new Set(opened)) await s.close();
      await kind.cleanup();
    });

    it('paces like the pure rule: a burst, then the average rate', async () => {
      const store = open();
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) waits.push(Math.round((await store.reserve('seq', T0, SPEC)).waitMs));
      expect(waits).toEqual([0, 0, 250, 500, 750]);
    });

    it('hands out distinct slots to concurrent workers (4 stores, 40 reservations at one instant)', async () => {
      const stores = [0, 1, 2, 3].map((n) => open(n));
      const all = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.reserve('race', T0, SPEC)));
      const waits = all.map((r) => Math.round(r.waitMs)).sort((a, b) => a - b);
      // Exactly the sequence one worker alone would get: no two share a slot, none is lost.
      expect(waits).toEqual([0, ...Array.from({ length: 39 }, (_, i) => i * 250)]);
    });

    it('shares a pause (Retry-After) with every worker', async () => {
      const [a, b] = [open(1), open(2)];
      await a.pause('paused', T0 + 7_000, T0);
      await a.pause('paused', T0 + 3_000, T0); // an earlier end never shortens a pause
      const r = await b.reserve('paused', T0 + 1_000, SPEC);
      expect(r.waitMs).toBe(6_000);
      expect(r.pausedUntilMs).toBe(T0 + 7_000);
    });
  });
}
