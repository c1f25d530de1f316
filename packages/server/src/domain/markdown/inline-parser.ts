// The one parser of inline Markdown (reference §17.4, §19.1) to rich text request items, for a block's text in
// page Markdown and for a comment's `markdown` alike: **bold**, *italic*, ~~strike~~, `code`, [text](URL),
// $equation$, <span underline="true" color="red">…</span>, <br>, mentions (<mention-user url="user://…"/>,
// mention-page, mention-database, <mention-date start="…" end="…"/>) and backslash escapes. A delimiter that is
// never closed is text. The two dialects differ only where the page renderer (inline.ts) writes what a person
// typing a comment would not:
//
// | | page | comment (as CommonMark) |
// |---|---|---|
// | emphasis next to white space (`** a**`: annotated text with spaces at its ends) | opens, closes | text |
// | `_italic_` | text (the renderer does not escape `_`) | italic |
// | `$ x $` | an equation, spaces kept | text |
// | `<br>` inside a code span | a line break (the renderer writes one so) | text |
// | `%28`, `%29` and encoded white space in a link target | decoded (the renderer encodes them) | kept |
// | a span color that names no API color | dropped | kept (then refused by the rich text schema) |
//
// The parse is bounded: a delimiter whose closer comes later but never closes it makes the parser read on to the
// end and try again (quadratic at worst; each opener first checks that its closer occurs at all, so ordinary text
// stays linear); past MAX_STEPS it throws InlineTooComplex.
import { normalizeId } from '../../ids.js';
import { MAX_TEXT_CONTENT, type RichTextInput } from '../rich-text.js';
import { apiColor, parseAttributes } from './syntax.js';

export type InlineDialect = 'page' | 'comment';

/** The parse took more than MAX_STEPS steps: the caller refuses the text or keeps it as plain text. */
export class InlineTooComplex extends Error {
  constructor() {
    super('inline markdown too complex to parse');
    this.name = 'InlineTooComplex';
  }
}

interface Style {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
  link: string | null;
}

type MentionInput = Extract<RichTextInput, { mention: unknown }>['mention'];
type AnnotationsInput = NonNullable<RichTextInput['annotations']>;

type Piece =
  | { kind: 'text'; content: string; style: Style }
  | { kind: 'equation'; expression: string; style: Style }
  | { kind: 'mention'; mention: MentionInput; style: Style };

const PLAIN: Style = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
  link: null,
};

