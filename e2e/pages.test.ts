// Pages through the official SDK (reference §8.1, §8.10, §11.1, §11.6, §12): create under a page with
// both title shapes, children, icon/cover; retrieve; update; trash/restore; the property item endpoint.
import { describe, expect, it } from 'vitest';
import { isFullPage, type Client, type PageObjectResponse } from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';
import { PAGE_KEYS, REQUEST_ID, withoutRequestId } from './support/answers.js';

const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const undashed = (id: string) => id.replace(/-/g, '');
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const richText = (content: string) => ({
  type: 'text',
  text: { content, link: null },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: null,
});
/** The bare form Notion documents for page parents, `{title: [...]}`, which SDK v4's types do not spell. */
const bare = (content: string) => ({ title: text(content) }) as never;
const PAGE_ARCHIVED = "Can't update a page that is archived. You must unarchive the page before updating.";

describe.each(storeKinds())('pages (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  const createPage = async (title: string, extra: Record<string, unknown> = {}) =>
    (await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: bare(title),
      ...extra,
    })) as PageObjectResponse;

  it('creates a page under a page with the bare title array and answers the full page object', async () => {
    const page = await createPage('Meeting notes');
    expect(isFullPage(page)).toBe(true);
    expect(page).toEqual({
      object: 'page',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      created_time: expect.stringMatching(MINUTE_ISO),
      last_edited_time: expect.stringMatching(MINUTE_ISO),
      created_by: { object: 'user', id: IDS.full },
      last_edited_by: { object: 'user', id: IDS.full },
      cover: null,
      icon: null,
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      archived: false,
      in_trash: false,
      is_archived: false,
      is_locked: false,
      properties: { title: { id: 'title', type: 'title', title: [richText('Meeting notes')] } },
      url: `https://www.notion.so/Meeting-notes-${undashed(page.id)}`,
      public_url: null,
      request_id: REQUEST_ID,
    });
    expect(Object.keys(page)).toEqual([...PAGE_KEYS, 'request_id']);
    // It is now a child_page block of its parent.
    const children = await notion.blocks.children.list({ block_id: IDS.sharedRoot });
    expect(children.results.at(-1)).toMatchObject({
      id: page.id,
      type: 'child_page',
      child_page: { title: 'Meeting notes' },
    });
  });

  it('accepts the typed title shape {title: {title: [...]}} too', async () => {
    const page = (await notion.pages.create({
      parent: { type: 'page_id', page_id: IDS.child },
      properties: { title: { title: [{ text: { content: 'Typed' }, annotations: { bold: true } }] } },
    })) as PageObjectResponse;
    expect(page.parent).toEqual({ type: 'page_id', page_id: IDS.child });
    expect(page.properties.title).toEqual({
      id: 'title',
      type: 'title',
      title: [{ ...richText('Typed'), annotations: { ...ANNOTATIONS, bold: true } }],
    });
  });

  it('creates with children two levels deep; a third level is refused with the exact message', async () => {
    const page = await createPage('Nested', {
      children: [
        {
          type: 'toggle',
          toggle: { rich_text: text('Level 1'), children: [{ bulleted_list_item: { rich_text: text('Level 2') } }] },
        },
        { paragraph: { rich_text: text('After') } },
      ],
    });
    const top = await notion.blocks.children.list({ block_id: page.id });
    expect(top.results.map((b) => ('type' in b ? b.type : null))).toEqual(['toggle', 'paragraph']);
    expect(top.results[0]).toMatchObject({ has_children: true, parent: { type: 'page_id', page_id: page.id } });
    const nested = await notion.blocks.children.list({ block_id: top.results[0]!.id });
    expect(nested.results).toEqual([
      expect.objectContaining({
        type: 'bulleted_list_item',
        parent: { type: 'block_id', block_id: top.results[0]!.id },
        bulleted_list_item: { rich_text: [richText('Level 2')], color: 'default' },
      }),
    ]);

    const third = [{ paragraph: { rich_text: text('Level 3') } }];
    await expect(
      notion.pages.create({
        parent: { page_id: IDS.sharedRoot },
        properties: bare('Too deep'),
        children: [
          {
            toggle: {
              rich_text: text('1'),
              children: [{ bulleted_list_item: { rich_text: text('2'), children: third as never } }],
            },
          },
        ],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: `body failed validation: body.children[0].toggle.children[0].bulleted_list_item.children should be not present, instead was \`${JSON.stringify(third)}\`.`,
    });
  });

  it('sets icon and cover on create, retrieves them, updates and clears them with null', async () => {
    const page = await createPage('Decorated', {
      icon: { type: 'emoji', emoji: '🥬' },
      cover: { type: 'external', external: { url: 'https://example.com/cover.png' } },
    });
    expect(page.icon).toEqual({ type: 'emoji', emoji: '🥬' });
    expect(page.cover).toEqual({ type: 'external', external: { url: 'https://example.com/cover.png' } });
    const read = await notion.pages.retrieve({ page_id: page.id });
    expect(withoutRequestId(read)).toEqual(withoutRequestId(page));
    expect(read).toMatchObject({ request_id: REQUEST_ID });
    expect((read as { request_id?: string }).request_id).not.toBe((page as { request_id?: string }).request_id);

    const updated = (await notion.pages.update({
      page_id: page.id,
      icon: { external: { url: 'https://example.com/icon.svg' } },
      cover: { external: { url: 'https://example.com/other.png' } },
    })) as PageObjectResponse;
    expect(updated.icon).toEqual({ type: 'external', external: { url: 'https://example.com/icon.svg' } });
    expect(updated.cover).toEqual({ type: 'external', external: { url: 'https://example.com/other.png' } });
    expect(updated.properties).toEqual(page.properties); // untouched

    const cleared = (await notion.pages.update({ page_id: page.id, icon: null, cover: null })) as PageObjectResponse;
    expect(cleared.icon).toBeNull();
    expect(cleared.cover).toBeNull();
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).icon).toBeNull();
  });

  it('updates the title in both shapes and leaves icon alone', async () => {
    const page = await createPage('Before', { icon: { emoji: '📌' } });
    const a = (await notion.pages.update({ page_id: page.id, properties: bare('After A') })) as PageObjectResponse;
    expect(a.properties.title).toEqual({ id: 'title', type: 'title', title: [richText('After A')] });
    expect(a.url).toBe(`https://www.notion.so/After-A-${undashed(page.id)}`);
    const b = (await notion.pages.update({
      page_id: page.id,
      properties: { title: { title: text('After B') } },
    })) as PageObjectResponse;
    expect(b.properties.title).toEqual({ id: 'title', type: 'title', title: [richText('After B')] });
    expect(b.icon).toEqual({ type: 'emoji', emoji: '📌' });
    const block = await notion.blocks.retrieve({ block_id: page.id });
    expect(block).toMatchObject({ type: 'child_page', child_page: { title: 'After B' } });
  });

  it('trashes with archived, refuses edits with the exact message, restores with in_trash:false', async () => {
    const page = await createPage('Trash me');
    const trashed = (await notion.pages.update({ page_id: page.id, archived: true })) as PageObjectResponse;
    expect(trashed).toMatchObject({ archived: true, in_trash: true });
    // Still retrievable by id, with archived:true (reference §4).
    expect(await notion.pages.retrieve({ page_id: page.id })).toMatchObject({
      id: page.id,
      archived: true,
      in_trash: true,
    });
    await expect(notion.pages.update({ page_id: page.id, properties: bare('Nope') })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: PAGE_ARCHIVED,
    });
    await expect(notion.pages.update({ page_id: page.id, icon: { emoji: '🔥' } })).rejects.toMatchObject({
      status: 400,
      message: PAGE_ARCHIVED,
    });
    // Gone from the parent's children while trashed.
    const ids = (await notion.blocks.children.list({ block_id: IDS.sharedRoot })).results.map((b) => b.id);
    expect(ids).not.toContain(page.id);

    const restored = (await notion.pages.update({ page_id: page.id, in_trash: false })) as PageObjectResponse;
    expect(restored).toMatchObject({ archived: false, in_trash: false });
    const renamed = (await notion.pages.update({ page_id: page.id, properties: bare('Back') })) as PageObjectResponse;
    expect(renamed.properties.title).toMatchObject({ title: [richText('Back')] });
  });

  it('refuses edits below a trashed ancestor with the ancestor message', async () => {
    await notion.pages.update({ page_id: IDS.child, in_trash: true });
    await expect(notion.pages.update({ page_id: IDS.grandchild, properties: bare('x') })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message:
        "Can't edit page on block with an archived ancestor. You must unarchive the ancestor before editing page.",
    });
    // The grandchild itself is not trashed.
    expect(await notion.pages.retrieve({ page_id: IDS.grandchild })).toMatchObject({ archived: false });
  });

  it('serves the title through the property item endpoint as a paginated property_item list', async () => {
    const page = await createPage('unused', {
      properties: {
        title: [
          { text: { content: 'Hello ' } },
          { text: { content: 'big' }, annotations: { bold: true } },
          { text: { content: ' world' } },
        ],
      },
    });
    const all = await notion.pages.properties.retrieve({ page_id: page.id, property_id: 'title' });
    expect(all).toEqual({
      object: 'list',
      results: [
        { object: 'property_item', id: 'title', type: 'title', title: richText('Hello ') },
        {
          object: 'property_item',
          id: 'title',
          type: 'title',
          title: { ...richText('big'), annotations: { ...ANNOTATIONS, bold: true } },
        },
        { object: 'property_item', id: 'title', type: 'title', title: richText(' world') },
      ],
      next_cursor: null,
      has_more: false,
      type: 'property_item',
      property_item: { id: 'title', next_url: null, type: 'title', title: {} },
      request_id: REQUEST_ID,
    });

    // page_size 1: walk the cursors until next_cursor is null.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = (await notion.pages.properties.retrieve({
        page_id: page.id,
        property_id: 'title',
        page_size: 1,
        start_cursor: cursor,
      })) as {
        results: { title: { plain_text: string } }[];
        next_cursor: string | null;
        has_more: boolean;
      };
      expect(res.results).toHaveLength(1);
      seen.push(res.results[0]!.title.plain_text);
      expect(res.has_more).toBe(res.next_cursor !== null);
      if (!res.next_cursor) break;
      cursor = res.next_cursor;
    }
    expect(seen).toEqual(['Hello ', 'big', ' world']);
  });

  it('names unknown property keys: "X is not a property that exists."', async () => {
    await expect(
      notion.pages.create({
        parent: { page_id: IDS.sharedRoot },
        properties: { ...(bare('t') as object), Status: { select: { name: 'x' } } },
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'Status is not a property that exists.',
    });
    await expect(
      notion.pages.update({
        page_id: IDS.child,
        properties: { Name: { title: text('x') }, Due: { date: { start: '2024-01-01' } } },
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'Name is not a property that exists. Due is not a property that exists.',
    });
  });

  it('validates the title value with the full body path', async () => {
    await expect(
      notion.pages.create({ parent: { page_id: IDS.sharedRoot }, properties: bare('x'.repeat(2001)) }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message:
        'body failed validation: body.properties.title[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    });
    const raw = await t.raw('/v1/pages', {
      method: 'POST',
      body: { parent: { page_id: IDS.sharedRoot }, properties: { title: 'plain' } },
    });
    expect(raw.status).toBe(400);
    expect(raw.body.message).toBe(
      'body failed validation. Fix one:\nbody.properties.title should be an array, instead was `"plain"`.\nbody.properties.title should be an object, instead was `"plain"`.',
    );
  });

  it('requires a parent, with the exact message', async () => {
    const res = await t.raw('/v1/pages', { method: 'POST', body: { properties: bare('Orphan') } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      object: 'error',
      status: 400,
      code: 'validation_error',
      message: 'body failed validation: body.parent should be defined, instead was `undefined`.',
    });
  });

  it('answers 404 with the database message for a database parent it cannot find (id echoed dashed)', async () => {
    const dbId = 'd9824bdc-8445-4327-be8b-5b47500af6ce';
    await expect(
      notion.pages.create({ parent: { database_id: undashed(dbId) }, properties: { Name: { title: text('x') } } }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: notFound('database', dbId),
    });
  });

  it('accepts undashed ids in paths and bodies and echoes them dashed', async () => {
    const page = (await notion.pages.create({
      parent: { page_id: undashed(IDS.child) },
      properties: bare('Dashes'),
    })) as PageObjectResponse;
    expect(page.parent).toEqual({ type: 'page_id', page_id: IDS.child });
    const read = await notion.pages.retrieve({ page_id: undashed(page.id).toUpperCase() });
    expect(read.id).toBe(page.id);
    const prop = await notion.pages.properties.retrieve({ page_id: undashed(IDS.grandchild), property_id: 'title' });
    expect(prop).toMatchObject({ object: 'list', results: [{ title: { plain_text: 'Grandchild' } }] });
    await expect(notion.pages.retrieve({ page_id: undashed(IDS.missing) })).rejects.toMatchObject({
      status: 404,
      message: notFound('page', IDS.missing),
    });
  });

  it('retrieves the seeded tree with minute-precision timestamps and direct parents', async () => {
    const root = (await notion.pages.retrieve({ page_id: IDS.sharedRoot })) as PageObjectResponse;
    const child = (await notion.pages.retrieve({ page_id: IDS.child })) as PageObjectResponse;
    const grandchild = (await notion.pages.retrieve({ page_id: IDS.grandchild })) as PageObjectResponse;
    expect(root.parent).toEqual({ type: 'workspace', workspace: true });
    expect(child.parent).toEqual({ type: 'page_id', page_id: IDS.sharedRoot });
    expect(grandchild.parent).toEqual({ type: 'page_id', page_id: IDS.child });
    for (const p of [root, child, grandchild]) {
      expect(p.created_time).toMatch(MINUTE_ISO);
      expect(p.last_edited_time).toMatch(MINUTE_ISO);
      expect(p.created_by).toEqual({ object: 'user', id: IDS.ada });
    }
    expect(root.url).toBe(`https://www.notion.so/Shared-Root-${undashed(IDS.sharedRoot)}`);
  });

  it('answers 404 (property, not page) for an unknown property id on a visible page', async () => {
    await expect(
      notion.pages.properties.retrieve({ page_id: IDS.sharedRoot, property_id: 'nope' }),
    ).rejects.toMatchObject({ status: 404, code: 'object_not_found' });
  });
});
