// Renders a page's blocks from the API's own block objects (type + payload), as Notion shows them:
// text with annotations and links, headings, lists (consecutive items grouped), to-dos, toggles,
// quotes, callouts, code, dividers, media by URL, tables, columns and child pages.
import { useState, type ReactNode } from 'react';
import type { PortalBlock, PortalIcon } from '@notion-local/server';
import { Link } from '../router';
import { iconText, RichText, safeHref, type RichItem } from './RichText';

interface BlockProps {
  block: PortalBlock;
}

const text = (b: PortalBlock) => <RichText items={b.content.rich_text} />;
const caption = (b: PortalBlock) =>
  Array.isArray(b.content.caption) && b.content.caption.length > 0 ? (
    <figcaption>
      <RichText items={b.content.caption} />
    </figcaption>
  ) : null;
const mediaUrl = (b: PortalBlock) =>
  String(
    (b.content.external as { url?: string } | undefined)?.url ??
      (b.content.file as { url?: string } | undefined)?.url ??
      '',
  );

function Children({ blocks }: { blocks: PortalBlock[] }) {
  return blocks.length ? (
    <div className="block-children">
      <BlockList blocks={blocks} />
    </div>
  ) : null;
}

function ImageBlock({ block }: BlockProps) {
  const [failed, setFailed] = useState(false);
  const url = mediaUrl(block);
  return (
    <figure className="block-image">
      {failed ? (
        <div className="image-fallback">
          Image could not be loaded:{' '}
          {safeHref(url) ? (
            <a href={url} target="_blank" rel="noreferrer noopener">
              {url}
            </a>
          ) : (
            url
          )}
        </div>
      ) : (
        <img
          src={url}
          alt={
            Array.isArray(block.content.caption)
              ? (block.content.caption as RichItem[]).map((c) => c.plain_text).join('')
              : ''
          }
          loading="lazy"
          onError={() => setFailed(true)}
        />
      )}
      {caption(block)}
    </figure>
  );
}

function Paragraph({ block: b }: BlockProps) {
  return (
    <div className="block">
      <p>
        {text(b) ?? (
          <span className="placeholder" aria-hidden="true">
            &nbsp;
          </span>
        )}
      </p>
      <Children blocks={b.children} />
    </div>
  );
}

/** Headings one to three as h2–h4 (the page title is the h1); a toggleable heading folds its children. */
function Heading({ block: b }: BlockProps) {
  const Tag = b.type === 'heading_1' ? 'h2' : b.type === 'heading_2' ? 'h3' : 'h4';
  if (b.content.is_toggleable) {
    return (
      <details className="block toggle">
        <summary>
          <Tag className="block-heading">{text(b)}</Tag>
        </summary>
        <Children blocks={b.children} />
      </details>
    );
  }
  return <Tag className={`block block-heading ${b.type}`}>{text(b)}</Tag>;
}

function ToDo({ block: b }: BlockProps) {
  const checked = b.content.checked === true;
  return (
    <div className="block">
      <label className={`todo${checked ? ' done' : ''}`}>
        <input type="checkbox" checked={checked} readOnly disabled aria-label={checked ? 'Done' : 'Not done'} />
        <span>{text(b)}</span>
      </label>
      <Children blocks={b.children} />
    </div>
  );
}

function Toggle({ block: b }: BlockProps) {
  return (
    <details className="block toggle">
      <summary>{text(b)}</summary>
      <Children blocks={b.children} />
    </details>
  );
}

function Quote({ block: b }: BlockProps) {
  return (
    <blockquote className="block">
      {text(b)}
      <Children blocks={b.children} />
    </blockquote>
  );
}

function Callout({ block: b }: BlockProps) {
  return (
    <div className="block callout" role="note">
      <span className="callout-icon" aria-hidden="true">
        {iconText(b.content.icon as PortalIcon | null)}
      </span>
      <div>
        {text(b)}
        <Children blocks={b.children} />
      </div>
    </div>
  );
}

function Code({ block: b }: BlockProps) {
  return (
    <figure className="block code">
      <div className="code-lang">{String(b.content.language ?? 'plain text')}</div>
      <pre>
        <code>{(b.content.rich_text as RichItem[] | undefined)?.map((r) => r.plain_text).join('')}</code>
      </pre>
      {caption(b)}
    </figure>
  );
}

function Equation({ block: b }: BlockProps) {
  return (
    <div className="block equation">
      <code>{String(b.content.expression ?? '')}</code>
    </div>
  );
}

