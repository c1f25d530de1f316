// Rich text in Notion's enhanced Markdown (v1, reference §17.4): stored rich text → inline Markdown, and inline
// Markdown → rich text request items (what POST /children accepts). Annotations nest in one fixed order, from
// the outside in: spans (underline, color), link, bold, italic, strikethrough, code; adjacent items with the
// same annotations and link are written as one, so a text read back and written again reads the same.
import { MAX_TEXT_CONTENT, type RichTextInput } from '../rich-text.js';
import { apiColor, colorOf, parseAttributes, quoteAttribute } from './syntax.js';

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
  if (item.type === 'text' && item.href) core = `[${core}](${item.href.replace(/[()\s]/g, encodeURIComponent)})`;
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

interface Style {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  color: NonNullable<ReturnType<typeof apiColor>>;
}

type Frame = { kind: 'bold' | 'italic' | 'strikethrough' } | { kind: 'span'; style: Partial<Style> } | LinkFrame;
interface LinkFrame {
  kind: 'link';
  /** The index in `out` of the first item inside the link. */
  from: number;
}

/** The parser of one line of inline Markdown: a scan with a stack of open annotations. */
class InlineParser {
  private readonly out: RichTextInput[] = [];
  private readonly stack: Frame[] = [];
  private buffer = '';
  private at = 0;
  constructor(private readonly src: string) {}

  parse(): RichTextInput[] {
    const s = this.src;
    while (this.at < s.length) {
      const c = s[this.at]!;
      if (c === '\\' && this.at + 1 < s.length) {
        this.buffer += s[this.at + 1];
        this.at += 2;
      } else if (c === '`') this.code();
      else if (c === '$') this.equation();
      else if (c === '*') this.run('*');
      else if (c === '~' && s[this.at + 1] === '~') this.run('~');
      else if (c === '[') this.openLink();
      else if (c === ']' && s[this.at + 1] === '(' && this.linkOpen()) this.closeLink();
      else if (c === '<') this.tag();
      else {
        this.buffer += c;
        this.at++;
      }
    }
    this.flush();
    return this.out;
  }

  private style(): Style {
    const style: Style = { bold: false, italic: false, strikethrough: false, underline: false, color: 'default' };
    for (const f of this.stack) {
      if (f.kind === 'bold' || f.kind === 'italic' || f.kind === 'strikethrough') style[f.kind] = true;
      if (f.kind === 'span') Object.assign(style, f.style);
    }
    return style;
  }

  private annotations(code = false) {
    return { ...this.style(), code };
  }

  /** Writes the pending text as items of at most 2,000 characters (reference §6.3). */
  private flush(): void {
    if (!this.buffer) return;
    this.pushText(this.buffer, false);
    this.buffer = '';
  }

  private pushText(content: string, code: boolean): void {
    for (let i = 0; i < content.length; i += MAX_TEXT_CONTENT) {
      const piece = content.slice(i, i + MAX_TEXT_CONTENT);
      this.out.push({ type: 'text', text: { content: piece, link: null }, annotations: this.annotations(code) });
    }
  }

  private code(): void {
    const end = this.src.indexOf('`', this.at + 1);
    if (end < 0) return this.literal();
    this.flush();
    this.pushText(this.src.slice(this.at + 1, end).replace(/<br\s*\/?>/g, '\n'), true);
    this.at = end + 1;
  }

  private equation(): void {
    const end = this.src.indexOf('$', this.at + 1);
    if (end <= this.at + 1) return this.literal();
    this.flush();
    const expression = this.src.slice(this.at + 1, end);
    this.out.push({ type: 'equation', equation: { expression }, annotations: this.annotations() });
    this.at = end + 1;
  }

