// The filter table (reference §10.2): every condition of every filter key against the fixture's edge
// values (empty, unicode, LIKE metacharacters, dates written in other time zones, relative dates,
// relations to pages the caller cannot see), run through the query service on PGlite and — with
// NOTION_LOCAL_TEST_DATABASE_URL — on PostgreSQL. Each row: a filter and the rows it must return.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { queryDatabase } from '../src/services/database-query.js';
import { buildFixture, F, PG_URL, type Fixture } from './filters-fixture.js';

const A = 'Alpha',
  B = 'Beta',
  G = 'Gamma',
  D = 'Δέλτα 🚀',
  E = 'Epsilon';
const ALL = [A, B, G, D, E];
const not = (...names: string[]) => ALL.filter((n) => !names.includes(n));

type Case = [filter: Record<string, unknown>, expected: string[]];
const p = (property: string, key: string, condition: Record<string, unknown>) => ({ property, [key]: condition });

/** Cases by filter key; `$t1` etc. are replaced by fixture ids. */
const TABLE: Record<string, Case[]> = {
  rich_text: [
    [p('Text', 'rich_text', { equals: 'Hello World' }), [A]],
    [p('Text', 'rich_text', { equals: 'hello world' }), [A]],
    [p('Text', 'rich_text', { equals: '' }), [G]],
    [p('Text', 'rich_text', { does_not_equal: 'Hello World' }), not(A)],
    [p('Text', 'rich_text', { does_not_equal: '' }), not(G)],
    [p('Text', 'rich_text', { contains: 'hÉllo' }), [B]],
    [p('Text', 'rich_text', { contains: '🚀' }), [D]],
    [p('Text', 'rich_text', { contains: '%' }), [E]],
    [p('Text', 'rich_text', { contains: '_lit' }), [E]],
    [p('Text', 'rich_text', { does_not_contain: 'o' }), [G, E]],
    [p('Text', 'rich_text', { starts_with: 'HELLO' }), [A]],
    [p('Text', 'rich_text', { starts_with: 'héllo' }), [B]],
    [p('Text', 'rich_text', { ends_with: 'école' }), [B]],
    [p('Text', 'rich_text', { ends_with: '_' }), [E]],
    [p('Text', 'rich_text', { is_empty: true }), [G]],
    [p('Text', 'rich_text', { is_not_empty: true }), not(G)],
  ],
  title: [
    [p('Name', 'title', { equals: 'Δέλτα 🚀' }), [D]],
    [p('Name', 'title', { contains: 'ΈΛ' }), [D]],
    [p('Name', 'title', { starts_with: 'a' }), [A]],
    [p('Name', 'title', { ends_with: 'ON' }), [E]],
    [p('Name', 'title', { does_not_contain: 'a' }), [D, E]],
    [p('Name', 'title', { is_empty: true }), []],
    [p('title', 'title', { is_not_empty: true }), ALL],
    [p('Name', 'rich_text', { contains: 'eta' }), [B]],
  ],
  url: [
    [p('Url', 'url', { contains: 'example' }), [A, B]],
    [p('Url', 'url', { equals: 'https://example.com/alpha' }), [A]],
    [p('Url', 'url', { ends_with: '%20f' }), [E]],
    [p('Url', 'url', { is_empty: true }), [G, D]],
  ],
  email: [
    [p('Mail', 'email', { equals: 'beta@example.com' }), [B]],
    [p('Mail', 'email', { ends_with: '@x.test' }), [E]],
    [p('Mail', 'email', { does_not_equal: 'e@x.test' }), not(E)],
    [p('Mail', 'email', { is_not_empty: true }), [A, B, E]],
  ],
  phone_number: [
    [p('Phone', 'phone_number', { contains: '555' }), [A, D, E]],
    [p('Phone', 'phone_number', { starts_with: '(' }), [E]],
    [p('Phone', 'phone_number', { is_empty: true }), [B, G]],
  ],
  number: [
    [p('Num', 'number', { equals: 10 }), [A]],
    [p('Num', 'number', { equals: 0 }), [D]],
    [p('Num', 'number', { equals: -2.5 }), [B]],
    [p('Num', 'number', { does_not_equal: 0 }), not(D)],
    [p('Num', 'number', { greater_than: 0 }), [A, E]],
    [p('Num', 'number', { less_than: 0 }), [B]],
    [p('Num', 'number', { greater_than_or_equal_to: 10 }), [A, E]],
    [p('Num', 'number', { less_than_or_equal_to: 0 }), [B, D]],
    [p('Num', 'number', { is_empty: true }), [G]],
    [p('Num', 'number', { is_not_empty: true }), not(G)],
  ],
  unique_id: [
    [p('UID', 'unique_id', { equals: 3 }), [G]],
    [p('UID', 'unique_id', { greater_than: 3 }), [D, E]],
    [p('UID', 'unique_id', { less_than_or_equal_to: 2 }), [A, B]],
    [p('UID', 'unique_id', { does_not_equal: 1 }), not(A)],
  ],
  checkbox: [
    [p('Done', 'checkbox', { equals: true }), [A, D]],
    [p('Done', 'checkbox', { equals: false }), [B, G, E]],
    [p('Done', 'checkbox', { does_not_equal: true }), [B, G, E]],
    [p('Done', 'checkbox', { does_not_equal: false }), [A, D]],
  ],
  select: [
    [p('Sel', 'select', { equals: 'Red' }), [A, D]],
    [p('Sel', 'select', { equals: 'red' }), []],
    [p('Sel', 'select', { equals: 'Nope' }), []],
    [p('Sel', 'select', { does_not_equal: 'Red' }), [B, G, E]],
    [p('Sel', 'select', { is_empty: true }), [G]],
    [p('Sel', 'select', { is_not_empty: true }), not(G)],
  ],
  status: [
    [p('Stat', 'status', { equals: 'Done' }), [A, E]],
    [p('Stat', 'status', { equals: 'Not started' }), [D]],
    [p('Stat', 'status', { does_not_equal: 'Done' }), [B, G, D]],
    [p('Stat', 'status', { is_empty: true }), [G]],
  ],
  multi_select: [
    [p('Multi', 'multi_select', { contains: 'A' }), [A, D]],
    [p('Multi', 'multi_select', { contains: 'B' }), [A, B]],
    [p('Multi', 'multi_select', { contains: 'Zzz' }), []],
    [p('Multi', 'multi_select', { does_not_contain: 'A' }), [B, G, E]],
    [p('Multi', 'multi_select', { does_not_contain: 'Zzz' }), ALL],
    [p('Multi', 'multi_select', { is_empty: true }), [G]],
    [p('Multi', 'multi_select', { is_not_empty: true }), not(G)],
  ],
  // When, in UTC: Alpha 2026-01-10 (date only), Beta 2026-01-11T04:30Z (written -05:00),
  // Δέλτα 2026-01-10T10:30Z (written +14:00), Epsilon 2026-01-10T03:00Z (New York wall time). Today: 2026-01-12.
  date: [
    [p('When', 'date', { equals: '2026-01-10' }), [A, D, E]],
    [p('When', 'date', { equals: '2026-01-11' }), [B]],
    [p('When', 'date', { before: '2026-01-10' }), []],
    [p('When', 'date', { on_or_before: '2026-01-10' }), [A, D, E]],
    [p('When', 'date', { after: '2026-01-10' }), [B]],
    [p('When', 'date', { on_or_after: '2026-01-11' }), [B]],
    [p('When', 'date', { equals: '2026-01-11T04:30:00Z' }), [B]],
    [p('When', 'date', { equals: '2026-01-10T23:30:00-05:00' }), [B]],
    [p('When', 'date', { before: '2026-01-10T10:30:00Z' }), [A, E]],
    [p('When', 'date', { after: '2026-01-10T03:00:00Z' }), [B, D]],
    [p('When', 'date', { on_or_after: '2026-01-10T03:00:00Z' }), [B, D, E]],
    [p('When', 'date', { on_or_before: '2026-01-10T03:00:00+00:00' }), [A, E]],
    [p('When', 'date', { equals: 'yesterday' }), [B]],
    [p('When', 'date', { before: 'today' }), not(G)],
    [p('When', 'date', { on_or_after: 'one_week_ago' }), not(G)],
    [p('When', 'date', { after: 'tomorrow' }), []],
    [p('When', 'date', { past_week: {} }), not(G)],
    [p('When', 'date', { past_month: {} }), not(G)],
    [p('When', 'date', { past_year: {} }), not(G)],
    [p('When', 'date', { next_week: {} }), []],
    [p('When', 'date', { next_month: {} }), []],
    [p('When', 'date', { next_year: {} }), []],
    [p('When', 'date', { this_week: {} }), []],
    [p('When', 'date', { is_empty: true }), [G]],
    [p('When', 'date', { is_not_empty: true }), not(G)],
  ],
  // Created: Alpha 01-01 10:00, Beta 01-05 10:00, Gamma 01-08 10:00, Δέλτα 01-12 09:00, Epsilon 01-12 11:00;
  // Alpha edited 01-12 11:30 by Second.
  timestamp: [
    [{ timestamp: 'created_time', created_time: { past_week: {} } }, [B, G, D, E]],
    [{ timestamp: 'created_time', created_time: { on_or_after: 'today' } }, [D, E]],
    [{ timestamp: 'created_time', created_time: { before: '2026-01-05' } }, [A]],
    [{ timestamp: 'created_time', created_time: { equals: '2026-01-12' } }, [D, E]],
    [{ timestamp: 'created_time', created_time: { this_week: {} } }, [D, E]],
    [{ timestamp: 'created_time', created_time: { next_week: {} } }, [D, E]],
    [{ timestamp: 'created_time', created_time: { after: '2026-01-12T10:00:00Z' } }, [E]],
    [
      { timestamp: 'created_time', type: 'created_time', created_time: { on_or_before: '2026-01-05T10:00:00.000Z' } },
      [A, B],
    ],
    [{ timestamp: 'last_edited_time', last_edited_time: { on_or_after: '2026-01-12' } }, [A, D, E]],
    [p('Created', 'created_time', { before: '2026-01-08' }), [A, B]],
    [p('Edited', 'last_edited_time', { after: '2026-01-12T11:15:00Z' }), [A]],
  ],
  people: [
    [p('Who', 'people', { contains: F.ada }), [A, D]],
    [p('Who', 'people', { contains: F.grace.replace(/-/g, '') }), [B, D]],
    [p('Who', 'people', { does_not_contain: F.ada }), [B, G, E]],
    [p('Who', 'people', { contains: F.missing }), []],
    [p('Who', 'people', { is_empty: true }), [G, E]],
    [p('Who', 'people', { is_not_empty: true }), [A, B, D]],
    [p('By', 'created_by', { contains: F.full }), [A, B, G]],
    [p('By', 'created_by', { does_not_contain: F.full }), [D, E]],
    [p('By', 'created_by', { is_not_empty: true }), ALL],
    [p('EditedBy', 'last_edited_by', { contains: F.second }), [A, D, E]],
  ],
  files: [
    [p('Files', 'files', { is_empty: true }), [B, G, E]],
    [p('Files', 'files', { is_not_empty: true }), [A, D]],
  ],
  relation: [
    [p('Rel', 'relation', { contains: '$t1' }), [A, B]],
    [p('Rel', 'relation', { contains: '$t2' }), [B, D]],
    [p('Rel', 'relation', { does_not_contain: '$t1' }), [G, D, E]],
    [p('Rel', 'relation', { is_empty: true }), [G, E]],
    [p('Rel', 'relation', { is_not_empty: true }), [A, B, D]],
    // HRel points at a page the reader cannot see: it is never revealed, so the relation reads as empty.
    [p('HRel', 'relation', { contains: '$h1' }), []],
    [p('HRel', 'relation', { does_not_contain: '$h1' }), ALL],
    [p('HRel', 'relation', { is_empty: true }), ALL],
    [p('HRel', 'relation', { is_not_empty: true }), []],
  ],
  formula: [
    [p('Double', 'formula', { number: { greater_than: 0 } }), [A, E]],
    [p('Double', 'formula', { number: { equals: -5 } }), [B]],
    [p('Double', 'formula', { number: { is_empty: true } }), [G]],
    [p('Shout', 'formula', { string: { ends_with: 'A!' } }), [A, B, G]],
    [p('Shout', 'formula', { string: { contains: 'psi' } }), [E]],
    [p('Shout', 'formula', { string: { is_empty: true } }), []],
    [p('IsDone', 'formula', { checkbox: { equals: true } }), [A, D]],
    [p('IsDone', 'formula', { checkbox: { does_not_equal: true } }), [B, G, E]],
    [p('Next', 'formula', { date: { equals: '2026-01-11' } }), [A, D, E]],
    [p('Next', 'formula', { date: { is_empty: true } }), [G]],
    [p('Next', 'formula', { date: { past_week: {} } }), not(G)],
  ],
  rollup: [
    [p('Total', 'rollup', { number: { equals: 12 } }), [B]],
    [p('Total', 'rollup', { number: { greater_than: 0 } }), [A, B, D]],
    [p('Total', 'rollup', { number: { equals: 0 } }), [G, E]],
    [p('Latest', 'rollup', { date: { on_or_after: '2026-03-01' } }), [B, D]],
    [p('Latest', 'rollup', { date: { is_empty: true } }), [G, E]],
    [p('Flags', 'rollup', { any: { checkbox: { equals: true } } }), [A, B]],
    [p('Flags', 'rollup', { every: { checkbox: { equals: true } } }), [A, G, E]],
    [p('Flags', 'rollup', { none: { checkbox: { equals: true } } }), [G, D, E]],
    [p('Labels', 'rollup', { any: { select: { equals: 'Y' } } }), [B, D]],
    [p('Scores', 'rollup', { any: { number: { greater_than: 6 } } }), [B, D]],
    [p('Scores', 'rollup', { every: { number: { less_than: 6 } } }), [A, G, E]],
    [p('Titles', 'rollup', { any: { rich_text: { contains: 'TWO' } } }), [B, D]],
    [p('HCount', 'rollup', { number: { equals: 0 } }), ALL],
  ],
  compound: [
    [{ and: [p('Done', 'checkbox', { equals: true }), p('Num', 'number', { greater_than: 5 })] }, [A]],
    [{ or: [p('Sel', 'select', { equals: 'Blue' }), p('Num', 'number', { is_empty: true })] }, [B, G]],
    [
      {
        and: [
          { or: [p('Sel', 'select', { equals: 'Red' }), p('Sel', 'select', { equals: 'Green' })] },
          p('Multi', 'multi_select', { contains: 'A' }),
        ],
      },
      [A, D],
    ],
    [
      {
        or: [
          { and: [p('Done', 'checkbox', { equals: true }), p('Num', 'number', { less_than: 5 })] },
          { timestamp: 'created_time', created_time: { on_or_after: 'today' } },
        ],
      },
      [D, E],
    ],
    [{ and: [] }, ALL],
    [
      { or: [p('Text', 'rich_text', { does_not_contain: 'o' }), p('Who', 'people', { contains: F.grace })] },
      [B, G, D, E],
    ],
  ],
};

