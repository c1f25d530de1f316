// The integration's secret: shown in full exactly once (after create or refresh), with a copy button;
// afterwards only its hint, because the server keeps nothing but a SHA-256 hash.
import { useRef, useState } from 'react';
import type { PortalIntegration, PortalIssuedSecret } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { useShell, type IssuedSecret } from '../session';
import { ConfirmDialog, CopyButton, formatTime } from './ui';

export function SecretPanel({
  integration,
  canManage,
  onChanged,
}: {
  integration: PortalIntegration;
  canManage: boolean;
  onChanged(i: PortalIntegration): void;
}) {
  const { secret, setSecret } = useShell();
  const shown = secret && secret.integrationId === integration.id ? secret : null;

  return (
    <section className="card" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Internal integration secret</h2>
      {shown ? (
        <SecretReveal secret={shown} onHide={() => setSecret(null)} />
      ) : (
        <p>
          <code className="token-hint">{integration.token_hint ?? 'no live secret'}</code>
          <span className="muted small"> · issued {formatTime(integration.token_created_time)}</span>
        </p>
      )}
      <p className="muted small">
        notion-local stores only a SHA-256 hash of the secret, never the secret itself, so it cannot show it again. Lost
        it? Refresh it. Send it as <code>Authorization: Bearer &lt;secret&gt;</code>.
      </p>
      <RefreshSecret integration={integration} canManage={canManage} onChanged={onChanged} />
    </section>
  );
}

/** The secret in full, the one time it is shown, with a copy button. */
function SecretReveal({ secret, onHide }: { secret: IssuedSecret; onHide(): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="secret-reveal">
      <p className="banner banner-warn" role="status">
        {secret.reason === 'created'
          ? 'Your integration is ready. '
          : 'A new secret was issued and the old one stopped working. '}
        Copy the secret now: <strong>this is the only time it is shown.</strong>
      </p>
      <div className="secret-row">
        <label htmlFor="secret-value" className="sr-only">
          Secret token
        </label>
        <input
          id="secret-value"
          ref={input}
          className="input mono"
          readOnly
          value={secret.token}
          onFocus={(e) => e.target.select()}
          data-testid="secret-value"
        />
        <CopyButton text={secret.token} input={() => input.current} size="regular" />
      </div>
      <button type="button" className="btn btn-small btn-ghost" onClick={onHide}>
        I have copied it — hide
      </button>
    </div>
  );
}

/** Issues a new secret after a confirm (the old one stops working at once); the new one is then shown. */
function RefreshSecret({
  integration,
  canManage,
  onChanged,
}: {
  integration: PortalIntegration;
  canManage: boolean;
  onChanged(i: PortalIntegration): void;
}) {
  const { setSecret } = useShell();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    setBusy(true);
    setError(null);
    try {
      const issued = await api<PortalIssuedSecret>('POST', `/integrations/${integration.id}/token`);
      setSecret({ integrationId: integration.id, token: issued.token, reason: 'refreshed' });
      onChanged(issued.integration);
      setConfirming(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {canManage && (
        <button type="button" className="btn" onClick={() => setConfirming(true)}>
          Refresh secret
        </button>
      )}
      <ConfirmDialog
        open={confirming}
        title="Refresh the secret?"
        confirmLabel="Refresh secret"
        danger
        busy={busy}
        onConfirm={() => void refresh()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          The current secret stops working at once: every call made with it gets <code>401 unauthorized</code>. The new
          secret is shown once.
        </p>
      </ConfirmDialog>
    </>
  );
}