  private literal(): void {
    this.buffer += this.src[this.at];
    this.at++;
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private isOpen(kind: Frame['kind']): boolean {
    return this.stack.some((f) => f.kind === kind);
  }

  /** A run of `*` (bold **, italic *) or `~~` (strikethrough): closes what is open on top, else opens. */
  private run(ch: '*' | '~'): void {
    let n = 0;
    while (this.src[this.at + n] === ch) n++;
    this.at += n;
    this.flush();
    while (n > 0) {
      const top = this.top()?.kind;
      if (ch === '~') {
        if (n < 2) break;
        if (top === 'strikethrough') this.stack.pop();
        else this.stack.push({ kind: 'strikethrough' });
        n -= 2;
      } else if (top === 'italic') {
        this.stack.pop();
        n -= 1;
      } else if (top === 'bold' && n >= 2) {
        this.stack.pop();
        n -= 2;
      } else if (n >= 2 && !this.isOpen('bold')) {
        this.stack.push({ kind: 'bold' });
        n -= 2;
      } else if (!this.isOpen('italic')) {
        this.stack.push({ kind: 'italic' });
        n -= 1;
      } else break;
    }
    this.buffer += ch.repeat(n);
  }

  private openLink(): void {
    this.flush();
    this.stack.push({ kind: 'link', from: this.out.length });
    this.at++;
  }

  private linkOpen(): boolean {
    return this.isOpen('link');
  }

  private closeLink(): void {
    const close = this.src.indexOf(')', this.at + 2);
    if (close < 0) return this.literal();
    this.flush();
    const url = decodeURIComponent(this.src.slice(this.at + 2, close));
    const index = this.stack.map((f) => f.kind).lastIndexOf('link');
    const frame = this.stack[index] as LinkFrame;
    this.stack.splice(index, 1);
    for (const item of this.out.slice(frame.from)) {
      if ('text' in item) item.text.link = { url };
    }
    this.at = close + 1;
  }

  private tag(): void {
    const rest = this.src.slice(this.at);
    if (/^<br\s*\/?>/.test(rest)) {
      this.buffer += '\n';
      this.at += rest.indexOf('>') + 1;
      return;
    }
    const span = /^<span((?:\s+[\w-]+="[^"]*")*)\s*>/.exec(rest);
    if (span) return this.openSpan(span[0].length, parseAttributes(span[1] ?? ''));
    if (rest.startsWith('</span>') && this.isOpen('span')) {
      this.flush();
      this.stack.splice(this.stack.map((f) => f.kind).lastIndexOf('span'), 1);
      this.at += '</span>'.length;
      return;
    }
    const mention = /^<mention-([a-z-]+)((?:\s+[\w-]+="[^"]*")*)\s*(?:\/>|>(.*?)<\/mention-\1>)/.exec(rest);
    if (mention && this.mention(mention[1]!, parseAttributes(mention[2] ?? ''))) {
      this.at += mention[0].length;
      return;
    }
    this.literal();
  }

  private openSpan(length: number, attrs: Record<string, string>): void {
    this.flush();
    const style: Partial<Style> = {};
    if (attrs.underline === 'true') style.underline = true;
    const color = apiColor(attrs.color);
    if (color) style.color = color;
    this.stack.push({ kind: 'span', style });
    this.at += length;
  }

  /** A mention tag as a mention item; false when the tag names nothing a mention can be. */
  private mention(kind: string, attrs: Record<string, string>): boolean {
    const annotations = this.annotations();
    const url = attrs.url ?? '';
    let mention: Record<string, unknown> | null = null;
    if (kind === 'user') {
      const id = /^user:\/\/(.+)$/.exec(url)?.[1] ?? idInUrl(url);
      if (id) mention = { type: 'user', user: { id } };
    } else if (kind === 'page' || kind === 'database') {
      const id = idInUrl(url);
      if (id) mention = { type: kind, [kind]: { id } };
    } else if (kind === 'date' && attrs.start) {
      const start = attrs.startTime ? `${attrs.start}T${attrs.startTime}` : attrs.start;
      mention = { type: 'date', date: { start, end: attrs.end ?? null, time_zone: attrs.timeZone ?? null } };
    }
    if (!mention) return false;
    this.flush();
    // The union of mention shapes cannot be spelt out here without repeating rich-text.ts: the shape is one of them.
    this.out.push({ type: 'mention', mention, annotations } as unknown as RichTextInput);
    return true;
  }
}

/** The dashed id a Notion URL ends with (`…-<32 hex>`, `…/<32 hex>`, or a dashed UUID), or null. */
export function idInUrl(url: string): string | null {
  const dashed = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(url);
  if (dashed) return dashed[1]!.toLowerCase();
  const hex = /([0-9a-f]{32})\/?$/i.exec(url)?.[1]?.toLowerCase();
  if (!hex) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Inline Markdown (one block's text) as rich text request items. */
export function parseRichText(markdown: string): RichTextInput[] {
  return new InlineParser(markdown).parse();
}
