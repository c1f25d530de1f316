// The OAuth consent screen (/oauth/consent?client_id=…&redirect_uri=…&state=…), where /v1/oauth/authorize sends
// the browser: which app asks, what it may do, and a picker of the signed-in person's pages to share with it.
// Allow sends the browser back to the app with a code; Cancel with `error=access_denied`. The server checks the
// client and the redirect URI before anything is shown, so the screen never sends anyone anywhere unregistered.
import { useState, type FormEvent } from 'react';
import type { PortalCapability, PortalConsent, PortalSession, PortalTreeNode } from '@notion-local/server';
import { answerConsent, api, consentFor, errorMessage } from '../api';
import { COMMENT_CAPS, CONTENT_CAPS, USER_LEVELS } from '../capabilities';
import { ErrorBanner, Loading, useResource } from '../components/ui';
import { buildTree, type TreeItem } from '../tree';

/** What the consent screen lists for a capability, in the words of the integration settings. */
function capabilityLabel(cap: PortalCapability): string {
  const found = [...CONTENT_CAPS, ...COMMENT_CAPS].find((c) => c.cap === cap);
  return found?.label ?? USER_LEVELS.find((l) => l.level === cap)?.label ?? cap;
}

function requestFromUrl() {
  const q = new URLSearchParams(location.search);
  return {
    client_id: q.get('client_id') ?? '',
    redirect_uri: q.get('redirect_uri') ?? '',
    state: q.get('state') ?? undefined,
  };
}

export function Consent({ session }: { session: PortalSession }) {
  const [request] = useState(requestFromUrl);
  const consent = useResource(() => consentFor(request.client_id, request.redirect_uri), request.client_id);
  const pages = useResource(() => api<PortalTreeNode[]>('GET', '/pages'), session.workspace.id);

  return (
    <main className="signin" id="main">
      <div className="signin-card consent-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            N
          </span>
          <div>
            <div className="brand-name">notion-local</div>
            <div className="brand-sub">Authorize a public integration</div>
          </div>
        </div>
        {consent.error && <ErrorBanner message={consent.error} />}
        {!consent.error && (!consent.data || !pages.data) && <Loading />}
        {pages.error && <ErrorBanner message={pages.error} onRetry={pages.reload} />}
        {consent.data && pages.data && <ConsentForm consent={consent.data} pages={pages.data} request={request} />}
      </div>
    </main>
  );
}

function ConsentForm({
  consent,
  pages,
  request,
}: {
  consent: PortalConsent;
  pages: PortalTreeNode[];
  request: ReturnType<typeof requestFromUrl>;
}) {
  const [picked, setPicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { integration } = consent;

  const answer = async (kind: 'allow' | 'cancel') => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...request,
        redirect_uri: consent.redirect_uri,
        ...(kind === 'allow' ? { page_ids: picked } : {}),
      };
      const { redirect_url } = await answerConsent(kind, body);
      location.assign(redirect_url);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void answer('allow');
  };
  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...p, id] : p.filter((x) => x !== id)));

  return (
    <form onSubmit={submit} aria-labelledby="consent-heading">
      <h1 id="consent-heading">
        {integration.name} wants to access {consent.workspace.name}
      </h1>
      <p className="muted small">
        Signed in as {consent.user.name}
        {consent.user.email ? ` (${consent.user.email})` : ''}. Made by {integration.developer_workspace}.
      </p>
      <h2 className="signin-sub">It will be able to</h2>
      <ul className="plain-list" aria-label="Capabilities">
        {integration.capabilities.map((cap) => (
          <li key={cap}>✓ {capabilityLabel(cap)}</li>
        ))}
      </ul>
      <fieldset className="field consent-pages">
        <legend className="signin-sub">Pages it may use</legend>
        <p className="muted small">Pick the pages to share; every page below a picked page is shared too.</p>
        <PagePicker items={buildTree(pages)} picked={picked} onToggle={toggle} />
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Allow access
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void answer('cancel')}>
          Cancel
        </button>
      </div>
      <p className="muted small">
        You will be sent back to <code>{new URL(consent.redirect_uri).origin}</code>.
      </p>
    </form>
  );
}

function PagePicker({
  items,
  picked,
  onToggle,
}: {
  items: TreeItem[];
  picked: string[];
  onToggle(id: string, on: boolean): void;
}) {
  if (items.length === 0) return null;
  return (
    <ul className="plain-list consent-tree">
      {items.map(({ node, children }) => (
        <li key={node.id}>
          <label className="field-inline">
            <input
              type="checkbox"
              checked={picked.includes(node.id)}
              onChange={(e) => onToggle(node.id, e.target.checked)}
            />{' '}
            {node.object === 'database' ? '🗂' : '📄'} {node.title || 'Untitled'}
          </label>
          <div style={{ paddingLeft: 20 }}>
            <PagePicker items={children} picked={picked} onToggle={onToggle} />
          </div>
        </li>
      ))}
    </ul>
  );
}
