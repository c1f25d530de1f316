import { describe, expect, it } from 'vitest';
import { prop } from '../src/properties/builders.js';
import { INVALID, PROPERTY_RULES, ruleFor, samePlain } from '../src/properties/property-types.js';
import { splitText, richText } from '../src/properties/rich-text.js';
import type { DatabaseSchema } from '../src/properties/types.js';
import { describeProblems, validate } from '../src/properties/validate.js';
import { parseNotionId } from '../src/ids.js';

// A schema fixture with only the fields validation reads, not the SDK's full property objects.
const schema = {
  Name: { id: 'title', name: 'Name', type: 'title', title: {} },
  Price: { id: '%3AUPp', name: 'Price', type: 'number', number: { format: 'dollar' } },
  Tags: {
    id: 'fk%5EY',
    name: 'Tags',
    type: 'multi_select',
    multi_select: { options: [{ id: 'a', name: 'Leafy', color: 'green' }] },
  },
  Stage: {
    id: 'st',
    name: 'Stage',
    type: 'status',
    status: { options: [{ id: 's1', name: 'Done', color: 'green' }], groups: [] },
  },
  Kind: { id: 'kd', name: 'Kind', type: 'select', select: { options: [{ id: 'k1', name: 'Fruit', color: 'red' }] } },
  Notes: { id: 'nt', name: 'Notes', type: 'rich_text', rich_text: {} },
  Created: { id: 'ct', name: 'Created', type: 'created_time', created_time: {} },
} as unknown as DatabaseSchema;

