// The sidebar: workspace, navigation, the page tree with "New page", and who is signed in.
import { useState, type FormEvent } from 'react';
import type { PortalTreeNode } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Link, navigate } from '../router';
import { useShell } from '../session';
import { PageTree } from './PageTree';

const NAV = [
  { to: '/', label: 'Home', icon: '◎' },
  { to: '/integrations', label: 'Integrations', icon: '⚙' },
  { to: '/sandbox', label: 'Sandbox', icon: '↺' },
  { to: '/monitoring', label: 'Monitoring', icon: '▤' },
];

export function Sidebar({ path }: { path: string }) {
  const { session, signOut } = useShell();
  return (
    <nav className="sidebar" aria-label="Portal">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          N
        </span>
        <div>
          <div className="brand-name">{session.workspace.name}</div>
          <div className="brand-sub">notion-local developer portal</div>
        </div>
      </div>
      <ul className="nav">
        {NAV.map((item) => {
          const active = item.to === '/' ? path === '/' : path.startsWith(item.to);
          return (
            <li key={item.to}>
              <Link
                to={item.to}
                className={`nav-link${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
              >
                <span className="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-section">
        <h2 className="sidebar-heading" id="pages-heading">
          Pages
        </h2>
        <NewPage />
      </div>
      <PageTree path={path} />
      <div className="sidebar-footer">
        <div className="who">
          <span className="avatar" aria-hidden="true">
            {session.user.name.slice(0, 1)}
          </span>
          <div>
            <div className="who-name">{session.user.name}</div>
            <div className="who-role">{session.user.role === 'owner' ? 'Workspace owner' : 'Member'}</div>
          </div>
        </div>
        <button type="button" className="btn btn-small" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </nav>
  );
}

function NewPage() {
  const { tree } = useShell();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => setOpen(true)}
        aria-label="New top-level page"
      >
        + New page
      </button>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const page = await api<PortalTreeNode>('POST', '/pages', { title: title.trim() });
      setOpen(false);
      setTitle('');
      setError(null);
      tree.reload();
      navigate(`/pages/${page.id}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="new-page" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <label htmlFor="new-page-title" className="sr-only">
        Title of the new page
      </label>
      <input
        id="new-page-title"
        className="input input-small"
        autoFocus
        placeholder="Page title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
        Create
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
