// The database routes in the access matrix (reference §0.2, §3.2, §4): every database route × targets
// (a shared database, a database under an unshared page, one in another workspace, a missing id, pages
// shared or not) × integrations with and without access, through the SDK.
//   visible database             ⇒ 2xx
//   visible page on a db route   ⇒ 400 "Provided database_id … is a page, not a database. …"
//   anything invisible           ⇒ exactly 404 "Could not find database with ID: <dashed id>. Make sure …"
// Then each route × integrations lacking its capability ⇒ 403, whatever the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIResponseError, collectPaginatedAPI, type Client } from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

type Who = 'Full' | 'Unshared' | 'OtherBot';
type Cap = 'read_content' | 'update_content' | 'insert_content';
interface Target {
  name: string;
  id: string;
  kind: 'database' | 'page';
  visibleTo: readonly Who[];
}
interface Route {
  name: string;
  cap: Cap;
  call(c: Client, id: string): Promise<unknown>;
}

const WHO: Record<Who, string> = { Full: TOKENS.full, Unshared: TOKENS.unshared, OtherBot: TOKENS.otherBot };
/** The bot user of each caller: a 404 names it in additional_data.integration_id. */
const BOT: Record<Who, string> = { Full: IDS.full, Unshared: IDS.unshared, OtherBot: IDS.otherBot };
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const undashed = (id: string) => id.replace(/-/g, '');
const notFound = (id: string) =>
  `Could not find database with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const wrongKind = (id: string) =>
  `Provided database_id ${id} is a page, not a database. Use the pages API instead, or pass the ID of the database itself.`;

const ROUTES: readonly Route[] = [
  { name: 'GET /v1/databases/{id}', cap: 'read_content', call: (c, id) => c.databases.retrieve({ database_id: id }) },
  {
    name: 'PATCH /v1/databases/{id}',
    cap: 'update_content',
    call: (c, id) => c.databases.update({ database_id: id, description: text('touched') }),
  },
  {
    name: 'POST /v1/databases/{id}/query',
    cap: 'read_content',
    call: (c, id) => c.databases.query({ database_id: id, page_size: 1 }),
  },
  {
    name: 'POST /v1/pages {parent.database_id}',
    cap: 'insert_content',
    call: (c, id) => c.pages.create({ parent: { database_id: id }, properties: { Name: { title: text('Row') } } }),
  },
];

const CAPS: Record<string, { token: string; caps: readonly Cap[] }> = {
  Full: { token: TOKENS.full, caps: ['read_content', 'update_content', 'insert_content'] },
  ReadOnly: { token: TOKENS.readOnly, caps: ['read_content'] },
  InsertOnly: { token: TOKENS.insertOnly, caps: ['insert_content'] },
  Commenter: { token: TOKENS.commenter, caps: ['read_content'] },
};

async function outcome(
  p: Promise<unknown>,
): Promise<{ status: number; body: Record<string, unknown>; requestId: string | null }> {
  try {
    return { status: 200, body: (await p) as Record<string, unknown>, requestId: null };
  } catch (error) {
    if (!APIResponseError.isAPIResponseError(error)) throw error;
    return {
      status: error.status,
      body: JSON.parse(error.body) as Record<string, unknown>,
      requestId: (error.headers as Headers).get('x-notion-request-id'),
    };
  }
}

describe.each(storeKinds())('database access (%s)', (kind) => {
  let t: TestPlatform;
  let targets: Target[];
  const leaks: string[] = [];
  let cells = 0;

  beforeAll(async () => {
    t = await startTestPlatform(kind);
    const full = t.client(TOKENS.full);
    const make = async (client: Client, parent: string) =>
      (
        await client.databases.create({
          parent: { page_id: parent },
          title: text('DB'),
          properties: { Name: { title: {} } },
        })
      ).id;
    const shared = await make(full, IDS.child);
    // A database under the private page: made while Full could see it, then the share is taken back.
    await t.platform.store.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)', [
      IDS.full,
      IDS.privatePage,
    ]);
    const hidden = await make(full, IDS.privatePage);
    await t.platform.store.query('DELETE FROM shares WHERE integration_id = $1 AND block_id = $2', [
      IDS.full,
      IDS.privatePage,
    ]);
    const other = await make(t.client(TOKENS.otherBot), IDS.otherRoot);
    targets = [
      { name: 'sharedDatabase', id: shared, kind: 'database', visibleTo: ['Full'] },
      { name: 'databaseUnderPrivatePage', id: hidden, kind: 'database', visibleTo: [] },
      { name: 'otherWorkspaceDatabase', id: other, kind: 'database', visibleTo: ['OtherBot'] },
      { name: 'sharedPage', id: IDS.sharedRoot, kind: 'page', visibleTo: ['Full'] },
      { name: 'privatePage', id: IDS.privatePage, kind: 'page', visibleTo: [] },
      { name: 'missing', id: IDS.missing, kind: 'database', visibleTo: [] },
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const route of ROUTES) {
    it(`${route.name}: visible ⇒ 2xx, a visible page ⇒ 400, invisible ⇒ the one 404`, async () => {
      const before = leaks.length;
      const invisible = new Set<string>();
      for (const who of Object.keys(WHO) as Who[]) {
        for (const target of targets) {
          cells++;
          const got = await outcome(route.call(t.client(WHO[who]), undashed(target.id)));
          const where = `${route.name} × ${who} × ${target.name}`;
          const visible = target.visibleTo.includes(who);
          if (visible && target.kind === 'database') {
            if (got.status !== 200) leaks.push(`${where}: expected 2xx, got ${got.status} ${String(got.body.message)}`);
            continue;
          }
          const message = visible ? wrongKind(target.id) : notFound(target.id);
          const expected = {
            object: 'error',
            status: visible ? 400 : 404,
            code: visible ? 'validation_error' : 'object_not_found',
            message,
            ...(visible ? {} : { additional_data: { integration_id: BOT[who] } }),
            request_id: got.requestId,
          };
          if (JSON.stringify(got.body) !== JSON.stringify(expected))
            leaks.push(`${where}: expected ${expected.status}, got ${got.status} ${JSON.stringify(got.body)}`);
          if (!visible)
            invisible.add(
              JSON.stringify({
                ...got.body,
                request_id: '<rid>',
                message: String(got.body.message).replace(target.id, '<id>'),
                // The caller's own id, different for each caller by design.
                additional_data: { integration_id: '<caller>' },
              }),
            );
        }
      }
      expect(leaks.slice(before)).toEqual([]);
      // A database under an unshared page, one in another workspace, a page and a missing id cannot be told apart.
      expect([...invisible]).toHaveLength(1);
    });
  }

  it('search and the database list show exactly the visible databases', async () => {
    for (const who of Object.keys(WHO) as Who[]) {
      const client = t.client(WHO[who]);
      const wanted = targets
        .filter((x) => x.kind === 'database' && x.visibleTo.includes(who))
        .map((x) => x.id)
        .sort();
      const found = (await collectPaginatedAPI(client.search, { filter: { property: 'object', value: 'database' } }))
        .map((r) => r.id)
        .sort();
      const listed = (await collectPaginatedAPI(client.databases.list, {})).map((r) => r.id).sort();
      expect({ who, found, listed }).toEqual({ who, found: wanted, listed: wanted });
    }
  });

  it('capability matrix: a missing capability ⇒ 403 restricted_resource, on visible and invisible databases alike', async () => {
    const failures: string[] = [];
    for (const [name, { token, caps }] of Object.entries(CAPS)) {
      for (const route of ROUTES) {
        const has = caps.includes(route.cap);
        for (const target of has ? targets.slice(0, 1) : targets.filter((x) => x.kind === 'database')) {
          cells++;
          const got = await outcome(route.call(t.client(token), target.id));
          const ok = has
            ? got.status === 200
            : got.status === 403 &&
              got.body.code === 'restricted_resource' &&
              got.body.message === 'Insufficient permissions for this endpoint.';
          if (!ok)
            failures.push(`${route.name} × ${name} × ${target.name}: got ${got.status} ${String(got.body.message)}`);
        }
      }
      const createOk = (
        await outcome(
          t
            .client(token)
            .databases.create({ parent: { page_id: IDS.sharedRoot }, properties: { Name: { title: {} } } }),
        )
      ).status;
      if (createOk !== (caps.includes('insert_content') ? 200 : 403))
        failures.push(`POST /v1/databases × ${name}: got ${createOk}`);
    }
    expect(failures).toEqual([]);
    console.log(`[database-access:${kind}] ${cells} cells, leaks ${leaks.length}`);
  });
});
