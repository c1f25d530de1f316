// A public integration's OAuth side: its client id, its client secret (shown in full once, after a rotation),
// its redirect URIs, the authorization URL an app sends people to, and the authorizations people made — each a
// connection with its own token and pages, which an owner can revoke (its token answers 401 at once).
import { useRef, useState, type FormEvent } from 'react';
import type { PortalIntegration, PortalOAuthClient } from '@notion-local/server';
import { errorMessage, oauthClient, revokeAuthorization, rotateClientSecret, setRedirectUris } from '../api';
import { ConfirmDialog, CopyButton, EmptyState, ErrorBanner, formatTime, Loading, useResource } from './ui';

export function OAuthPanel({ integration, canManage }: { integration: PortalIntegration; canManage: boolean }) {
  const res = useResource(() => oauthClient(integration.id), integration.id);
  const [secret, setSecret] = useState<string | null>(null);
  if (res.error) return <ErrorBanner message={res.error} onRetry={res.reload} />;
  if (!res.data) return <Loading />;
  const client = res.data;
  return (
    <>
      <section className="card" aria-labelledby="oauth-heading">
        <h2 id="oauth-heading">OAuth client</h2>
        <p>
          Client ID <code data-testid="client-id">{client.client_id}</code> <CopyButton text={client.client_id} />
        </p>
        <ClientSecret
          client={client}
          secret={secret}
          canManage={canManage}
          onRotated={(s, c) => (setSecret(s), res.set(c))}
        />
        {client.authorization_url && (
          <p className="muted small">
            Authorization URL: <code>{`${location.origin}${client.authorization_url}`}</code>
          </p>
        )}
        <RedirectUris client={client} canManage={canManage} onChanged={res.set} />
      </section>
      <Authorizations client={client} canManage={canManage} onChanged={res.set} />
    </>
  );
}

function ClientSecret(props: {
  client: PortalOAuthClient;
  secret: string | null;
  canManage: boolean;
  onRotated(secret: string, client: PortalOAuthClient): void;
}) {
  const { client, secret, canManage } = props;
  const input = useRef<HTMLInputElement>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rotate = async () => {
    setBusy(true);
    try {
      const issued = await rotateClientSecret(client.integration_id);
      props.onRotated(issued.client_secret, issued.client);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <div>
      {secret ? (
        <div className="secret-reveal">
          <p className="banner banner-warn" role="status">
            A new client secret was issued and the old one stopped working. Copy it now:{' '}
            <strong>this is the only time it is shown.</strong>
          </p>
          <div className="secret-row">
            <input ref={input} className="input mono" readOnly value={secret} aria-label="Client secret" />
            <CopyButton text={secret} input={() => input.current} size="regular" />
          </div>
        </div>
      ) : (
        <p>
          Client secret <code className="token-hint">{client.client_secret_hint}</code>
          <span className="muted small"> · issued {formatTime(client.client_secret_created_time)}</span>
        </p>
      )}
      <ErrorBanner message={error} />
      {canManage && (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
          Rotate client secret
        </button>
      )}
      <ConfirmDialog
        open={asking}
        title="Rotate the client secret?"
        confirmLabel="Rotate secret"
        danger
        busy={busy}
        onConfirm={() => void rotate()}
        onCancel={() => setAsking(false)}
      >
        <p>The current secret stops working at once. Tokens already issued keep working.</p>
      </ConfirmDialog>
    </div>
  );
}

function RedirectUris(props: { client: PortalOAuthClient; canManage: boolean; onChanged(c: PortalOAuthClient): void }) {
  const { client, canManage } = props;
  const [text, setText] = useState(client.redirect_uris.join('\n'));
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const uris = text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      props.onChanged(await setRedirectUris(client.integration_id, uris));
      setStatus('Redirect URIs saved.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form onSubmit={save}>
      <label className="field">
        <span>Redirect URIs (one per line)</span>
        <textarea
          className="input mono"
          rows={Math.max(2, client.redirect_uris.length)}
          value={text}
          readOnly={!canManage}
          onChange={(e) => (setText(e.target.value), setStatus(null))}
        />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {canManage && (
        <div className="form-actions">
          <button type="submit" className="btn btn-small" disabled={text === client.redirect_uris.join('\n')}>
            Save redirect URIs
          </button>
          <span className="muted small" role="status">
            {status}
          </span>
        </div>
      )}
    </form>
  );
}

function Authorizations(props: {
  client: PortalOAuthClient;
  canManage: boolean;
  onChanged(c: PortalOAuthClient): void;
}) {
  const { client, canManage } = props;
  const [revoking, setRevoking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const revoke = async (id: string) => {
    try {
      props.onChanged(await revokeAuthorization(client.integration_id, id));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRevoking(null);
    }
  };
  return (
    <section className="card" aria-labelledby="authorizations-heading">
      <h2 id="authorizations-heading">Authorizations</h2>
      <ErrorBanner message={error} />
      {client.authorizations.length === 0 ? (
        <EmptyState title="Nobody has authorized this integration yet">
          Send someone to the authorization URL: they sign in, pick pages and allow access.
        </EmptyState>
      ) : (
        <ul className="plain-list">
          {client.authorizations.map((a) => (
            <li key={a.id}>
              <strong>{a.user?.name ?? 'A former member'}</strong> in {a.workspace.name} ·{' '}
              {a.shared_pages.length === 1 ? '1 page' : `${a.shared_pages.length} pages`} · since{' '}
              {formatTime(a.created_time)} · bot <code>{a.id}</code>{' '}
              {canManage && (
                <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(a.id)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this authorization?"
        confirmLabel="Revoke"
        danger
        onConfirm={() => revoking && void revoke(revoking)}
        onCancel={() => setRevoking(null)}
      >
        <p>Its access and refresh tokens stop working at once and its pages are no longer shared.</p>
      </ConfirmDialog>
    </section>
  );
}
