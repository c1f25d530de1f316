import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseWith, zId } from '../src/domain/validation.js';
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
