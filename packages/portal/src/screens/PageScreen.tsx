// One page: where it sits, its title (rename), its Connections, its id for API calls, and its blocks — or,
// in the Markdown tab, its content as the API's enhanced Markdown. A database shows its data sources with
// their views and rows instead; a database row shows its values and its data source and database ids too.
import { useState } from 'react';
import type { PortalPage, PortalTreeNode } from '@notion-local/server';
import { api } from '../api';
import { Link } from '../router';
import { useShell } from '../session';
import { BlockList } from '../components/Blocks';
import { DataSourceList, RowProperties } from '../components/DataSources';
import { iconText } from '../components/RichText';
import { ConnectionsMenu } from '../components/ConnectionsMenu';
import { EditableTitle } from '../components/EditableTitle';
import { PageMarkdown } from '../components/PageMarkdown';
import { CopyButton, EmptyState, ErrorBanner, formatTime, Loading, useResource } from '../components/ui';

type Tab = 'blocks' | 'markdown';
const TABS: { id: Tab; label: string }[] = [
  { id: 'blocks', label: 'Blocks' },
  { id: 'markdown', label: 'Markdown' },
];

function PageBlocks({ page }: { page: PortalPage }) {
  if (page.blocks.length === 0)
    return (
      <EmptyState title="This page is empty">
        Add content through the API: <code>PATCH /v1/blocks/{page.id}/children</code> with an integration that is
        connected and can insert content.
      </EmptyState>
    );
  return (
    <>
      <BlockList blocks={page.blocks} />
      {page.truncated && (
        <p className="banner banner-info">Only the first blocks are shown here; the API pages through all of them.</p>
      )}
    </>
  );
}

/** A database's data sources; a page's blocks, or the same content as the API's Markdown (a tab each). */
function PageBody({ page }: { page: PortalPage }) {
  const [tab, setTab] = useState<Tab>('blocks');
  if (page.data_sources)
    return (
      <div className="page-body page-body-wide">
        <DataSourceList databaseId={page.id} sources={page.data_sources} />
      </div>
    );
  return (
    <div className="page-body">
      <div className="tabs" role="tablist" aria-label="Show the page as">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className={`tab${tab === t.id ? ' tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'blocks' ? <PageBlocks page={page} /> : <PageMarkdown pageId={page.id} />}
      </div>
    </div>
  );
}

export function PageScreen({ id }: { id: string }) {
  const { tree } = useShell();
  const res = useResource(() => api<PortalPage>('GET', `/pages/${id}`), id);
  if (res.error)
    return (
      <section className="screen">
        <ErrorBanner message={res.error} onRetry={res.reload} />
      </section>
    );
  if (!res.data)
    return (
      <section className="screen">
        <Loading />
      </section>
    );
  const page = res.data;
  return (
    <article className="screen page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <span>{page.ancestors.length === 0 ? 'Workspace' : ''}</span>
        {page.ancestors.map((a, i) => (
          <span key={a.id}>
            {i > 0 ? ' / ' : ''}
            <Link to={`/pages/${a.id}`} title={a.object === 'page' ? undefined : a.object.replace('_', ' ')}>
              {a.title || 'Untitled'}
            </Link>
          </span>
        ))}
        {' /'}
      </nav>
      <div className="page-toolbar">
        <EditableTitle
          value={page.title}
          fieldLabel="Page title"
          renameLabel="Rename page"
          canEdit={page.object === 'page' && !page.row}
          maxLength={2000}
          onSave={async (title) => {
            const node = await api<PortalTreeNode>('PATCH', `/pages/${page.id}`, { title });
            res.set({ ...page, title: node.title });
            tree.reload();
          }}
        >
          <span className="page-icon" aria-hidden="true">
            {iconText(page.icon, page.object)}
          </span>{' '}
          {page.title || <span className="muted">Untitled</span>}
        </EditableTitle>
        <ConnectionsMenu pageId={page.id} pageTitle={page.title} />
      </div>
      <p className="muted small page-meta">
        {page.archived && <span className="badge badge-warn">In trash</span>} Edited {formatTime(page.last_edited_time)}
        {page.object === 'page' && (
          <>
            {' '}
            · {page.row ? 'page id (a database row)' : 'id'} <code>{page.id}</code>{' '}
            <CopyButton text={page.id} label="Copy id" />
          </>
        )}
      </p>
      {page.row && <RowProperties row={page.row} />}
      <PageBody key={page.id} page={page} />
    </article>
  );
}