type ErrorCase = [label: string, filter: unknown, message: string];
const ERRORS: ErrorCase[] = [
  [
    'third nesting level',
    { and: [{ or: [{ and: [] }] }] },
    'body failed validation: body.filter.and[0].or[0].and should be not present, instead was `[]`.',
  ],
  ['unknown property', p('Nope', 'number', { equals: 1 }), 'Could not find property with name or id: Nope'],
  [
    'filter key of another type',
    p('Sel', 'status', { equals: 'x' }),
    'The property type in the database does not match the property type of the filter provided: database property select does not match filter status',
  ],
  [
    'value of the wrong kind',
    p('Num', 'number', { equals: '10' }),
    'body failed validation: body.filter.number.equals should be a number, instead was `"10"`.',
  ],
  [
    'unknown condition',
    p('Num', 'number', { contains: 1 }),
    'body failed validation: body.filter.number.contains should be not present, instead was `1`.',
  ],
  [
    'two conditions',
    p('Num', 'number', { equals: 1, greater_than: 0 }),
    'body failed validation: body.filter.number should have exactly one of "equals", "does_not_equal", "greater_than", "less_than", "greater_than_or_equal_to", "less_than_or_equal_to", "is_empty", or "is_not_empty", instead was `{"equals":1,"greater_than":0}`.',
  ],
  [
    'bad date',
    p('When', 'date', { equals: '2026-13-01' }),
    'body failed validation: body.filter.date.equals should be a valid ISO 8601 date string or relative date, instead was `"2026-13-01"`.',
  ],
  [
    'is_empty false',
    p('Num', 'number', { is_empty: false }),
    'body failed validation: body.filter.number.is_empty should be `true`, instead was `false`.',
  ],
  [
    'relative range with a value',
    p('When', 'date', { past_week: true }),
    'body failed validation: body.filter.date.past_week should be an empty object, instead was `true`.',
  ],
  [
    'people by a non-uuid',
    p('Who', 'people', { contains: 'ada' }),
    'body failed validation: body.filter.people.contains should be a valid uuid, instead was `"ada"`.',
  ],
  [
    'no condition key',
    { property: 'Num' },
    'body failed validation: body.filter.number should be defined, instead was `undefined`.',
  ],
  [
    'formula of another type',
    p('Double', 'formula', { string: { equals: 'x' } }),
    'The property type in the database does not match the property type of the filter provided: database property formula (number) does not match filter string',
  ],
  [
    'bad timestamp',
    { timestamp: 'edited', edited: {} },
    'body failed validation: body.filter.timestamp should be "created_time" or "last_edited_time", instead was `"edited"`.',
  ],
];

