// A page as Markdown: its title, then its blocks in order, children fetched through the SDK's
// pagination. Blocks Markdown cannot express keep their text (toggles as <details>, callouts as quotes).
import {
  collectPaginatedAPI,
  isFullBlock,
  isFullPage,
  type BlockObjectResponse,
  type RichTextItemResponse,
} from '@notionhq/client';
import { sharedEndpoints, type NotionApi, type NotionClient } from '../api/notion-api.js';

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}

/** Rich text with its annotations and links as inline Markdown. */
export function richTextToMarkdown(items: readonly RichTextItemResponse[]): string {
  return items
    .map((item) => {
      if (item.type === 'equation') return `$${item.equation.expression}$`;
      let text = item.annotations.code ? `\`${item.plain_text}\`` : escapeMarkdown(item.plain_text);
      if (text.trim() === '') return text;
      const { bold, italic, strikethrough } = item.annotations;
      if (strikethrough) text = `~~${text}~~`;
      if (italic) text = `*${text}*`;
      if (bold) text = `**${text}**`;
      return item.href ? `[${text}](${item.href})` : text;
    })
    .join('');
}

type Children = (blockId: string) => Promise<BlockObjectResponse[]>;

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');
}

function mediaUrl(media: { type: string; external?: { url: string }; file?: { url: string } }): string {
  return media.type === 'external' ? (media.external?.url ?? '') : (media.file?.url ?? '');
}

type TableBlock = Extract<BlockObjectResponse, { type: 'table' }>;
type Media = { type: string; external?: { url: string }; file?: { url: string }; caption: RichTextItemResponse[] };

async function blockToMarkdown(block: BlockObjectResponse, children: Children, number: number): Promise<string> {
  return (await textBlockToMarkdown(block, children, number)) ?? (await otherBlockToMarkdown(block, children));
}

/** Blocks of rich text (paragraphs, headings, list items, quotes, callouts, toggles); undefined for others. */
async function textBlockToMarkdown(
  block: BlockObjectResponse,
  children: Children,
  number: number,
): Promise<string | undefined> {
  const nested = async (prefix: string) => {
    if (!block.has_children) return '';
    const inner = await blocksToMarkdown(await children(block.id), children);
    return inner ? `\n${indent(inner, prefix)}` : '';
  };
  switch (block.type) {
    case 'paragraph':
      return richTextToMarkdown(block.paragraph.rich_text) + (await nested('    '));
    case 'heading_1':
      return `# ${richTextToMarkdown(block.heading_1.rich_text)}${await nested('')}`;
    case 'heading_2':
      return `## ${richTextToMarkdown(block.heading_2.rich_text)}${await nested('')}`;
    case 'heading_3':
      return `### ${richTextToMarkdown(block.heading_3.rich_text)}${await nested('')}`;
    case 'bulleted_list_item':
      return `- ${richTextToMarkdown(block.bulleted_list_item.rich_text)}${await nested('  ')}`;
    case 'numbered_list_item':
      return `${number}. ${richTextToMarkdown(block.numbered_list_item.rich_text)}${await nested('   ')}`;
    case 'to_do':
      return `- [${block.to_do.checked ? 'x' : ' '}] ${richTextToMarkdown(block.to_do.rich_text)}${await nested('  ')}`;
    case 'toggle': {
      const inner = block.has_children ? await blocksToMarkdown(await children(block.id), children) : '';
      return `<details>\n<summary>${richTextToMarkdown(block.toggle.rich_text)}</summary>\n\n${inner}\n</details>`;
    }
    case 'quote':
      return indent(richTextToMarkdown(block.quote.rich_text) + (await nested('')), '> ');
    case 'callout': {
      const icon = block.callout.icon?.type === 'emoji' ? `${block.callout.icon.emoji} ` : '';
      return indent(icon + richTextToMarkdown(block.callout.rich_text) + (await nested('')), '> ');
    }
    default:
      return undefined;
  }
}

