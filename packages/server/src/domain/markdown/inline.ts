// Rich text in Notion's enhanced Markdown (v1, reference §17.4): stored rich text → inline Markdown, and inline
// Markdown → rich text request items (what POST /children accepts; the parser, shared with comments, is
// inline-parser.ts). Annotations nest in one fixed order, from the outside in: spans (underline, color), link,
// bold, italic, strikethrough, code; adjacent items with the same annotations and link are written as one, so a
// text read back and written again reads the same.
import type { RichTextInput } from '../rich-text.js';
import { colorOf, quoteAttribute } from './syntax.js';
import { InlineTooComplex, parseInline, plainRichText } from './inline-parser.js';

export { idInUrl } from './inline-parser.js';

/** A stored rich text item (domain/rich-text.ts RichText), as far as Markdown shows it. */
export interface StoredRichText {
  type: string;
  plain_text: string;
  href: string | null;
  annotations: {
    bold: boolean;
    italic: boolean;
    strikethrough: boolean;
    underline: boolean;
    code: boolean;
    color: string;
  };
  text?: { content: string; link: { url: string } | null };
  equation?: { expression: string };
  mention?: Record<string, unknown> & { type: string };
}

const ESCAPED = /[\\*~`$[\]<>{}|^]/g;

/** Text outside code with Markdown's special characters escaped (reference §17.4) and line breaks as `<br>`. */
export function escapeText(text: string): string {
  return text.replace(ESCAPED, (c) => `\\${c}`).replace(/\n/g, '<br>');
}

function codeSpan(content: string): string {
  return `\`${content.replace(/\n/g, '<br>')}\``;
}

function mentionMarkdown(item: StoredRichText): string {
  const m = item.mention!;
  const name = escapeText(item.plain_text);
  switch (m.type) {
    case 'user': {
      const id = (m.user as { id: string }).id;
      return `<mention-user url=${quoteAttribute(`user://${id}`)}>${escapeText(item.plain_text.replace(/^@/, ''))}</mention-user>`;
    }
    case 'page':
    case 'database':
      return `<mention-${m.type} url=${quoteAttribute(item.href ?? '')}>${name}</mention-${m.type}>`;
    case 'date': {
      const d = m.date as { start: string; end: string | null; time_zone: string | null };
      const end = d.end ? ` end=${quoteAttribute(d.end)}` : '';
      const zone = d.time_zone ? ` timeZone=${quoteAttribute(d.time_zone)}` : '';
      return `<mention-date start=${quoteAttribute(d.start)}${end}${zone}/>`;
    }
    default:
      return name;
  }
}

const sameLook = (a: StoredRichText, b: StoredRichText) =>
  a.type === 'text' &&
  b.type === 'text' &&
  a.href === b.href &&
  JSON.stringify(a.annotations) === JSON.stringify(b.annotations);

/** Adjacent text items that look the same, as one. */
function merged(items: readonly StoredRichText[]): StoredRichText[] {
  const out: StoredRichText[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && sameLook(last, item)) {
      const content = (last.text?.content ?? last.plain_text) + (item.text?.content ?? item.plain_text);
      out[out.length - 1] = { ...last, plain_text: content, text: { content, link: last.text?.link ?? null } };
    } else out.push(item);
  }
  return out;
}

/** A link target with `(`, `)` and white space percent-encoded (encodeURIComponent leaves parentheses alone). */
const linkTarget = (url: string) =>
  url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function itemMarkdown(item: StoredRichText): string {
  const a = item.annotations;
  let core: string;
  if (item.type === 'equation') core = `$${item.equation?.expression ?? item.plain_text}$`;
  else if (item.type === 'mention') core = mentionMarkdown(item);
  else {
    const content = item.text?.content ?? item.plain_text;
    core = a.code ? codeSpan(content) : escapeText(content);
  }
  if (a.strikethrough) core = `~~${core}~~`;
  if (a.italic) core = `*${core}*`;
  if (a.bold) core = `**${core}**`;
  if (item.type === 'text' && item.href) core = `[${core}](${linkTarget(item.href)})`;
  const span = [
    a.underline ? ' underline="true"' : '',
    colorOf(a.color) ? ` color=${quoteAttribute(colorOf(a.color)!)}` : '',
  ].join('');
  return span ? `<span${span}>${core}</span>` : core;
}

/** Stored rich text as inline Markdown. */
export function renderRichText(items: readonly StoredRichText[] | undefined): string {
  return merged(items ?? [])
    .map(itemMarkdown)
    .join('');
}

/** Inline Markdown (one block's text) as rich text request items; a line too complex to parse is kept as text. */
export function parseRichText(markdown: string): RichTextInput[] {
  try {
    return parseInline(markdown, 'page');
  } catch (error) {
    if (error instanceof InlineTooComplex) return plainRichText(markdown);
    throw error;
  }
}
