// Signed out: how to get in (the one-time link `serve` printed, or a seed user's password), and why a
// link did not work. Nothing about the workspace is shown or fetched here.
import { useState, type FormEvent } from 'react';
import type { PortalSession } from '@notion-local/server';
import { api, errorMessage } from '../api';

export function SignIn({
  notice,
  onSignedIn,
}: {
  notice?: string | undefined;
  onSignedIn(session: PortalSession): void;
}) {
  const linkFailed = new URLSearchParams(location.search).get('sign_in') === 'invalid';
  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            N
          </span>
          <div>
            <div className="brand-name">notion-local</div>
            <div className="brand-sub">Developer portal</div>
          </div>
        </div>
        <h1>Sign in</h1>
        {notice && !linkFailed && (
          <p className="banner banner-info" role="status">
            {notice}
          </p>
        )}
        {linkFailed && (
          <p className="banner banner-error" role="alert">
            That sign-in link was already used or has expired. Each link works once, for 24 hours: restart{' '}
            <code>notion-local serve</code> to print a new one.
          </p>
        )}
        <section aria-labelledby="link-heading">
          <h2 id="link-heading" className="signin-sub">
            With the one-time link
          </h2>
          <p>
            <code>notion-local serve</code> (and <code>npm start</code>) prints a line starting with{' '}
            <code>Portal:</code> that ends in a sign-in link for the workspace owner. Open that link in this browser.
          </p>
        </section>
        <div className="divider-text">
          <span>or</span>
        </div>
        <PasswordForm onSignedIn={onSignedIn} />
      </div>
    </main>
  );
}

/** Sign-in with the email and password a seed file gave a user. */
function PasswordForm({ onSignedIn }: { onSignedIn(session: PortalSession): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<PortalSession>('POST', '/session', { email, password }, { quiet401: true }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="password-heading">
      <h2 id="password-heading" className="signin-sub">
        With a seed user's password
      </h2>
      <p className="muted small">
        Users get a password when the seed file gives them one (<code>"password"</code> on a user).
      </p>
      <label className="field">
        <span>Email</span>
        <input
          className="input"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Password</span>
        <input
          className="input"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
