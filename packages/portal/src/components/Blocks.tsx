// Renders a page's blocks from the API's own block objects (type + payload), as Notion shows them:
// text with annotations and links, headings, lists (consecutive items grouped), to-dos, toggles,
// quotes, callouts, code, dividers, media by URL, tables, columns and child pages.
import { useState, type ReactNode } from 'react';
import type { PortalBlock, PortalIcon } from '@notion-local/server';
import { Link } from '../router';

interface RichItem {
  type: string;
  plain_text: string;
  href: string | null;
  annotations?: {
    bold?: boolean;
    italic?: boolean;
    strikethrough?: boolean;
    underline?: boolean;
    code?: boolean;
    color?: string;
  };
  mention?: { type: string; page?: { id: string }; database?: { id: string } };
}

/** Links open only for web and mail URLs; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string | null | undefined): string | null {
  return url && /^(https?:|mailto:)/i.test(url) ? url : null;
}

export function iconText(icon: PortalIcon | null | undefined, object: 'page' | 'database' = 'page'): string {
  if (icon?.type === 'emoji') return icon.emoji;
  return object === 'database' ? '▦' : '📄';
}

function RichText({ items }: { items: unknown }) {
  if (!Array.isArray(items) || items.length === 0) return null;
  return (
    <>
      {(items as RichItem[]).map((item, i) => {
        const a = item.annotations ?? {};
        let node: ReactNode = item.plain_text;
        if (a.code) node = <code className="inline-code">{node}</code>;
        if (a.bold) node = <strong>{node}</strong>;
        if (a.italic) node = <em>{node}</em>;
        if (a.strikethrough) node = <s>{node}</s>;
        if (a.underline) node = <u>{node}</u>;
        const mentioned = item.mention?.page?.id ?? item.mention?.database?.id;
        if (mentioned)
          node = (
            <Link to={`/pages/${mentioned}`} className="mention">
              {node}
            </Link>
          );
        else if (safeHref(item.href))
          node = (
            <a href={safeHref(item.href)!} target="_blank" rel="noreferrer noopener">
              {node}
            </a>
          );
        const color = a.color && a.color !== 'default' ? `color-${a.color}` : undefined;
        return (
          <span key={i} className={color}>
            {node}
          </span>
        );
      })}
    </>
  );
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

function ImageBlock({ block }: { block: PortalBlock }) {
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

function Block({ block }: { block: PortalBlock }): ReactNode {
  const b = block;
  switch (b.type) {
    case 'paragraph':
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
    case 'heading_1':
    case 'heading_2':
    case 'heading_3': {
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
    case 'to_do': {
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
    case 'toggle':
      return (
        <details className="block toggle">
          <summary>{text(b)}</summary>
          <Children blocks={b.children} />
        </details>
      );
    case 'quote':
      return (
        <blockquote className="block">
          {text(b)}
          <Children blocks={b.children} />
        </blockquote>
      );
    case 'callout':
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
    case 'code':
      return (
        <figure className="block code">
          <div className="code-lang">{String(b.content.language ?? 'plain text')}</div>
          <pre>
            <code>{(b.content.rich_text as RichItem[] | undefined)?.map((r) => r.plain_text).join('')}</code>
          </pre>
          {caption(b)}
        </figure>
      );
    case 'equation':
      return (
        <div className="block equation">
          <code>{String(b.content.expression ?? '')}</code>
        </div>
      );
    case 'divider':
      return <hr className="block" />;
    case 'image':
      return <ImageBlock block={b} />;
    case 'video':
    case 'pdf':
    case 'audio':
    case 'file':
    case 'bookmark':
    case 'embed': {
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
    case 'child_page':
    case 'child_database':
      return (
        <div className="block">
          <Link to={`/pages/${b.id}`} className="child-page">
            <span aria-hidden="true">{b.type === 'child_page' ? '📄' : '▦'}</span>{' '}
            {String(b.content.title ?? '') || 'Untitled'}
          </Link>
        </div>
      );
    case 'link_to_page': {
      const id = String(b.content.page_id ?? b.content.database_id ?? '');
      return (
        <div className="block">
          <Link to={`/pages/${id}`} className="child-page">
            <span aria-hidden="true">↗</span> Link to page
          </Link>
        </div>
      );
    }
    case 'table':
      return (
        <div className="block table-wrap">
          <table className="block-table">
            <tbody>
              {b.children.map((row, r) => (
                <tr key={row.id}>
                  {((row.content.cells as unknown[][] | undefined) ?? []).map((cell, c) => {
                    const header =
                      (b.content.has_column_header === true && r === 0) ||
                      (b.content.has_row_header === true && c === 0);
                    return header ? (
                      <th key={c} scope={r === 0 ? 'col' : 'row'}>
                        <RichText items={cell} />
                      </th>
                    ) : (
                      <td key={c}>
                        <RichText items={cell} />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'column_list':
      return (
        <div className="block columns">
          {b.children.map((col) => (
            <div key={col.id} className="column">
              <BlockList blocks={col.children} />
            </div>
          ))}
        </div>
      );
    case 'column':
      return (
        <div className="column">
          <BlockList blocks={b.children} />
        </div>
      );
    case 'breadcrumb':
      return <div className="block muted small">Breadcrumb</div>;
    case 'table_of_contents':
      return <div className="block muted small">Table of contents</div>;
    default:
      return (
        <div className="block unsupported">
          Unsupported block type <code>{b.type}</code>
        </div>
      );
  }
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
