// kill -9 durability, scaled down: `node bench/durability.mjs` runs the real `notion-local serve` on a PGlite
// data dir (and on a PostgreSQL schema when NOTION_LOCAL_TEST_DATABASE_URL is set) under 8 concurrent
// writers of every kind (page creates, block appends, database rows, comments), SIGKILLs it twice at random
// moments and restarts it on the same data; after each restart every acknowledged write must be readable
// through the API. The full-size run is `node bench/durability.mjs --kills 50` (figures in bench/README.md).
import { describe, expect, it } from 'vitest';
import { runBenchScript } from './support/bench-script.js';
import { POSTGRES_URL, skipMessageForPostgres } from './support/test-platform.js';

const KILLS = 2;

interface StoreResult {
  kills: number;
  restarts: number;
  failedRestarts: number;
  reseeded: number;
  acknowledged: number;
  acknowledgedByKind: Record<'page' | 'append' | 'row' | 'comment', number>;
  lost: number;
  lostSample: unknown[];
  refused: number;
  refusedSample: string[];
  errors: string[];
}

async function runDurability(args: string[]): Promise<StoreResult> {
  const report = await runBenchScript<{ stores: StoreResult[] }>('durability.mjs', args);
  return report.stores[0]!;
}

const SHORT = ['--kills', String(KILLS), '--writers', '8', '--min-ms', '500', '--max-ms', '1000', '--max-minutes', '1'];

function expectDurable(r: StoreResult): void {
  expect({ errors: r.errors, refused: r.refusedSample, lost: r.lostSample }).toEqual({
    errors: [],
    refused: [],
    lost: [],
  });
  expect(r.kills).toBe(KILLS);
  expect(r.restarts).toBe(KILLS);
  expect(r.failedRestarts).toBe(0);
  expect(r.reseeded).toBe(0);
  expect(r.lost).toBe(0);
  expect(r.acknowledged).toBeGreaterThan(50);
  for (const n of Object.values(r.acknowledgedByKind)) expect(n).toBeGreaterThan(0);
}

if (skipMessageForPostgres()) console.warn(`durability: ${skipMessageForPostgres()}`);

describe(`kill -9 durability, short (node bench/durability.mjs --kills ${KILLS})`, () => {
  it(`PGlite data dir: ${KILLS} SIGKILLs under writes of every kind, every restart opens, no acknowledged write lost`, async () => {
    expectDurable(await runDurability([...SHORT, '--store', 'pglite']));
  }, 90_000);

  it.skipIf(!POSTGRES_URL)(
    `PostgreSQL schema: ${KILLS} SIGKILLs under writes of every kind, every restart opens, no acknowledged write lost`,
    async () => {
      expectDurable(await runDurability([...SHORT, '--store', 'postgres', '--database-url', POSTGRES_URL]));
    },
    90_000,
  );
});
