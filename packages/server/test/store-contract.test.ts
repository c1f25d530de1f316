// The store contract: the same behaviour from PGlite and PostgreSQL (PostgreSQL half when
// NOTION_LOCAL_TEST_DATABASE_URL is set). STORES=pglite or STORES=postgres narrows the run.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import { migrate } from '../src/store/migrations.js';
import { findBlock, insertRow, reservePositions, type ParentRef } from '../src/store/block-repo.js';
import { loadSeed, resetWorkspace } from '../src/seed/seed-loader.js';
import { fixedPlan, type Store } from '../src/store/sql-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const wanted = (process.env.STORES ?? 'pglite,postgres').split(',');
const kinds = ['pglite', 'postgres'].filter((k) => wanted.includes(k) && (k === 'pglite' || PG_URL));
if (!PG_URL) console.warn('store contract: PostgreSQL half skipped — set NOTION_LOCAL_TEST_DATABASE_URL to run it');

const WS = '0c000000-0000-4000-8000-000000000001';
const OWNER = '0c000000-0000-4000-8000-0000000000a1';
const now = new Date('2026-01-02T03:04:05.678Z');

const seed = {
  workspaces: [
    {
      id: WS,
      name: 'Contract',
      users: [{ id: OWNER, name: 'Owner', role: 'owner' }],
      integrations: [{ name: 'Bot', token: 'secret_contract_token', capabilities: ['read_content'] }],
      pages: [{ id: '0c000000-0000-4000-8000-0000000000c1', title: 'Root', shared_with: ['Bot'] }],
    },
  ],
};

