// A page's Connections menu, as in Notion: integrations that can reach the page (shared here, or
// inherited from an ancestor) and the rest, to add. The server computes access with the API's own rule.
import { useEffect, useRef, useState } from 'react';
import type { PortalConnection, PortalConnections } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Link } from '../router';
import { useShell } from '../session';
import { ErrorBanner, Loading, useResource } from './ui';

export function ConnectionsMenu({ pageId, pageTitle }: { pageId: string; pageTitle: string }) {
  const [open, setOpen] = useState(false);
  const res = useResource(() => api<PortalConnections>('GET', `/pages/${pageId}/connections`), pageId);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const connected = res.data?.connections.filter((c) => c.access !== 'none') ?? [];

  useEffect(() => {
    if (!open) return undefined;
    const onDown = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !trigger.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  return (
    <div className="popover-anchor">
      <button
        ref={trigger}
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls="connections-panel"
        onClick={() => setOpen((o) => !o)}
      >
        Connections{res.data ? ` · ${connected.length}` : ''}
      </button>
      {open && (
        <div
          ref={panel}
          id="connections-panel"
          className="popover"
          role="dialog"
          aria-label={`Connections of ${pageTitle || 'Untitled'}`}
          onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}
        >
          {res.error && <ErrorBanner message={res.error} onRetry={res.reload} />}
          {!res.data && !res.error && <Loading />}
          {res.data && <Panel data={res.data} pageId={pageId} onChanged={res.set} />}
        </div>
      )}
    </div>
  );
}

function Panel({
  data,
  pageId,
  onChanged,
}: {
  data: PortalConnections;
  pageId: string;
  onChanged(d: PortalConnections): void;
}) {
  const { tree } = useShell();
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const connected = data.connections.filter((c) => c.access !== 'none');
  const others = data.connections.filter(
    (c) => c.access === 'none' && c.integration.name.toLowerCase().includes(filter.trim().toLowerCase()),
  );

  const change = async (c: PortalConnection, method: 'PUT' | 'DELETE') => {
    setBusy(c.integration.id);
    setError(null);
    try {
      onChanged(await api<PortalConnections>(method, `/pages/${pageId}/connections/${c.integration.id}`));
      tree.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  if (data.connections.length === 0) return <NoIntegrations />;
  return (
    <div className="popover-body">
      <p className="popover-title">Connections</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <ConnectedList connected={connected} busy={busy} onRemove={(c) => void change(c, 'DELETE')} />
      <AddConnections
        others={others}
        filter={filter}
        onFilter={setFilter}
        busy={busy}
        onConnect={(c) => void change(c, 'PUT')}
      />
      <p className="muted small popover-foot">
        Pages below this one inherit its connections. This is exactly what the API enforces: an integration not listed
        above gets <code>404 object_not_found</code>.
      </p>
    </div>
  );
}

function NoIntegrations() {
  return (
    <div className="popover-body">
      <p className="popover-title">Connections</p>
      <p className="muted small">This workspace has no integrations yet.</p>
      <Link to="/integrations/new" className="btn btn-primary btn-small">
        Create an integration
      </Link>
    </div>
  );
}

/** The integrations that reach the page: shared here (removable) or through the pages it inherits from. */
function ConnectedList({
  connected,
  busy,
  onRemove,
}: {
  connected: PortalConnection[];
  /** The integration whose change is in flight. */
  busy: string | null;
  onRemove(c: PortalConnection): void;
}) {
  if (connected.length === 0) {
    return (
      <p className="muted small">
        No integration can reach this page: every one of them gets <code>404</code> for it.
      </p>
    );
  }
  return (
    <ul className="conn-list" aria-label="Integrations with access">
      {connected.map((c) => (
        <li key={c.integration.id} className="conn">
          <ConnectionSummary connection={c} />
          {c.access === 'direct' ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy === c.integration.id}
              onClick={() => onRemove(c)}
              aria-label={`Remove ${c.integration.name}`}
            >
              Remove
            </button>
          ) : (
            <span className="muted small" title="Remove it on the page it is shared from">
              inherited
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** An integration's name, where its access comes from, and a warning when it cannot read content at all. */
function ConnectionSummary({ connection: c }: { connection: PortalConnection }) {
  return (
    <div className="conn-main">
      <span className="conn-name">{c.integration.name}</span>
      {c.access === 'direct' && <span className="badge">Shared here</span>}
      {c.via.length > 0 && (
        <span className="muted small">
          {c.access === 'direct' ? 'also ' : ''}from{' '}
          {c.via.map((v, i) => (
            <span key={v.id}>
              {i > 0 ? ', ' : ''}
              <Link to={`/pages/${v.id}`}>{v.title || 'Untitled'}</Link>
            </span>
          ))}
        </span>
      )}
      {!c.integration.capabilities.includes('read_content') && (
        <span className="warn small">No “Read content” capability: reads answer 403.</span>
      )}
    </div>
  );
}

/** The integrations without access, filtered by name, each with a Connect button. */
function AddConnections({
  others,
  filter,
  onFilter,
  busy,
  onConnect,
}: {
  others: PortalConnection[];
  filter: string;
  onFilter(filter: string): void;
  busy: string | null;
  onConnect(c: PortalConnection): void;
}) {
  return (
    <div className="popover-section">
      <label htmlFor="conn-search" className="popover-subtitle">
        Add connections
      </label>
      <input
        id="conn-search"
        className="input input-small"
        placeholder="Search integrations"
        autoFocus
        value={filter}
        onChange={(e) => onFilter(e.target.value)}
      />
      {others.length === 0 ? (
        <p className="muted small">{filter ? 'No integration matches.' : 'Every integration already has access.'}</p>
      ) : (
        <ul className="conn-list" aria-label="Integrations without access">
          {others.map((c) => (
            <li key={c.integration.id} className="conn">
              <span className="conn-name">{c.integration.name}</span>
              <button
                type="button"
                className="btn btn-small btn-primary"
                disabled={busy === c.integration.id}
                onClick={() => onConnect(c)}
                aria-label={`Connect ${c.integration.name}`}
              >
                Connect
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
