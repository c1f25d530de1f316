// "My integrations": every integration of the workspace, with what it may do and what it can reach.
import type { PortalIntegration } from '@notion-local/server';
import { api } from '../api';
import { chipLabels } from '../capabilities';
import { Link } from '../router';
import { isOwner, useShell } from '../session';
import { EmptyState, ErrorBanner, formatDate, Loading, useResource } from '../components/ui';

export function Integrations() {
  const { session } = useShell();
  const list = useResource(() => api<PortalIntegration[]>('GET', '/integrations'), 'integrations');
  const owner = isOwner(session);
  return (
    <section className="screen">
      <header className="screen-header">
        <div>
          <h1>Integrations</h1>
          <p className="muted">
            Internal integrations of {session.workspace.name}. Each one has a secret token, capabilities, and the pages
            shared with it.
          </p>
        </div>
        {owner && (
          <Link to="/integrations/new" className="btn btn-primary">
            New integration
          </Link>
        )}
      </header>
      <ErrorBanner message={list.error} onRetry={list.reload} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && (
        <EmptyState
          title="No integrations yet"
          action={
            owner ? (
              <Link to="/integrations/new" className="btn btn-primary">
                Create your first integration
              </Link>
            ) : undefined
          }
        >
          Create one, copy its secret, then share a page with it from the page's Connections menu.
        </EmptyState>
      )}
      {list.data && list.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Capabilities</th>
              <th scope="col">Secret</th>
              <th scope="col">Shared pages</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <Link to={`/integrations/${i.id}`}>{i.name}</Link>
                </th>
                <td>
                  <Chips caps={i.capabilities} />
                </td>
                <td>
                  <code className="small">{i.token_hint ?? 'none'}</code>
                </td>
                <td>
                  {i.shared_pages.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    `${i.shared_pages.length} page${i.shared_pages.length === 1 ? '' : 's'}`
                  )}
                </td>
                <td className="small muted nowrap">{formatDate(i.created_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!owner && <p className="muted small">Only workspace owners can create or change integrations.</p>}
    </section>
  );
}

function Chips({ caps }: { caps: PortalIntegration['capabilities'] }) {
  const labels = chipLabels(caps);
  if (labels.length === 0) return <span className="muted small">no capabilities</span>;
  return (
    <span className="chips">
      {labels.map((l) => (
        <span key={l} className="chip">
          {l}
        </span>
      ))}
    </span>
  );
}
