// Concurrent writes to one block on PostgreSQL: a writer that cannot get the block within the lock
// timeout answers 409 conflict_error (never a 5xx), and no child is ever lost or duplicated.
// PGlite has a single writer, so there is nothing to conflict with there.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS } from './support/fixtures.js';
import { POSTGRES_URL, skipMessageForPostgres, startTestPlatform, type TestPlatform } from './support/test-platform.js';

if (skipMessageForPostgres()) console.warn(`conflicts: ${skipMessageForPostgres()}`);

describe.skipIf(!POSTGRES_URL)('conflicting writes on PostgreSQL', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('postgres');
  });
  afterAll(async () => t?.close());

  const appendOne = (label: string) =>
    t.raw(`/v1/blocks/${IDS.child}/children`, {
      method: 'PATCH',
      body: { children: [{ paragraph: { rich_text: [{ text: { content: label } }] } }] },
    });

  it('answers 409 conflict_error while another transaction holds the block, and succeeds after', async () => {
    const schema = (await t.platform.store.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
    const holder = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM blocks WHERE id = $1 FOR UPDATE', [IDS.child]);
      const res = await appendOne('blocked');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        object: 'error',
        status: 409,
        code: 'conflict_error',
        message: 'Conflict occurred while saving. Please try again.',
      });
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect((await appendOne('after')).status).toBe(200);
    const list = await t.raw(`/v1/blocks/${IDS.child}/children`);
    const texts = list.body.results.map(
      (b: { paragraph?: { rich_text: { plain_text: string }[] } }) => b.paragraph?.rich_text[0]?.plain_text,
    );
    expect(texts).not.toContain('blocked');
    expect(texts).toContain('after');
  });

  it('40 concurrent appends to one parent: each 200 or 409, every admitted child present once, in a total order', async () => {
    const before = (await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`)).body.results.length as number;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
          method: 'PATCH',
          body: { children: [{ paragraph: { rich_text: [{ text: { content: `c${i}` } }] } }, { divider: {} }] },
        }),
      ),
    );
    expect(results.filter((r) => r.status !== 200 && r.status !== 409)).toEqual([]);
    const admitted = results.filter((r) => r.status === 200);
    const ids = admitted.flatMap((r) => r.body.results.map((b: { id: string }) => b.id));
    const list = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children?page_size=100`);
    const listed: { id: string; type: string }[] = list.body.results;
    expect(listed).toHaveLength(before + admitted.length * 2);
    expect(new Set(listed.map((b) => b.id)).size).toBe(listed.length);
    for (const id of ids) expect(listed.some((b) => b.id === id)).toBe(true);
    // Each append's two children stay adjacent: appends never interleave.
    for (const r of admitted) {
      const [p, d] = r.body.results as { id: string }[];
      const at = listed.findIndex((b) => b.id === p!.id);
      expect(listed[at + 1]!.id).toBe(d!.id);
    }
  });
});
