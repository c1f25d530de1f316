// A page's Connections menu: which integrations can reach it and why. Access is computed with the same
// pure rule the API enforces (auth/access.ts canSee) over the same shares table, so what the portal
// shows is what a token gets: direct (shared here), inherited (an ancestor is shared) or none (404).
// Sharing and unsharing go through services/sharing.ts.
import { canSee, type Principal } from '../auth/access.js';
import {
  readConnections,
  shareWithIntegration,
  SharingError,
  unshareWithIntegration,
  type SharingTarget,
} from '../services/sharing.js';
import { portalErrors } from './portal-http.js';
import { pathId, personActor, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalAccess, PortalCapability, PortalConnections } from './portal-types.js';

export function accessOf(
  principal: Principal,
  object: { workspaceId: string; id: string; path: readonly string[] },
): PortalAccess {
  if (!canSee(principal, object)) return 'none';
  return principal.sharedRootIds.has(object.id) ? 'direct' : 'inherited';
}

async function connections(ctx: PortalContext): Promise<PortalConnections> {
  const found = await readConnections(ctx.store, ctx.session.workspace.id, pathId(ctx, 'id', 'This page'));
  if (!found) throw portalErrors.notFound('This page');
  const { page, principals, ancestorTitles } = found;
  const ancestorIds = page.path.slice(0, -1);
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
      via: ancestorIds
        .filter((id) => p.sharedRootIds.has(id))
        .map((id) => ({ id, title: ancestorTitles.get(id) ?? '' })),
    })),
  };
}

/** The page and integration a connection change names, both to be of the signed-in person's workspace. */
function target(ctx: PortalContext): SharingTarget {
  return {
    workspaceId: ctx.session.workspace.id,
    pageId: pathId(ctx, 'id', 'This page'),
    integrationId: pathId(ctx, 'integration_id', 'This integration'),
    actor: personActor(ctx),
    now: ctx.clock.now(),
  };
}

/** A refused sharing change, in the portal's words. */
function portalSharingError(error: unknown): unknown {
  if (!(error instanceof SharingError)) return error;
  return portalErrors.notFound(error.reason === 'page_not_found' ? 'This page' : 'This integration');
}

/** Shares pages and databases only, as Notion's Connections menu does. */
async function connect(ctx: PortalContext): Promise<PortalConnections> {
  await shareWithIntegration(ctx, target(ctx)).catch((error: unknown) => {
    throw portalSharingError(error);
  });
  return connections(ctx);
}

/** Removes the share on this page; access inherited from an ancestor stays (remove it there). */
async function disconnect(ctx: PortalContext): Promise<PortalConnections> {
  await unshareWithIntegration(ctx, target(ctx)).catch((error: unknown) => {
    throw portalSharingError(error);
  });
  return connections(ctx);
}

export const CONNECTION_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/pages/:id/connections', handle: connections },
  { method: 'PUT', path: '/pages/:id/connections/:integration_id', handle: connect },
  { method: 'DELETE', path: '/pages/:id/connections/:integration_id', handle: disconnect },
];
