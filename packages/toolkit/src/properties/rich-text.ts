// Rich text within Notion's size limits (reference §6.3): `text.content` ≤ 2000 characters and ≤ 100
// items per array. Long text is split into several items, never inside a surrogate pair.
import type { RichTextItemResponse } from '@notionhq/client';

export const MAX_TEXT_CONTENT_LENGTH = 2000;
export const MAX_ARRAY_LENGTH = 100;

export interface TextItemRequest {
  type: 'text';
  text: { content: string; link?: { url: string } | null };
  annotations?: {
    bold?: boolean;
    italic?: boolean;
    strikethrough?: boolean;
    underline?: boolean;
    code?: boolean;
    color?: 'default' | 'gray' | 'brown' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple' | 'pink' | 'red';
  };
}

/** Splits `text` into pieces of at most `max` UTF-16 units, preferring whitespace boundaries. */
export function splitText(text: string, max = MAX_TEXT_CONTENT_LENGTH): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = max;
    const space = rest.lastIndexOf(' ', max);
    const newline = rest.lastIndexOf('\n', max);
    const boundary = Math.max(space, newline);
    if (boundary > max * 0.8) cut = boundary + 1;
    // Never split a surrogate pair (an emoji would turn into two invalid halves).
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Text as rich-text items of ≤ 2000 characters each (empty text → no items). */
export function richText(
  text: string,
  options: { link?: string; annotations?: TextItemRequest['annotations'] } = {},
): TextItemRequest[] {
  if (text === '') return [];
  return splitText(text).map((content) => ({
    type: 'text',
    text: { content, ...(options.link ? { link: { url: options.link } } : {}) },
    ...(options.annotations ? { annotations: options.annotations } : {}),
  }));
}

/** The plain text of a rich-text array, as Notion's `plain_text` fields spell it. */
export function plainText(items: readonly RichTextItemResponse[] | undefined | null): string {
  return (items ?? []).map((item) => item.plain_text).join('');
}
