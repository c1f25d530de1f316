// The sharing rule, table-tested twice over: the pure `canSee` (auth/access.ts) that loads check, and its SQL
// form (store/visibility-sql.ts) that lists, queries, relations and search use, run on both stores. One table:
// each case says whether the object is visible, and the SQL's `live` form also leaves out trashed objects.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSee, type Principal } from '../src/auth/access.js';
import { satisfies, userVisibility, type Capability, type Requirement } from '../src/auth/capabilities.js';
import { API_ROUTES } from '../src/http/routes.js';
import { editBlock, insertRows, type RowInsert } from '../src/store/block-repo.js';
import { findVisibleIds } from '../src/store/database-row-repo.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import type { Store } from '../src/store/sql-store.js';
import { insertWorkspace } from '../src/store/workspace-repo.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';

const principal = (shared: string[], caps: Capability[] = []): Principal => ({
  integrationId: 'bot',
  integrationName: 'Bot',
  workspaceId: 'w1',
  workspaceName: 'W',
  ownerUserId: null,
  capabilities: new Set(caps),
  sharedRootIds: new Set(shared),
});

/** An object as the rule sees it: its workspace, its path (ancestors root first, ending with itself), trashed? */
interface Sample {
  workspaceId: 'w1' | 'w2';
  path: string[];
  trashed?: boolean;
}

/** [case, roots shared with the integration (of workspace w1), the object, visible?] */
const SHARING_CASES: [string, string[], Sample, boolean][] = [
  ['the shared page itself', ['root'], { workspaceId: 'w1', path: ['root'] }, true],
  ['a child of a shared page', ['root'], { workspaceId: 'w1', path: ['root', 'child'] }, true],
  ['a block deep below a shared page', ['root'], { workspaceId: 'w1', path: ['root', 'child', 'b1', 'b2'] }, true],
  ['a sibling page nobody shared', ['root'], { workspaceId: 'w1', path: ['other'] }, false],
  ['the parent of a shared child', ['child'], { workspaceId: 'w1', path: ['root'] }, false],
  ['a page with a shared id in another workspace', ['root'], { workspaceId: 'w2', path: ['root'] }, false],
  ['anything, with nothing shared', [], { workspaceId: 'w1', path: ['root', 'child'] }, false],
  ['one of several shared roots', ['other', 'root'], { workspaceId: 'w1', path: ['root', 'child'] }, true],
  ['a shared page in the trash', ['root'], { workspaceId: 'w1', path: ['root'], trashed: true }, true],
  ['a trashed child of a shared page', ['root'], { workspaceId: 'w1', path: ['root', 'child'], trashed: true }, true],
  ['a trashed page nobody shared', ['root'], { workspaceId: 'w1', path: ['other'], trashed: true }, false],
];

describe('canSee: explicit sharing, inherited by descendants, scoped to the workspace', () => {
  it.each(SHARING_CASES)('%s', (_name, shared, object, expected) => {
    expect(canSee(principal(shared), object)).toBe(expected);
  });
});

/** A store with workspaces w1 and w2, where each case writes its object's path as rows of its own. */
function sharingInSql(open: () => Promise<{ store: Store; close(): Promise<void> }>): void {
  let store: Store;
  let close: () => Promise<void>;
  const workspaces = { w1: randomUUID(), w2: randomUUID() };
  const actor = randomUUID();
  beforeAll(async () => {
    ({ store, close } = await open());
    const now = new Date();
    for (const [name, id] of Object.entries(workspaces)) await insertWorkspace(store, id, name, now);
  });
  afterAll(async () => close?.());

  /** Writes the object's path as pages, each the child of the one before; answers the ids by name. */
  async function writeObject(object: Sample, ids: (name: string) => string): Promise<string> {
    const workspaceId = workspaces[object.workspaceId];
    const now = new Date();
    const path = object.path.map(ids);
    const rows: RowInsert[] = path.map((id, i) => ({
      parent: {
        workspaceId,
        id: i === 0 ? null : path[i - 1]!,
        type: i === 0 ? 'workspace' : 'page_id',
        path: path.slice(0, i),
      },
      row: { id, object: 'page', type: 'page', content: {} },
      position: i + 1,
      actorId: actor,
      now,
    }));
    await insertRows(store, rows);
    const objectId = path[path.length - 1]!;
    if (object.trashed) await editBlock(store, objectId, { archived: true }, actor, now);
    return objectId;
  }

  it.each(SHARING_CASES)('%s', async (_name, shared, object, expected) => {
    const byName = new Map<string, string>();
    const ids = (name: string) => byName.get(name) ?? byName.set(name, randomUUID()).get(name)!;
    const objectId = await writeObject(object, ids);
    const sharing = { workspaceId: workspaces.w1, sharedRootIds: shared.map(ids) };
    const visible = await findVisibleIds(store, sharing, [objectId]);
    const live = await findVisibleIds(store, sharing, [objectId], { live: true });
    expect({ visible: visible.length === 1, live: live.length === 1 }).toEqual({
      visible: expected,
      live: expected && !object.trashed,
    });
  });
}

