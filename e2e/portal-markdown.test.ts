// A page's Markdown and a database's views in the portal's JSON API, on both stores. The Markdown of a page
// with many block types is what GET /v1/pages/{id}/markdown answers an integration that can see the page
// (field for field); a person reads it with no sharing check (a page no integration can see, a page an
// integration is not connected to); databases, other workspaces' pages and the signed out get no Markdown.
// A database lists the views over each data source in tab order, with their saved filter, sorts and quick
// filters as the API answers them and as one line of text; a deleted view is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalPage, PortalPageMarkdown } from '@notion-local/server';
import { IDS, testSeed, TOKENS } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const V2025 = '2025-09-03';
const text = (content: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: { content }, ...extra });
const para = (...rich: unknown[]) => ({ paragraph: { rich_text: rich } });
const undashed = (id: string) => id.replace(/-/g, '');

function portalSeed() {
  const seed = testSeed();
  const [acme, other] = seed.workspaces;
  Object.assign(acme!.users[0]!, { password: 'ada-password-1' });
  Object.assign(other!.users[0]!, { password: 'olga-password-3' });
  return seed;
}

/** Blocks of many types: text with annotations and mentions, headings, lists, nesting, tags, an unknown one. */
const BLOCKS = [
  para(
    text('plain '),
    text('bold', { annotations: { bold: true } }),
    text(' '),
    text('link', { text: { content: 'link', link: { url: 'https://example.com/a' } } }),
    text(' with '),
    { type: 'mention', mention: { type: 'user', user: { id: IDS.ada } } },
  ),
  { heading_1: { rich_text: [text('Heading one')] } },
  {
    bulleted_list_item: {
      rich_text: [text('bullet')],
      children: [{ bulleted_list_item: { rich_text: [text('nested')] } }],
    },
  },
  { numbered_list_item: { rich_text: [text('first')] } },
  { numbered_list_item: { rich_text: [text('second')] } },
  { to_do: { rich_text: [text('done')], checked: true } },
  { quote: { rich_text: [text('quoted')] } },
  { toggle: { rich_text: [text('Toggle')], children: [para(text('hidden'))] } },
  { callout: { rich_text: [text('Note')], icon: { emoji: '🎯' }, color: 'blue_background' } },
  { code: { rich_text: [text('const a = 1;')], language: 'typescript' } },
  { divider: {} },
  { bookmark: { url: 'https://example.com/b' } },
];

