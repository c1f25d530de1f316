// Inline Markdown of comments (reference §19.1, the rich text rows of §17.4) to rich text requests:
// **bold**, *italic* / _italic_, ~~strike~~, `code`, [text](URL), $equation$, <span underline="true"
// color="red">…</span>, <br>, mentions (<mention-user url="user://…"/>, mention-page, mention-database,
// <mention-date start="…" end="…"/>) and backslash escapes. A delimiter that is never closed is text. The
// result is the rich text array a `rich_text` body would have been, normalised by the caller as usual.
import { ApiError } from '../errors.js';
import { normalizeId } from '../ids.js';
import { MAX_ARRAY_ELEMENTS, MAX_TEXT_CONTENT, zRichText, type RichTextInput } from './rich-text.js';
import { renderValue } from './validation.js';

interface Style {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
  link: string | null;
}

type Piece =
  | { kind: 'text'; content: string; style: Style }
  | { kind: 'equation'; expression: string; style: Style }
  | { kind: 'mention'; mention: MentionInput; style: Style };

type MentionInput = Extract<RichTextInput, { mention: unknown }>['mention'];
type AnnotationsInput = NonNullable<RichTextInput['annotations']>;

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
/**
 * Steps a parse may take before the text is refused: a delimiter whose closer comes later but never closes it
 * makes the parser read on to the end and try again (quadratic at worst; each opener first checks that its
 * closer occurs at all, so ordinary text stays linear).
 */
const MAX_STEPS = 250_000;
/** Constructs nest at most this deep; a deeper opener is text. */
const MAX_DEPTH = 32;
// Sticky: each matches exactly at lastIndex (the cursor), without copying the rest of the text.
const MENTION = /<mention-(user|page|database|date)((?:\s+[a-zA-Z]+="[^"]*")*)\s*(?:\/>|>([^<]*)<\/mention-\1>)/y;
const SPAN_OPEN = /<span((?:\s+[a-zA-Z]+="[^"]*")*)\s*>/y;
const BR = /<br\s*\/?>/y;
const LINK_TARGET = /\(([^()\s]+)\)/y;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}
const EMPHASIS = new Set(['**', '*', '_', '~~']);

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
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

/** The id a mention URL names: `user://<uuid>`, a Notion URL ending in the id, or the id itself. */
function idInUrl(url: string): string | null {
  const found = /([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})(?:[?#].*)?$/.exec(
    url,
  );
  return found ? normalizeId(found[1]!.replace(/-/g, '')) : null;
}

class InlineParser {
  private pos = 0;
  private steps = 0;
  /** How many constructs the cursor is inside. */
  private depth = 0;
  /** Per token, the last search: where it started and what it found (-1: nothing up to the end). */
  private readonly found = new Map<string, { from: number; at: number }>();
  readonly pieces: Piece[] = [];

  constructor(private readonly src: string) {}

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
      if (++this.steps > MAX_STEPS) throw tooComplex();
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
    // Emphasis closes only right after text, not after a space (`*a *` is no emphasis).
    if (EMPHASIS.has(closer) && /\s/.test(src[pos - 1] ?? ' ')) return false;
    // `*` inside italic does not close it where `**` opens bold.
    if (closer === '*' && src.startsWith('**', pos) && !style.bold && this.find('**', pos + 2) > 0) return false;
    if (closer === '_') return !isWordChar(src[pos + 1]);
    return true;
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
    if (c === '_' && !style.italic && !isWordChar(src[pos - 1])) return this.delimited('_', { ...style, italic: true });
    if (c === '`') return this.literal('`', (content) => this.text(content, { ...style, code: true }));
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
    if (/\s/.test(this.src[start + open.length] ?? ' ')) return false; // `* a` opens nothing
    this.pos += open.length;
    if (this.run(open, inner) && this.pos - start > open.length * 2) return true;
    this.pos = start;
    this.pieces.length = kept;
    return false;
  }

  /** `delim`content`delim` taken as written (code). */
  private literal(delim: string, emit: (content: string) => void): boolean {
    const end = this.src.indexOf(delim, this.pos + 1);
    if (end <= this.pos + 1) return false;
    emit(this.src.slice(this.pos + 1, end));
    this.pos = end + 1;
    return true;
  }

  /** `$expr$`: no space just inside the dollars. */
  private equation(style: Style): boolean {
    const end = this.src.indexOf('$', this.pos + 1);
    if (end <= this.pos + 1) return false;
    const expression = this.src.slice(this.pos + 1, end);
    if (expression.trim() !== expression) return false;
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
    if (target && isUrl(target[1]!)) {
      for (const piece of this.pieces.slice(kept)) piece.style = { ...piece.style, link: target[1]! };
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
    const attrs = attributes(span[1] ?? '');
    const inner = { ...style };
    if (attrs.underline === 'true') inner.underline = true;
    if (attrs.color) inner.color = attrs.color;
    const start = this.pos;
    const kept = this.pieces.length;
    this.pos += span[0].length;
    if (this.run('</span>', inner)) return true;
    this.pos = start;
    this.pieces.length = kept;
    return false;
  }

  private mention(match: RegExpExecArray, style: Style): boolean {
    const attrs = attributes(match[2] ?? '');
    let mention: MentionInput | null = null;
    const id = attrs.url ? idInUrl(attrs.url) : null;
    if (match[1] === 'date') {
      if (attrs.start) mention = { date: { start: attrs.start, ...(attrs.end ? { end: attrs.end } : {}) } };
    } else if (id) {
      mention = match[1] === 'user' ? { user: { id } } : match[1] === 'page' ? { page: { id } } : { database: { id } };
    }
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

function tooComplex(): ApiError {
  return new ApiError(
    'validation_error',
    'body failed validation: body.markdown should be inline markdown the server can parse, instead was too complex.',
  );
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

/** The rich text a comment's inline Markdown stands for; a 400 when it does not fit in one comment. */
export function commentMarkdownToRichText(markdown: string): RichTextInput[] {
  const parser = new InlineParser(markdown);
  parser.run(null, PLAIN);
  const items = toRichText(parser.pieces);
  if (items.length > MAX_ARRAY_ELEMENTS) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.markdown should make at most ${MAX_ARRAY_ELEMENTS} rich text items, instead was \`${items.length}\`.`,
    );
  }
  const parsed = zRichText.safeParse(items);
  if (!parsed.success) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.markdown should be valid inline markdown, instead was ${renderValue(markdown)}.`,
    );
  }
  return parsed.data;
}
