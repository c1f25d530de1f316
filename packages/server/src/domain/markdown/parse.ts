// Notion's enhanced Markdown, v1 (reference §17.4), read into block requests: every line (or tag group) one block,
// blank lines dropped, children indented one more tab (children that are not indented are accepted inside a tag
// block). Tags that name what already exists — `<page url>`, `<database url>`, `<unknown url="…#<block>">` — are
// references to keep, not blocks to create. Each top-level node keeps its source lines, so an edit can tell
// which top-level blocks it left untouched.
import { CODE_LANGUAGES } from '../block-types.js';
import { idInUrl, parseRichText } from './inline.js';
import { apiColor, parseAttributes, splitBraces } from './syntax.js';

/** A block to create (its request object, children apart), or an existing page, database or block to keep. */
export type MarkdownNode =
  | { kind: 'block'; type: string; block: Record<string, unknown>; children: MarkdownNode[] }
  | { kind: 'keep'; ref: 'page' | 'database' | 'block'; id: string; source: string };

export interface ParsedChunk {
  node: MarkdownNode;
  /** The node's source lines, blank lines left out, as the comparison key of an unchanged block. */
  source: string;
}

interface Line {
  indent: number;
  text: string;
  raw: string;
}

const LANGUAGES = new Set<string>(CODE_LANGUAGES);

const block = (type: string, payload: Record<string, unknown>, children: MarkdownNode[] = []): MarkdownNode => ({
  kind: 'block',
  type,
  block: { type, [type]: payload },
  children,
});

const withColor = (payload: Record<string, unknown>, color: string | undefined) => {
  const spelt = apiColor(color);
  return spelt ? { ...payload, color: spelt } : payload;
};

/** A line-by-line reader of one Markdown text. */
class BlockParser {
  private at = 0;
  constructor(private readonly lines: readonly Line[]) {}

  top(): ParsedChunk[] {
    const chunks: ParsedChunk[] = [];
    while (this.skipBlank()) {
      const from = this.at;
      const node = this.node(this.lines[this.at]!);
      const source = this.lines
        .slice(from, this.at)
        .filter((l) => l.text !== '')
        .map((l) => l.raw)
        .join('\n');
      if (node) chunks.push({ node, source });
    }
    return chunks;
  }

  /** Moves past blank lines; false at the end. */
  private skipBlank(): boolean {
    while (this.at < this.lines.length && this.lines[this.at]!.text === '') this.at++;
    return this.at < this.lines.length;
  }