const ESCAPABLE = new Set('\\*~`$[]<>{}|^_'.split(''));
const MAX_STEPS = 250_000;
/** Constructs nest at most this deep; a deeper opener is text. */
const MAX_DEPTH = 32;
// Sticky: each matches exactly at lastIndex (the cursor), without copying the rest of the text. A mention's
// content (the name the renderer writes) is skipped up to the first unescaped `<`.
const MENTION = /<mention-([a-z-]+)((?:\s+[\w-]+="[^"]*")*)\s*(?:\/>|>((?:[^<\\]|\\.)*)<\/mention-\1>)/y;
const SPAN_OPEN = /<span((?:\s+[\w-]+="[^"]*")*)\s*>/y;
const BR = /<br\s*\/?>/y;
const LINK_TARGET = /\(([^()\s]+)\)/y;
const EMPHASIS = new Set(['**', '*', '_', '~~']);
/** What the page renderer percent-encodes in a link target: parentheses and white space. */
const ENCODED_IN_TARGET = /%(?:28|29|20|09|0A|0C|0D)/gi;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => /\s/.test(c ?? ' ');

/**
 * The id a mention or link URL ends with — `user://<id>`, a Notion URL (`…-<32 hex>`, `…/<32 hex>`), or the id
 * itself, dashed or not, before an optional `/`, `?query` or `#fragment` — dashed and lower-case, or null.
 */
export function idInUrl(url: string): string | null {
  const found = /([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})\/?(?:[?#].*)?$/i.exec(url);
  return found ? normalizeId(found[1]!.replace(/-/g, '').toLowerCase()) : null;
}

/** A mention tag's kind and attributes as a mention, or null when they name nothing a mention can be. */
function mentionOf(kind: string, attrs: Record<string, string>): MentionInput | null {
  if (kind === 'date') {
    if (!attrs.start) return null;
    const start = attrs.startTime ? `${attrs.start}T${attrs.startTime}` : attrs.start;
    return { type: 'date', date: { start, end: attrs.end ?? null, time_zone: attrs.timeZone ?? null } };
  }
  const id = attrs.url ? idInUrl(attrs.url) : null;
  if (!id) return null;
  if (kind === 'user') return { type: 'user', user: { id } };
  if (kind === 'page') return { type: 'page', page: { id } };
  if (kind === 'database') return { type: 'database', database: { id } };
  return null;
}

class InlineParser {
  private pos = 0;
  private steps = 0;
  /** How many constructs the cursor is inside. */
  private depth = 0;
  /** Per token, the last search: where it started and what it found (-1: nothing up to the end). */
  private readonly found = new Map<string, { from: number; at: number }>();
  readonly pieces: Piece[] = [];
  private readonly page: boolean;

  constructor(
    private readonly src: string,
    dialect: InlineDialect,
  ) {
    this.page = dialect === 'page';
  }

  /** Parses up to `closer` (consumed; true) or the end (false: the caller takes its opener back as text). */
  run(closer: string | null, style: Style): boolean {
    this.depth++;
    try {
      return this.runInside(closer, style);
    } finally {
      this.depth--;
    }
  }

  /**
   * The first `token` at or after `from`, or -1. Searches forward again only when the last search for the token
   * does not answer (it started later, or found one before `from`): openers check their closers in linear time.
   */
  private find(token: string, from: number): number {
    const last = this.found.get(token);
    if (last && last.from <= from && (last.at < 0 || last.at >= from)) return last.at;
    const at = this.src.indexOf(token, from);
    this.found.set(token, { from, at });
    return at;
  }

  private runInside(closer: string | null, style: Style): boolean {
    while (this.pos < this.src.length) {
      if (++this.steps > MAX_STEPS) throw new InlineTooComplex();
      if (closer && this.closes(closer, style)) {
        this.pos += closer.length;
        return true;
      }
      if (!this.construct(style)) this.text(this.src[this.pos++]!, style);
    }
    return closer === null;
  }

  private closes(closer: string, style: Style): boolean {
    const { src, pos } = this;
    if (!src.startsWith(closer, pos)) return false;
    if (this.page || !EMPHASIS.has(closer)) return true;
    // Comments: emphasis closes only right after text, not after a space (`*a *` is no emphasis), …
    if (isSpace(src[pos - 1])) return false;
    // … `*` inside italic does not close it where `**` opens bold, …
    if (closer === '*' && src.startsWith('**', pos) && !style.bold && this.find('**', pos + 2) > 0) return false;
    // … and `_` closes only before a non-word character.
    return closer === '_' ? !isWordChar(src[pos + 1]) : true;
  }

  /** One construct at the cursor, if one starts and is closed there; false leaves the cursor where it was. */
  private construct(style: Style): boolean {
    const { src, pos } = this;
    const c = src[pos]!;
    if (c === '\\' && ESCAPABLE.has(src[pos + 1] ?? '')) {
      this.text(src[pos + 1]!, style);
      this.pos += 2;
      return true;
    }
    if (src.startsWith('**', pos) && !style.bold) return this.delimited('**', { ...style, bold: true });
    if (src.startsWith('~~', pos) && !style.strikethrough)
      return this.delimited('~~', { ...style, strikethrough: true });
    if (c === '*' && !style.italic) return this.delimited('*', { ...style, italic: true });
    if (c === '_' && !this.page && !style.italic && !isWordChar(src[pos - 1]))
      return this.delimited('_', { ...style, italic: true });
    if (c === '`') return this.code(style);
    if (c === '$') return this.equation(style);
    if (c === '[' && style.link === null) return this.link(style);
    if (c === '<') return this.tag(style);
    return false;
  }

  /** `open` … `open` around inline text in `inner` style. */
  private delimited(open: string, inner: Style): boolean {
    const start = this.pos;
    const kept = this.pieces.length;
    if (this.depth >= MAX_DEPTH || this.find(open, start + open.length) < 0) return false;
    if (!this.page && isSpace(this.src[start + open.length])) return false; // `* a` opens nothing in a comment
    this.pos += open.length;
    if (this.run(open, inner) && this.pos - start > open.length * 2) return true;
    this.pos = start;
    this.pieces.length = kept;
    return false;
  }

  /** `` `code` `` taken as written (in page Markdown, `<br>` is a line break of the code). */
  private code(style: Style): boolean {
    const end = this.src.indexOf('`', this.pos + 1);
    if (end <= this.pos + 1) return false;
    const content = this.src.slice(this.pos + 1, end);
    this.text(this.page ? content.replace(/<br\s*\/?>/g, '\n') : content, { ...style, code: true });
    this.pos = end + 1;
    return true;
  }

  /** `$expr$` (in a comment, with no space just inside the dollars). */
  private equation(style: Style): boolean {
    const end = this.src.indexOf('$', this.pos + 1);
    if (end <= this.pos + 1) return false;
    const expression = this.src.slice(this.pos + 1, end);
    if (!this.page && expression.trim() !== expression) return false;
    this.pieces.push({ kind: 'equation', expression, style });
    this.pos = end + 1;
    return true;
  }

  /** `[text](URL)`, the text in any inline style. */
  private link(style: Style): boolean {
    const start = this.pos;
    const kept = this.pieces.length;
    if (this.depth >= MAX_DEPTH || this.find('](', start + 1) < 0) return false;
    this.pos += 1;
    const closed = this.run(']', { ...style, link: '' });
    const target = closed ? matchAt(LINK_TARGET, this.src, this.pos) : null;
    const url = target && this.page ? target[1]!.replace(ENCODED_IN_TARGET, decodeURIComponent) : target?.[1];
    if (target && url && isUrl(url)) {
      for (const piece of this.pieces.slice(kept)) piece.style = { ...piece.style, link: url };
      this.pos += target[0].length;
      return true;
    }
    this.pos = start;
    this.pieces.length = kept;
    return false;
  }

  /** `<br>`, `<span …>…</span>` and mentions. */
  private tag(style: Style): boolean {
    const br = matchAt(BR, this.src, this.pos);
    if (br) {
      this.text('\n', style);
      this.pos += br[0].length;
      return true;
    }
    const mention = matchAt(MENTION, this.src, this.pos);
    if (mention) return this.mention(mention, style);
    const span = matchAt(SPAN_OPEN, this.src, this.pos);
    if (!span || this.depth >= MAX_DEPTH || this.find('</span>', this.pos) < 0) return false;
    const start = this.pos;
    const kept = this.pieces.length;
    this.pos += span[0].length;
    if (this.run('</span>', this.spanStyle(style, parseAttributes(span[1] ?? '')))) return true;
    this.pos = start;
    this.pieces.length = kept;
    return false;
  }

  private spanStyle(style: Style, attrs: Record<string, string>): Style {
    const inner = { ...style };
    if (attrs.underline === 'true') inner.underline = true;
    const color =
      attrs.color === undefined ? undefined : (apiColor(attrs.color) ?? (this.page ? undefined : attrs.color));
    if (color) inner.color = color;
    return inner;
  }

  private mention(match: RegExpExecArray, style: Style): boolean {
    const mention = mentionOf(match[1]!, parseAttributes(match[2] ?? ''));
    if (!mention) return false;
    this.pieces.push({ kind: 'mention', mention, style });
    this.pos += match[0].length;
    return true;
  }

  private text(content: string, style: Style): void {
    const last = this.pieces[this.pieces.length - 1];
    if (last?.kind === 'text' && sameStyle(last.style, style)) last.content += content;
    else this.pieces.push({ kind: 'text', content, style });
  }
}

function sameStyle(a: Style, b: Style): boolean {
  return (Object.keys(a) as (keyof Style)[]).every((key) => a[key] === b[key]);
}

function annotations(style: Style): AnnotationsInput {
  const { bold, italic, strikethrough, underline, code, color } = style;
  return { bold, italic, strikethrough, underline, code, color: color as AnnotationsInput['color'] };
}

/** Rich text items for the pieces; text longer than one item may hold is split over several. */
function toRichText(pieces: readonly Piece[]): RichTextInput[] {
  const out: RichTextInput[] = [];
  for (const piece of pieces) {
    const ann = annotations(piece.style);
    if (piece.kind === 'equation') {
      out.push({ type: 'equation', equation: { expression: piece.expression }, annotations: ann });
    } else if (piece.kind === 'mention') {
      out.push({ type: 'mention', mention: piece.mention, annotations: ann });
    } else {
      const link = piece.style.link ? { url: piece.style.link } : null;
      for (let i = 0; i < piece.content.length; i += MAX_TEXT_CONTENT) {
        const content = piece.content.slice(i, i + MAX_TEXT_CONTENT);
        out.push({ type: 'text', text: { content, link }, annotations: ann });
      }
    }
  }
  return out;
}

/** Inline Markdown as rich text request items, read in `dialect`; throws InlineTooComplex past the step bound. */
export function parseInline(markdown: string, dialect: InlineDialect): RichTextInput[] {
  const parser = new InlineParser(markdown, dialect);
  parser.run(null, PLAIN);
  return toRichText(parser.pieces);
}

/** Text as rich text items in no style (what a page line the parser gives up on is kept as). */
export function plainRichText(text: string): RichTextInput[] {
  return toRichText([{ kind: 'text', content: text, style: PLAIN }]);
}
