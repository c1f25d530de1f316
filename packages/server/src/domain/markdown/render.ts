// A page's blocks as Notion's enhanced Markdown, v1 (reference §17.2, §17.4): one line (or tag group) per block,
// adjacent blocks joined by one "\n", each child level indented one more tab. Blocks Markdown has no form for
// (bookmark, embed, link_to_page, breadcrumb, …) are written `<unknown url="…#<block>" alt="<type>"/>` and
// listed in `unknownIds`. Child pages and databases are tags naming them; their content is not descended into.
import { undashed } from '../../ids.js';
import { escapeText, renderRichText, type StoredRichText } from './inline.js';
import { attributes, braces, colorOf } from './syntax.js';

/** A block (or child page/database) with its loaded children, in order. */
export interface MarkdownBlock {
  id: string;
  object: 'block' | 'page' | 'database';
  type: string;
  content: Record<string, unknown>;
  /** Child pages and databases: their title and URL. */
  title: string;
  url: string;
  children: MarkdownBlock[];
  /** It has children that were not loaded (the page was truncated). */
  unloaded?: boolean;
}

export interface RenderedMarkdown {
  markdown: string;
  /** The Markdown of each top-level block, in order (markdown is these joined by "\n"). */
  chunks: string[];
  unknownIds: string[];
}

interface RenderContext {
  pageId: string;
  unknownIds: string[];
}

const rt = (b: MarkdownBlock, key = 'rich_text') => renderRichText(b.content[key] as StoredRichText[] | undefined);

/** Text that would read as another block's marker at the start of a line gets that marker escaped. */
function guardStart(text: string): string {
  return text.replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2').replace(/^([#+_-])/, '\\$1');
}

const TEXT_MARKERS: Record<string, (b: MarkdownBlock, n: number) => string> = {
  paragraph: () => '',
  heading_1: () => '# ',
  heading_2: () => '## ',
  heading_3: () => '### ',
  bulleted_list_item: () => '- ',
  numbered_list_item: (_b, n) => `${n}. `,
  to_do: (b) => (b.content.checked ? '- [x] ' : '- [ ] '),
  quote: () => '> ',
};

function textBlock(b: MarkdownBlock, n: number, tabs: string, out: string[], ctx: RenderContext, depth: number) {
  const text = rt(b);
  const toggle = b.type.startsWith('heading_') && b.content.is_toggleable === true ? 'true' : null;
  const attrs = braces([
    ['toggle', toggle],
    ['color', colorOf(b.content.color)],
  ]);
  if (b.type === 'paragraph' && text === '' && !attrs) out.push(`${tabs}<empty-block/>`);
  else out.push(`${tabs}${TEXT_MARKERS[b.type]!(b, n)}${b.type === 'paragraph' ? guardStart(text) : text}${attrs}`);
  renderLevel(b.children, depth + 1, out, ctx);
}

function iconAttribute(icon: unknown): string | null {
  const i = icon as { type?: string; emoji?: string; external?: { url: string } } | null;
  if (!i) return null;
  return i.type === 'emoji' ? (i.emoji ?? null) : (i.external?.url ?? null);
}

function tagBlock(b: MarkdownBlock, tabs: string, out: string[], ctx: RenderContext, depth: number): boolean {
  const color = colorOf(b.content.color);
  switch (b.type) {
    case 'toggle':
      out.push(`${tabs}<details${attributes([['color', color]])}>`, `${tabs}<summary>${rt(b)}</summary>`);
      renderLevel(b.children, depth + 1, out, ctx);
      out.push(`${tabs}</details>`);
      return true;
    case 'callout': {
      const icon = iconAttribute(b.content.icon);
      out.push(
        `${tabs}<callout${attributes([
          ['icon', icon],
          ['color', color],
        ])}>`,
      );
      const text = rt(b);
      if (text) out.push(`${tabs}\t${guardStart(text)}`);
      renderLevel(b.children, depth + 1, out, ctx);
      out.push(`${tabs}</callout>`);
      return true;
    }
    case 'column_list':
      out.push(`${tabs}<columns>`);
      for (const column of b.children) {
        out.push(`${tabs}\t<column>`);
        renderLevel(column.children, depth + 2, out, ctx);
        out.push(`${tabs}\t</column>`);
      }
      out.push(`${tabs}</columns>`);
      return true;
    case 'table':
      tableBlock(b, tabs, out);
      return true;
    default:
      return false;
  }
}