/** Code, equations, media, links, child pages, tables and containers; nothing for blocks with no Markdown. */
async function otherBlockToMarkdown(block: BlockObjectResponse, children: Children): Promise<string> {
  switch (block.type) {
    case 'code': {
      const language = block.code.language === 'plain text' ? '' : block.code.language;
      return `\`\`\`${language}\n${block.code.rich_text.map((t) => t.plain_text).join('')}\n\`\`\``;
    }
    case 'equation':
      return `$$\n${block.equation.expression}\n$$`;
    case 'divider':
      return '---';
    case 'image':
      return `![${block.image.caption.map((t) => t.plain_text).join('')}](${mediaUrl(block.image)})`;
    case 'video':
    case 'pdf':
    case 'audio':
    case 'file': {
      // The SDK types each media block apart; the shape they share is read under the block's type name.
      const media = (block as unknown as Record<string, Media>)[block.type]!;
      const label = media.caption.map((t) => t.plain_text).join('') || block.type;
      return `[${escapeMarkdown(label)}](${mediaUrl(media)})`;
    }
    case 'bookmark':
      return `[${escapeMarkdown(block.bookmark.caption.map((t) => t.plain_text).join('') || block.bookmark.url)}](${block.bookmark.url})`;
    case 'embed':
      return `[${escapeMarkdown(block.embed.url)}](${block.embed.url})`;
    case 'link_preview':
      return `[${escapeMarkdown(block.link_preview.url)}](${block.link_preview.url})`;
    case 'child_page':
      return `📄 ${escapeMarkdown(block.child_page.title)}`;
    case 'child_database':
      return `🗃️ ${escapeMarkdown(block.child_database.title)}`;
    case 'table':
      return tableToMarkdown(block, await children(block.id));
    case 'column_list':
    case 'column':
    case 'synced_block':
    case 'template':
      return block.has_children ? blocksToMarkdown(await children(block.id), children) : '';
    default:
      // table_of_contents, breadcrumb, unsupported, table_row (read through their table) and unknown types.
      return '';
  }
}

/** A Markdown table; without a column header, an empty header row (Markdown tables need one). */
function tableToMarkdown(block: TableBlock, rowBlocks: BlockObjectResponse[]): string {
  const rows = rowBlocks.flatMap((r) =>
    r.type === 'table_row' ? [r.table_row.cells.map((c) => richTextToMarkdown(c).replace(/\n/g, ' '))] : [],
  );
  if (rows.length === 0) return '';
  const width = block.table.table_width;
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head = [], ...body] = block.table.has_column_header
    ? rows
    : [Array.from({ length: width }, () => ''), ...rows];
  return [line(head), `| ${Array.from({ length: width }, () => '---').join(' | ')} |`, ...body.map(line)].join('\n');
}

const LIST_TYPES = new Set(['bulleted_list_item', 'numbered_list_item', 'to_do']);

async function blocksToMarkdown(blocks: readonly BlockObjectResponse[], children: Children): Promise<string> {
  const parts: string[] = [];
  let number = 0;
  let previous: string | null = null;
  for (const block of blocks) {
    number = block.type === 'numbered_list_item' ? (previous === 'numbered_list_item' ? number + 1 : 1) : 0;
    const text = await blockToMarkdown(block, children, number);
    if (text === '') continue;
    // Items of one list sit on consecutive lines; everything else is separated by a blank line.
    const sep =
      parts.length === 0
        ? ''
        : LIST_TYPES.has(block.type) && previous !== null && LIST_TYPES.has(previous)
          ? '\n'
          : '\n\n';
    parts.push(sep + text);
    previous = block.type;
  }
  return parts.join('');
}

/** The page (title and content) as Markdown. */
export async function pageToMarkdown(source: NotionClient | NotionApi, pageId: string): Promise<string> {
  const client = sharedEndpoints(source);
  const page = await client.pages.retrieve({ page_id: pageId });
  let title = '';
  if (isFullPage(page)) {
    const titleProp = Object.values(page.properties).find((p) => p.type === 'title');
    if (titleProp?.type === 'title') title = titleProp.title.map((t) => t.plain_text).join('');
  }
  const children: Children = async (blockId) =>
    (await collectPaginatedAPI(client.blocks.children.list, { block_id: blockId })).filter(isFullBlock);
  const body = await blocksToMarkdown(await children(page.id), children);
  return `${title ? `# ${escapeMarkdown(title)}\n\n` : ''}${body}\n`;
}
