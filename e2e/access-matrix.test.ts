// The access matrix (reference §0.2, §3, §4): every object route × every kind of target × integrations
// with and without access, through the official SDK.
//   visible   ⇒ 2xx
//   invisible ⇒ exactly 404 object_not_found "Could not find <kind> with ID: <dashed id>. Make sure …"
//               — the same body (but for request_id and the echoed id) whether the object is private, in
//               another workspace, a block asked for as a page, or missing — and no side effect.
// Then the capability matrix: each route × integrations lacking its capability ⇒ 403 restricted_resource,
// before (and so regardless of) visibility.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIResponseError, collectPaginatedAPI, type Client } from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

type Who = 'Full' | 'Unshared' | 'OtherBot';
type Cap =
  | 'read_content'
  | 'update_content'
  | 'insert_content'
  | 'read_comments'
  | 'insert_comments'
  | 'user_information'
  | 'none';
type TargetName =
  | 'sharedRoot'
  | 'child'
  | 'grandchild'
  | 'blockInShared'
  | 'privatePage'
  | 'blockInPrivate'
  | 'otherWorkspacePage'
  | 'blockInOtherWorkspace'
  | 'missing';
interface Target {
  name: TargetName;
  id: string;
  object: 'page' | 'block';
}
interface Route {
  name: string;
  kind: 'page' | 'block';
  cap: Cap;
  call(c: Client, id: string): Promise<unknown>;
  /** Undo the effect of a successful call (so the matrix needs no reset). */
  undo?(c: Client, id: string): Promise<unknown>;
}
interface Outcome {
  status: number;
  body: Record<string, unknown>;
  headerNames: string;
  requestIdHeader: string | null;
}

const WHO: Record<Who, string> = { Full: TOKENS.full, Unshared: TOKENS.unshared, OtherBot: TOKENS.otherBot };
/** The bot id each caller's 404s name in `additional_data.integration_id` (reference §5.1). */
const WHO_ID: Record<Who, string> = { Full: IDS.full, Unshared: IDS.unshared, OtherBot: IDS.otherBot };
const VISIBLE: Record<Who, readonly TargetName[]> = {
  Full: ['sharedRoot', 'child', 'grandchild', 'blockInShared'],
  Unshared: [],
  OtherBot: ['otherWorkspacePage', 'blockInOtherWorkspace'],
};
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const undashed = (id: string) => id.replace(/-/g, '');
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const RESTRICTED = {
  object: 'error',
  status: 403,
  code: 'restricted_resource',
  message: 'Insufficient permissions for this endpoint.',
};

const ROUTES: readonly Route[] = [
  { name: 'GET /v1/pages/{id}', kind: 'page', cap: 'read_content', call: (c, id) => c.pages.retrieve({ page_id: id }) },
  {
    name: 'PATCH /v1/pages/{id}',
    kind: 'page',
    cap: 'update_content',
    call: (c, id) => c.pages.update({ page_id: id, icon: { emoji: '🔑' } }),
  },
  {
    name: 'GET /v1/pages/{id}/properties/title',
    kind: 'page',
    cap: 'read_content',
    call: (c, id) => c.pages.properties.retrieve({ page_id: id, property_id: 'title' }),
  },
  {
    name: 'GET /v1/blocks/{id}',
    kind: 'block',
    cap: 'read_content',
    call: (c, id) => c.blocks.retrieve({ block_id: id }),
  },
  {
    name: 'PATCH /v1/blocks/{id}',
    kind: 'block',
    cap: 'update_content',
    call: (c, id) => c.blocks.update({ block_id: id, archived: false }),
  },
  {
    name: 'DELETE /v1/blocks/{id}',
    kind: 'block',
    cap: 'update_content',
    call: (c, id) => c.blocks.delete({ block_id: id }),
    undo: (c, id) => c.blocks.update({ block_id: id, archived: false }),
  },
  {
    name: 'GET /v1/blocks/{id}/children',
    kind: 'block',
    cap: 'read_content',
    call: (c, id) => c.blocks.children.list({ block_id: id }),
  },
  {
    name: 'PATCH /v1/blocks/{id}/children',
    kind: 'block',
    cap: 'insert_content',
    call: (c, id) =>
      c.blocks.children.append({ block_id: id, children: [{ paragraph: { rich_text: rt('appended') } }] }),
  },
  {
    name: 'POST /v1/pages {parent.page_id}',
    kind: 'page',
    cap: 'insert_content',
    call: (c, id) => c.pages.create({ parent: { page_id: id }, properties: { title: { title: rt('Created') } } }),
  },
  {
    name: 'POST /v1/comments {parent.page_id}',
    kind: 'page',
    cap: 'insert_comments',
    call: (c, id) => c.comments.create({ parent: { page_id: id }, rich_text: rt('hello') }),
  },
  {
    name: 'GET /v1/comments?block_id=',
    kind: 'block',
    cap: 'read_comments',
    call: (c, id) => c.comments.list({ block_id: id }),
  },
];

