// The one inline Markdown parser (domain/markdown/inline-parser.ts) in its two dialects: what the page renderer
// writes reads back as the same rich text (annotated text with spaces at its ends, adjacent items in different
// styles, encoded link targets, code with line breaks), and a comment reads like CommonMark (`_italic_`, no
// emphasis next to white space, unclosed delimiters as text). Both end in bounded time.
import { describe, expect, it } from 'vitest';
import { parseRichText, renderRichText, type StoredRichText } from '../src/domain/markdown/inline.js';
import { commentMarkdownToRichText } from '../src/domain/comment-markdown.js';
import { InlineTooComplex, parseInline } from '../src/domain/markdown/inline-parser.js';

type Look = Partial<StoredRichText['annotations']>;
const PLAIN = { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' };
const stored = (content: string, look: Look = {}, url: string | null = null): StoredRichText => ({
  type: 'text',
  plain_text: content,
  href: url,
  annotations: { ...PLAIN, ...look },
  text: { content, link: url ? { url } : null },
});
const item = (content: string, look: Look = {}, url: string | null = null) => ({
  type: 'text',
  text: { content, link: url ? { url } : null },
  annotations: { ...PLAIN, ...look },
});

describe('page Markdown: what the renderer writes reads back the same', () => {
  const cases: [string, StoredRichText[]][] = [
    ['italic then bold', [stored('a', { italic: true }), stored('b', { bold: true })]],
    ['italic then bold italic', [stored('a', { italic: true }), stored('b', { bold: true, italic: true })]],
    ['bold italic then italic', [stored('a', { bold: true, italic: true }), stored('b', { italic: true })]],
    ['spaces at the ends of bold', [stored('x'), stored(' bold ', { bold: true }), stored('y')]],
    ['a link with parentheses and a space', [stored('site', {}, 'https://example.com/a_(b) c')]],
    ['code with a line break', [stored('a\nb', { code: true })]],
    ['escapes and underscores', [stored('snake_case _x_ *y* \\ [z] <w> $v$')]],
    ['a background color', [stored('hi', { color: 'red_background', underline: true })]],
  ];
  it.each(cases)('%s', (_name, items) => {
    const markdown = renderRichText(items);
    expect(parseRichText(markdown)).toEqual(items.map((i) => item(i.plain_text, i.annotations, i.href)));
  });

  it('keeps equations as written and mentions with their time zone', () => {
    expect(parseRichText('$ x $ <mention-date start="2026-01-02" startTime="10:00" timeZone="Europe/Paris"/>')).toEqual(
      [
        { type: 'equation', equation: { expression: ' x ' }, annotations: PLAIN },
        item(' '),
        {
          type: 'mention',
          mention: { type: 'date', date: { start: '2026-01-02T10:00', end: null, time_zone: 'Europe/Paris' } },
          annotations: PLAIN,
        },
      ],
    );
  });

  it('keeps a line too complex to parse as plain text', () => {
    const line = '<span>'.repeat(5000) + '</span>';
    expect(() => parseInline(line, 'page')).toThrow(InlineTooComplex);
    expect(
      parseRichText(line)
        .map((i) => ('text' in i ? i.text.content : ''))
        .join(''),
    ).toBe(line);
  });
});

describe('comment Markdown', () => {
  const read = (markdown: string) => commentMarkdownToRichText(markdown);
  it('reads _italic_, but not snake_case, emphasis next to spaces, or unclosed delimiters', () => {
    expect(read('_it_ snake_case')).toEqual([item('it', { italic: true }), item(' snake_case')]);
    expect(read('** a** *b *')).toEqual([item('** a** *b *')]);
    expect(read('**open *and [x](')).toEqual([item('**open *and [x](')]);
  });

  it('reads what page Markdown reads differently as text', () => {
    expect(read('$ x $ `a<br>b`')).toEqual([item('$ x $ '), item('a<br>b', { code: true })]);
    expect(parseInline('_it_', 'page')).toEqual([item('_it_')]);
  });
});
