// A page as enhanced Markdown, exactly as `GET /v1/pages/{id}/markdown` answers it (the server renders both
// with one service), with a copy button. Read-only: Markdown edits go through the API.
import type { PortalPageMarkdown } from '@notion-local/server';
import { api } from '../api';
import { CopyButton, ErrorBanner, Loading, useResource } from './ui';

export function PageMarkdown({ pageId }: { pageId: string }) {
  const res = useResource(() => api<PortalPageMarkdown>('GET', `/pages/${pageId}/markdown`), pageId);
  if (res.error) return <ErrorBanner message={res.error} onRetry={res.reload} />;
  if (!res.data) return <Loading label="Rendering Markdown…" />;
  const { markdown, truncated, unknown_block_ids: unknown } = res.data;
  return (
    <section className="page-markdown" aria-label="Markdown">
      <div className="markdown-toolbar">
        <p className="muted small">
          What <code>GET /v1/pages/{'{id}'}/markdown</code> answers (enhanced Markdown). Edit it through the API:{' '}
          <code>PATCH /v1/pages/{'{id}'}/markdown</code>.
        </p>
        <CopyButton text={markdown} label="Copy Markdown" />
      </div>
      {markdown === '' ? (
        <p className="muted">This page has no content: its Markdown is empty.</p>
      ) : (
        <pre className="markdown-source" aria-label="Markdown source">
          <code>{markdown}</code>
        </pre>
      )}
      {unknown.length > 0 && (
        <p className="muted small">
          {unknown.length} block{unknown.length === 1 ? ' has' : 's have'} no Markdown form and{' '}
          {unknown.length === 1 ? 'is' : 'are'} written as <code>{'<unknown/>'}</code> tags.
        </p>
      )}
      {truncated && (
        <p className="banner banner-info">The page is too long: only its first 20,000 blocks are rendered.</p>
      )}
    </section>
  );
}
