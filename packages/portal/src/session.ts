// What every screen may need from the app shell: who is signed in, the page tree, and a secret that was
// just issued (kept in memory only, never in the URL or storage, so it is shown once).
import { createContext, useContext } from 'react';
import type { PortalSession, PortalTreeNode } from '@notion-local/server';
import type { Resource } from './components/ui';

export interface IssuedSecret {
  integrationId: string;
  token: string;
  reason: 'created' | 'refreshed';
}

export interface Shell {
  session: PortalSession;
  tree: Resource<PortalTreeNode[]>;
  secret: IssuedSecret | null;
  setSecret(secret: IssuedSecret | null): void;
  signOut(): Promise<void>;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell outside the signed-in app');
  return shell;
}

export const isOwner = (s: PortalSession) => s.user.role === 'owner';