const stores = PG_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
if (!PG_URL) console.warn('filter table: PostgreSQL half skipped — set NOTION_LOCAL_TEST_DATABASE_URL to run it');

describe.each(stores)('filter table (%s)', (kind) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await buildFixture(kind);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  });

  const substitute = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replace(/"\$(\w+)"/g, (_m, k: string) => JSON.stringify(fx.ids[k])));
  const names = async (filter: unknown) => {
    const list = (await queryDatabase(fx.reader, fx.db, {}, { filter: substitute(filter) })) as {
      results: { properties: { Name: { title: { plain_text: string }[] } } }[];
    };
    return list.results.map((r) => r.properties.Name.title.map((t) => t.plain_text).join('')).sort();
  };

  for (const [key, cases] of Object.entries(TABLE)) {
    it(`${key}: ${cases.length} cases`, async () => {
      const failures: string[] = [];
      for (const [filter, expected] of cases) {
        const got = await names(filter);
        if (JSON.stringify(got) !== JSON.stringify([...expected].sort()))
          failures.push(
            `${JSON.stringify(filter)} → ${JSON.stringify(got)}, expected ${JSON.stringify([...expected].sort())}`,
          );
      }
      expect(failures).toEqual([]);
    });
  }

  it.each(ERRORS)('refuses %s with the exact message', async (_label, filter, message) => {
    const error = await names(filter).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect({
      status: (error as ApiError).status,
      code: (error as ApiError).code,
      message: (error as ApiError).message,
    }).toEqual({ status: 400, code: 'validation_error', message });
  });

  it('counts', () => {
    const total = Object.values(TABLE).reduce((n, c) => n + c.length, 0);
    console.log(
      `[filter table:${kind}] ${total} filter cases across ${Object.keys(TABLE).length} filter keys, ${ERRORS.length} error cases`,
    );
    expect(total).toBeGreaterThan(150);
  });
});

export const FILTER_CASE_COUNT = Object.values(TABLE).reduce((n, c) => n + c.length, 0) + ERRORS.length;