describe.each(kinds)('store contract on %s', (kind) => {
  let store: Store;
  const schema = `nl_contract_${process.pid}_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    store = kind === 'postgres' ? await openPostgres({ url: PG_URL, schema }) : await openStore({ kind: 'memory' });
    await loadSeed(store, seed, now);
  });
  afterAll(async () => {
    await store?.close();
    if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
  });

  it('migrates idempotently', async () => {
    await migrate(store);
    const rows = await store.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(1);
  });

  it('round-trips json in key order, uuids, arrays and timestamps', async () => {
    const row = await findBlock(store, '0c000000-0000-4000-8000-0000000000c1');
    expect(row).not.toBeNull();
    expect(row!.path).toEqual(['0c000000-0000-4000-8000-0000000000c1']);
    expect(row!.created_time).toBeInstanceOf(Date);
    expect(row!.created_time.toISOString()).toBe(now.toISOString());
    expect(Object.keys((row!.properties as { title: { title: object[] } }).title.title[0]!)).toEqual([
      'type',
      'text',
      'annotations',
      'plain_text',
      'href',
    ]);
  });

  it('rolls a failed transaction back completely', async () => {
    const before = await store.query<{ n: string }>('SELECT count(*) AS n FROM blocks');
    await expect(
      store.transaction(async (tx) => {
        await tx.query(`UPDATE blocks SET title = 'changed' WHERE workspace_id = $1`, [WS]);
        await tx.query('SELECT * FROM no_such_table');
      }),
    ).rejects.toThrow();
    const after = await store.query<{ n: string; t: string }>(`SELECT count(*) AS n, min(title) AS t FROM blocks`);
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(after[0]?.t).toBe('Root');
  });

  it('reports a failed statement with its SQLSTATE and stays usable, inside and outside transactions', async () => {
    const duplicate = fixedPlan(`INSERT INTO workspaces (id, name, created_time) VALUES ($1, 'again', now())`);
    await expect(store.query(duplicate, [WS])).rejects.toMatchObject({ code: '23505' });
    await expect(store.query(duplicate, [WS])).rejects.toMatchObject({ code: '23505' }); // the prepared one, again
    await expect(store.query('SELECT $1::int AS n', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    expect(await store.query('SELECT $1::int AS n', [41])).toEqual([{ n: 41 }]);
    const inTx = await store.transaction(
      async (tx) => (await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]))[0]?.n,
    );
    expect(inTx).toBe(42);
  });

  it('decodes nulls, arrays, json, numbers and booleans alike, and counts affected rows without returning any', async () => {
    const [row] = await store.query<Record<string, unknown>>(
      `SELECT NULL::text AS nothing, $1::uuid[] AS ids, $2::jsonb AS doc, 2.5::float8 AS f, true AS yes, 7::bigint AS big`,
      [[WS, OWNER], JSON.stringify({ b: 1, a: [true, null] })],
    );
    expect(row).toEqual({
      nothing: null,
      ids: [WS, OWNER],
      doc: { b: 1, a: [true, null] },
      f: 2.5,
      yes: true,
      big: kind === 'pglite' ? 7 : '7',
    }); // as each engine's own client decodes int8
    expect(await store.query(`UPDATE users SET name = name WHERE id = $1`, [OWNER])).toEqual([]);
    const text = 'héllo 🌍 — 日本語 "quoted" \\ back';
    expect(await store.query('SELECT $1::text AS t, length($1::text) AS n', [text])).toEqual([
      { t: text, n: [...text].length },
    ]);
  });

  it('refuses to report as committed a transaction in which a statement failed, even if the caller caught it', async () => {
    const before = await store.query<{ n: string }>('SELECT count(*) AS n FROM users');
    await expect(
      store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO users (id, workspace_id, type, name, created_time) VALUES ($1, $2, 'person', 'Lost', now())`,
          ['0c000000-0000-4000-8000-0000000000a9', WS],
        );
        await tx
          .query(`INSERT INTO workspaces (id, name, created_time) VALUES ($1, 'again', now())`, [WS])
          .catch(() => undefined);
        return 'ok';
      }),
    ).rejects.toMatchObject({ code: '25P02' });
    expect(await store.query<{ n: string }>('SELECT count(*) AS n FROM users')).toEqual(before);
  });

  it('keeps a leading byte-order mark in text, as PostgreSQL stores it', async () => {
    expect(await store.query('SELECT $1::text AS t, length($1::text) AS n', ['\uFEFFhello'])).toEqual([
      { t: '\uFEFFhello', n: 6 },
    ]);
  });

  it('keeps working across schema changes and more distinct statements than it keeps prepared', async () => {
    await store.exec('CREATE TABLE contract_scratch (id int PRIMARY KEY, label text)');
    await store.query(fixedPlan('INSERT INTO contract_scratch (id, label) VALUES ($1, $2)'), [1, 'one']);
    const all = fixedPlan('SELECT * FROM contract_scratch');
    expect(await store.query(all)).toEqual([{ id: 1, label: 'one' }]);
    await store.exec('ALTER TABLE contract_scratch ADD COLUMN extra int DEFAULT 5');
    expect(await store.query(all)).toEqual([{ id: 1, label: 'one', extra: 5 }]); // same text, new shape
    for (let i = 0; i < 300; i++) expect(await store.query(fixedPlan(`SELECT ${i}::int AS n`))).toEqual([{ n: i }]);
    expect(await store.query(fixedPlan('SELECT label FROM contract_scratch WHERE id = $1'), [1])).toEqual([
      { label: 'one' },
    ]);
    await store.exec('DROP TABLE contract_scratch');
  });

  it('reserves positions at the end and after a sibling', async () => {
    const parent: ParentRef = {
      workspaceId: WS,
      id: '0c000000-0000-4000-8000-0000000000c1',
      type: 'page_id',
      path: ['0c000000-0000-4000-8000-0000000000c1'],
    };
    const ids = [
      '0c000000-0000-4000-8000-0000000000d1',
      '0c000000-0000-4000-8000-0000000000d2',
      '0c000000-0000-4000-8000-0000000000d3',
    ];
    await store.transaction(async (tx) => {
      for (const id of ids.slice(0, 2)) {
        await insertRow(
          tx,
          parent,
          { id, object: 'block', type: 'divider', content: {} },
          await reservePositions(tx, parent, 1),
          OWNER,
          now,
        );
      }
      const pos = await reservePositions(tx, parent, 1, ids[0]);
      await insertRow(tx, parent, { id: ids[2]!, object: 'block', type: 'divider', content: {} }, pos, OWNER, now);
    });
    const order = await store.query<{ id: string }>('SELECT id FROM blocks WHERE parent_id = $1 ORDER BY position', [
      parent.id,
    ]);
    expect(order.map((r) => r.id)).toEqual([ids[0], ids[2], ids[1]]);
  });

  it('resets a workspace to its seed with the same ids and tokens', async () => {
    await store.query(`UPDATE blocks SET title = 'edited' WHERE workspace_id = $1`, [WS]);
    await resetWorkspace(store, WS, now);
    const rows = await store.query<{ id: string; title: string }>(
      'SELECT id, title FROM blocks WHERE workspace_id = $1',
      [WS],
    );
    expect(rows).toEqual([{ id: '0c000000-0000-4000-8000-0000000000c1', title: 'Root' }]);
    const tokens = await store.query<{ n: string }>('SELECT count(*) AS n FROM tokens');
    expect(Number(tokens[0]?.n)).toBe(1);
  });

  it('rejects a seed that conflicts with stored ids and applies none of it', async () => {
    const before = await store.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
    const clash = { workspaces: [{ name: 'New' }, { id: WS, name: 'Clash' }] };
    await expect(loadSeed(store, clash, now)).rejects.toThrow(/conflicts with data already in the store/);
    const after = await store.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});

