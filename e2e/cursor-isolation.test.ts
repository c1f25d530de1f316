// List cursors resolve only among what the caller can list. For POST /v1/search, GET /v1/databases,
// GET /v1/comments and GET /v1/users, a start_cursor naming an object of another workspace, one not shared
// with the integration, one in the trash, or of the wrong kind (or, for comments, on another block) answers
// exactly what a random unknown id answers — an empty page — byte for byte apart from request_id. A cursor
// the list itself handed out still pages through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { POSTGRES_URL, startTestPlatform, type StoreKind, type TestPlatform } from './support/test-platform.js';

const SIDE = '0a000000-0000-4000-8000-0000000000d1';

/** The test seed plus a page of Acme shared only with "Unshared": what it makes there, Full cannot see. */
function cursorSeed() {
  const seed = testSeed();
  seed.workspaces[0]!.pages.push({ id: SIDE, title: 'Side', shared_with: ['Unshared'], blocks: [] } as never);
  return seed;
}

const ASCENDING = { timestamp: 'last_edited_time', direction: 'ascending' };
const text = (content: string) => [{ type: 'text', text: { content } }];

interface World {
  /** Visible to Full. */
  databases: string[];
  comments: string[];
  /** Not listable by Full, by kind. */
  foreignDatabase: string;
  unsharedDatabase: string;
  trashedDatabase: string;
  trashedPage: string;
  foreignComment: string;
  unsharedComment: string;
  otherBlockComment: string;
}

