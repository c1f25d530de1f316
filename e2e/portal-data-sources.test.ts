// Databases in the portal's JSON API (Notion-Version 2025-09-03: a database is a container of data sources,
// and rows are pages whose parent is a data source): a database with two data sources answers both, with
// their ids, schemas, row counts and newest rows, a page at a time; a row opens as a page with its values and
// the ids of its data source and database; a data source's id opens its database; the tree lists neither
// data sources nor rows; other workspaces see none of it; the export still validates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSeed } from '@notion-local/server';
import type { PortalDataSourceRows, PortalExportResult, PortalPage, PortalTreeNode } from '@notion-local/server';
import { IDS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const text = (content: string) => [{ type: 'text', text: { content } }];
const V2025 = '2025-09-03';

function portalSeed() {
  const seed = testSeed();
  const [acme, other] = seed.workspaces;
  Object.assign(acme!.users[0]!, { password: 'ada-password-1' });
  Object.assign(other!.users[0]!, { password: 'olga-password-3' });
  return seed;
}

describe.each(storeKinds())('portal: databases and their data sources (%s)', (kind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  let databaseId = '';
  let tasksId = '';
  let archiveId = '';
  const rowIds: string[] = [];

  /** An API call under 2025-09-03 with the Full integration's token; answers the body of a 200. */
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.raw(path, { method, body, version: V2025 });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestPlatform(kind, portalSeed());
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', 'ada-password-1');
    const db = await api('POST', '/v1/databases', {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text('Projects'),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Status: { select: { options: [{ name: 'Doing' }, { name: 'Done' }] } },
          Owner: { people: {} },
          Score: { number: {} },
          Done: { checkbox: {} },
          Total: { formula: { expression: 'prop("Score") * 2' } },
        },
      },
    });
    databaseId = db.id;
    tasksId = db.data_sources[0].id;
    const archive = await api('POST', '/v1/data_sources', {
      parent: { type: 'database_id', database_id: databaseId },
      title: text('Archive'),
      properties: { Title: { title: {} }, Note: { rich_text: {} } },
    });
    archiveId = archive.id;
    for (let i = 1; i <= 27; i++) {
      const row = await api('POST', '/v1/pages', {
        parent: { type: 'data_source_id', data_source_id: tasksId },
        properties: {
          Name: { title: text(`Task ${i}`) },
          Score: { number: i },
          ...(i === 27
            ? { Status: { select: { name: 'Doing' } }, Owner: { people: [{ id: IDS.ada }] }, Done: { checkbox: true } }
            : {}),
        },
      });
      rowIds.push(row.id);
    }
    const archived = await api('POST', '/v1/pages', {
      parent: { type: 'data_source_id', data_source_id: archiveId },
      properties: { Title: { title: text('Old idea') }, Note: { rich_text: text('kept for later') } },
    });
    rowIds.push(archived.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows a database with both data sources: ids, names, properties, row counts and newest rows', async () => {
    const { status, body } = await ada.call<PortalPage>('GET', `/portal/api/pages/${databaseId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: databaseId, object: 'database', title: 'Projects', blocks: [] });
    expect(body.data_sources!.map((s) => [s.id, s.database_id, s.name, s.row_count])).toEqual([
      [tasksId, databaseId, 'Projects', 27],
      [archiveId, databaseId, 'Archive', 1],
    ]);
    const [tasks, archive] = body.data_sources!;
    expect(tasks!.properties.map((p) => [p.name, p.type])).toEqual([
      ['Name', 'title'],
      ['Status', 'select'],
      ['Owner', 'people'],
      ['Score', 'number'],
      ['Done', 'checkbox'],
      ['Total', 'formula'],
    ]);
    expect(tasks!.columns.map((p) => p.name)).toEqual(['Status', 'Owner', 'Score', 'Done']);
    expect(tasks!.rows.results).toHaveLength(25);
    expect(tasks!.rows.has_more).toBe(true);
    // Newest first, as the API's query answers without sorts.
    const newest = tasks!.rows.results[0]!;
    expect(newest).toMatchObject({ id: rowIds[26], title: 'Task 27' });
    expect(newest.values.map((v) => [v.name, v.text])).toEqual([
      ['Status', 'Doing'],
      ['Owner', 'Ada Lovelace'],
      ['Score', '27'],
      ['Done', 'Yes'],
    ]);
    expect(archive!.rows).toEqual({
      results: [expect.objectContaining({ id: rowIds[27], title: 'Old idea' })],
      next_cursor: null,
      has_more: false,
    });
    expect(archive!.rows.results[0]!.values).toEqual([
      { id: expect.any(String), name: 'Note', type: 'rich_text', text: 'kept for later' },
    ]);
  });

  it('pages through a data source’s rows with next_cursor, and refuses a cursor that is not a row id', async () => {
    const first = (await ada.call<PortalPage>('GET', `/portal/api/pages/${databaseId}`)).body.data_sources![0]!.rows;
    const next = await ada.call<PortalDataSourceRows>(
      'GET',
      `/portal/api/data-sources/${tasksId}/rows?start_cursor=${first.next_cursor}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.results.map((r) => r.title)).toEqual(['Task 2', 'Task 1']);
    expect(next.body).toMatchObject({ next_cursor: null, has_more: false });
    const all = [...first.results, ...next.body.results].map((r) => r.id);
    expect(new Set(all).size).toBe(27);
    const bad = await ada.call('GET', `/portal/api/data-sources/${tasksId}/rows?start_cursor=nope`);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    // A row of the other data source is no cursor here: nothing after it.
    const foreign = await ada.call<PortalDataSourceRows>(
      'GET',
      `/portal/api/data-sources/${tasksId}/rows?start_cursor=${rowIds[27]}`,
    );
    expect(foreign.body).toEqual({ results: [], next_cursor: null, has_more: false });
    expect((await ada.call('GET', `/portal/api/data-sources/${databaseId}/rows`)).status).toBe(404);
  });

  it('opens a database row as a page: its values, its data source and database ids, its breadcrumb', async () => {
    const { status, body } = await ada.call<PortalPage>('GET', `/portal/api/pages/${rowIds[26]}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: rowIds[26], object: 'page', title: 'Task 27' });
    expect(body.ancestors).toEqual([
      { id: IDS.sharedRoot, title: 'Shared Root', object: 'page' },
      { id: databaseId, title: 'Projects', object: 'database' },
      { id: tasksId, title: 'Projects', object: 'data_source' },
    ]);
    expect(body.row).toMatchObject({
      database_id: databaseId,
      database_title: 'Projects',
      data_source_id: tasksId,
      data_source_name: 'Projects',
    });
    expect(body.row!.properties.map((p) => [p.name, p.text])).toEqual([
      ['Name', 'Task 27'],
      ['Status', 'Doing'],
      ['Owner', 'Ada Lovelace'],
      ['Score', '27'],
      ['Done', 'Yes'],
      ['Total', null],
    ]);
    const plain = await ada.call<PortalPage>('GET', `/portal/api/pages/${IDS.child}`);
    expect(plain.body).not.toHaveProperty('row');
    expect(plain.body).not.toHaveProperty('data_sources');
  });

  it('a data source’s id opens its database; the tree lists the database but neither data sources nor rows', async () => {
    const viaSource = await ada.call<PortalPage>('GET', `/portal/api/pages/${archiveId}`);
    expect(viaSource.body).toMatchObject({ id: databaseId, object: 'database' });
    expect(viaSource.body.data_sources!.map((s) => s.id)).toEqual([tasksId, archiveId]);
    const tree = (await ada.call<PortalTreeNode[]>('GET', '/portal/api/pages')).body;
    expect(tree.find((n) => n.id === databaseId)).toMatchObject({ object: 'database', parent_id: IDS.sharedRoot });
    const ids = tree.map((n) => n.id);
    for (const id of [tasksId, archiveId, ...rowIds]) expect(ids).not.toContain(id);
    const root = await ada.call<PortalPage>('GET', `/portal/api/pages/${IDS.sharedRoot}`);
    expect(root.body.blocks.find((b) => b.id === databaseId)).toMatchObject({
      type: 'child_database',
      content: { title: 'Projects' },
    });
  });

  it('another workspace sees none of it', async () => {
    const olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', 'olga-password-3');
    for (const path of [`/pages/${databaseId}`, `/pages/${tasksId}`, `/pages/${rowIds[0]}`]) {
      expect((await olga.call('GET', `/portal/api${path}`)).status, path).toBe(404);
    }
    const rows = await olga.call('GET', `/portal/api/data-sources/${tasksId}/rows`);
    expect(rows).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('the export still validates and says the database was left out; rows do not become pages', async () => {
    const { body } = await ada.call<PortalExportResult>('GET', '/portal/api/sandbox/export');
    expect(() => validateSeed(body.seed)).not.toThrow();
    expect(body.notes.join(' ')).toMatch(/1 database\(s\) \(2 data sources, 28 rows\) were left out/);
    const json = JSON.stringify(body.seed);
    for (const id of [databaseId, tasksId, archiveId, ...rowIds]) expect(json).not.toContain(id);
  });
});