function tableBlock(b: MarkdownBlock, tabs: string, out: string[]): void {
  const flag = (key: string) => (b.content[key] === true ? 'true' : null);
  out.push(
    `${tabs}<table${attributes([
      ['header-row', flag('has_column_header')],
      ['header-column', flag('has_row_header')],
    ])}>`,
  );
  for (const row of b.children) {
    out.push(`${tabs}<tr>`);
    for (const cell of (row.content.cells as StoredRichText[][] | undefined) ?? []) {
      out.push(`${tabs}<td>${renderRichText(cell)}</td>`);
    }
    out.push(`${tabs}</tr>`);
  }
  out.push(`${tabs}</table>`);
}

const MEDIA_TAGS = new Set(['video', 'audio', 'file', 'pdf']);

/** Blocks of one line and no children (media, code, equation, divider, …); false for another type. */
function leafBlock(b: MarkdownBlock, tabs: string, out: string[]): boolean {
  const c = b.content;
  const url = (c.external as { url?: string } | undefined)?.url ?? '';
  if (b.type === 'image') out.push(`${tabs}![${rt(b, 'caption')}](${url.replace(/[()\s]/g, encodeURIComponent)})`);
  else if (MEDIA_TAGS.has(b.type))
    out.push(`${tabs}<${b.type}${attributes([['src', url]])}>${rt(b, 'caption')}</${b.type}>`);
  else if (b.type === 'code') {
    const body = renderRichPlain(c.rich_text).split('\n');
    out.push(`${tabs}\`\`\`${String(c.language ?? 'plain text')}`, ...body.map((l) => `${tabs}${l}`), `${tabs}\`\`\``);
  } else if (b.type === 'equation')
    out.push(
      `${tabs}$$`,
      ...String(c.expression ?? '')
        .split('\n')
        .map((l) => `${tabs}${l}`),
      `${tabs}$$`,
    );
  else if (b.type === 'divider') out.push(`${tabs}---`);
  else if (b.type === 'table_of_contents')
    out.push(`${tabs}<table_of_contents${attributes([['color', colorOf(c.color)]])}/>`);
  else if (b.object === 'page') out.push(`${tabs}<page${attributes([['url', b.url]])}>${escapeText(b.title)}</page>`);
  else if (b.object === 'database') {
    const inline = c.is_inline === true ? 'true' : null;
    out.push(
      `${tabs}<database${attributes([
        ['url', b.url],
        ['inline', inline],
      ])}>${escapeText(b.title)}</database>`,
    );
  } else return false;
  return true;
}

const renderRichPlain = (items: unknown) =>
  ((items as { plain_text: string }[] | undefined) ?? []).map((i) => i.plain_text).join('');

function unknownBlock(b: MarkdownBlock, tabs: string, out: string[], ctx: RenderContext): void {
  const url = `https://www.notion.so/${undashed(ctx.pageId)}#${undashed(b.id)}`;
  out.push(
    `${tabs}<unknown${attributes([
      ['url', url],
      ['alt', b.type],
    ])}/>`,
  );
  ctx.unknownIds.push(b.id);
}

function renderBlock(b: MarkdownBlock, n: number, depth: number, out: string[], ctx: RenderContext): void {
  const tabs = '\t'.repeat(depth);
  if (b.object === 'block' && b.type in TEXT_MARKERS) textBlock(b, n, tabs, out, ctx, depth);
  else if (b.object === 'block' && tagBlock(b, tabs, out, ctx, depth)) return;
  else if (!leafBlock(b, tabs, out)) unknownBlock(b, tabs, out, ctx);
  if (b.unloaded && !ctx.unknownIds.includes(b.id)) ctx.unknownIds.push(b.id);
}

function renderLevel(blocks: readonly MarkdownBlock[], depth: number, out: string[], ctx: RenderContext): void {
  let n = 0;
  for (const b of blocks) {
    n = b.type === 'numbered_list_item' ? n + 1 : 0;
    renderBlock(b, n, depth, out, ctx);
  }
}

/** The Markdown of a page's (or block's) children. */
export function renderMarkdown(pageId: string, blocks: readonly MarkdownBlock[]): RenderedMarkdown {
  const ctx: RenderContext = { pageId, unknownIds: [] };
  const chunks: string[] = [];
  let n = 0;
  for (const b of blocks) {
    n = b.type === 'numbered_list_item' ? n + 1 : 0;
    const out: string[] = [];
    renderBlock(b, n, 0, out, ctx);
    chunks.push(out.join('\n'));
  }
  return { markdown: chunks.join('\n'), chunks, unknownIds: ctx.unknownIds };
}