describe.each<StoreKind>(['pglite', 'postgres'])('list cursors stay among what the caller can list (%s)', (kind) => {
  let t: TestPlatform;
  let w: World;
  const call = async (path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
    const res = await t.raw(path, init);
    expect(res.status, `${init.method ?? 'GET'} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const createDatabase = async (token: string, pageId: string, title: string) =>
    (
      await call('/v1/databases', {
        method: 'POST',
        token,
        body: { parent: { page_id: pageId }, title: text(title), properties: { Name: { title: {} } } },
      })
    ).id as string;
  const comment = async (token: string, pageId: string, content: string) =>
    (
      await call('/v1/comments', {
        method: 'POST',
        token,
        body: { parent: { page_id: pageId }, rich_text: text(content) },
      })
    ).id as string;

  beforeAll(async () => {
    if (kind === 'postgres' && !POSTGRES_URL) return;
    t = await startTestPlatform(kind, cursorSeed());
    // Lists run newest first (databases, search) or oldest first (comments): the objects a cursor must not
    // reach are made after the visible databases and before the visible comments, so a cursor compared
    // without scoping would sit before visible items and answer them.
    const databases = [];
    for (const name of ['DB one', 'DB two', 'DB three'])
      databases.push(await createDatabase(TOKENS.full, IDS.child, name));
    const foreignComment = await comment(TOKENS.otherBot, IDS.otherRoot, 'foreign');
    const unsharedComment = await comment(TOKENS.unshared, SIDE, 'unshared');
    const otherBlockComment = await comment(TOKENS.full, IDS.child, 'on the child');
    const trashedPage = (
      await call('/v1/pages', {
        method: 'POST',
        body: { parent: { page_id: IDS.sharedRoot }, properties: { title: { title: text('Trashed') } } },
      })
    ).id as string;
    await call(`/v1/pages/${trashedPage}`, { method: 'PATCH', body: { archived: true } });
    const trashedDatabase = await createDatabase(TOKENS.full, IDS.sharedRoot, 'Trashed DB');
    await call(`/v1/databases/${trashedDatabase}`, { method: 'PATCH', body: { archived: true } });
    const foreignDatabase = await createDatabase(TOKENS.otherBot, IDS.otherRoot, 'Foreign DB');
    const unsharedDatabase = await createDatabase(TOKENS.unshared, SIDE, 'Unshared DB');
    const comments = [];
    for (const c of ['one', 'two', 'three']) comments.push(await comment(TOKENS.full, IDS.sharedRoot, c));
    w = {
      databases,
      comments,
      foreignDatabase,
      unsharedDatabase,
      trashedDatabase,
      trashedPage,
      foreignComment,
      unsharedComment,
      otherBlockComment,
    };
  }, 60_000);
  afterAll(async () => t?.close());

  /** Status and body apart from request_id. */
  const answer = async (path: string, body?: unknown) => {
    const res = await t.raw(path, body === undefined ? {} : { method: 'POST', body });
    const { request_id: _id, ...rest } = res.body as Record<string, unknown>;
    return { status: res.status, body: JSON.stringify(rest) };
  };

  const lists: [string, (cursor: string) => Promise<{ status: number; body: string }>, () => string[]][] = [
    ['POST /v1/search', (c) => answer('/v1/search', { start_cursor: c }), () => []],
    ['POST /v1/search (oldest first)', (c) => answer('/v1/search', { start_cursor: c, sort: ASCENDING }), () => []],
    [
      'POST /v1/search (databases)',
      (c) => answer('/v1/search', { start_cursor: c, filter: { property: 'object', value: 'database' } }),
      () => [],
    ],
    ['GET /v1/databases', (c) => answer(`/v1/databases?start_cursor=${c}`), () => []],
    [
      'GET /v1/comments',
      (c) => answer(`/v1/comments?block_id=${IDS.sharedRoot}&start_cursor=${c}`),
      () => [w.otherBlockComment],
    ],
    ['GET /v1/users', (c) => answer(`/v1/users?start_cursor=${c}`), () => [IDS.otherBot, SIDE]],
  ];

  it.skipIf(kind === 'postgres' && !POSTGRES_URL).each(lists)(
    '%s: foreign, unshared, trashed and random cursors answer alike',
    async (_name, list, extra) => {
      const random = await list(IDS.missing);
      expect(random.status).toBe(200);
      expect(JSON.parse(random.body)).toMatchObject({
        object: 'list',
        results: [],
        next_cursor: null,
        has_more: false,
      });
      const cursors = [
        w.foreignDatabase,
        w.unsharedDatabase,
        w.trashedDatabase,
        w.trashedPage,
        IDS.otherRoot,
        IDS.privatePage,
        w.foreignComment,
        w.unsharedComment,
        ...extra(),
      ];
      for (const cursor of cursors) expect(await list(cursor), cursor).toEqual(random);
    },
  );

  /** Follows next_cursor with page_size 1 and returns the ids answered. */
  const pageThrough = async (first: (cursor: string | null) => Promise<any>) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 200; i++) {
      const page = await first(cursor);
      ids.push(...page.results.map((r: { id: string }) => r.id));
      if (!page.has_more) return ids;
      cursor = page.next_cursor;
    }
    throw new Error('did not end');
  };

  it.skipIf(kind === 'postgres' && !POSTGRES_URL)('a cursor the list handed out still pages through it', async () => {
    const q = (c: string | null) => (c ? `&start_cursor=${c}` : '');
    const all = async (path: string, body?: Record<string, unknown>) =>
      body ? (await call(path, { method: 'POST', body })).results : (await call(path)).results;
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

    const search = ids(await all('/v1/search', {}));
    expect(search.length).toBeGreaterThan(3);
    expect(
      await pageThrough((c) =>
        call('/v1/search', { method: 'POST', body: { page_size: 1, ...(c ? { start_cursor: c } : {}) } }),
      ),
    ).toEqual(search);

    const databases = ids(await all('/v1/databases'));
    expect([...databases].sort()).toEqual([...w.databases].sort());
    expect(await pageThrough((c) => call(`/v1/databases?page_size=1${q(c)}`))).toEqual(databases);

    expect(await pageThrough((c) => call(`/v1/comments?block_id=${IDS.sharedRoot}&page_size=1${q(c)}`))).toEqual(
      w.comments,
    );

    const users = ids(await all('/v1/users'));
    expect(users).toContain(IDS.full);
    expect(await pageThrough((c) => call(`/v1/users?page_size=1${q(c)}`))).toEqual(users);
  });
});