/** Routes without a target, for the capability matrix only. */
const GLOBAL_ROUTES: readonly Route[] = [
  { name: 'POST /v1/search', kind: 'page', cap: 'read_content', call: (c) => c.search({}) },
  { name: 'GET /v1/users', kind: 'page', cap: 'user_information', call: (c) => c.users.list({}) },
  {
    name: 'GET /v1/users/{id}',
    kind: 'page',
    cap: 'user_information',
    call: (c) => c.users.retrieve({ user_id: IDS.ada }),
  },
  { name: 'GET /v1/users/me', kind: 'page', cap: 'none', call: (c) => c.users.me({}) },
];

const CAPS: Record<string, { token: string; caps: readonly Cap[] }> = {
  Full: {
    token: TOKENS.full,
    caps: ['read_content', 'update_content', 'insert_content', 'read_comments', 'insert_comments', 'user_information'],
  },
  ReadOnly: { token: TOKENS.readOnly, caps: ['read_content'] },
  InsertOnly: { token: TOKENS.insertOnly, caps: ['insert_content'] },
  Commenter: { token: TOKENS.commenter, caps: ['read_content', 'read_comments', 'insert_comments'] },
  NoEmail: { token: TOKENS.noEmail, caps: ['read_content', 'user_information'] },
};

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    const body = (await p) as Record<string, unknown>;
    return { status: 200, body, headerNames: '', requestIdHeader: null };
  } catch (error) {
    if (!APIResponseError.isAPIResponseError(error)) throw error;
    const headers = error.headers as Headers;
    const names = [...headers.keys()]
      .filter((k) => k !== 'date')
      .sort()
      .join(',');
    return {
      status: error.status,
      body: JSON.parse(error.body) as Record<string, unknown>,
      headerNames: names,
      requestIdHeader: headers.get('x-notion-request-id'),
    };
  }
}