describe.each(storeKinds())('portal: a page as Markdown, a database’s views (%s)', (kind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  let olga: PortalVisitor;
  let pageId = '';
  let childId = '';

  const api = (method: string, path: string, body?: unknown, token: string = TOKENS.full) =>
    t.raw(path, { method, body, version: V2025, token });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const markdownIn = (visitor: PortalVisitor, id: string) =>
    visitor.call<PortalPageMarkdown>('GET', `/portal/api/pages/${id}/markdown`);

  beforeAll(async () => {
    t = await startTestPlatform(kind, portalSeed());
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', 'ada-password-1');
    olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', 'olga-password-3');
    const page = await ok('POST', '/v1/pages', {
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: [text('Many blocks')] } },
    });
    pageId = page.id;
    await ok('PATCH', `/v1/blocks/${pageId}/children`, { children: BLOCKS });
    childId = (
      await ok('POST', '/v1/pages', { parent: { page_id: pageId }, properties: { title: { title: [text('Sub')] } } })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a page’s Markdown exactly as GET /v1/pages/{id}/markdown does for an integration', async () => {
    const fromApi = await ok('GET', `/v1/pages/${pageId}/markdown`);
    const { status, body } = await markdownIn(ada, pageId);
    expect(status).toBe(200);
    const { object, request_id: _requestId, ...rest } = fromApi;
    expect(object).toBe('page_markdown');
    expect(body).toEqual(rest);
    // And that Markdown is the page's content (not an empty answer the two happen to agree on).
    const bookmarkId = (await ok('GET', `/v1/blocks/${pageId}/children?page_size=100`)).results[11].id as string;
    expect(body.markdown.split('\n')).toEqual([
      `plain **bold** [link](https://example.com/a) with <mention-user url="user://${IDS.ada}">Ada Lovelace</mention-user>`,
      '# Heading one',
      '- bullet',
      '\t- nested',
      '1. first',
      '2. second',
      '- [x] done',
      '> quoted',
      '<details>',
      '<summary>Toggle</summary>',
      '\thidden',
      '</details>',
      '<callout icon="🎯" color="blue_bg">',
      '\tNote',
      '</callout>',
      '```typescript',
      'const a = 1;',
      '```',
      '---',
      `<unknown url="https://www.notion.so/${undashed(pageId)}#${undashed(bookmarkId)}" alt="bookmark"/>`,
      `<page url="https://www.notion.so/Sub-${undashed(childId)}">Sub</page>`,
    ]);
    expect(body).toMatchObject({ id: pageId, truncated: false, unknown_block_ids: [bookmarkId] });
  });

  it('follows edits made through the API, and reads an empty page as empty Markdown', async () => {
    await ok('PATCH', `/v1/pages/${pageId}/markdown`, {
      type: 'insert_content',
      insert_content: { content: 'Appended through the API' },
    });
    const { body } = await markdownIn(ada, pageId);
    expect(body.markdown.endsWith('\nAppended through the API')).toBe(true);
    expect(body.markdown).toBe((await ok('GET', `/v1/pages/${pageId}/markdown`)).markdown);
    expect((await markdownIn(ada, childId)).body).toEqual({
      id: childId,
      markdown: '',
      truncated: false,
      unknown_block_ids: [],
    });
  });

  it('reads pages no integration can see: a person of the workspace is not limited by sharing', async () => {
    const hidden = await api('GET', `/v1/pages/${pageId}/markdown`, undefined, TOKENS.unshared);
    expect(hidden.status).toBe(404);
    expect((await markdownIn(ada, pageId)).status).toBe(200);
    expect((await api('GET', `/v1/pages/${IDS.privatePage}/markdown`)).status).toBe(404);
    expect(await markdownIn(ada, IDS.privatePage)).toMatchObject({
      status: 200,
      body: { id: IDS.privatePage, markdown: 'Nobody shared this', truncated: false, unknown_block_ids: [] },
    });
  });

  it('gives no Markdown for a database, another workspace’s page, a missing id, or the signed out', async () => {
    const db = await ok('POST', '/v1/databases', {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: [text('Not a page')],
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    expect(await markdownIn(ada, db.id)).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'Only pages have Markdown; a database shows its data sources and views instead.',
        },
      },
    });
    expect(await markdownIn(ada, db.data_sources[0].id)).toMatchObject({ status: 400 });
    expect(await markdownIn(olga, pageId)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'This page was not found in this workspace.' } },
    });
    expect(await markdownIn(olga, IDS.otherRoot)).toMatchObject({
      status: 200,
      body: { markdown: 'Other workspace' },
    });
    expect((await markdownIn(ada, IDS.missing)).status).toBe(404);
    expect((await markdownIn(ada, 'not-an-id')).status).toBe(404);
    const signedOut = await new PortalVisitor(t.baseUrl).call('GET', `/portal/api/pages/${pageId}/markdown`);
    expect(signedOut.status).toBe(401);
  });

  it('lists the views over each data source in tab order, with their filter, sorts and quick filters', async () => {
    const db = await ok('POST', '/v1/databases', {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: [text('Work')],
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Score: { number: {} },
          Status: { select: { options: [{ name: 'Open' }, { name: 'Done' }] } },
        },
      },
    });
    const tasks = db.data_sources[0].id as string;
    const archive = (
      await ok('POST', '/v1/data_sources', {
        parent: { type: 'database_id', database_id: db.id },
        title: [text('Archive')],
        properties: { Title: { title: {} } },
      })
    ).id as string;
    const filter = {
      and: [
        { property: 'Score', number: { greater_than: 1 } },
        {
          or: [
            { property: 'Status', select: { equals: 'Open' } },
            { property: 'Name', title: { is_empty: true } },
          ],
        },
      ],
    };
    const sorts = [
      { property: 'Score', direction: 'descending' },
      { timestamp: 'created_time', direction: 'ascending' },
    ];
    const open = await ok('POST', '/v1/views', {
      database_id: db.id,
      data_source_id: tasks,
      name: 'Open work',
      type: 'list',
      filter,
      sorts,
      quick_filters: { Status: { select: { equals: 'Open' } } },
    });
    const gone = await ok('POST', '/v1/views', {
      database_id: db.id,
      data_source_id: tasks,
      name: 'Gone',
      type: 'table',
    });
    await ok('DELETE', `/v1/views/${gone.id}`);
    const { body } = await ada.call<PortalPage>('GET', `/portal/api/pages/${db.id}`);
    const [first, second] = body.data_sources!;
    expect(first!.id).toBe(tasks);
    expect(second!.id).toBe(archive);
    const stored = await ok('GET', `/v1/views/${open.id}`);
    expect(first!.views.map((v) => [v.name, v.type])).toEqual([
      ['Default view', 'table'],
      ['Open work', 'list'],
    ]);
    expect(first!.views[0]).toMatchObject({
      filter: null,
      sorts: null,
      quick_filters: null,
      filter_summary: null,
      sorts_summary: null,
      quick_filters_summary: null,
    });
    // Quick filters are stored by property id; the summary names the property.
    expect(Object.keys(stored.quick_filters)).not.toEqual(['Status']);
    expect(first!.views[1]).toEqual({
      id: open.id,
      name: 'Open work',
      type: 'list',
      filter: stored.filter,
      sorts: stored.sorts,
      quick_filters: stored.quick_filters,
      filter_summary: 'Score > 1 and (Status = "Open" or Name is empty)',
      sorts_summary: 'Score descending, Created time ascending',
      quick_filters_summary: 'Status = "Open"',
    });
    expect(second!.views.map((v) => v.name)).toEqual(['Default view']);
    // The views the API lists for each data source, in the same order.
    const listed = await ok('GET', `/v1/views?data_source_id=${tasks}`);
    expect(first!.views.map((v) => v.id)).toEqual(listed.results.map((r: { id: string }) => r.id));
  });
});
