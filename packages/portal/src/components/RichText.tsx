// Notion rich text as the portal shows it: annotations, colours, links (web and mail only) and
// mentions of pages and databases as in-portal links; and the icon shown for a page or database.
import type { ReactNode } from 'react';
import type { PortalIcon } from '@notion-local/server';
import { Link } from '../router';

export interface RichItem {
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

export function RichText({ items }: { items: unknown }) {
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
