import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertNoNul, parseWith, zId } from '../src/domain/validation.js';
import { zChildren } from '../src/domain/block-types.js';
import { ApiError } from '../src/errors.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error('expected a validation error');
}

const zParent = z
  .object({ parent: z.union([z.object({ page_id: zId }).strict(), z.object({ database_id: zId }).strict()]) })
  .strict();

describe('Notion validation grammar', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'missing key',
      () => parseWith(z.object({ parent: z.object({}) }).strict(), {}),
      'body failed validation: body.parent should be defined, instead was `undefined`.',
    ],
    [
      'wrong type',
      () => parseWith(z.object({ parent: z.object({}) }).strict(), { parent: '{"a":1}' }),
      'body failed validation: body.parent should be an object, instead was `"{\\"a\\":1}"`.',
    ],
    [
      'unknown key',
      () => parseWith(z.object({}).strict(), { an_incorrect_key: 'value' }),
      'body failed validation: body.an_incorrect_key should be not present, instead was `"value"`.',
    ],
    [
      'bad uuid in path',
      () => parseWith(z.object({ page_id: zId }), { page_id: '12345' }, 'path'),
      'path failed validation: path.page_id should be a valid uuid, instead was `"12345"`.',
    ],
    [
      'union lists each alternative',
      () => parseWith(zParent, { parent: { database_id: 'DATABASE_ID' } }),
      'body failed validation. Fix one:\nbody.parent.page_id should be defined, instead was `undefined`.\nbody.parent.database_id should be a valid uuid, instead was `"DATABASE_ID"`.',
    ],
    [
      'too many children',
      () =>
        parseWith(z.object({ children: zChildren }), {
          children: Array.from({ length: 101 }, () => ({ divider: {} })),
        }),
      'body failed validation: body.children.length should be ≤ `100`, instead was `101`.',
    ],
    [
      'text over 2000 characters, with the path through the block',
      () =>
        parseWith(z.object({ children: zChildren }), {
          children: [{ paragraph: { rich_text: [{ text: { content: 'x'.repeat(2001) } }] } }],
        }),
      'body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    ],
    [
      'third nesting level',
      () =>
        parseWith(z.object({ children: zChildren }), {
          children: [
            { toggle: { rich_text: [], children: [{ toggle: { rich_text: [], children: [{ divider: {} }] } }] } },
          ],
        }),
      'body failed validation: body.children[0].toggle.children[0].toggle.children should be not present, instead was `[{"divider":{}}]`.',
    ],
    [
      'annotations nested in text',
      () =>
        parseWith(z.object({ children: zChildren }), {
          children: [{ paragraph: { rich_text: [{ text: { content: 'a', annotations: { bold: true } } }] } }],
        }),
      // A union member that matched the shape but had a bad key is reported alone, as Notion does (reference §5.4).
      'body failed validation: body.children[0].paragraph.rich_text[0].text.annotations should be not present, instead was `{"bold":true}`.',
    ],
  ];
  it.each(cases)('%s', (_name, run, expected) => {
    expect(messageOf(run)).toBe(expected);
  });

  it('accepts dashed and undashed ids and normalises them', () => {
    expect(parseWith(zId, '0A000000000040008000000000000001')).toBe('0a000000-0000-4000-8000-000000000001');
    expect(parseWith(zId, '0A000000-0000-4000-8000-000000000001')).toBe('0a000000-0000-4000-8000-000000000001');
  });
});

/** `levels` objects nested under key "a" around `leaf` (JSON text), parsed without recursion in the test itself. */
const nestedObjects = (levels: number, leaf: string) => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
const nestedArrays = (levels: number, leaf: string) => `${'['.repeat(levels)}${leaf}${']'.repeat(levels)}`;

/** The message assertNoNul throws for this JSON text, or null when it passes. */
function nulMessage(text: string): string | null {
  try {
    assertNoNul(text, JSON.parse(text));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_error');
    return (error as ApiError).message;
  }
}

describe('U+0000 in a body (assertNoNul)', () => {
  const cases: [string, string, string | null][] = [
    [
      'in a value',
      '{"a":[1,{"b":"x\\u0000"}]}',
      'body.a[1].b should not contain the character U+0000, instead was `"x\\u0000"`.',
    ],
    [
      'in a key: the object holding it',
      '{"a":{"k\\u0000":1}}',
      'body.a should not contain the character U+0000, instead was `{"k\\u0000":1}`.',
    ],
    [
      'the first in document order',
      '{"a":["ok",{"\\u0000":1}],"b":"\\u0000"}',
      'body.a[1] should not contain the character U+0000, instead was `{"\\u0000":1}`.',
    ],
    [
      'a key before its value',
      '{"a\\u0000":{"b":"\\u0000"}}',
      'body should not contain the character U+0000, instead was `{"a\\u0000":{"b":"\\u0000"}}`.',
    ],
    ['the body itself', '"\\u0000"', 'body should not contain the character U+0000, instead was `"\\u0000"`.'],
    ['an escaped backslash is text', '{"a":"\\\\u0000"}', null],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(nulMessage(text)).toBe(expected === null ? null : `body failed validation: ${expected}`);
  });

  it('10,000 nested arrays with a NUL at the bottom: 400 naming the path, no stack overflow', () => {
    const message = nulMessage(nestedArrays(10_000, '"x\\u0000"'));
    expect(message).toBe(
      `body failed validation: body${'[0]'.repeat(10_000)} should not contain the character U+0000, instead was \`"x\\u0000"\`.`,
    );
  });

  it('200 KB of nested objects with a NUL at the bottom: 400 naming the path, in linear time', () => {
    const levels = 40_000; // 5 bytes a level: 200 KB
    const started = performance.now();
    const message = nulMessage(nestedObjects(levels, '"\\u0000"'));
    const elapsed = performance.now() - started;
    expect(message).toBe(
      `body failed validation: body${'.a'.repeat(levels)} should not contain the character U+0000, instead was \`"\\u0000"\`.`,
    );
    expect(elapsed).toBeLessThan(1000); // ~20 ms here; the recursive walk overflowed the stack at this depth
    // Linear: four times the depth costs about four times as long (a copy of the path at each level: sixteen).
    const time = (n: number) => {
      const text = nestedObjects(n, '"\\u0000"');
      const body: unknown = JSON.parse(text);
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        expect(() => assertNoNul(text, body)).toThrow(ApiError);
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b)[2]!;
    };
    expect(time(100_000) / time(25_000)).toBeLessThan(10);
  });

  it('deep nesting without a NUL passes', () => {
    expect(nulMessage(nestedObjects(100_000, '"\\\\u0000"'))).toBeNull();
    expect(nulMessage(nestedArrays(100_000, '1'))).toBeNull();
  });
});