  /** The nodes of lines indented at least `min`, up to a line indented less or the `closer` line. */
  private level(min: number, closer?: string): MarkdownNode[] {
    const nodes: MarkdownNode[] = [];
    while (this.skipBlank()) {
      const line = this.lines[this.at]!;
      if (line.indent < min || (closer !== undefined && line.text === closer)) break;
      const node = this.node(line);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  /** The children of a text block: the lines indented more than it. */
  private children(line: Line): MarkdownNode[] {
    return this.level(line.indent + 1);
  }

  /** The content of a tag block up to its closing tag (consumed), indented or not. */
  private inside(line: Line, closer: string): MarkdownNode[] {
    this.skipBlank();
    const next = this.lines[this.at];
    const min = next && next.indent > line.indent ? line.indent + 1 : line.indent;
    const nodes = this.level(min, closer);
    if (this.lines[this.at]?.text === closer) this.at++;
    return nodes;
  }

  /** Raw lines up to the one that is `end` (consumed), without the block's indentation. */
  private verbatim(line: Line, end: string): string[] {
    const out: string[] = [];
    while (this.at < this.lines.length && this.lines[this.at]!.text !== end) {
      out.push(this.lines[this.at]!.raw.replace(new RegExp(`^\\t{0,${line.indent}}`), ''));
      this.at++;
    }
    this.at++;
    return out;
  }

  private node(line: Line): MarkdownNode | null {
    this.at++;
    const t = line.text;
    return this.tagNode(line, t) ?? this.fencedNode(line, t) ?? this.textNode(line, t);
  }

  private fencedNode(line: Line, t: string): MarkdownNode | null {
    const fence = /^```(.*)$/.exec(t);
    if (fence) {
      const language = fence[1]!.trim().toLowerCase();
      const content = this.verbatim(line, '```').join('\n');
      return block('code', {
        rich_text: content ? parseCode(content) : [],
        language: LANGUAGES.has(language) ? language : 'plain text',
      });
    }
    const oneLine = /^\$\$(.+)\$\$$/.exec(t);
    if (oneLine) return block('equation', { expression: oneLine[1]! });
    if (t === '$$') return block('equation', { expression: this.verbatim(line, '$$').join('\n') });
    return null;
  }

  private tagNode(line: Line, t: string): MarkdownNode | null {
    if (!t.startsWith('<') && !t.startsWith(':::') && !t.startsWith('![')) return null;
    const ref = referenceNode(t);
    if (ref) return ref;
    const open = /^<(details|callout|columns|column|table)((?:\s+[\w-]+="[^"]*")*)\s*>$/.exec(t);
    if (open) return this.container(line, open[1]!, parseAttributes(open[2] ?? ''));
    const fenced = /^:::\s*callout\s*(\{.*\})?\s*$/.exec(t);
    if (fenced) return this.callout(line, parseAttributes(fenced[1] ?? ''), ':::');
    return leafTag(t);
  }

  private container(line: Line, tag: string, attrs: Record<string, string>): MarkdownNode {
    switch (tag) {
      case 'details':
        return this.toggle(line, attrs);
      case 'callout':
        return this.callout(line, attrs, '</callout>');
      case 'columns':
        return block('column_list', {}, this.inside(line, '</columns>'));
      case 'column':
        return block('column', {}, this.inside(line, '</column>'));
      default:
        return this.table(line, attrs);
    }
  }

  private toggle(line: Line, attrs: Record<string, string>): MarkdownNode {
    this.skipBlank();
    const summary = /^<summary>(.*)<\/summary>$/.exec(this.lines[this.at]?.text ?? '');
    if (summary) this.at++;
    const children = this.inside(line, '</details>');
    return block('toggle', withColor({ rich_text: parseRichText(summary?.[1] ?? '') }, attrs.color), children);
  }

  private callout(line: Line, attrs: Record<string, string>, closer: string): MarkdownNode {
    const inner = this.inside(line, closer);
    const first = inner[0];
    let richText: unknown[] = [];
    if (first?.kind === 'block' && first.type === 'paragraph' && first.children.length === 0) {
      const p = first.block.paragraph as { rich_text: unknown[]; color?: string };
      if (!p.color) {
        richText = p.rich_text;
        inner.shift();
      }
    }
    const icon = attrs.icon
      ? /^https?:\/\//.test(attrs.icon)
        ? { type: 'external', external: { url: attrs.icon } }
        : { type: 'emoji', emoji: attrs.icon }
      : undefined;
    return block('callout', withColor({ rich_text: richText, ...(icon ? { icon } : {}) }, attrs.color), inner);
  }

  private table(line: Line, attrs: Record<string, string>): MarkdownNode {
    const body = this.verbatim(line, '</table>')
      .map((l) => l.trim())
      .join('');
    const rows = [...body.matchAll(/<tr(?:\s[^>]*)?>(.*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<td(?:\s[^>]*)?>(.*?)<\/td>/g)].map((cell) => parseRichText(cell[1]!)),
    );
    const width = Math.max(1, ...rows.map((r) => r.length));
    const children = rows.map((cells) =>
      block('table_row', { cells: [...cells, ...Array.from({ length: width - cells.length }, () => [])] }),
    );
    return block(
      'table',
      {
        table_width: width,
        has_column_header: attrs['header-row'] === 'true',
        has_row_header: attrs['header-column'] === 'true',
      },
      children,
    );
  }

  private textNode(line: Line, raw: string): MarkdownNode {
    const { text: t, attrs } = splitBraces(raw);
    const heading = /^(#{1,6})(?:\s+(.*))?$/.exec(t);
    if (heading) {
      const level = Math.min(heading[1]!.length, 3);
      const payload = { rich_text: parseRichText(heading[2] ?? ''), is_toggleable: attrs.toggle === 'true' };
      return block(`heading_${level}`, withColor(payload, attrs.color), this.children(line));
    }
    const todo = /^[-*+]\s+\[([ xX])\](?:\s+(.*))?$/.exec(t);
    if (todo) {
      const payload = { rich_text: parseRichText(todo[2] ?? ''), checked: todo[1] !== ' ' };
      return block('to_do', withColor(payload, attrs.color), this.children(line));
    }
    const marker = /^(?:([-*+])|(\d+)[.)]|(>))(?:\s+(.*)|$)/.exec(t);
    const type = marker ? (marker[1] ? 'bulleted_list_item' : marker[2] ? 'numbered_list_item' : 'quote') : null;
    if (marker && type) {
      return block(type, withColor({ rich_text: parseRichText(marker[4] ?? '') }, attrs.color), this.children(line));
    }
    if (/^(-{3,}|\*{3,}|_{3,})$/.test(t)) return block('divider', {});
    const rich = t === '<empty-block/>' ? [] : parseRichText(t);
    return block('paragraph', withColor({ rich_text: rich }, attrs.color), this.children(line));
  }
}

function parseCode(content: string) {
  const items = [];
  for (let i = 0; i < content.length; i += 2000) {
    items.push({ type: 'text' as const, text: { content: content.slice(i, i + 2000) } });
  }
  return items;
}

/** `<page url>`, `<database url>` and `<unknown url="…#<block>">`: what to keep. */
function referenceNode(t: string): MarkdownNode | null {
  const m = /^<(page|database|unknown)((?:\s+[\w-]+="[^"]*")*)\s*(?:\/>|>.*<\/\1>)$/.exec(t);
  if (!m) return null;
  const attrs = parseAttributes(m[2] ?? '');
  const url = attrs.url ?? '';
  const id = m[1] === 'unknown' ? idInUrl(url.split('#')[1] ?? '') : idInUrl(url.split('#')[0] ?? '');
  if (!id) return null;
  const ref = m[1] === 'unknown' ? 'block' : (m[1] as 'page' | 'database');
  return { kind: 'keep', ref, id, source: t };
}

/** One-line tags: media, table of contents, images. */
function leafTag(t: string): MarkdownNode | null {
  const media = /^<(video|audio|file|pdf)((?:\s+[\w-]+="[^"]*")*)\s*(?:\/>|>(.*)<\/\1>)$/.exec(t);
  if (media) {
    const attrs = parseAttributes(media[2] ?? '');
    return block(media[1]!, {
      type: 'external',
      external: { url: attrs.src ?? '' },
      caption: parseRichText(media[3] ?? ''),
    });
  }
  const toc = /^<table_of_contents((?:\s+[\w-]+="[^"]*")*)\s*\/>$/.exec(t);
  if (toc) return block('table_of_contents', withColor({}, parseAttributes(toc[1] ?? '').color));
  const image = /^!\[(.*)\]\((\S*)\)$/.exec(splitBraces(t).text);
  if (image) {
    const url = decodeURIComponent(image[2]!);
    return block('image', { type: 'external', external: { url }, caption: parseRichText(image[1]!) });
  }
  return null;
}

/** A Markdown text as its top-level nodes, each with its source. */
export function parseMarkdown(markdown: string): ParsedChunk[] {
  const lines = markdown.split('\n').map((raw) => {
    const clean = raw.replace(/\r$/, '');
    const indent = /^\t*/.exec(clean)![0].length;
    return { indent, text: clean.trim(), raw: clean.replace(/\s+$/, '') };
  });
  return new BlockParser(lines).top();
}

/** The nodes alone. */
export const parseMarkdownNodes = (markdown: string): MarkdownNode[] => parseMarkdown(markdown).map((c) => c.node);
