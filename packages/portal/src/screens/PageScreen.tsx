// One page: where it sits, its title (rename), its Connections, its id for API calls, and its blocks.
import { useState, type FormEvent } from 'react';
import type { PortalPage, PortalTreeNode } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Link } from '../router';
import { useShell } from '../session';
import { BlockList, iconText } from '../components/Blocks';
import { ConnectionsMenu } from '../components/ConnectionsMenu';
import { CopyButton, EmptyState, ErrorBanner, formatTime, Loading, useResource } from '../components/ui';

export function PageScreen({ id }: { id: string }) {
  const res = useResource(() => api<PortalPage>('GET', `/pages/${id}`), id);
  if (res.error) return <section className="screen"><ErrorBanner message={res.error} onRetry={res.reload} /></section>;
  if (!res.data) return <section className="screen"><Loading /></section>;
  const page = res.data;
  return (
    <article className="screen page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <span>{page.ancestors.length === 0 ? 'Workspace' : ''}</span>
        {page.ancestors.map((a, i) => (
          <span key={a.id}>{i > 0 ? ' / ' : ''}<Link to={`/pages/${a.id}`}>{a.title || 'Untitled'}</Link></span>
        ))}
        {' /'}
      </nav>
      <div className="page-toolbar">
        <Title page={page} onRenamed={(title) => res.set({ ...page, title })} />
        <ConnectionsMenu pageId={page.id} pageTitle={page.title} />
      </div>
      <p className="muted small page-meta">
        {page.archived && <span className="badge badge-warn">In trash</span>} Edited {formatTime(page.last_edited_time)} · id <code>{page.id}</code>{' '}
        <CopyButton text={page.id} label="Copy id" />
      </p>
      <div className="page-body">
        {page.blocks.length === 0 ? (
          <EmptyState title="This page is empty">
            Add content through the API: <code>PATCH /v1/blocks/{page.id}/children</code> with an integration that is connected and can insert content.
          </EmptyState>
        ) : (
          <BlockList blocks={page.blocks} />
        )}
        {page.truncated && <p className="banner banner-info">Only the first blocks are shown here; the API pages through all of them.</p>}
      </div>
    </article>
  );
}

function Title({ page, onRenamed }: { page: PortalPage; onRenamed(title: string): void }) {
  const { tree } = useShell();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(page.title);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const node = await api<PortalTreeNode>('PATCH', `/pages/${page.id}`, { title });
      onRenamed(node.title);
      tree.reload();
      setEditing(false);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (editing) {
    return (
      <form className="title-row" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
        <label htmlFor="page-title" className="sr-only">Page title</label>
        <input id="page-title" className="input input-title" autoFocus value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" className="btn btn-primary btn-small">Save</button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>Cancel</button>
        {error && <p className="field-error" role="alert">{error}</p>}
      </form>
    );
  }
  return (
    <div className="title-row">
      <h1><span className="page-icon" aria-hidden="true">{iconText(page.icon, page.object)}</span> {page.title || <span className="muted">Untitled</span>}</h1>
      {page.object === 'page' && (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => (setTitle(page.title), setEditing(true))} aria-label="Rename page">Rename</button>
      )}
    </div>
  );
}
