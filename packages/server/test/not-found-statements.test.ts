// Missing and invisible must not differ in time where that is cheap: GET /v1/pages/{id} for an id that does
// not exist, one of the caller's workspace not shared with it, and one of another workspace send the store
// the same statements — the loader's (visibility in the statement: no row on any of the three paths) and,
// after the answer, the request log's 404 reason (one statement whatever the id). On both stores.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../src/platform.js';
import { dropPostgresSchema } from '../src/store/postgres-store.js';
import type { StoreOptions } from '../src/store/open-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const TOKEN = 'secret_not_found_statements_0000000000000001';
const SHARED = '0e000000-0000-4000-8000-0000000000c1';
const UNSHARED = '0e000000-0000-4000-8000-0000000000c2';
const FOREIGN = '0e100000-0000-4000-8000-0000000000c1';
const MISSING = '0e000000-0000-4000-8000-00000000dead';
const seed = {
  workspaces: [
    {
      name: 'W',
      users: [{ name: 'O', role: 'owner' }],
      integrations: [{ name: 'Bot', token: TOKEN, capabilities: ['read_content'] }],
      pages: [
        { id: SHARED, title: 'Shared', shared_with: ['Bot'] },
        { id: UNSHARED, title: 'Unshared' },
      ],
    },
    { name: 'X', users: [{ name: 'P', role: 'owner' }], pages: [{ id: FOREIGN, title: 'Foreign' }] },
  ],
};

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !PG_URL)(`missing and invisible ids run the same statements (${kind})`, () => {
    const schema = `nl_nfs_${process.pid}_${randomBytes(3).toString('hex')}`;
    let platform: Platform;
    const statements: string[] = [];
    beforeAll(async () => {
      const store: StoreOptions = kind === 'postgres' ? { kind: 'postgres', url: PG_URL, schema } : { kind: 'memory' };
      platform = await startPlatform({ store, port: 0, seed, config: { rateLimit: { enabled: false } } });
      const query = platform.store.query.bind(platform.store);
      // Records every statement but the request log's and the webhook dispatcher's own bookkeeping (timed,
      // not per request) and the token lookup (before any id is read; the principal cache may refill after a
      // late notification).
      platform.store.query = ((sql: string, params?: unknown[]) => {
        if (!/request_log|token_hash|webhook_events/.test(sql)) statements.push(sql.replace(/\s+/g, ' ').trim());
        return query(sql, params);
      }) as typeof platform.store.query;
    });
    afterAll(async () => {
      await platform?.close();
      if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
    });

    /** The statements one request sends, including those run after its answer (the 404 reason). */
    const traced = async (id: string) => {
      const res = await fetch(`${platform.url}/v1/pages/${id}`, {
        headers: { authorization: `Bearer ${TOKEN}`, 'notion-version': '2022-06-28' },
      });
      const body = (await res.json()) as { request_id?: string };
      delete body.request_id;
      await new Promise((r) => setTimeout(r, 100));
      await platform.requestLog.flush();
      return { status: res.status, body: JSON.stringify(body).replace(id, '<id>'), sql: statements.splice(0) };
    };

    it('GET /v1/pages/{id}: the same answer and the same statements for missing, unshared and foreign ids', async () => {
      expect((await traced(SHARED)).status).toBe(200);
      const missing = await traced(MISSING);
      expect(missing.status).toBe(404);
      expect(missing.sql.length).toBeGreaterThan(0);
      expect(await traced(UNSHARED)).toEqual(missing);
      expect(await traced(FOREIGN)).toEqual(missing);
      expect(await traced(MISSING)).toEqual(missing);
    });

    it('the request log still says why each 404 happened', async () => {
      await platform.requestLog.flush();
      const rows = await platform.store.query<{ path: string; not_found_reason: string | null }>(
        `SELECT path, not_found_reason FROM request_log WHERE status = 404`,
      );
      const reason = (id: string) => rows.find((r) => r.path === `/v1/pages/${id}`)?.not_found_reason;
      expect(reason(MISSING)).toBe('does not exist');
      expect(reason(FOREIGN)).toBe('belongs to another workspace');
      expect(reason(UNSHARED)).toBe(
        'exists, but is not shared with "Bot": share "Unshared" (or a page above it) through ••• → Connections',
      );
    });
  });
}
