// Blocks through the official SDK (reference §8.3, §8.5, §6.3, §7, §11.1, §11.6, §14.3, §14.5): retrieve,
// children lists and their cursors, append (every common type, `after`), limits, update, trash.
import { describe, expect, it } from 'vitest';
import {
  collectPaginatedAPI,
  isFullBlock,
  iteratePaginatedAPI,
  type BlockObjectRequest,
  type BlockObjectResponse,
  type Client,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { REQUEST_ID } from './support/answers.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';

const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const out = (content: string, extra: Record<string, unknown> = {}) => ({
  type: 'text',
  text: { content, link: null },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: null,
  ...extra,
});
const BLOCK_ARCHIVED = "Can't edit block that is archived. You must unarchive the block before editing.";
const full = (b: unknown) => b as BlockObjectResponse;

describe.each(storeKinds())('blocks (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  const newPage = async (title = 'Scratch') =>
    (await notion.pages.create({ parent: { page_id: IDS.sharedRoot }, properties: { title: { title: rt(title) } } }))
      .id;
  const append = async (blockId: string, children: BlockObjectRequest[], after?: string) =>
    (await notion.blocks.children.append({ block_id: blockId, children, ...(after ? { after } : {}) })).results.map(
      full,
    );
  const childTypes = async (blockId: string) =>
    (await collectPaginatedAPI(notion.blocks.children.list, { block_id: blockId })).map((b) => full(b).type);

  it('retrieves a block, and a page id as a child_page block', async () => {
    const list = await notion.blocks.children.list({ block_id: IDS.sharedRoot });
    const para = list.results.map(full).find((b) => b.type === 'paragraph')!;
    const block = await notion.blocks.retrieve({ block_id: para.id });
    expect(isFullBlock(block)).toBe(true);
    expect(block).toEqual({
      object: 'block',
      id: para.id,
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      created_time: expect.stringMatching(MINUTE_ISO),
      last_edited_time: expect.stringMatching(MINUTE_ISO),
      created_by: { object: 'user', id: IDS.ada },
      last_edited_by: { object: 'user', id: IDS.ada },
      has_children: false,
      archived: false,
      in_trash: false,
      type: 'paragraph',
      paragraph: { rich_text: [out('First paragraph')], icon: null, color: 'default' },
      request_id: REQUEST_ID,
    });
    expect(await notion.blocks.retrieve({ block_id: IDS.child })).toMatchObject({
      object: 'block',
      id: IDS.child,
      type: 'child_page',
      child_page: { title: 'Child' },
      has_children: true,
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
    });
    expect(await notion.blocks.retrieve({ block_id: IDS.grandchild })).toMatchObject({
      type: 'child_page',
      has_children: false,
    });
  });

  it('paginates children with page_size 1 and the SDK helpers collect them all', async () => {
    const page = await newPage();
    await append(
      page,
      ['one', 'two', 'three', 'four', 'five'].map((s) => ({ paragraph: { rich_text: rt(s) } })),
    );
    const first = await notion.blocks.children.list({ block_id: page, page_size: 1 });
    expect(first).toMatchObject({ object: 'list', has_more: true, type: 'block', block: {} });
    expect(first.results).toHaveLength(1);
    expect(first.next_cursor).toMatch(/^[0-9a-f-]{36}$/);
    const second = await notion.blocks.children.list({
      block_id: page,
      page_size: 2,
      start_cursor: first.next_cursor!,
    });
    expect(second.results.map((b) => b.id)[0]).toBe(first.next_cursor);
    const last = await notion.blocks.children.list({ block_id: page, page_size: 5, start_cursor: first.next_cursor! });
    expect(last).toMatchObject({ has_more: false, next_cursor: null });
    expect(last.results).toHaveLength(4);

    const texts: string[] = [];
    for await (const b of iteratePaginatedAPI(notion.blocks.children.list, { block_id: page, page_size: 2 })) {
      texts.push((full(b) as Extract<BlockObjectResponse, { type: 'paragraph' }>).paragraph.rich_text[0]!.plain_text);
    }
    expect(texts).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('lists the seeded page without repeating an item across pages (cursor over tied positions)', async () => {
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 6; i++) {
      // bounded: a cursor that repeats must fail fast, not loop
      const res = await notion.blocks.children.list({ block_id: IDS.sharedRoot, page_size: 1, start_cursor: cursor });
      paged.push(...res.results.map((b) => b.id));
      if (!res.next_cursor) break;
      cursor = res.next_cursor;
    }
    const all = (await notion.blocks.children.list({ block_id: IDS.sharedRoot })).results;
    expect(paged).toEqual(all.map((b) => b.id));
    expect(new Set(all.map((b) => full(b).type))).toEqual(new Set(['paragraph', 'to_do', 'child_page']));
  });

  // Seed bug (packages/server/src/seed/seed-loader.ts insertPages): child pages restart at position 1, so
  // they tie with the page's own blocks instead of following them. Flip to `it` once fixed.
  it("keeps a seeded page's blocks before its child pages", async () => {
    expect(await childTypes(IDS.sharedRoot)).toEqual(['paragraph', 'to_do', 'child_page']);
  });

  it('appends every common block type and answers them normalised', async () => {
    const page = await newPage();
    const url = 'https://example.com/a.png';
    const blocks = await append(page, [
      { paragraph: { rich_text: rt('p'), color: 'blue_background' } },
      { heading_1: { rich_text: rt('h1') } },
      {
        heading_2: { rich_text: rt('h2'), is_toggleable: true, children: [{ paragraph: { rich_text: rt('inside') } }] },
      },
      { heading_3: { rich_text: rt('h3') } },
      { bulleted_list_item: { rich_text: rt('b') } },
      { numbered_list_item: { rich_text: rt('n') } },
      { to_do: { rich_text: rt('t'), checked: true } },
      { toggle: { rich_text: rt('tg') } },
      { quote: { rich_text: rt('q') } },
      { callout: { rich_text: rt('c'), icon: { emoji: '⚠️' } } },
      { code: { rich_text: rt('let x = 1;'), language: 'typescript' } },
      { divider: {} },
      { image: { external: { url } } },
      { bookmark: { url: 'https://example.com' } },
      { equation: { expression: 'e=mc^2' } },
      {
        table: {
          table_width: 2,
          has_column_header: true,
          children: [{ table_row: { cells: [rt('a'), rt('b')] } }, { table_row: { cells: [rt('1'), []] } }],
        },
      },
      { column_list: { children: [{ column: {} }, { column: {} }] } } as BlockObjectRequest,
    ]);
    // Each block's content sits under its type name, which the SDK's per-type union cannot index.
    const byType = Object.fromEntries(blocks.map((b) => [b.type, b as unknown as Record<string, unknown>]));
    expect(blocks.map((b) => b.type)).toEqual([
      'paragraph',
      'heading_1',
      'heading_2',
      'heading_3',
      'bulleted_list_item',
      'numbered_list_item',
      'to_do',
      'toggle',
      'quote',
      'callout',
      'code',
      'divider',
      'image',
      'bookmark',
      'equation',
      'table',
      'column_list',
    ]);
    expect(byType.paragraph!.paragraph).toEqual({ rich_text: [out('p')], icon: null, color: 'blue_background' });
    expect(byType.heading_1!.heading_1).toEqual({ rich_text: [out('h1')], color: 'default', is_toggleable: false });
    expect(byType.heading_2).toMatchObject({ has_children: true, heading_2: { is_toggleable: true } });
    expect(byType.to_do!.to_do).toEqual({ rich_text: [out('t')], color: 'default', checked: true });
    expect(byType.toggle!.toggle).toEqual({ rich_text: [out('tg')], color: 'default' });
    expect(byType.callout!.callout).toEqual({
      rich_text: [out('c')],
      color: 'default',
      icon: { type: 'emoji', emoji: '⚠️' },
    });
    expect(byType.code!.code).toEqual({ caption: [], rich_text: [out('let x = 1;')], language: 'typescript' });
    expect(byType.divider!.divider).toEqual({});
    expect(byType.image!.image).toEqual({ caption: [], type: 'external', external: { url } });
    expect(byType.bookmark!.bookmark).toEqual({ caption: [], url: 'https://example.com' });
    expect(byType.equation!.equation).toEqual({ expression: 'e=mc^2' });
    expect(byType.table).toMatchObject({
      has_children: true,
      table: { table_width: 2, has_column_header: true, has_row_header: false },
    });
    const rows = (await notion.blocks.children.list({ block_id: byType.table!.id as string })).results.map(full);
    expect(rows.map((r) => (r as Extract<BlockObjectResponse, { type: 'table_row' }>).table_row.cells)).toEqual([
      [[out('a')], [out('b')]],
      [[out('1')], []],
    ]);
    // Columns nest a third level, so their content is appended afterwards (⚠ reference §8.3).
    const columns = (await notion.blocks.children.list({ block_id: byType.column_list!.id as string })).results.map(
      full,
    );
    expect(columns.map((c) => c.type)).toEqual(['column', 'column']);
    await append(columns[0]!.id, [{ paragraph: { rich_text: rt('left') } }]);
    expect(await childTypes(columns[0]!.id)).toEqual(['paragraph']);
    expect(await notion.blocks.retrieve({ block_id: columns[0]!.id })).toMatchObject({
      has_children: true,
      parent: { type: 'block_id', block_id: byType.column_list!.id },
    });
  });

  it('inserts after a given sibling', async () => {
    const page = await newPage();
    const [a] = await append(
      page,
      ['A', 'B', 'C'].map((s) => ({ paragraph: { rich_text: rt(s) } })),
    );
    const inserted = await append(
      page,
      [{ paragraph: { rich_text: rt('X') } }, { paragraph: { rich_text: rt('Y') } }],
      a!.id,
    );
    expect(inserted).toHaveLength(2);
    const list = await collectPaginatedAPI(notion.blocks.children.list, { block_id: page });
    expect(
      list.map(
        (b) => (full(b) as Extract<BlockObjectResponse, { type: 'paragraph' }>).paragraph.rich_text[0]!.plain_text,
      ),
    ).toEqual(['A', 'X', 'Y', 'B', 'C']);
  });

  it('refuses more than 100 children with the exact message', async () => {
    const children = Array.from({ length: 101 }, () => ({ paragraph: { rich_text: rt('x') } }));
    await expect(notion.blocks.children.append({ block_id: IDS.sharedRoot, children })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'body failed validation: body.children.length should be ≤ `100`, instead was `101`.',
    });
    const hundred = await append(await newPage(), children.slice(0, 100));
    expect(hundred).toHaveLength(100);
  });

  it('refuses text content over 2000 characters with the exact message', async () => {
    await expect(
      notion.blocks.children.append({
        block_id: IDS.sharedRoot,
        children: [{ paragraph: { rich_text: rt('ok') } }, { paragraph: { rich_text: rt('x'.repeat(2001)) } }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message:
        'body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    });
    expect(await append(await newPage(), [{ paragraph: { rich_text: rt('x'.repeat(2000)) } }])).toHaveLength(1);
  });

  it('names the code languages Notion accepts when one is wrong', async () => {
    const res = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
      method: 'PATCH',
      body: { children: [{ code: { rich_text: [], language: 'js' } }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /^body failed validation: body\.children\[0\]\.code\.language should be "abap", "abc", "agda", .*, or "java\/c\/c\+\+\/c#", instead was `"js"`\.$/,
    );
  });

  it('updates rich_text, to_do.checked and code.language, keeping the other fields', async () => {
    const page = await newPage();
    const [todo, code, para] = await append(page, [
      { to_do: { rich_text: rt('task'), color: 'red' } },
      { code: { rich_text: rt('print(1)'), language: 'python', caption: rt('cap') } },
      { paragraph: { rich_text: rt('old') } },
    ]);
    const checked = full(await notion.blocks.update({ block_id: todo!.id, to_do: { checked: true } }));
    expect(checked).toMatchObject({
      id: todo!.id,
      type: 'to_do',
      to_do: { rich_text: [out('task')], color: 'red', checked: true },
      last_edited_by: { object: 'user', id: IDS.full },
    });
    const lang = full(await notion.blocks.update({ block_id: code!.id, code: { language: 'rust' } }));
    expect(lang).toMatchObject({ code: { caption: [out('cap')], rich_text: [out('print(1)')], language: 'rust' } });
    const edited = full(
      await notion.blocks.update({
        block_id: para!.id,
        paragraph: { rich_text: [{ text: { content: 'new' }, annotations: { italic: true } }] },
      }),
    );
    expect(edited).toMatchObject({
      paragraph: { rich_text: [out('new', { annotations: { ...ANNOTATIONS, italic: true } })], color: 'default' },
    });
    expect(await notion.blocks.retrieve({ block_id: para!.id })).toEqual({ ...edited, request_id: REQUEST_ID });
  });

  it('deletes (trashes) a block: archived/in_trash true, gone from the list, edits refused, restorable', async () => {
    const page = await newPage();
    const [a, b] = await append(page, [
      { paragraph: { rich_text: rt('keep') } },
      { toggle: { rich_text: rt('drop'), children: [{ paragraph: { rich_text: rt('under') } }] } },
    ]);
    const deleted = await notion.blocks.delete({ block_id: b!.id });
    expect(deleted).toMatchObject({ object: 'block', id: b!.id, type: 'toggle', archived: true, in_trash: true });
    expect((await notion.blocks.children.list({ block_id: page })).results.map((x) => x.id)).toEqual([a!.id]);
    expect(await notion.blocks.retrieve({ block_id: b!.id })).toMatchObject({ archived: true, in_trash: true });

    const err = { status: 400, code: 'validation_error', message: BLOCK_ARCHIVED };
    await expect(notion.blocks.update({ block_id: b!.id, toggle: { rich_text: rt('x') } })).rejects.toMatchObject(err);
    await expect(
      notion.blocks.children.append({ block_id: b!.id, children: [{ paragraph: { rich_text: rt('x') } }] }),
    ).rejects.toMatchObject(err);
    await expect(notion.blocks.delete({ block_id: b!.id })).rejects.toMatchObject(err);
    const under = (await notion.blocks.children.list({ block_id: b!.id })).results[0]!;
    await expect(notion.blocks.update({ block_id: under.id, paragraph: { rich_text: rt('x') } })).rejects.toMatchObject(
      err,
    );

    expect(await notion.blocks.update({ block_id: b!.id, archived: false })).toMatchObject({
      archived: false,
      in_trash: false,
    });
    expect((await notion.blocks.children.list({ block_id: page })).results.map((x) => x.id)).toEqual([a!.id, b!.id]);
  });

  it('deleting a page id trashes the page and answers a child_page block', async () => {
    const page = await newPage('Doomed');
    expect(await notion.blocks.delete({ block_id: page })).toMatchObject({
      id: page,
      type: 'child_page',
      child_page: { title: 'Doomed' },
      archived: true,
      in_trash: true,
    });
    expect(await notion.pages.retrieve({ page_id: page })).toMatchObject({ archived: true, in_trash: true });
  });

  it('normalises rich text: annotations, links, equations and user/page/date mentions', async () => {
    const page = await newPage();
    const [block] = await append(page, [
      {
        paragraph: {
          rich_text: [
            {
              text: { content: 'bold link', link: { url: 'https://example.com/x' } },
              annotations: { bold: true, color: 'red' },
            },
            { type: 'mention', mention: { user: { id: IDS.ada } } },
            { mention: { page: { id: IDS.child.replace(/-/g, '') } } },
            { mention: { date: { start: '2024-05-12', end: '2024-05-13' } } },
            { mention: { date: { start: '2024-06-01' } } },
            { equation: { expression: 'x^2' } },
          ],
        },
      },
    ]);
    const items = (block as Extract<BlockObjectResponse, { type: 'paragraph' }>).paragraph.rich_text;
    expect(items).toEqual([
      {
        type: 'text',
        text: { content: 'bold link', link: { url: 'https://example.com/x' } },
        annotations: { ...ANNOTATIONS, bold: true, color: 'red' },
        plain_text: 'bold link',
        href: 'https://example.com/x',
      },
      {
        type: 'mention',
        mention: { type: 'user', user: expect.objectContaining({ object: 'user', id: IDS.ada }) },
        annotations: ANNOTATIONS,
        plain_text: '@Ada Lovelace',
        href: null,
      },
      {
        type: 'mention',
        mention: { type: 'page', page: { id: IDS.child } },
        annotations: ANNOTATIONS,
        plain_text: 'Child',
        href: `https://www.notion.so/Child-${IDS.child.replace(/-/g, '')}`,
      },
      {
        type: 'mention',
        mention: { type: 'date', date: { start: '2024-05-12', end: '2024-05-13', time_zone: null } },
        annotations: ANNOTATIONS,
        plain_text: '2024-05-12 → 2024-05-13',
        href: null,
      },
      {
        type: 'mention',
        mention: { type: 'date', date: { start: '2024-06-01', end: null, time_zone: null } },
        annotations: ANNOTATIONS,
        plain_text: '2024-06-01',
        href: null,
      },
      { type: 'equation', equation: { expression: 'x^2' }, annotations: ANNOTATIONS, plain_text: 'x^2', href: null },
    ]);
    expect(await notion.blocks.retrieve({ block_id: block!.id })).toEqual({ ...block, request_id: REQUEST_ID });
  });

  it('refuses annotations nested inside text (keys are validated strictly)', async () => {
    const res = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
      method: 'PATCH',
      body: { children: [{ paragraph: { rich_text: [{ text: { content: 'x', annotations: { bold: true } } }] } }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.message).toContain(
      'body.children[0].paragraph.rich_text[0].text.annotations should be not present, instead was `{"bold":true}`.',
    );
  });

  it("moves the parent's has_children with its live children", async () => {
    const page = await newPage();
    const [toggle] = await append(page, [{ toggle: { rich_text: rt('t') } }]);
    expect(toggle!.has_children).toBe(false);
    const [inner] = await append(toggle!.id, [{ paragraph: { rich_text: rt('i') } }]);
    expect(await notion.blocks.retrieve({ block_id: toggle!.id })).toMatchObject({ has_children: true });
    await notion.blocks.delete({ block_id: inner!.id });
    expect(await notion.blocks.retrieve({ block_id: toggle!.id })).toMatchObject({ has_children: false });
  });
});
