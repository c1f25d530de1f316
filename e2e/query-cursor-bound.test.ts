// Database-query cursors are bounded per integration as well as by their 24-hour lifetime: with
// `queryCursors.maxPerIntegration` 3, a fourth cursor drops the integration's oldest, which then answers the
// 400 of an expired or unknown cursor; the newer ones still continue their query, and another integration's
// cursors are neither counted nor dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@notionhq/client';
import { countQueryCursors } from '../packages/server/src/store/query-cursor-repo.js';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { startTestPlatform, storeKinds, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';

const MAX = 3;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const staleCursor = (cursor: string) =>
  `body failed validation: body.start_cursor should be a cursor returned by this query (same database and sorts), instead was \`"${cursor}"\`.`;

describe.each(storeKinds())('query cursors per integration (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  let databaseId = '';

  beforeAll(async () => {
    t = await startTestPlatform(kind, testSeed(), { ...TEST_CONFIG, queryCursors: { maxPerIntegration: MAX } });
    notion = t.client(TOKENS.full);
    const db = await notion.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: text('Cursors'),
      properties: { Name: { title: {} } },
    });
    databaseId = db.id;
    for (const name of ['a', 'b', 'c']) {
      await notion.pages.create({ parent: { database_id: databaseId }, properties: { Name: { title: text(name) } } });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A first page of one row: its next_cursor is a new cursor of the integration whose token is given. */
  const newCursor = async (token: string = TOKENS.full): Promise<string> => {
    await sleep(3); // distinct creation times, so "oldest" is well defined
    const res = await t.raw(`/v1/databases/${databaseId}/query`, { method: 'POST', token, body: { page_size: 1 } });
    expect(res.status).toBe(200);
    return res.body.next_cursor as string;
  };
  const continueWith = (cursor: string, token: string = TOKENS.full) =>
    t
      .raw(`/v1/databases/${databaseId}/query`, { method: 'POST', token, body: { page_size: 1, start_cursor: cursor } })
      .then((r) => [r.status, r.body.code, r.body.message, r.body.results?.length]);
  const owner = (integrationId: string) => ({ workspaceId: IDS.acme, integrationId });

  it('keeps at most the bound, dropping the oldest, which answers like an unknown cursor', async () => {
    const cursors: string[] = [];
    for (let i = 0; i <= MAX; i++) cursors.push(await newCursor());
    expect(await countQueryCursors(t.platform.store, owner(IDS.full))).toBe(MAX);
    const [oldest, ...kept] = cursors;
    await expect(continueWith(oldest!)).resolves.toEqual([400, 'validation_error', staleCursor(oldest!), undefined]);
    // The same answer as a cursor that never existed (or expired and was forgotten).
    await expect(continueWith(IDS.missing)).resolves.toEqual([
      400,
      'validation_error',
      staleCursor(IDS.missing),
      undefined,
    ]);
    for (const cursor of kept) await expect(continueWith(cursor)).resolves.toEqual([200, undefined, undefined, 1]);
  });

  it('counts each integration on its own, and a cursor continues only for its integration', async () => {
    const other = await newCursor(TOKENS.readOnly);
    for (let i = 0; i < MAX * 2; i++) await newCursor();
    expect(await countQueryCursors(t.platform.store, owner(IDS.full))).toBe(MAX);
    expect(await countQueryCursors(t.platform.store, owner(IDS.readOnly))).toBe(1);
    await expect(continueWith(other, TOKENS.readOnly)).resolves.toEqual([200, undefined, undefined, 1]);
    await expect(continueWith(other)).resolves.toEqual([400, 'validation_error', staleCursor(other), undefined]);
  });
});