describe('the sharing rule in SQL (pglite)', () => {
  sharingInSql(async () => {
    const store = await openStore({ kind: 'memory' });
    return { store, close: () => store.close() };
  });
});

if (!PG_URL)
  console.warn('sharing rule in SQL: PostgreSQL half skipped — set NOTION_LOCAL_TEST_DATABASE_URL to run it');
describe.skipIf(!PG_URL)('the sharing rule in SQL (postgres; needs NOTION_LOCAL_TEST_DATABASE_URL)', () => {
  sharingInSql(async () => {
    const schema = `nl_access_${process.pid}_${randomBytes(3).toString('hex')}`;
    const store = await openPostgres({ url: PG_URL, schema });
    return {
      store,
      async close() {
        await store.close();
        await dropPostgresSchema(PG_URL, schema);
      },
    };
  });
});

describe('capabilities', () => {
  const cases: [Requirement, Capability[], boolean][] = [
    ['none', [], true],
    ['read_content', ['read_content'], true],
    ['read_content', ['insert_content', 'update_content'], false],
    ['insert_content', ['insert_content'], true],
    ['update_content', ['read_content'], false],
    ['read_comments', ['insert_comments'], false],
    ['insert_comments', ['insert_comments'], true],
    ['user_information', ['read_user_without_email'], true],
    ['user_information', ['read_user_with_email'], true],
    ['user_information', ['read_content'], false],
  ];
  it.each(cases)('%s with %j → %s', (req, caps, expected) => {
    expect(satisfies(new Set(caps), req)).toBe(expected);
  });

  it('maps user-information capabilities to what is shown', () => {
    expect(userVisibility(new Set())).toBe('none');
    expect(userVisibility(new Set(['read_user_without_email'] as Capability[]))).toBe('without_email');
    expect(userVisibility(new Set(['read_user_with_email'] as Capability[]))).toBe('with_email');
  });

  it('every route needs exactly the capability Notion documents (reference §3.2)', () => {
    const table = Object.fromEntries(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r.requirement]));
    expect(table).toEqual({
      'GET /v1/users/me': 'none',
      'GET /v1/users': 'user_information',
      'GET /v1/users/:user_id': 'user_information',
      'POST /v1/pages': 'insert_content',
      'GET /v1/pages/:page_id': 'read_content',
      'POST /v1/pages/:page_id/move': 'update_content',
      'PATCH /v1/pages/:page_id': 'update_content',
      'GET /v1/pages/:page_id/properties/:property_id': 'read_content',
      'GET /v1/blocks/:block_id': 'read_content',
      'PATCH /v1/blocks/:block_id': 'update_content',
      'DELETE /v1/blocks/:block_id': 'update_content',
      'GET /v1/blocks/:block_id/children': 'read_content',
      'PATCH /v1/blocks/:block_id/children': 'insert_content',
      'POST /v1/comments': 'insert_comments',
      'GET /v1/comments': 'read_comments',
      'GET /v1/comments/:comment_id': 'read_comments',
      'POST /v1/databases': 'insert_content',
      'GET /v1/databases': 'read_content',
      'GET /v1/databases/:database_id': 'read_content',
      'PATCH /v1/databases/:database_id': 'update_content',
      'POST /v1/databases/:database_id/query': 'read_content',
      'POST /v1/data_sources': 'insert_content',
      'GET /v1/data_sources/:data_source_id': 'read_content',
      'PATCH /v1/data_sources/:data_source_id': 'update_content',
      'POST /v1/data_sources/:data_source_id/query': 'read_content',
      'GET /v1/data_sources/:data_source_id/templates': 'read_content',
      'POST /v1/search': 'read_content',
      'PATCH /v1/comments/:comment_id': 'insert_comments',
      'DELETE /v1/comments/:comment_id': 'insert_comments',
      'GET /v1/custom_emojis': 'read_content',
      'GET /v1/pages/:page_id/markdown': 'read_content',
      'PATCH /v1/pages/:page_id/markdown': 'update_content',
      'GET /v1/async_tasks/:task': 'none',
      'GET /v1/views': 'read_content',
      'POST /v1/views': 'insert_content',
      'GET /v1/views/:view_id': 'read_content',
      'PATCH /v1/views/:view_id': 'update_content',
      'DELETE /v1/views/:view_id': 'update_content',
      'POST /v1/views/:view_id/queries': 'read_content',
      'GET /v1/views/:view_id/queries/:query_id': 'read_content',
      'DELETE /v1/views/:view_id/queries/:query_id': 'read_content',
      'POST /v1/file_uploads': 'insert_content',
      'GET /v1/file_uploads': 'read_content',
      'GET /v1/file_uploads/:file_upload_id': 'read_content',
      'POST /v1/file_uploads/:file_upload_id/send': 'insert_content',
      'POST /v1/file_uploads/:file_upload_id/complete': 'insert_content',
    });
  });
});
