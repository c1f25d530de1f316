// The request log's retention bound is exact: with `maxEntries` 50 the table holds at most 50 rows after every
// flush (each batch is inserted and pruned in one transaction), whatever the batch sizes, and on PostgreSQL
// also when two processes' logs flush into one table at once.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { RequestLog, type RequestLogEntry } from '../src/observability/request-log.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import { listRequests } from '../src/store/request-log-repo.js';
import type { Store } from '../src/store/sql-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const MAX = 50;

function entry(n: number): RequestLogEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1) + n),
    requestId: randomUUID(),
    workspaceId: null,
    integrationId: null,
    method: 'GET',
    route: '/v1/users/me',
    path: `/v1/users/me`,
    status: 200,
    code: null,
    message: `request ${n}`,
    durationMs: 1,
    notFoundReason: null,
  };
}

const rowsIn = async (store: Store) => (await listRequests(store, {}, 10_000)).length;

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !PG_URL)(`request log bound on ${kind}`, () => {
    const schema = `nl_rlog_${process.pid}_${randomBytes(3).toString('hex')}`;
    const open = () =>
      kind === 'postgres' ? openPostgres({ url: PG_URL, schema }) : openStore({ kind: 'memory' as const });
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
    });

    it('500 requests with max_entries 50: never more than 50 rows after any flush; the newest 50 kept', async () => {
      const log = new RequestLog(store, new ManualClock(), { enabled: true, maxEntries: MAX, flushIntervalMs: 10 });
      const counts: number[] = [];
      let n = 0;
      // Batches of 1 to 13 requests, then one of 120: larger than the bound itself.
      for (let size = 1; n < 380; size = (size % 13) + 1) {
        for (let i = 0; i < size && n < 380; i++) log.record(entry(n++));
        await log.flush();
        counts.push(await rowsIn(store));
      }
      for (let i = 0; i < 120; i++) log.record(entry(n++));
      await log.flush();
      counts.push(await rowsIn(store));
      expect(n).toBe(500);
      expect(Math.max(...counts)).toBe(MAX);
      const kept = await listRequests(store, {}, 10_000);
      expect(kept.map((r) => r.message)).toEqual(Array.from({ length: MAX }, (_, i) => `request ${499 - i}`));
    });

    it.skipIf(kind !== 'postgres')('two processes flushing into one table at once: never more than 50', async () => {
      const other = await open(); // a second pool: as another notion-local process would
      try {
        const config = { enabled: true, maxEntries: MAX, flushIntervalMs: 10 };
        const logs = [
          new RequestLog(store, new ManualClock(), config),
          new RequestLog(other, new ManualClock(), config),
        ];
        let n = 0;
        // Uneven batches: without the lock, a large batch's prune cannot see (nor delete) a small batch that took
        // smaller seq values and commits after it, and the table keeps both.
        for (let round = 0; round < 40; round++) {
          const sizes = round % 2 === 0 ? [3, 120] : [120, 3];
          logs.forEach((log, k) => {
            for (let i = 0; i < sizes[k]!; i++) log.record(entry(n++));
          });
          await Promise.all(logs.map((log) => log.flush()));
          expect(await rowsIn(store)).toBeLessThanOrEqual(MAX);
        }
        expect(await rowsIn(store)).toBe(MAX);
      } finally {
        await other.close();
      }
    });
  });
}
