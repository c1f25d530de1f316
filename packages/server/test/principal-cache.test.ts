// The principal cache must never outlive a write that changes who a token is: at once for this process's
// writes (both stores), and after the commit's notification for another process's (PostgreSQL).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrincipalCache } from '../src/auth/principal-cache.js';
import { loadSeed } from '../src/seed/seed-loader.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import { writesAuthTables, type Store } from '../src/store/sql-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
if (!PG_URL) console.warn('principal cache: PostgreSQL half skipped — set NOTION_LOCAL_TEST_DATABASE_URL to run it');
const PAGE = '0e000000-0000-4000-8000-0000000000c1';
const BOT = '0e000000-0000-4000-8000-0000000000b1';
const TOKEN = 'secret_cache_test';
const seed = {
  workspaces: [
    {
      name: 'W',
      users: [{ name: 'O', role: 'owner' }],
      integrations: [{ id: BOT, name: 'Bot', token: TOKEN, capabilities: ['read_content'] }],
      pages: [{ id: PAGE, title: 'P' }],
    },
  ],
};

/** Waits until `check` holds (another process's write arrives by notification), or fails after 3 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the cache never saw the write');
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('recognises the statements that change a principal', () => {
  expect(writesAuthTables('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)')).toBe(true);
  expect(writesAuthTables('  update tokens SET revoked_time = now()')).toBe(true);
  expect(writesAuthTables('DELETE FROM workspaces WHERE id = $1')).toBe(true);
  expect(writesAuthTables('UPDATE integrations SET settings = $2')).toBe(true);
  expect(writesAuthTables('INSERT INTO blocks (id) VALUES ($1)')).toBe(false);
  expect(writesAuthTables('SELECT * FROM tokens')).toBe(false);
});

const kinds = ['pglite', ...(PG_URL ? ['postgres'] : [])];

describe.each(kinds)('principal cache on %s', (kind) => {
  let store: Store;
  let other: Store | undefined; // a second process's store on the same schema (PostgreSQL)
  let cache: PrincipalCache;
  const schema = `nl_cache_${process.pid}_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    store = kind === 'postgres' ? await openPostgres({ url: PG_URL, schema }) : await openStore({ kind: 'memory' });
    if (kind === 'postgres') other = await openPostgres({ url: PG_URL, schema });
    cache = new PrincipalCache(store);
    await loadSeed(store, seed, new Date());
    await eventually(async () => store.watchingAuthWrites());
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
    if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
  });

  it("sees this process's new share, capability change and revoked token on the next lookup", async () => {
    // Cached (once the notifications of the seed's own commits, echoed back on PostgreSQL, have arrived).
    await eventually(async () => (await cache.lookup(TOKEN)) === (await cache.lookup(TOKEN)));
    expect((await cache.lookup(TOKEN))?.sharedRootIds.has(PAGE)).toBe(false);

    await store.transaction(async (tx) => {
      await tx.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)', [BOT, PAGE]);
    });
    expect((await cache.lookup(TOKEN))?.sharedRootIds.has(PAGE)).toBe(true);

    await store.query(`UPDATE integrations SET capabilities = ARRAY['read_content', 'update_content'] WHERE id = $1`, [
      BOT,
    ]);
    expect((await cache.lookup(TOKEN))?.capabilities.has('update_content')).toBe(true);

    await store.query('UPDATE tokens SET revoked_time = NULL WHERE integration_id = $1', [BOT]);
    expect(await cache.lookup(TOKEN)).not.toBeNull();
  });

  // Another process exists only on PostgreSQL (a PGlite data directory admits one).
  it.skipIf(kind !== 'postgres')("sees another process's writes once they commit, and caches again after", async () => {
    await eventually(async () => (await cache.lookup(TOKEN)) === (await cache.lookup(TOKEN))); // cached
    await other!.query(`UPDATE integrations SET capabilities = ARRAY['read_content'] WHERE id = $1`, [BOT]);
    await eventually(async () => !(await cache.lookup(TOKEN))?.capabilities.has('update_content'));
    await eventually(async () => (await cache.lookup(TOKEN)) === (await cache.lookup(TOKEN))); // cached again

    await other!.transaction(async (tx) => {
      await tx.query('DELETE FROM shares WHERE integration_id = $1', [BOT]);
    });
    await eventually(async () => (await cache.lookup(TOKEN))?.sharedRootIds.size === 0);

    await other!.query('UPDATE tokens SET revoked_time = now() WHERE integration_id = $1', [BOT]);
    await eventually(async () => (await cache.lookup(TOKEN)) === null);
  });

  it('revokes last: a revoked token is unknown at once', async () => {
    await store.query('UPDATE tokens SET revoked_time = now() WHERE integration_id = $1', [BOT]);
    expect(await cache.lookup(TOKEN)).toBeNull();
  });
});
