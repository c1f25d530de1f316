// Pages as Markdown (reference §17, §19.4) through SDK v5 and raw requests, on both stores: the Markdown of every
// block type notion-local serves, the round trip (read → replace_content with it → read gives the same text and
// keeps every block), the four PATCH operations and their errors, child pages kept unless deleting is allowed,
// POST /v1/pages with markdown, and allow_async → 202 task → GET /v1/async_tasks/{id}.
import { describe, expect, it } from 'vitest';
import { Client as ClientV5 } from 'notion-client-v5';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';

const V = '2025-09-03';
const undashed = (id: string) => id.replace(/-/g, '');
const text = (content: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: { content }, ...extra });
const para = (...rich: unknown[]) => ({ paragraph: { rich_text: rich } });
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;

describe.each(storeKinds())('pages as Markdown (%s)', (kind) => {
  let t: TestPlatform;
  let notion: ClientV5;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, notionVersion: V });
  });

  const api = (path: string, method = 'GET', body?: unknown, token: string = TOKENS.full) =>
    t.raw(path, { method, body, version: V, token });

  const newPage = async (title: string, parent: string = IDS.sharedRoot) => {
    const res = await api('/v1/pages', 'POST', {
      parent: { page_id: parent },
      properties: { title: { title: [text(title)] } },
    });
    expect(res.status).toBe(200);
    return res.body.id as string;
  };
  const append = async (id: string, children: unknown[]) => {
    const res = await api(`/v1/blocks/${id}/children`, 'PATCH', { children });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.results as { id: string }[];
  };
  const markdownOf = async (id: string) => {
    const res = await api(`/v1/pages/${id}/markdown`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as {
      object: string;
      id: string;
      markdown: string;
      truncated: boolean;
      unknown_block_ids: string[];
    };
  };
  const patch = (id: string, body: unknown, token: string = TOKENS.full) =>
    api(`/v1/pages/${id}/markdown`, 'PATCH', body, token);
  const childIds = async (id: string) =>
    ((await api(`/v1/blocks/${id}/children?page_size=100`)).body.results as { id: string }[]).map((b) => b.id);

  /** A page holding every block type notion-local serves, and the Markdown Notion writes for it. */
  async function everyBlockType() {
    const page = await newPage('Every block');
    const [first] = await append(page, [
      para(
        text('plain '),
        text('bold', { annotations: { bold: true } }),
        text(' '),
        text('both', { annotations: { bold: true, italic: true } }),
        text(' '),
        text('struck', { annotations: { strikethrough: true } }),
        text(' '),
        text('code', { annotations: { code: true } }),
        text(' '),
        text('under', { annotations: { underline: true } }),
        text(' '),
        text('red', { annotations: { color: 'red' } }),
        text(' '),
        text('link', { text: { content: 'link', link: { url: 'https://example.com/a' } } }),
        text(' a*b [c] <d> $e$ line\nbreak'),
      ),
      {
        paragraph: {
          rich_text: [
            { type: 'mention', mention: { type: 'user', user: { id: IDS.ada } } },
            text(' and '),
            { type: 'mention', mention: { type: 'page', page: { id: IDS.child } } },
            text(' on '),
            { type: 'mention', mention: { type: 'date', date: { start: '2026-01-02', end: '2026-01-05' } } },
            text(' with '),
            { type: 'equation', equation: { expression: 'E=mc^2' } },
          ],
          color: 'blue_background',
        },
      },
      { heading_1: { rich_text: [text('Heading one')] } },
      { heading_2: { rich_text: [text('Heading two')], color: 'green' } },
      { heading_3: { rich_text: [text('Toggle heading')], is_toggleable: true, children: [para(text('inside'))] } },
      {
        bulleted_list_item: {
          rich_text: [text('bullet')],
          children: [{ bulleted_list_item: { rich_text: [text('nested')] } }],
        },
      },
      { numbered_list_item: { rich_text: [text('first')] } },
      { numbered_list_item: { rich_text: [text('second')] } },
      { to_do: { rich_text: [text('open')] } },
      { to_do: { rich_text: [text('done')], checked: true } },
      { quote: { rich_text: [text('quoted')] } },
      { toggle: { rich_text: [text('Toggle')], children: [para(text('hidden'))] } },
      { callout: { rich_text: [text('Note')], icon: { emoji: '🎯' }, color: 'blue_background' } },
      { code: { rich_text: [text('const a = 1;\nconst b = "*";')], language: 'typescript' } },
      { equation: { expression: 'a^2 + b^2 = c^2' } },
      { divider: {} },
      { table_of_contents: {} },
      { image: { external: { url: 'https://example.com/i.png' }, caption: [text('An image')] } },
      { video: { external: { url: 'https://example.com/v.mp4' } } },
      { audio: { external: { url: 'https://example.com/a.mp3' } } },
      { pdf: { external: { url: 'https://example.com/d.pdf' } } },
      { file: { external: { url: 'https://example.com/f.zip' } } },
      {
        table: {
          table_width: 2,
          has_column_header: true,
          children: [
            { table_row: { cells: [[text('A')], [text('B')]] } },
            { table_row: { cells: [[text('1')], [text('2', { annotations: { bold: true } })]] } },
          ],
        },
      },
      { column_list: { children: [{ column: {} }, { column: {} }] } },
      { bookmark: { url: 'https://example.com/b' } },
      para(),
    ]);
    const columnList = (await childIds(page))[23]!;
    const columns = await childIds(columnList);
    await append(columns[0]!, [para(text('left'))]);
    await append(columns[1]!, [para(text('right'))]);
    const child = await newPage('Sub page', page);
    const db = await api('/v1/databases', 'POST', {
      parent: { page_id: page },
      title: [text('Tasks')],
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    expect(db.status).toBe(200);
    return { page, child, database: db.body.id as string, first: first!.id };
  }

  it('renders every block type as Notion enhanced Markdown, and reads back what it wrote (round trip)', async () => {
    const { page, child, database } = await everyBlockType();
    const read = await markdownOf(page);
    const bookmark = (await childIds(page))[24]!;
    const lines = [
      'plain **bold** ***both*** ~~struck~~ `code` <span underline="true">under</span> <span color="red">red</span> ' +
        '[link](https://example.com/a) a\\*b \\[c\\] \\<d\\> \\$e\\$ line<br>break',
      `<mention-user url="user://${IDS.ada}">Ada Lovelace</mention-user> and ` +
        `<mention-page url="https://www.notion.so/Child-${undashed(IDS.child)}">Child</mention-page> on ` +
        '<mention-date start="2026-01-02" end="2026-01-05"/> with $E=mc^2$ {color="blue_bg"}',
      '# Heading one',
      '## Heading two {color="green"}',
      '### Toggle heading {toggle="true"}',
      '\tinside',
      '- bullet',
      '\t- nested',
      '1. first',
      '2. second',
      '- [ ] open',
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
      'const b = "*";',
      '```',
      '$$',
      'a^2 + b^2 = c^2',
      '$$',
      '---',
      '<table_of_contents/>',
      '![An image](https://example.com/i.png)',
      '<video src="https://example.com/v.mp4"></video>',
      '<audio src="https://example.com/a.mp3"></audio>',
      '<pdf src="https://example.com/d.pdf"></pdf>',
      '<file src="https://example.com/f.zip"></file>',
      '<table header-row="true">',
      '<tr>',
      '<td>A</td>',
      '<td>B</td>',
      '</tr>',
      '<tr>',
      '<td>1</td>',
      '<td>**2**</td>',
      '</tr>',
      '</table>',
      '<columns>',
      '\t<column>',
      '\t\tleft',
      '\t</column>',
      '\t<column>',
      '\t\tright',
      '\t</column>',
      '</columns>',
      `<unknown url="https://www.notion.so/${undashed(page)}#${undashed(bookmark)}" alt="bookmark"/>`,
      '<empty-block/>',
      `<page url="https://www.notion.so/Sub-page-${undashed(child)}">Sub page</page>`,
      `<database url="https://www.notion.so/${undashed(database)}">Tasks</database>`,
    ];
    expect(read).toEqual({
      object: 'page_markdown',
      id: page,
      markdown: lines.join('\n'),
      truncated: false,
      unknown_block_ids: [bookmark],
      request_id: expect.any(String),
    });

    const before = await childIds(page);
    const written = await patch(page, { type: 'replace_content', replace_content: { new_str: read.markdown } });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    expect(written.body.markdown).toBe(read.markdown);
    expect(await childIds(page)).toEqual(before); // nothing was rewritten
    expect((await markdownOf(page)).markdown).toBe(read.markdown);
  });

  it('writes every block type from Markdown into a new page that reads back the same', async () => {
    const { page } = await everyBlockType();
    const source = (await markdownOf(page)).markdown;
    // Without the tags of what exists only in the first page (the bookmark, the child page and database).
    const portable = source
      .split('\n')
      .filter((l) => !/^<(unknown|page|database) /.test(l))
      .join('\n');
    const target = await newPage('Copy');
    const res = await patch(target, { type: 'replace_content', replace_content: { new_str: portable } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.markdown).toBe(portable);
    const again = await patch(target, { type: 'replace_content', replace_content: { new_str: res.body.markdown } });
    expect(again.body.markdown).toBe(portable);
    const table = (await api(`/v1/blocks/${target}/children`)).body.results.find((b: any) => b.type === 'table');
    expect(table.table).toEqual({ table_width: 2, has_column_header: true, has_row_header: false });
  });

  it('answers an empty page as empty Markdown, and insert_content as Notion does (blank lines dropped)', async () => {
    const page = await newPage('Empty');
    expect(await notion.pages.retrieveMarkdown({ page_id: page })).toEqual({
      object: 'page_markdown',
      id: page,
      markdown: '',
      truncated: false,
      unknown_block_ids: [],
      request_id: expect.any(String),
    });
    const res = await notion.pages.updateMarkdown({
      page_id: page,
      type: 'insert_content',
      insert_content: { content: '## New Section\n\nHello from markdown.' },
    });
    expect(res).toMatchObject({ object: 'page_markdown', id: page, markdown: '## New Section\nHello from markdown.' });
    const blocks = (await api(`/v1/blocks/${page}/children`)).body.results;
    expect(blocks.map((b: any) => b.type)).toEqual(['heading_2', 'paragraph']);
  });

  it('applies update_content, insert_content (after, start) and replace_content_range, keeping untouched blocks', async () => {
    const page = await newPage('Edits');
    await patch(page, { type: 'replace_content', replace_content: { new_str: 'one\ntwo\nthree' } });
    const [one, two, three] = await childIds(page);
    let res = await patch(page, {
      type: 'update_content',
      update_content: { content_updates: [{ old_str: 'two', new_str: 'TWO' }] },
    });
    expect(res.body.markdown).toBe('one\nTWO\nthree');
    const after = await childIds(page);
    expect(after[0]).toBe(one);
    expect(after[1]).not.toBe(two);
    expect(after[2]).toBe(three);
    res = await patch(page, { type: 'insert_content', insert_content: { content: '- item', after: 'TWO' } });
    expect(res.body.markdown).toBe('one\nTWO\n- item\nthree');
    res = await patch(page, {
      type: 'insert_content',
      insert_content: { content: '# Top', position: { type: 'start' } },
    });
    expect(res.body.markdown).toBe('# Top\none\nTWO\n- item\nthree');
    res = await patch(page, {
      type: 'replace_content_range',
      replace_content_range: { content: 'middle', content_range: 'one...item' },
    });
    expect(res.body.markdown).toBe('# Top\nmiddle\nthree');
    res = await patch(page, { type: 'update_content', update_content: { content_updates: [] } });
    expect(res.status).toBe(200);
    expect(res.body.markdown).toBe('# Top\nmiddle\nthree');
  });

  it('refuses bad bodies and unmatched or ambiguous selections with 400 validation_error', async () => {
    const page = await newPage('Errors');
    await patch(page, { type: 'replace_content', replace_content: { new_str: 'same\nsame\nother' } });
    const cases: [unknown, string][] = [
      [
        { type: 'nope' },
        'body failed validation: body.type should be "insert_content", "replace_content_range", "update_content", or "replace_content", instead was `"nope"`.',
      ],
      [
        { type: 'replace_content', replace_content: {} },
        'body failed validation: body.replace_content.new_str should be defined, instead was `undefined`.',
      ],
      [
        { type: 'update_content', update_content: { content_updates: [{ old_str: 'same', new_str: 'x' }] } },
        'body.update_content.content_updates[0].old_str matches 2 places in the page; make it unique or set replace_all_matches to true.',
      ],
      [
        { type: 'update_content', update_content: { content_updates: [{ old_str: 'missing', new_str: 'x' }] } },
        'No content in the page matches body.update_content.content_updates[0].old_str "missing".',
      ],
      [
        { type: 'update_content', update_content: { content_updates: [{ old_str: '', new_str: 'x' }] } },
        'body.update_content.content_updates[0].old_str should be a non-empty string.',
      ],
      [
        { type: 'insert_content', insert_content: { content: 'x', after: 'other', position: { type: 'end' } } },
        'body failed validation: body.insert_content.position should be not present, instead was `{"type":"end"}`.',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await patch(page, body);
      expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({
        status: 400,
        code: 'validation_error',
        message,
      });
    }
    const all = await patch(page, {
      type: 'update_content',
      update_content: { content_updates: [{ old_str: 'same', new_str: 'x', replace_all_matches: true }] },
    });
    expect(all.body.markdown).toBe('x\nx\nother');
  });

  it('keeps child pages unless allow_deleting_content, and moves one whose parent block changed', async () => {
    const page = await newPage('Parent');
    const child = await newPage('Kept', page);
    const tag = `<page url="https://www.notion.so/Kept-${undashed(child)}">Kept</page>`;
    expect((await markdownOf(page)).markdown).toBe(tag);
    const refused = await patch(page, { type: 'replace_content', replace_content: { new_str: 'only text' } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      `The edit would delete a child page or database: page "Kept" (${child}). Set allow_deleting_content to true to delete them.`,
    );
    const moved = await patch(page, {
      type: 'replace_content',
      replace_content: { new_str: `<details>\n<summary>Box</summary>\n\t${tag}\n</details>` },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.markdown).toBe(`<details>\n<summary>Box</summary>\n\t${tag}\n</details>`);
    const deleted = await patch(page, {
      type: 'replace_content',
      replace_content: { new_str: 'gone', allow_deleting_content: true },
    });
    expect(deleted.body.markdown).toBe('gone');
    const again = await api(`/v1/pages/${child}`);
    expect(again.body.in_trash ?? again.body.archived).toBe(false); // below a trashed toggle, not trashed itself
    expect(
      (
        await api(`/v1/pages/${child}/markdown`, 'PATCH', {
          type: 'replace_content',
          replace_content: { new_str: 'x' },
        })
      ).body.message,
    ).toBe("Can't edit page on block with an archived ancestor. You must unarchive the ancestor before editing page.");
  });

  it('answers missing and unshared ids with the same 404, a database with 400, and checks capabilities', async () => {
    for (const id of [IDS.missing, IDS.privatePage, IDS.otherRoot]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { type: 'replace_content', replace_content: { new_str: 'x' } }],
      ] as const) {
        const res = await api(`/v1/pages/${id}/markdown`, method, body);
        expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({
          status: 404,
          code: 'object_not_found',
          message: notFound('block', id),
        });
      }
    }
    const db = await api('/v1/databases', 'POST', {
      parent: { page_id: IDS.sharedRoot },
      title: [text('Db')],
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    const onDb = await api(`/v1/pages/${db.body.id}/markdown`);
    expect(onDb.status).toBe(400);
    expect(onDb.body.code).toBe('invalid_request_url');
    const readOnly = await patch(
      IDS.sharedRoot,
      { type: 'replace_content', replace_content: { new_str: 'x' } },
      TOKENS.readOnly,
    );
    expect({ status: readOnly.status, code: readOnly.body.code }).toEqual({ status: 403, code: 'restricted_resource' });
    const read = await api(`/v1/pages/${IDS.sharedRoot}/markdown`, 'GET', undefined, TOKENS.readOnly);
    expect(read.status).toBe(200);
  });

  it('reads a block id as the Markdown of its subtree', async () => {
    const page = await newPage('Subtree');
    const [toggle] = await append(page, [
      { toggle: { rich_text: [text('T')], children: [para(text('a')), para(text('b'))] } },
    ]);
    expect((await markdownOf(toggle!.id)).markdown).toBe('a\nb');
    const onBlock = await patch(toggle!.id, { type: 'replace_content', replace_content: { new_str: 'x' } });
    expect(onBlock.status).toBe(400);
    expect(onBlock.body.code).toBe('validation_error');
  });

  it('creates a page from Markdown, its first # heading the title', async () => {
    const res = await api('/v1/pages', 'POST', {
      parent: { page_id: IDS.sharedRoot },
      markdown: '# From markdown\nBody **text**\n- a\n\t- b\n\t\t- c',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.properties.title.title[0].plain_text).toBe('From markdown');
    expect((await markdownOf(res.body.id)).markdown).toBe('Body **text**\n- a\n\t- b\n\t\t- c');
    const both = await api('/v1/pages', 'POST', { parent: { page_id: IDS.sharedRoot }, markdown: 'x', children: [] });
    expect(both.status).toBe(400);
    expect(both.body.message).toBe('body failed validation: body.children should be not present, instead was `[]`.');
  });

  it('runs an edit with allow_async as a task: 202, then succeeded with the page_markdown result', async () => {
    const page = await newPage('Async');
    const res = await patch(page, {
      type: 'replace_content',
      replace_content: { new_str: '# Hello\n\nAsync test content.' },
      allow_async: true,
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      object: 'async_task',
      id: expect.stringMatching(/^task_[0-9a-f]{32}$/),
      status: 'queued',
      status_url: `${t.baseUrl}/v1/async_tasks/${res.body.id}`,
      created_time: expect.any(String),
      operation: { surface: 'rest', name: 'PATCH /v1/pages/:page_id/markdown' },
      poll_after_seconds: 2,
      request_id: expect.any(String),
    });
    let task: any;
    for (let i = 0; i < 100; i++) {
      task = await notion.asyncTasks.retrieve({ task_id: res.body.id });
      if (task.status === 'succeeded' || task.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(task).toEqual({
      object: 'async_task',
      id: res.body.id,
      status: 'succeeded',
      status_url: res.body.status_url,
      created_time: res.body.created_time,
      operation: { surface: 'rest', name: 'PATCH /v1/pages/:page_id/markdown' },
      result: {
        markdown: '# Hello\nAsync test content.',
        truncated: false,
        unknown_block_ids: [],
        id: page,
        object: 'page_markdown',
      },
      request_id: expect.any(String),
    });
    expect(Object.keys(task.result).slice(-2)).toEqual(['id', 'object']);
    const foreign = await t.raw(`/v1/async_tasks/${res.body.id}`, { version: V, token: TOKENS.readOnly });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'object_not_found' });
    const missing = await api('/v1/async_tasks/task_00000000000000000000000000000000');
    expect(missing.status).toBe(404);
  });

  it('reports a failed async edit as a failed task with the error the synchronous call gives', async () => {
    const page = await newPage('Async fail');
    const res = await patch(page, {
      type: 'update_content',
      update_content: { content_updates: [{ old_str: 'absent', new_str: 'x' }] },
      allow_async: true,
    });
    expect(res.status).toBe(202);
    let task: any;
    for (let i = 0; i < 100; i++) {
      task = (await api(`/v1/async_tasks/${res.body.id}`)).body;
      if (task.status === 'failed' || task.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(task.status).toBe('failed');
    expect(task.error).toEqual({
      object: 'error',
      status: 400,
      code: 'validation_error',
      message: 'No content in the page matches body.update_content.content_updates[0].old_str "absent".',
    });
    expect(task.poll_after_seconds).toBeUndefined();
  });

  it('creates a page from Markdown with allow_async: the task result is the page', async () => {
    const res = await api('/v1/pages', 'POST', {
      parent: { page_id: IDS.sharedRoot },
      markdown: '# Later\nbody',
      allow_async: true,
    });
    expect(res.status).toBe(202);
    expect(res.body.operation).toEqual({ surface: 'rest', name: 'POST /v1/pages' });
    let task: any;
    for (let i = 0; i < 100; i++) {
      task = (await api(`/v1/async_tasks/${res.body.id}`)).body;
      if (task.status === 'failed' || task.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(task.status).toBe('succeeded');
    expect(task.result.object).toBe('page');
    expect((await markdownOf(task.result.id)).markdown).toBe('body');
  });
});