describe.skipIf(!PG_URL || !wanted.includes('postgres'))(
  'several PostgreSQL stores on one schema behave as one',
  () => {
    const schema = `nl_multi_${process.pid}_${randomBytes(3).toString('hex')}`;
    let a: Store;
    let b: Store;
    beforeAll(async () => {
      [a, b] = await Promise.all([openPostgres({ url: PG_URL, schema }), openPostgres({ url: PG_URL, schema })]);
      await loadSeed(a, seed, now);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await dropPostgresSchema(PG_URL, schema);
    });

    it('sees writes of the other instance and serialises concurrent appends to one parent', async () => {
      const parentId = '0c000000-0000-4000-8000-0000000000c1';
      const parent: ParentRef = { workspaceId: WS, id: parentId, type: 'page_id', path: [parentId] };
      const append = (store: Store, i: number) =>
        store.transaction(async (tx) => {
          await tx.query('SELECT id FROM blocks WHERE id = $1 FOR UPDATE', [parentId]);
          const id = `0c000000-0000-4000-8000-${(0xe00 + i).toString(16).padStart(12, '0')}`;
          await insertRow(
            tx,
            parent,
            { id, object: 'block', type: 'divider', content: {} },
            await reservePositions(tx, parent, 1),
            OWNER,
            now,
          );
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? a : b, i)));
      const rows = await b.query<{ position: string }>('SELECT position FROM blocks WHERE parent_id = $1', [parentId]);
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.position)).size).toBe(40);
    });
  },
);

describe.skipIf(!wanted.includes('pglite'))('PGlite statistics upkeep (what autovacuum does on a server)', () => {
  it('analyses a table once enough of its rows changed, so plans follow its growth', async () => {
    const store = await openStore({ kind: 'memory' });
    try {
      await store.exec('CREATE TABLE upkeep_scratch (id int PRIMARY KEY)');
      const lastAnalyze = async () =>
        (
          await store.query<{ at: Date | null }>(
            `SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = 'upkeep_scratch'`,
          )
        )[0]?.at ?? null;
      expect(await lastAnalyze()).toBeNull();
      let next = 0;
      const insert = async (n: number) => {
        for (let i = 0; i < n; i++) await store.query('INSERT INTO upkeep_scratch (id) VALUES ($1)', [next++]);
      };
      await insert(300);
      // Postgres publishes table counters at most once a second; the next look after that sees them.
      const deadline = Date.now() + 5000;
      while ((await lastAnalyze()) === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        await insert(250);
      }
      expect(await lastAnalyze()).toBeInstanceOf(Date);
    } finally {
      await store.close();
    }
  });

  it('answers a statement on a closed store with StoreUnavailableError', async () => {
    const store = await openStore({ kind: 'memory' });
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: 'the store is closed',
    });
  });
});

describe.skipIf(!kinds.includes('postgres'))('PostgreSQL prepared statements (fixedPlan)', () => {
  it("survive another process changing a table's shape: the statement is prepared again", async () => {
    const schema = `nl_prepared_${process.pid}_${randomBytes(3).toString('hex')}`;
    const store = await openPostgres({ url: PG_URL, schema });
    const other = await openPostgres({ url: PG_URL, schema }); // another process on the same schema
    try {
      await store.exec('CREATE TABLE prepared_scratch (id int PRIMARY KEY, label text)');
      await store.query('INSERT INTO prepared_scratch (id, label) VALUES (1, $1)', ['one']);
      const all = fixedPlan('SELECT * FROM prepared_scratch');
      for (let i = 0; i < 3; i++) expect(await store.query(all)).toEqual([{ id: 1, label: 'one' }]);
      await other.exec('ALTER TABLE prepared_scratch ADD COLUMN extra int DEFAULT 5');
      // Without a fresh prepare, Postgres refuses: "cached plan must not change result type".
      for (let i = 0; i < 3; i++) expect(await store.query(all)).toEqual([{ id: 1, label: 'one', extra: 5 }]);
    } finally {
      await store.close();
      await other.close();
      await dropPostgresSchema(PG_URL, schema);
    }
  });
});
