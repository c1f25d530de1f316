// A page's Connections menu: which integrations can reach it and why. Access is computed with the same
// pure rule the API enforces (auth/access.ts canSee) over the same shares table, so what the portal
// shows is what a token gets: direct (shared here), inherited (an ancestor is shared) or none (404).
import { canSee, type Principal } from '../auth/access.js';
import { workspacePrincipals } from '../auth/authenticate.js';
import { portalErrors } from './portal-http.js';
import { findWorkspacePage } from './portal-pages.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalAccess, PortalCapability, PortalConnections } from './portal-types.js';

export function accessOf(
  principal: Principal,
  object: { workspaceId: string; id: string; path: readonly string[] },
): PortalAccess {
  if (!canSee(principal, object)) return 'none';
  return principal.sharedRootIds.has(object.id) ? 'direct' : 'inherited';
}

async function connections(ctx: PortalContext): Promise<PortalConnections> {
  const ws = ctx.session.workspace;
  const page = await findWorkspacePage(ctx.store, ws.id, pathId(ctx, 'id', 'This page'));
  const principals = await workspacePrincipals(ctx.store, ws.id);
  const ancestorIds = page.path.slice(0, -1);
  const titles = new Map(
    (ancestorIds.length
      ? await ctx.store.query<{ id: string; title: string }>(
          'SELECT id, title FROM blocks WHERE id = ANY ($1::uuid[])',
          [ancestorIds],
        )
      : []
    ).map((r) => [r.id, r.title]),
  );
  const object = { workspaceId: page.workspace_id, id: page.id, path: page.path };
  return {
    page_id: page.id,
    connections: principals.map((p) => ({
      integration: {
        id: p.integrationId,
        name: p.integrationName,
        capabilities: [...p.capabilities] as PortalCapability[],
      },
      access: accessOf(p, object),
      via: ancestorIds.filter((id) => p.sharedRootIds.has(id)).map((id) => ({ id, title: titles.get(id) ?? '' })),
    })),
  };
}

/** The page and integration a connection change names, both of the signed-in person's workspace. */
async function target(ctx: PortalContext): Promise<{ pageId: string; integrationId: string }> {
  const ws = ctx.session.workspace.id;
  const page = await findWorkspacePage(ctx.store, ws, pathId(ctx, 'id', 'This page'));
  const integrationId = pathId(ctx, 'integration_id', 'This integration');
  const rows = await ctx.store.query('SELECT 1 FROM integrations WHERE id = $1 AND workspace_id = $2', [
    integrationId,
    ws,
  ]);
  if (rows.length === 0) throw portalErrors.notFound('This integration');
  return { pageId: page.id, integrationId };
}

/** Shares pages and databases only, as Notion's Connections menu does. */
async function connect(ctx: PortalContext): Promise<PortalConnections> {
  const { pageId, integrationId } = await target(ctx);
  await ctx.store.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    integrationId,
    pageId,
  ]);
  return connections(ctx);
}

/** Removes the share on this page; access inherited from an ancestor stays (remove it there). */
async function disconnect(ctx: PortalContext): Promise<PortalConnections> {
  const { pageId, integrationId } = await target(ctx);
  await ctx.store.query('DELETE FROM shares WHERE integration_id = $1 AND block_id = $2', [integrationId, pageId]);
  return connections(ctx);
}

export const CONNECTION_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/pages/:id/connections', handle: connections },
  { method: 'PUT', path: '/pages/:id/connections/:integration_id', handle: connect },
  { method: 'DELETE', path: '/pages/:id/connections/:integration_id', handle: disconnect },
];
