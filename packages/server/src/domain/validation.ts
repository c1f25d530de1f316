// Turns schema failures into Notion's validation grammar (reference §5.3):
//   body failed validation: body.<path> should be <expectation>, instead was `<value>`.
//   body failed validation. Fix one:\n<line>\n<line>   (when several shapes were possible)
// Schemas are zod; custom refinements carry the expectation phrase as their message.
import { z, type ZodIssue, type ZodType } from 'zod';
import { ApiError } from '../errors.js';
import { isId, normalizeId } from '../ids.js';

export type Location = 'body' | 'path' | 'query';

/** Longest rendering of an offending value in a message; longer ones end in "…" (see docs/limitations.md). */
export const MAX_RENDERED_VALUE = 500;

export function renderValue(value: unknown): string {
  if (value === undefined) return '`undefined`';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}'; // too deep to print (or cyclic)
  }
  return `\`${text.length > MAX_RENDERED_VALUE ? `${text.slice(0, MAX_RENDERED_VALUE)}…` : text}\``;
}

export function renderPath(location: Location, path: readonly (string | number)[]): string {
  let out: string = location;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${part}`;
  return out;
}

/**
 * Where in a parsed body the first string (value or key) holding U+0000 is, or null: Postgres text cannot hold it.
 * Depth-first in document order, with an explicit stack (a body nested 100,000 levels deep must not overflow the
 * call stack) and without copying the path at each level: every visited value keeps only its parent's index and
 * its key, and the path is built once, when a NUL is found. Linear in the size of the body.
 */
function nulPath(root: unknown): (string | number)[] | null {
  const parents: number[] = []; // per visited value: the index of its container (-1: the root)
  const keys: (string | number)[] = []; // per visited value: its key or index in that container
  const pathOf = (node: number): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let n = node; n >= 0; n = parents[n]!) path.push(keys[n]!);
    return path.reverse();
  };
  // Values still to visit, the next on top: the value, its node (-1: the root), and whether its key holds a NUL.
  const values: unknown[] = [root];
  const nodes: number[] = [-1];
  const nulKeys: boolean[] = [false];
  while (values.length > 0) {
    const value = values.pop();
    const node = nodes.pop()!;
    if (nulKeys.pop()) return pathOf(parents[node]!); // a key with NUL: the path of the object holding it
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return pathOf(node);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item] as [number, unknown])
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      parents.push(node);
      keys.push(key);
      values.push(item);
      nodes.push(parents.length - 1);
      nulKeys.push(typeof key === 'string' && key.includes('\u0000'));
    }
  }
  return null;
}

/**
 * Refuses a body with the NUL character in any string: no text column can store it, so without this check
 * the write would fail inside the store as a 500. Only bodies whose text holds the escape are walked.
 */
export function assertNoNul(rawText: string, body: unknown): void {
  if (!/\\u0000/i.test(rawText)) return; // JSON can only carry U+0000 escaped (\u0000)
  const path = nulPath(body);
  if (path) {
    throw new ApiError(
      'validation_error',
      `body failed validation: ${renderPath('body', path)} should not contain the character U+0000, instead was ${renderValue(valueAt(body, path))}.`,
    );
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Object.prototype.hasOwnProperty.call(cur, part) ? (cur as Record<string | number, unknown>)[part] : undefined;
  }
  return cur;
}

const TYPE_PHRASE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

/** Notion lists allowed values as `"a", "b", or "c"` (as in its Notion-Version and code.language messages). */
export function enumList(options: readonly (string | number)[]): string {
  const quoted = options.map((o) => JSON.stringify(o));
  if (quoted.length <= 2) return quoted.join(' or ');
  return `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`;
}

/** One "<path> should be …, instead was …." line for an issue (without the location prefix sentence). */
function issueLine(location: Location, issue: ZodIssue, input: unknown): string[] {
  const path = issue.path;
  const value = valueAt(input, path);
  const at = renderPath(location, path);
  switch (issue.code) {
    case 'invalid_union': {
      const lines: string[] = [];
      for (const alt of issue.unionErrors) {
        const first = alt.issues[0];
        if (first) lines.push(...issueLine(location, first, input));
      }
      // A missing value fails every alternative the same way: say it once (`body.parent should be defined…`).
      return [...new Set(lines)];
    }
    case 'invalid_type':
      if (value === undefined) return [`${at} should be defined, instead was \`undefined\`.`];
      return [`${at} should be ${TYPE_PHRASE[issue.expected] ?? issue.expected}, instead was ${renderValue(value)}.`];
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const keyPath = [...path, key];
      return [
        `${renderPath(location, keyPath)} should be not present, instead was ${renderValue(valueAt(input, keyPath))}.`,
      ];
    }
    case 'too_big': {
      const bound = `\`${String(issue.maximum)}\``;
      if (issue.type === 'array' || issue.type === 'string') {
        const length = (value as { length?: number } | undefined)?.length;
        return [`${at}.length should be ≤ ${bound}, instead was \`${length}\`.`];
      }
      return [`${at} should be ≤ ${bound}, instead was ${renderValue(value)}.`];
    }
    case 'too_small': {
      const bound = `\`${String(issue.minimum)}\``;
      if (issue.type === 'array' || issue.type === 'string') {
        const length = (value as { length?: number } | undefined)?.length;
        return [`${at}.length should be ≥ ${bound}, instead was \`${length}\`.`];
      }
      return [`${at} should be ≥ ${bound}, instead was ${renderValue(value)}.`];
    }
    case 'invalid_enum_value':
      return [`${at} should be ${enumList(issue.options)}, instead was ${renderValue(value)}.`];
    case 'invalid_literal':
      return [`${at} should be \`${JSON.stringify(issue.expected)}\`, instead was ${renderValue(value)}.`];
    case 'custom': {
      // A refinement may say what to show instead of the value itself (e.g. a count of nested blocks).
      const shown = issue.params?.instead as string | undefined;
      return [`${at} ${issue.message}, instead was ${shown ?? renderValue(value)}.`];
    }
    default:
      return [`${at} should be valid, instead was ${renderValue(value)}.`];
  }
}

export function validationMessage(location: Location, issues: readonly ZodIssue[], input: unknown): string {
  const first = issues[0];
  if (!first) return `${location} failed validation.`;
  const lines = issueLine(location, first, input);
  if (lines.length === 1) return `${location} failed validation: ${lines[0]}`;
  return `${location} failed validation. Fix one:\n${lines.join('\n')}`;
}

export function parseWith<T>(schema: ZodType<T>, input: unknown, location: Location = 'body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiError('validation_error', validationMessage(location, result.error.issues, input));
}

// ---- shared building blocks -------------------------------------------------------------------

/** A UUID in either form, normalised to dashed lowercase. */
export const zId = z
  .string()
  .refine((v) => isId(v), { message: 'should be a valid uuid' })
  .transform((v) => normalizeId(v) as string);

export const zUrl = z
  .string()
  .max(2000)
  .refine(
    (v) => {
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'should be a valid url' },
  );

export const API_COLORS = [
  'default',
  'gray',
  'brown',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'red',
  'default_background',
  'gray_background',
  'brown_background',
  'orange_background',
  'yellow_background',
  'green_background',
  'blue_background',
  'purple_background',
  'pink_background',
  'red_background',
] as const;
export const zColor = z.enum(API_COLORS);