/** Files, media other than images, bookmarks and embeds: a card with the kind and a link. */
function LinkCard({ block: b }: BlockProps) {
  const url = b.type === 'bookmark' || b.type === 'embed' ? String(b.content.url ?? '') : mediaUrl(b);
  return (
    <figure className="block link-card">
      <span className="link-kind">{b.type}</span>
      {safeHref(url) ? (
        <a href={url} target="_blank" rel="noreferrer noopener">
          {String(b.content.name ?? '') || url}
        </a>
      ) : (
        <span>{url}</span>
      )}
      {caption(b)}
    </figure>
  );
}

function ChildPage({ block: b }: BlockProps) {
  return (
    <div className="block">
      <Link to={`/pages/${b.id}`} className="child-page">
        <span aria-hidden="true">{b.type === 'child_page' ? '📄' : '▦'}</span>{' '}
        {String(b.content.title ?? '') || 'Untitled'}
      </Link>
    </div>
  );
}

function LinkToPage({ block: b }: BlockProps) {
  const id = String(b.content.page_id ?? b.content.database_id ?? '');
  return (
    <div className="block">
      <Link to={`/pages/${id}`} className="child-page">
        <span aria-hidden="true">↗</span> Link to page
      </Link>
    </div>
  );
}

/** A table: its rows are its children; the first row and/or column are headers when the table says so. */
function Table({ block: b }: BlockProps) {
  const isHeader = (r: number, c: number) =>
    (b.content.has_column_header === true && r === 0) || (b.content.has_row_header === true && c === 0);
  return (
    <div className="block table-wrap">
      <table className="block-table">
        <tbody>
          {b.children.map((row, r) => (
            <tr key={row.id}>
              {((row.content.cells as unknown[][] | undefined) ?? []).map((cell, c) =>
                isHeader(r, c) ? (
                  <th key={c} scope={r === 0 ? 'col' : 'row'}>
                    <RichText items={cell} />
                  </th>
                ) : (
                  <td key={c}>
                    <RichText items={cell} />
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ColumnList({ block: b }: BlockProps) {
  return (
    <div className="block columns">
      {b.children.map((col) => (
        <div key={col.id} className="column">
          <BlockList blocks={col.children} />
        </div>
      ))}
    </div>
  );
}

function Column({ block: b }: BlockProps) {
  return (
    <div className="column">
      <BlockList blocks={b.children} />
    </div>
  );
}

function Unsupported({ block: b }: BlockProps) {
  return (
    <div className="block unsupported">
      Unsupported block type <code>{b.type}</code>
    </div>
  );
}

/** The view of each block type the portal shows; list items are grouped by `BlockList` first. */
const BLOCK_VIEWS: Record<string, (props: BlockProps) => ReactNode> = {
  paragraph: Paragraph,
  heading_1: Heading,
  heading_2: Heading,
  heading_3: Heading,
  to_do: ToDo,
  toggle: Toggle,
  quote: Quote,
  callout: Callout,
  code: Code,
  equation: Equation,
  divider: () => <hr className="block" />,
  image: ImageBlock,
  video: LinkCard,
  pdf: LinkCard,
  audio: LinkCard,
  file: LinkCard,
  bookmark: LinkCard,
  embed: LinkCard,
  child_page: ChildPage,
  child_database: ChildPage,
  link_to_page: LinkToPage,
  table: Table,
  column_list: ColumnList,
  column: Column,
  breadcrumb: () => <div className="block muted small">Breadcrumb</div>,
  table_of_contents: () => <div className="block muted small">Table of contents</div>,
};

function Block({ block }: BlockProps): ReactNode {
  const View = BLOCK_VIEWS[block.type] ?? Unsupported;
  return <View block={block} />;
}

/** Consecutive list items become one list, as in Notion. */
export function BlockList({ blocks }: { blocks: PortalBlock[] }) {
  const out: ReactNode[] = [];
  for (let i = 0; i < blocks.length;) {
    const b = blocks[i]!;
    if (b.type === 'bulleted_list_item' || b.type === 'numbered_list_item') {
      const run: PortalBlock[] = [];
      while (i < blocks.length && blocks[i]!.type === b.type) run.push(blocks[i++]!);
      const items = run.map((item) => (
        <li key={item.id}>
          {text(item)}
          <Children blocks={item.children} />
        </li>
      ));
      out.push(
        b.type === 'bulleted_list_item' ? (
          <ul key={b.id} className="block list">
            {items}
          </ul>
        ) : (
          <ol key={b.id} className="block list">
            {items}
          </ol>
        ),
      );
      continue;
    }
    out.push(<Block key={b.id} block={b} />);
    i++;
  }
  return <>{out}</>;
}
