// "My integrations" in the portal: list, create (internal, in the signed-in user's workspace), rename,
// set capabilities, refresh the token (the old one is revoked at once: the API answers it 401) and
// delete — all through services/integrations.ts. Secrets are returned once, by create and refresh.
import { isCapability, USER_CAPABILITIES, type Capability } from '../auth/capabilities.js';
import {
  createIntegration,
  deleteIntegration,
  findIntegration,
  IntegrationError,
  listIntegrations,
  rotateIntegrationToken,
  updateIntegration,
  type IntegrationSummary,
} from '../services/integrations.js';
import { portalErrors, PortalError, stringField } from './portal-http.js';
import { pathId, personActor, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalCapability, PortalIntegration, PortalIssuedSecret } from './portal-types.js';

export const MAX_INTEGRATION_NAME = 100;
/** What a new integration gets when the form sends no capabilities (Notion's defaults for internal ones). */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['read_content', 'update_content', 'insert_content'];

function toWire(row: IntegrationSummary): PortalIntegration {
  return {
    id: row.id,
    name: row.name,
    type: row.is_public ? 'public' : 'internal',
    capabilities: row.capabilities.filter(isCapability) as PortalCapability[],
    token_hint: row.token_hint,
    token_created_time: row.token_created_time ? new Date(row.token_created_time).toISOString() : null,
    created_time: new Date(row.created_time).toISOString(),
    owner: row.owner_id && row.owner_name ? { id: row.owner_id, name: row.owner_name } : null,
    shared_pages: row.shared ?? [],
  };
}

/** A refused integration write, in the portal's words. */
function portalIntegrationError(error: unknown, name?: string): unknown {
  if (!(error instanceof IntegrationError)) return error;
  if (error.reason === 'name_taken')
    return new PortalError('conflict', `An integration named "${name ?? ''}" already exists in this workspace.`);
  if (error.reason === 'public_integration')
    return new PortalError(
      'conflict',
      'A public integration has no token of its own: its users get tokens by authorizing it (OAuth).',
    );
  return portalErrors.notFound('This integration');
}

async function getIntegration(ctx: PortalContext, id: string): Promise<PortalIntegration> {
  const row = await findIntegration(ctx.store, ctx.session.workspace.id, id);
  if (!row) throw portalErrors.notFound('This integration');
  return toWire(row);
}

/** Capabilities from a form: known names only, and at most one user-information level (design.md). */
export function parseCapabilities(value: unknown): Capability[] {
  if (value === undefined) return [...DEFAULT_CAPABILITIES];
  if (!Array.isArray(value)) throw portalErrors.invalid('capabilities should be a list of capability names.');
  const out: Capability[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || !isCapability(item))
      throw portalErrors.invalid(`"${String(item)}" is not a capability.`);
    if (!out.includes(item)) out.push(item);
  }
  if (out.filter((c) => (USER_CAPABILITIES as readonly string[]).includes(c)).length > 1) {
    throw portalErrors.invalid('Choose one level of user information: none, without email, or with email.');
  }
  return out;
}

function parseName(body: Record<string, unknown>): string {
  const name = stringField(body, 'name', { max: MAX_INTEGRATION_NAME }) ?? '';
  if (name === '') throw portalErrors.invalid('Give the integration a name.');
  return name;
}

async function create(ctx: PortalContext): Promise<PortalIssuedSecret> {
  const name = parseName(ctx.body);
  const capabilities = parseCapabilities(ctx.body.capabilities);
  if (ctx.body.type !== undefined && ctx.body.type !== 'internal') {
    throw portalErrors.invalid(
      'This creates internal integrations; create a public (OAuth) one with POST /portal/api/oauth/public-integrations.',
    );
  }
  const workspaceId = ctx.session.workspace.id;
  const { id, token } = await createIntegration(ctx, {
    workspaceId,
    name,
    capabilities,
    ownerUserId: ctx.session.user.id,
    actor: personActor(ctx),
    now: ctx.clock.now(),
  }).catch((error: unknown) => {
    throw portalIntegrationError(error, name);
  });
  return { integration: await getIntegration(ctx, id), token };
}

async function update(ctx: PortalContext): Promise<PortalIntegration> {
  const id = pathId(ctx, 'id', 'This integration');
  const name = ctx.body.name !== undefined ? parseName(ctx.body) : undefined;
  const capabilities = ctx.body.capabilities !== undefined ? parseCapabilities(ctx.body.capabilities) : undefined;
  const target = { workspaceId: ctx.session.workspace.id, id, actor: personActor(ctx), now: ctx.clock.now() };
  await updateIntegration(ctx, { ...target, name, capabilities }).catch((error: unknown) => {
    throw portalIntegrationError(error, name);
  });
  return getIntegration(ctx, id);
}

/** Revokes every live token of the integration and issues a new one (Notion's "Refresh" of a secret). */
async function refresh(ctx: PortalContext): Promise<PortalIssuedSecret> {
  const id = pathId(ctx, 'id', 'This integration');
  const target = { workspaceId: ctx.session.workspace.id, id, actor: personActor(ctx), now: ctx.clock.now() };
  const token = await rotateIntegrationToken(ctx, target).catch((error: unknown) => {
    throw portalIntegrationError(error);
  });
  return { integration: await getIntegration(ctx, id), token };
}

async function remove(ctx: PortalContext): Promise<{ deleted: true }> {
  const id = pathId(ctx, 'id', 'This integration');
  const target = { workspaceId: ctx.session.workspace.id, id, actor: personActor(ctx), now: ctx.clock.now() };
  await deleteIntegration(ctx, target).catch((error: unknown) => {
    throw portalIntegrationError(error);
  });
  return { deleted: true };
}

export const INTEGRATION_ROUTES: readonly PortalRoute[] = [
  {
    method: 'GET',
    path: '/integrations',
    handle: async (ctx) => (await listIntegrations(ctx.store, ctx.session.workspace.id)).map(toWire),
  },
  {
    method: 'GET',
    path: '/integrations/:id',
    handle: (ctx) => getIntegration(ctx, pathId(ctx, 'id', 'This integration')),
  },
  { method: 'POST', path: '/integrations', ownerOnly: true, status: 201, handle: create },
  { method: 'PATCH', path: '/integrations/:id', ownerOnly: true, handle: update },
  { method: 'POST', path: '/integrations/:id/token', ownerOnly: true, handle: refresh },
  { method: 'DELETE', path: '/integrations/:id', ownerOnly: true, handle: remove },
];
