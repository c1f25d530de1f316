// New integration: name, workspace, type, capabilities. On success the secret is shown once on the
// integration's page (kept in memory only).
import { useState, type FormEvent } from 'react';
import type { PortalCapability, PortalIssuedSecret } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Link, navigate } from '../router';
import { useShell } from '../session';
import { CapabilityFields } from '../components/CapabilityFields';

export function IntegrationNew() {
  const { session, setSecret } = useShell();
  const [name, setName] = useState('');
  const [caps, setCaps] = useState<PortalCapability[]>(['read_content', 'update_content', 'insert_content']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api<PortalIssuedSecret>('POST', '/integrations', {
        name: name.trim(),
        type: 'internal',
        capabilities: caps,
      });
      setSecret({ integrationId: created.integration.id, token: created.token, reason: 'created' });
      navigate(`/integrations/${created.integration.id}`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <section className="screen">
      <p className="crumbs">
        <Link to="/integrations">Integrations</Link> /
      </p>
      <h1>New integration</h1>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            name="name"
            required
            maxLength={100}
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Importer"
          />
        </label>
        <div className="field">
          <span id="ws-label">Associated workspace</span>
          <div className="readonly" aria-labelledby="ws-label">
            {session.workspace.name}
          </div>
        </div>
        <fieldset className="field">
          <legend>Type</legend>
          <label className="check">
            <input type="radio" name="type" value="internal" checked readOnly /> Internal — one workspace, one secret
            token
          </label>
          <label className="check disabled">
            <input type="radio" name="type" value="public" disabled /> Public (OAuth) — not emulated by notion-local
          </label>
        </fieldset>
        <h2 className="form-heading">Capabilities</h2>
        <CapabilityFields value={caps} onChange={setCaps} />
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create integration'}
          </button>
          <Link to="/integrations" className="btn">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