describe("validate: problems in the API's words", () => {
  it('accepts what the builders make', () => {
    expect(
      validate(schema, {
        Name: prop.title('Kale'),
        Price: prop.number(2.5),
        Tags: prop.multiSelect(['Leafy']),
        Kind: prop.select('Fruit'),
      }),
    ).toEqual([]);
  });

  it('unknown property and wrong type, joined like the API joins them', () => {
    const problems = validate(schema, { Title: prop.title('x'), Name: prop.richText('x') });
    expect(describeProblems(problems)).toBe('Title is not a property that exists. Name is expected to be title.');
  });

  it('matches properties by id too (encoded or decoded)', () => {
    expect(validate(schema, { '%3AUPp': prop.number(1), ':UPp': prop.number(2) })).toEqual([]);
  });

  it('text over 2000 characters and arrays over 100 items', () => {
    const long = { rich_text: [{ text: { content: 'x'.repeat(2120) } }] };
    expect(validate(schema, { Notes: long })[0]?.message).toBe(
      'body failed validation: body.properties.Notes.rich_text[0].text.content.length should be ≤ `2000`, instead was `2120`.',
    );
    const many = { multi_select: Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` })) };
    expect(
      validate(schema, { Tags: many }).some(
        (p) =>
          p.message ===
          'body failed validation: body.properties.Tags.multi_select.length should be ≤ `100`, instead was `101`.',
      ),
    ).toBe(true);
  });

  it('unknown select options: a warning (Notion creates them); unknown status: an error', () => {
    const problems = validate(schema, { Kind: prop.select('Veg'), Stage: prop.status('Later') });
    expect(problems.map((p) => p.severity)).toEqual(['warning', 'error']);
    expect(problems[0]?.message).toContain('"Veg" is not yet an option of Kind');
  });

  it('read-only types are refused', () => {
    expect(validate(schema, { Created: { created_time: '2026-01-01' } })[0]?.message).toBe(
      'Created is a created_time property, which cannot be set through the API.',
    );
  });

  it('number must be a number', () => {
    expect(validate(schema, { Price: { number: '2.5' } })[0]?.message).toBe('Price is expected to be number.');
  });
});

describe('rich text within limits', () => {
  it('splits long text into ≤ 2000-character items without breaking emoji', () => {
    const text = `${'a'.repeat(1999)}😀${'b'.repeat(3000)}`;
    const pieces = splitText(text);
    expect(pieces.every((p) => p.length <= 2000)).toBe(true);
    expect(pieces.join('')).toBe(text);
    expect(pieces[0]).toBe('a'.repeat(1999));
    expect(richText('')).toEqual([]);
    expect(validate(schema, { Notes: prop.richText('z'.repeat(5000)) })).toEqual([]);
  });
});

describe('the property table', () => {
  it('covers every writable and read-only type of the 2022-06-28 schema', () => {
    const writable = Object.entries(PROPERTY_RULES)
      .filter(([, r]) => r.writable)
      .map(([t]) => t)
      .sort();
    expect(writable).toEqual([
      'checkbox',
      'date',
      'email',
      'files',
      'multi_select',
      'number',
      'people',
      'phone_number',
      'relation',
      'rich_text',
      'select',
      'status',
      'title',
      'url',
    ]);
    expect(ruleFor('place').writable).toBe(false);
  });

  it('coerces CSV cells and JSON values to the same plain values', () => {
    expect(ruleFor('number').coerce('1,234.5')).toBe(1234.5);
    expect(ruleFor('number').coerce('abc')).toBe(INVALID);
    expect(ruleFor('checkbox').coerce('yes')).toBe(true);
    expect(ruleFor('multi_select').coerce('a, b')).toEqual(['a', 'b']);
    expect(ruleFor('multi_select').coerce(['a', 'b'])).toEqual(['a', 'b']);
    expect(ruleFor('date').coerce('2023-02-23/2023-02-25')).toEqual({
      start: '2023-02-23',
      end: '2023-02-25',
      time_zone: null,
    });
    expect(ruleFor('date').coerce({ start: '2023-02-23' })).toEqual({
      start: '2023-02-23',
      end: null,
      time_zone: null,
    });
    expect(ruleFor('date').coerce('tomorrow')).toBe(INVALID);
    expect(ruleFor('people').coerce('0A0000000000400080000000000000A1')).toEqual([
      '0a000000-0000-4000-8000-0000000000a1',
    ]);
    expect(ruleFor('url').coerce('  ')).toBeNull();
  });

  it('compares dates by the day or instant they denote (sync must not rewrite what Notion merely reformatted)', () => {
    const d = (start: string, end: string | null = null, time_zone: string | null = null) => ({
      start,
      end,
      time_zone,
    });
    expect(samePlain('date', d('2023-03-01T09:30+02:00'), d('2023-03-01T09:30:00.000+02:00'))).toBe(true);
    expect(samePlain('date', d('2023-03-01T07:30:00Z'), d('2023-03-01T09:30:00.000+02:00'))).toBe(true);
    expect(
      samePlain(
        'date',
        d('2023-03-01T09:30', null, 'Europe/Berlin'),
        d('2023-03-01T09:30:00.000+01:00', null, 'Europe/Berlin'),
      ),
    ).toBe(true);
    expect(samePlain('date', d('2023-07-01T09:30', null, 'Europe/Berlin'), d('2023-07-01T07:30:00.000Z'))).toBe(true); // summer time
    expect(samePlain('date', d('2023-03-01', '2023-03-05'), d('2023-03-01', '2023-03-05'))).toBe(true);
    expect(samePlain('date', d('2023-03-01T09:30+02:00'), d('2023-03-01T09:31+02:00'))).toBe(false);
    expect(samePlain('date', d('2023-03-01'), d('2023-03-01T00:00:00.000Z'))).toBe(false);
    expect(samePlain('date', d('2023-03-01', '2023-03-05'), d('2023-03-01'))).toBe(false);
    expect(
      samePlain('date', d('2023-03-01T09:30', null, 'Europe/Berlin'), d('2023-03-01T09:30', null, 'Asia/Tokyo')),
    ).toBe(false);
    expect(samePlain('date', null, d('2023-03-01'))).toBe(false);
    expect(samePlain('date', null, null)).toBe(true);
  });

  it('turns plain values into request values and back (round trip through a response shape)', () => {
    const cases: [string, unknown][] = [
      ['title', 'Kale'],
      ['rich_text', 'x'.repeat(2500)],
      ['number', 2.5],
      ['select', 'Leafy'],
      ['status', 'Done'],
      ['multi_select', ['a', 'b']],
      ['date', { start: '2023-02-23', end: null, time_zone: null }],
      ['checkbox', true],
      ['url', 'https://example.com'],
      ['email', 'a@b.co'],
      ['phone_number', '+1 555'],
      ['people', ['u1']],
      ['relation', ['p1']],
      ['files', ['https://example.com/a.png']],
    ];
    for (const [type, plain] of cases) {
      const request = ruleFor(type).toRequest(plain as never) as Record<string, unknown>;
      // Shape a response the way Notion echoes the request.
      let inner = request[type];
      if (type === 'title' || type === 'rich_text')
        inner = (inner as { text: { content: string } }[]).map((t) => ({ plain_text: t.text.content }));
      if (type === 'files')
        inner = (inner as { name: string; external: { url: string } }[]).map((f) => ({ type: 'external', ...f }));
      const back = ruleFor(type).fromResponse({ id: 'x', type, [type]: inner } as never);
      expect(samePlain(type, back, plain as never), type).toBe(true);
    }
  });
});

describe('ids from what people paste', () => {
  it('accepts dashed, undashed and Notion URLs', () => {
    const id = '0a000000-0000-4000-8000-0000000000c1';
    expect(parseNotionId(id)).toBe(id);
    expect(parseNotionId(id.replace(/-/g, ''))).toBe(id);
    expect(parseNotionId(`https://www.notion.so/acme/Shared-Root-${id.replace(/-/g, '')}`)).toBe(id);
    expect(parseNotionId(`https://www.notion.so/${id.replace(/-/g, '')}?v=1234`)).toBe(id);
    expect(parseNotionId('not an id')).toBeNull();
  });
});
