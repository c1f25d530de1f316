// Sandbox controls: put the workspace back to its seed (same ids, same seed tokens; everything made since
// is gone, including integrations created in the portal), and export the current state as a seed file.
// The reset rebuilds the users with the same ids, so the sessions of the people signed in are kept.
import { isWorkspaceSeeded, resetWorkspace } from '../services/workspaces.js';
import { exportWorkspace } from './portal-export.js';
import { PortalError } from './portal-http.js';
import type { PortalContext, PortalRoute } from './portal-context.js';

async function reset(ctx: PortalContext): Promise<{ reset: true }> {
  const ws = ctx.session.workspace.id;
  if (!(await isWorkspaceSeeded(ctx.store, ws)))
    throw new PortalError(
      'not_seeded',
      'This workspace was not created from a seed, so there is nothing to reset it to.',
    );
  await resetWorkspace(ctx, ws, ctx.clock.now(), { keepSessions: true });
  return { reset: true };
}

export const SANDBOX_ROUTES: readonly PortalRoute[] = [
  { method: 'POST', path: '/sandbox/reset', ownerOnly: true, handle: reset },
  {
    method: 'GET',
    path: '/sandbox/export',
    ownerOnly: true,
    handle: (ctx) => exportWorkspace(ctx.store, ctx.session.workspace.id, ctx.clock.now()),
  },
];
