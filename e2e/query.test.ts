// Database queries through SDK v4 (reference §10, §14.2): sorts by property and timestamp (empties last),
// the default order, page_size/start_cursor with the SDK's helpers, pagination that stays consistent
// while rows are added, edited and trashed, filter_properties, trashed rows, and the exact errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPaginatedAPI,
  iteratePaginatedAPI,
  type Client,
  type DatabaseObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const name = (p: unknown) =>
  ((p as PageObjectResponse).properties.Name as { title: { plain_text: string }[] }).title
    .map((x) => x.plain_text)
    .join('');

describe.each(storeKinds())('database query (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  let db: DatabaseObjectResponse;
  const ids = new Map<string, string>();
  // Name, Num, Color, When — created in this order (so created_time ascends with the list).
  const ROWS: [string, number | null, string | null, string | null][] = [
    ['apple', 3, 'Green', '2026-01-03'],
    ['Banana', null, 'Red', null],
    ['cherry', 1, 'Red', '2026-01-01T12:00:00Z'],
    ['date', 3, null, '2026-01-02'],
    ['Éclair', -1, 'Blue', '2026-01-05'],
    ['fig', 10, 'Green', '2026-01-04'],
  ];

  beforeAll(async () => {
    t = await startTestPlatform(kind);
    notion = t.client(TOKENS.full);
    db = (await notion.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: text('Fruit'),
      properties: {
        Name: { title: {} },
        Num: { number: {} },
        Color: { select: { options: [{ name: 'Red' }, { name: 'Green' }, { name: 'Blue' }] } },
        When: { date: {} },
      },
    })) as DatabaseObjectResponse;
    for (const [n, num, color, when] of ROWS) {
      const page = await notion.pages.create({
        parent: { database_id: db.id },
        properties: {
          Name: { title: text(n) },
          Num: { number: num },
          Color: { select: color ? { name: color } : null },
          When: { date: when ? { start: when } : null },
        },
      });
      ids.set(n, page.id);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const names = async (args: Record<string, unknown>) =>
    (await notion.databases.query({ database_id: db.id, ...args })).results.map(name);

  it('answers newest first without sorts, in Notion’s list envelope', async () => {
    const res = await notion.databases.query({ database_id: db.id });
    expect(res).toMatchObject({
      object: 'list',
      next_cursor: null,
      has_more: false,
      type: 'page_or_database',
      page_or_database: {},
    });
    // Rows created within the same minute: the order is by the exact creation time, newest first.
    expect(res.results.map(name)).toEqual(ROWS.map((r) => r[0]).reverse());
  });

  it('sorts by property and timestamp, empties last in both directions, ties by the next sort', async () => {
    const created = { timestamp: 'created_time', direction: 'ascending' } as const;
    expect(await names({ sorts: [{ property: 'Num', direction: 'ascending' }, created] })).toEqual([
      'Éclair',
      'cherry',
      'apple',
      'date',
      'fig',
      'Banana',
    ]);
    expect(await names({ sorts: [{ property: 'Num', direction: 'descending' }, created] })).toEqual([
      'fig',
      'apple',
      'date',
      'cherry',
      'Éclair',
      'Banana',
    ]);
    expect(
      await names({
        sorts: [
          { property: 'Num', direction: 'descending' },
          { property: 'Name', direction: 'descending' },
        ],
      }),
    ).toEqual(['fig', 'date', 'apple', 'cherry', 'Éclair', 'Banana']);
    // Select sorts follow the option order of the schema (Red, Green, Blue).
    expect(
      await names({
        sorts: [
          { property: 'Color', direction: 'ascending' },
          { timestamp: 'created_time', direction: 'ascending' },
        ],
      }),
    ).toEqual(['Banana', 'cherry', 'apple', 'fig', 'Éclair', 'date']);
    expect(await names({ sorts: [{ property: 'When', direction: 'ascending' }] })).toEqual([
      'cherry',
      'date',
      'apple',
      'fig',
      'Éclair',
      'Banana',
    ]);
    // Titles compare case-insensitively, by code point after folding.
    expect(await names({ sorts: [{ property: 'title', direction: 'ascending' }] })).toEqual([
      'apple',
      'Banana',
      'cherry',
      'date',
      'fig',
      'Éclair',
    ]);
    expect(await names({ sorts: [{ timestamp: 'created_time', direction: 'ascending' }] })).toEqual(
      ROWS.map((r) => r[0]),
    );
    expect(
      await names({
        sorts: [{ timestamp: 'last_edited_time', direction: 'descending' }],
        filter: { property: 'Num', number: { greater_than: 2 } },
      }),
    ).toEqual(['fig', 'date', 'apple']);
  });

  it('runs the reference’s compound example with sorts and page_size (§14.2)', async () => {
    const res = await notion.databases.query({
      database_id: db.id,
      // SDK v4's types allow only property filters inside a nested group; the reference's example nests a
      // timestamp filter.
      filter: {
        and: [
          { property: 'Num', number: { is_not_empty: true } },
          {
            or: [
              { property: 'Color', select: { equals: 'Green' } },
              { timestamp: 'created_time', created_time: { past_week: {} } },
            ],
          },
        ],
      } as never,
      sorts: [
        { property: 'Num', direction: 'descending' },
        { timestamp: 'last_edited_time', direction: 'ascending' },
      ],
      page_size: 50,
    });
    expect(res.results.map(name)).toEqual(['fig', 'apple', 'date', 'cherry', 'Éclair']);
  });

  it('paginates with page_size and start_cursor; the SDK helpers collect every row once', async () => {
    const sorts = [
      { property: 'Num', direction: 'ascending' as const },
      { timestamp: 'created_time' as const, direction: 'ascending' as const },
    ];
    const first = await notion.databases.query({ database_id: db.id, sorts, page_size: 4 });
    expect(first.results.map(name)).toEqual(['Éclair', 'cherry', 'apple', 'date']);
    expect(first.has_more).toBe(true);
    expect(first.next_cursor).toMatch(/^[0-9a-f-]{36}$/);
    const second = await notion.databases.query({
      database_id: db.id,
      sorts,
      page_size: 4,
      start_cursor: first.next_cursor!,
    });
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.results.map(name)).toEqual(['fig', 'Banana']);
    const all = await collectPaginatedAPI(notion.databases.query, { database_id: db.id, sorts, page_size: 1 });
    expect(all.map(name)).toEqual(['Éclair', 'cherry', 'apple', 'date', 'fig', 'Banana']);
    const iterated: string[] = [];
    for await (const page of iteratePaginatedAPI(notion.databases.query, { database_id: db.id, page_size: 2 }))
      iterated.push(name(page));
    expect(iterated).toEqual(ROWS.map((r) => r[0]).reverse());
  });

  it('keeps pagination consistent while rows are added, edited and trashed', async () => {
    const load = await notion.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: text('Moving'),
      properties: { Name: { title: {} }, N: { number: {} } },
    });
    const made = new Map<number, string>();
    for (let n = 1; n <= 12; n++)
      made.set(
        n,
        (
          await notion.pages.create({
            parent: { database_id: load.id },
            properties: { Name: { title: text(`n${n}`) }, N: { number: n } },
          })
        ).id,
      );
    const sorts = [{ property: 'N', direction: 'ascending' as const }];
    const page1 = await notion.databases.query({ database_id: load.id, sorts, page_size: 5 });
    const seen = page1.results.map(name);
    expect(seen).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    // Meanwhile: a row before the cursor, one after it, one moved back before it, one trashed, the cursor row edited.
    await notion.pages.create({
      parent: { database_id: load.id },
      properties: { Name: { title: text('n0') }, N: { number: 0 } },
    });
    await notion.pages.create({
      parent: { database_id: load.id },
      properties: { Name: { title: text('n7.5') }, N: { number: 7.5 } },
    });
    await notion.pages.update({ page_id: made.get(8)!, properties: { N: { number: 2.5 } } });
    await notion.pages.update({ page_id: made.get(9)!, archived: true });
    await notion.pages.update({ page_id: made.get(5)!, properties: { N: { number: 100 } } });
    let cursor = page1.next_cursor;
    while (cursor) {
      const next = await notion.databases.query({ database_id: load.id, sorts, page_size: 5, start_cursor: cursor });
      seen.push(...next.results.map(name));
      cursor = next.next_cursor;
    }
    // Every unchanged row after the first page once, the new later row, the moved-forward cursor row again
    // (it now sorts last); nothing twice before it.
    expect(seen).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n7.5', 'n10', 'n11', 'n12', 'n5']);
  });

  it('limits properties with filter_properties (ids, as sent or decoded) on query and page retrieve', async () => {
    const numId = db.properties.Num!.id;
    const res = await notion.databases.query({ database_id: db.id, filter_properties: [numId, 'title'], page_size: 1 });
    expect(Object.keys((res.results[0] as PageObjectResponse).properties).sort()).toEqual(['Name', 'Num']);
    const raw = await t.raw(
      `/v1/databases/${db.id}/query?filter_properties=${encodeURIComponent(decodeURIComponent(numId))}`,
      { method: 'POST', body: { page_size: 1 } },
    );
    expect(Object.keys(raw.body.results[0].properties)).toEqual(['Num']);
    const page = await t.raw(`/v1/pages/${ids.get('fig')}?filter_properties=${encodeURIComponent(numId)}`);
    expect(page.body.properties).toEqual({ Num: { id: numId, type: 'number', number: 10 } });
    await expect(notion.databases.query({ database_id: db.id, filter_properties: ['nope'] })).rejects.toMatchObject({
      status: 400,
      message: 'Could not find property with name or id: nope',
    });
  });

  it('leaves trashed rows out; in_trash: true answers them', async () => {
    const gone = await notion.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('gone') } },
    });
    await notion.pages.update({ page_id: gone.id, in_trash: true });
    expect((await names({})).includes('gone')).toBe(false);
    expect(await names({ in_trash: true })).toEqual(['gone']);
    expect(await names({ archived: true })).toEqual(['gone']);
  });

  it('answers the exact errors for bad sorts, page sizes and cursors', async () => {
    const fails = (body: Record<string, unknown>, message: string) =>
      expect(
        t
          .raw(`/v1/databases/${db.id}/query`, { method: 'POST', body })
          .then((r) => [r.status, r.body.code, r.body.message]),
      ).resolves.toEqual([400, 'validation_error', message]);
    await fails(
      { sorts: [{ property: 'Nope', direction: 'ascending' }] },
      'Could not find sort property with name or id: Nope',
    );
    await fails(
      { sorts: [{ property: 'Num', direction: 'up' }] },
      'body failed validation. Fix one:\nbody.sorts[0].direction should be "ascending" or "descending", instead was `"up"`.\nbody.sorts[0].timestamp should be defined, instead was `undefined`.',
    );
    await fails(
      { page_size: 101 },
      'body failed validation: body.page_size should be ≤ `100` or `undefined`, instead was `101`.',
    );
    await fails(
      { start_cursor: 'abc' },
      'body failed validation: body.start_cursor should be a valid uuid or `undefined`, instead was `"abc"`.',
    );
    await fails(
      { start_cursor: IDS.missing },
      `body failed validation: body.start_cursor should be a cursor returned by this query (same database and sorts), instead was \`"${IDS.missing}"\`.`,
    );
    await fails(
      { filter: { property: 'Num', number: { equals: 1 } }, extra: true },
      'body failed validation: body.extra should be not present, instead was `true`.',
    );
    // A cursor belongs to its sorts.
    const first = await notion.databases.query({ database_id: db.id, page_size: 1 });
    await fails(
      { start_cursor: first.next_cursor, sorts: [{ property: 'Num', direction: 'ascending' }] },
      `body failed validation: body.start_cursor should be a cursor returned by this query (same database and sorts), instead was \`"${first.next_cursor}"\`.`,
    );
  });
});