describe.each(storeKinds())('access matrix (%s)', (kind) => {
  let t: TestPlatform;
  let targets: Target[];
  /** Every invisible answer, normalised (request_id and echoed id taken out), by route. */
  const invisible = new Map<string, Set<string>>();
  const leaks: string[] = [];
  const counts = { access: 0, search: 0, capability: 0 };

  beforeAll(async () => {
    t = await startTestPlatform(kind);
    const firstBlock = async (pageId: string) =>
      (
        await t.platform.store.query<{ id: string }>(
          `SELECT id FROM blocks WHERE parent_id = $1 AND object = 'block' ORDER BY position, id LIMIT 1`,
          [pageId],
        )
      )[0]!.id;
    targets = [
      { name: 'sharedRoot', id: IDS.sharedRoot, object: 'page' },
      { name: 'child', id: IDS.child, object: 'page' },
      { name: 'grandchild', id: IDS.grandchild, object: 'page' },
      { name: 'blockInShared', id: await firstBlock(IDS.sharedRoot), object: 'block' },
      { name: 'privatePage', id: IDS.privatePage, object: 'page' },
      { name: 'blockInPrivate', id: await firstBlock(IDS.privatePage), object: 'block' },
      { name: 'otherWorkspacePage', id: IDS.otherRoot, object: 'page' },
      { name: 'blockInOtherWorkspace', id: await firstBlock(IDS.otherRoot), object: 'block' },
      { name: 'missing', id: IDS.missing, object: 'page' },
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs one cell and records a leak when the answer is not exactly the expected one. */
  async function cell(route: Route, who: Who, target: Target): Promise<void> {
    counts.access++;
    const client = t.client(WHO[who]);
    const visible = VISIBLE[who].includes(target.name);
    // A block asked for through a page route is "not a page": the same 404 as a page that is not there.
    const expectOk = visible && !(route.kind === 'page' && target.object === 'block');
    const got = await outcome(route.call(client, undashed(target.id))); // ids go in undashed, come back dashed
    const where = `${route.name} × ${who} × ${target.name}`;
    if (expectOk) {
      if (got.status !== 200) leaks.push(`${where}: expected 2xx, got ${got.status} ${String(got.body.message)}`);
      else if (route.undo) await route.undo(client, target.id);
      return;
    }
    const expected = {
      object: 'error',
      status: 404,
      code: 'object_not_found',
      message: notFound(route.kind, target.id),
      additional_data: { integration_id: WHO_ID[who] },
      request_id: got.requestIdHeader,
    };
    if (JSON.stringify(got.body) !== JSON.stringify(expected))
      leaks.push(`${where}: expected 404 ${route.kind}, got ${got.status} ${JSON.stringify(got.body)}`);
    const normalised = JSON.stringify({
      status: got.status,
      body: {
        ...got.body,
        additional_data: '<caller>',
        request_id: '<rid>',
        message: String(got.body.message).replace(target.id, '<id>'),
      },
      headers: got.headerNames,
    });
    if (!invisible.has(route.name)) invisible.set(route.name, new Set());
    invisible.get(route.name)!.add(normalised);
  }

  for (const route of ROUTES) {
    it(`${route.name}: visible ⇒ 2xx, invisible ⇒ the one 404`, async () => {
      const before = leaks.length;
      for (const who of Object.keys(WHO) as Who[]) for (const target of targets) await cell(route, who, target);
      expect(leaks.slice(before)).toEqual([]);
      // Private, other workspace, wrong kind and missing cannot be told apart.
      expect([...invisible.get(route.name)!]).toHaveLength(1);
    });
  }

  it('search returns exactly the visible pages, never the rest', async () => {
    const before = leaks.length;
    for (const who of Object.keys(WHO) as Who[]) {
      const found = new Set((await collectPaginatedAPI(t.client(WHO[who]).search, { page_size: 10 })).map((r) => r.id));
      for (const target of targets) {
        counts.search++;
        const expected = VISIBLE[who].includes(target.name) && target.object === 'page';
        if (found.has(target.id) !== expected)
          leaks.push(`search × ${who} × ${target.name}: expected ${expected ? 'present' : 'absent'}`);
      }
      for (const id of found) {
        const inTree = await t.platform.store.query<{ ok: boolean }>(
          `SELECT bool_or(b.path && $2::uuid[]) AS ok FROM blocks b WHERE b.id = $1`,
          [id, VISIBLE[who].map((n) => targets.find((x) => x.name === n)!.id)],
        );
        if (!inTree[0]?.ok) leaks.push(`search × ${who}: returned ${id}, outside what is shared with it`);
      }
    }
    expect(leaks.slice(before)).toEqual([]);
  });

  it('capability matrix: a missing capability ⇒ 403 restricted_resource, whatever the target', async () => {
    const before = leaks.length;
    const rows: string[] = [];
    const byTarget = targets.filter((x) => ['sharedRoot', 'privatePage', 'missing'].includes(x.name));
    for (const [name, { token, caps }] of Object.entries(CAPS)) {
      const client = t.client(token);
      for (const route of [...ROUTES, ...GLOBAL_ROUTES]) {
        const has = route.cap === 'none' || caps.includes(route.cap);
        // With the capability: the route works on a shared page. Without: 403 on shared, private and missing alike.
        for (const target of has ? byTarget.slice(0, 1) : byTarget) {
          counts.capability++;
          const got = await outcome(route.call(client, target.id));
          const where = `${route.name} × ${name} × ${target.name}`;
          if (has) {
            if (got.status !== 200) leaks.push(`${where}: expected 2xx, got ${got.status} ${String(got.body.message)}`);
            else if (route.undo) await route.undo(t.client(TOKENS.full), target.id);
          } else if (JSON.stringify(got.body) !== JSON.stringify({ ...RESTRICTED, request_id: got.requestIdHeader })) {
            leaks.push(`${where}: expected 403, got ${got.status} ${JSON.stringify(got.body)}`);
          }
        }
        rows.push(`${name.padEnd(10)} ${route.name.padEnd(38)} ${has ? '2xx' : '403'}`);
      }
    }
    expect(leaks.slice(before)).toEqual([]);
    expect(rows).toHaveLength(Object.keys(CAPS).length * (ROUTES.length + GLOBAL_ROUTES.length));
  });

  it('nothing was written through an object the caller could not see', async () => {
    const q = async (sql: string, params: unknown[]) =>
      Number((await t.platform.store.query<{ n: string }>(sql, params))[0]!.n);
    const touched = (who: string, where: string, params: unknown[]) =>
      q(`SELECT count(*) AS n FROM blocks b WHERE (b.created_by = $1 OR b.last_edited_by = $1) AND ${where}`, [
        who,
        ...params,
      ]);
    const commented = (who: string, where: string, params: unknown[]) =>
      q(`SELECT count(*) AS n FROM comments c WHERE c.created_by = $1 AND ${where}`, [who, ...params]);
    const sideEffects = {
      unsharedBlocks: await touched(IDS.unshared, 'true', []),
      unsharedComments: await commented(IDS.unshared, 'true', []),
      otherBotInAcme: await touched(IDS.otherBot, 'b.workspace_id = $2', [IDS.acme]),
      otherBotCommentsInAcme: await commented(IDS.otherBot, 'c.workspace_id = $2', [IDS.acme]),
      fullInOtherWorkspace: await touched(IDS.full, 'b.workspace_id = $2', [IDS.other]),
      fullCommentsInOtherWorkspace: await commented(IDS.full, 'c.workspace_id = $2', [IDS.other]),
      fullUnderPrivate: await touched(IDS.full, '$2 = ANY (b.path)', [IDS.privatePage]),
      anyArchived: await q('SELECT count(*) AS n FROM blocks WHERE archived', []),
    };
    for (const [k, n] of Object.entries(sideEffects)) if (n !== 0) leaks.push(`side effect: ${k} = ${n}`);
    // And the visible cells did write (the matrix is not vacuous).
    expect(await touched(IDS.full, 'b.workspace_id = $2', [IDS.acme])).toBeGreaterThan(0);
    expect(await touched(IDS.otherBot, 'b.workspace_id = $2', [IDS.other])).toBeGreaterThan(0);
    expect(Object.values(sideEffects)).toEqual(Object.values(sideEffects).map(() => 0));
  });

  it('matrix size and zero leaks', () => {
    const size = counts.access + counts.search + counts.capability;
    console.log(
      `[access-matrix:${kind}] ${ROUTES.length} routes × ${targets.length} targets × ${Object.keys(WHO).length} integrations = ${counts.access} access cells; ` +
        `search ${counts.search}; capability ${counts.capability}; total ${size}; leaks ${leaks.length}`,
    );
    // 15 routes per integration; 1 cell when it has the capability, 3 (shared, private, missing) when not:
    // Full 15·1, ReadOnly 6·1+9·3, InsertOnly 3·1+12·3, Commenter 8·1+7·3, NoEmail 8·1+7·3.
    expect(counts).toEqual({ access: 11 * 9 * 3, search: 9 * 3, capability: 15 + 33 + 39 + 29 + 29 });
    expect(size).toBe(469);
    for (const [route, bodies] of invisible)
      expect({ route, distinct404Bodies: bodies.size }).toEqual({ route, distinct404Bodies: 1 });
    expect(leaks).toEqual([]);
  });
});
