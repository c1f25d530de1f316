// One integration: its secret, capabilities, the pages shared with it, rename and delete.
import { useEffect, useState, type FormEvent } from 'react';
import type { PortalCapability, PortalIntegration } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { sameCaps } from '../capabilities';
import { Link, navigate } from '../router';
import { isOwner, useShell } from '../session';
import { CapabilityFields } from '../components/CapabilityFields';
import { EditableTitle } from '../components/EditableTitle';
import { SecretPanel } from '../components/SecretPanel';
import { OAuthPanel } from '../components/OAuthPanel';
import { Webhooks } from '../components/Webhooks';
import { ConfirmDialog, EmptyState, ErrorBanner, formatTime, Loading, useResource } from '../components/ui';

export function IntegrationDetail({ id }: { id: string }) {
  const { session } = useShell();
  const res = useResource(() => api<PortalIntegration>('GET', `/integrations/${id}`), id);
  const owner = isOwner(session);
  const [error, setError] = useState<string | null>(null);

  if (res.error)
    return (
      <section className="screen">
        <p className="crumbs">
          <Link to="/integrations">Integrations</Link> /
        </p>
        <ErrorBanner message={res.error} onRetry={res.reload} />
      </section>
    );
  if (!res.data)
    return (
      <section className="screen">
        <Loading />
      </section>
    );
  const integration = res.data;

  return (
    <section className="screen">
      <p className="crumbs">
        <Link to="/integrations">Integrations</Link> /
      </p>
      <EditableTitle
        value={integration.name}
        fieldLabel="Integration name"
        renameLabel="Rename integration"
        canEdit={owner}
        maxLength={100}
        onSave={async (name) =>
          res.set(await api<PortalIntegration>('PATCH', `/integrations/${integration.id}`, { name }))
        }
      >
        {integration.name}
      </EditableTitle>
      <p className="muted small">
        {integration.type === 'public' ? 'Public' : 'Internal'} integration in {session.workspace.name} · created{' '}
        {formatTime(integration.created_time)}
        {integration.owner ? ` by ${integration.owner.name}` : ''} · bot user id <code>{integration.id}</code>
      </p>
      <ErrorBanner message={error} />
      {integration.type === 'public' ? (
        <OAuthPanel integration={integration} canManage={owner} />
      ) : (
        <SecretPanel integration={integration} canManage={owner} onChanged={res.set} />
      )}
      <CapabilitiesCard integration={integration} canManage={owner} onChanged={res.set} />
      <SharedPagesCard integration={integration} />
      <Webhooks integration={integration} canManage={owner} />
      <DeleteIntegration integration={integration} canManage={owner} onError={setError} />
    </section>
  );
}

function SharedPagesCard({ integration }: { integration: PortalIntegration }) {
  return (
    <section className="card" aria-labelledby="shared-heading">
      <h2 id="shared-heading">Shared pages</h2>
      {integration.shared_pages.length === 0 ? (
        <EmptyState title="Nothing is shared with this integration">
          Its calls will answer 404 for every page. Open a page and add this integration from its Connections menu.
        </EmptyState>
      ) : (
        <>
          <ul className="plain-list">
            {integration.shared_pages.map((p) => (
              <li key={p.id}>
                <Link to={`/pages/${p.id}`}>📄 {p.title || 'Untitled'}</Link>
              </li>
            ))}
          </ul>
          <p className="muted small">Every page below a shared page is shared too.</p>
        </>
      )}
    </section>
  );
}

/** The danger zone (owners only) and its confirm; a deleted integration leaves for the list. */
function DeleteIntegration({
  integration,
  canManage,
  onError,
}: {
  integration: PortalIntegration;
  canManage: boolean;
  onError(message: string): void;
}) {
  const { setSecret } = useShell();
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setBusy(true);
    try {
      await api('DELETE', `/integrations/${integration.id}`);
      setSecret(null);
      navigate('/integrations');
    } catch (err) {
      onError(errorMessage(err));
      setBusy(false);
      setDeleting(false);
    }
  };

  return (
    <>
      {canManage && (
        <section className="card card-danger" aria-labelledby="danger-heading">
          <h2 id="danger-heading">Delete integration</h2>
          <p className="muted small">
            Its secret stops working and its connections are removed. Pages it created stay.
          </p>
          <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
            Delete {integration.name}
          </button>
        </section>
      )}
      <ConfirmDialog
        open={deleting}
        title={`Delete ${integration.name}?`}
        confirmLabel="Delete integration"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(false)}
      >
        <p>This cannot be undone (short of a sandbox reset, if the integration came from the seed).</p>
      </ConfirmDialog>
    </>
  );
}

function CapabilitiesCard({
  integration,
  canManage,
  onChanged,
}: {
  integration: PortalIntegration;
  canManage: boolean;
  onChanged(i: PortalIntegration): void;
}) {
  const [caps, setCaps] = useState<PortalCapability[]>(integration.capabilities);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setCaps(integration.capabilities), [integration.capabilities]);
  const dirty = !sameCaps(caps, integration.capabilities);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onChanged(await api<PortalIntegration>('PATCH', `/integrations/${integration.id}`, { capabilities: caps }));
      setStatus('Capabilities saved. They apply to the next API call.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="card" onSubmit={save} aria-labelledby="caps-heading">
      <h2 id="caps-heading">Capabilities</h2>
      <CapabilityFields value={caps} onChange={(c) => (setCaps(c), setStatus(null))} disabled={!canManage} />
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {canManage && (
          <button type="submit" className="btn btn-primary" disabled={!dirty}>
            Save capabilities
          </button>
        )}
        {dirty && (
          <button type="button" className="btn" onClick={() => setCaps(integration.capabilities)}>
            Discard changes
          </button>
        )}
        <span className="muted small" role="status">
          {status}
        </span>
      </div>
    </form>
  );
}
