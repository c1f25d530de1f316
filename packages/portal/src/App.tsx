// The app shell: find out whether a session exists, show the sign-in screen or the signed-in layout
// (sidebar + the screen of the current path). Nothing is fetched from the workspace before sign-in.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PortalSession, PortalTreeNode } from '@notion-local/server';
import { api, errorMessage, onSessionLost, setCsrfToken } from './api';
import { match, navigate, usePath } from './router';
import { ShellContext, type IssuedSecret, type Shell } from './session';
import { Sidebar } from './components/Sidebar';
import { useResource, ErrorBanner, Loading } from './components/ui';
import { SignIn } from './screens/SignIn';
import { Home } from './screens/Home';
import { Integrations } from './screens/Integrations';
import { IntegrationNew } from './screens/IntegrationNew';
import { IntegrationDetail } from './screens/IntegrationDetail';
import { PageScreen } from './screens/PageScreen';
import { Sandbox } from './screens/Sandbox';
import { Monitoring } from './screens/Monitoring';
import { Consent } from './screens/Consent';

/** The OAuth consent screen stands alone (no sidebar), and survives signing in with its query. */
const CONSENT_PATH = '/oauth/consent';

type SessionState =
  | { state: 'loading' }
  | { state: 'signed-out'; notice?: string }
  | { state: 'error'; message: string }
  | { state: 'in'; session: PortalSession };

export function App() {
  const [auth, setAuth] = useState<SessionState>({ state: 'loading' });

  const load = useCallback(() => {
    api<PortalSession>('GET', '/session', undefined, { quiet401: true }).then(
      (session) => {
        setCsrfToken(session.csrf_token);
        setAuth({ state: 'in', session });
      },
      (err: { status?: number }) => {
        if (err.status === 401) setAuth({ state: 'signed-out' });
        else setAuth({ state: 'error', message: errorMessage(err) });
      },
    );
  }, []);

  useEffect(() => {
    onSessionLost(() => setAuth({ state: 'signed-out', notice: 'Your session ended. Sign in again to continue.' }));
    load();
  }, [load]);

  if (auth.state === 'loading')
    return (
      <main className="centered">
        <Loading label="Opening the portal…" />
      </main>
    );
  if (auth.state === 'error')
    return (
      <main className="centered">
        <ErrorBanner message={auth.message} onRetry={load} />
      </main>
    );
  if (auth.state === 'signed-out') {
    return (
      <SignIn
        notice={
          auth.notice ??
          (location.pathname === CONSENT_PATH ? 'Sign in to choose what the integration may access.' : undefined)
        }
        onSignedIn={(session) => {
          setCsrfToken(session.csrf_token);
          setAuth({ state: 'in', session });
          if (location.search && location.pathname !== CONSENT_PATH) navigate('/', { replace: true });
        }}
      />
    );
  }
  if (location.pathname === CONSENT_PATH) return <Consent session={auth.session} />;
  return (
    <SignedIn
      session={auth.session}
      onSignedOut={() => setAuth({ state: 'signed-out', notice: 'You are signed out.' })}
    />
  );
}

function SignedIn({ session, onSignedOut }: { session: PortalSession; onSignedOut(): void }) {
  const path = usePath();
  const tree = useResource(() => api<PortalTreeNode[]>('GET', '/pages'), session.workspace.id);
  const [secret, setSecret] = useState<IssuedSecret | null>(null);

  useEffect(() => {
    if (location.search.includes('sign_in=')) navigate(location.pathname, { replace: true });
  }, []);

  // Marks the first interactive paint for the load-time measurement (packages/portal/scripts/measure-load.mjs).
  useEffect(() => {
    if (tree.data && !document.documentElement.dataset.ready) {
      document.documentElement.dataset.ready = 'true';
      performance.mark('portal-interactive');
    }
  }, [tree.data]);

  const shell = useMemo<Shell>(
    () => ({
      session,
      tree,
      secret,
      setSecret,
      async signOut() {
        try {
          await api('DELETE', '/session');
        } finally {
          setCsrfToken('');
          navigate('/', { replace: true });
          onSignedOut();
        }
      },
    }),
    [session, tree, secret, onSignedOut],
  );

  return (
    <ShellContext.Provider value={shell}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="layout">
        <Sidebar path={path} />
        <main id="main" className="main" tabIndex={-1}>
          <Screen path={path} />
        </main>
      </div>
    </ShellContext.Provider>
  );
}

function Screen({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === '/' || path === '') return <Home />;
  if (match('/integrations', path)) return <Integrations />;
  if (match('/integrations/new', path)) return <IntegrationNew />;
  if ((m = match('/integrations/:id', path))) return <IntegrationDetail key={m.id} id={m.id ?? ''} />;
  if ((m = match('/pages/:id', path))) return <PageScreen key={m.id} id={m.id ?? ''} />;
  if (match('/sandbox', path)) return <Sandbox />;
  if (match('/monitoring', path)) return <Monitoring />;
  return (
    <section className="screen">
      <h1>Not found</h1>
      <p>
        There is no portal screen at <code>{path}</code>. Pick one from the sidebar.
      </p>
    </section>
  );
}
