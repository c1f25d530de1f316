// Sandbox controls: put the workspace back to its seed (same ids, same seed tokens; everything made since
// is gone, including integrations created in the portal), and export the current state as a seed file.
// The reset rebuilds the users with the same ids, so the sessions of the people signed in are kept.
import { resetWorkspace } from '../seed/seed-loader.js';
import { exportWorkspace } from './portal-export.js';
import { PortalError } from './portal-http.js';
import type { PortalContext, PortalRoute } from './portal-context.js';

async function reset(ctx: PortalContext): Promise<{ reset: true }> {
  const ws = ctx.session.workspace.id;
  const seeded = await ctx.store.query('SELECT 1 FROM seeds WHERE workspace_id = $1', [ws]);
  if (seeded.length === 0)
    throw new PortalError(
      'not_seeded',
      'This workspace was not created from a seed, so there is nothing to reset it to.',
    );
  const sessions = await ctx.store.query<{ id: string; user_id: string; created_time: Date; expires_time: Date }>(
    `SELECT s.id, s.user_id, s.created_time, s.expires_time FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE u.workspace_id = $1 AND s.kind = 'session'`,
    [ws],
  );
  await resetWorkspace(ctx.store, ws, ctx.clock.now());
  // Sessions of people who still exist after the reset come back; the rest stay signed out.
  for (const s of sessions) {
    await ctx.store.query(
      `INSERT INTO sessions (id, user_id, kind, created_time, expires_time)
       SELECT $1, $2, 'session', $3, $4 WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) ON CONFLICT (id) DO NOTHING`,
      [s.id, s.user_id, s.created_time, s.expires_time],
    );
  }
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
