// The principal cache on PGlite must never outlive a write that changes who a token is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrincipalCache } from '../src/auth/principal-cache.js';
import { loadSeed } from '../src/seed/seed-loader.js';
import { openStore } from '../src/store/open-store.js';
import { writesAuthTables, type Store } from '../src/store/sql-store.js';

const PAGE = '0e000000-0000-4000-8000-0000000000c1';
const BOT = '0e000000-0000-4000-8000-0000000000b1';

describe('principal cache', () => {
  let store: Store;
  const cache = new PrincipalCache();
  beforeAll(async () => {
    store = await openStore({ kind: 'memory' });
    store.onAuthWrite?.(() => cache.invalidate());
    await loadSeed(store, {
      workspaces: [{ name: 'W', users: [{ name: 'O', role: 'owner' }], integrations: [{ id: BOT, name: 'Bot', token: 'secret_cache_test', capabilities: ['read_content'] }], pages: [{ id: PAGE, title: 'P' }] }],
    }, new Date());
  });
  afterAll(async () => store?.close());

  it('recognises the statements that change a principal', () => {
    expect(writesAuthTables('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)')).toBe(true);
    expect(writesAuthTables('  update tokens SET revoked_time = now()')).toBe(true);
    expect(writesAuthTables('DELETE FROM workspaces WHERE id = $1')).toBe(true);
    expect(writesAuthTables('UPDATE integrations SET settings = $2')).toBe(true);
    expect(writesAuthTables('INSERT INTO blocks (id) VALUES ($1)')).toBe(false);
    expect(writesAuthTables('SELECT * FROM tokens')).toBe(false);
  });

  it('sees a new share, a capability change and a revoked token on the next lookup', async () => {
    const first = await cache.lookup(store, 'secret_cache_test');
    expect(first?.sharedRootIds.has(PAGE)).toBe(false);
    expect(await cache.lookup(store, 'secret_cache_test')).toBe(first); // cached

    await store.transaction(async (tx) => {
      await tx.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)', [BOT, PAGE]);
    });
    expect((await cache.lookup(store, 'secret_cache_test'))?.sharedRootIds.has(PAGE)).toBe(true);

    await store.query(`UPDATE integrations SET capabilities = ARRAY['read_content', 'update_content'] WHERE id = $1`, [BOT]);
    expect((await cache.lookup(store, 'secret_cache_test'))?.capabilities.has('update_content')).toBe(true);

    await store.query('UPDATE tokens SET revoked_time = now() WHERE integration_id = $1', [BOT]);
    expect(await cache.lookup(store, 'secret_cache_test')).toBeNull();
  });
});
