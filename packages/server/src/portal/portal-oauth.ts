// Public integrations in the portal: the consent screen's data and its two answers (Allow: a code and the
// redirect back to the app; Cancel: `error=access_denied`), and the developer's side — create a public
// integration, its client (client id, secret hint, redirect URIs), rotate the secret (shown once) and the
// authorizations people made, each revocable. Writes go through services/oauth.ts and public-integrations.ts.
import { isCapability } from '../auth/capabilities.js';
import { normalizeId } from '../ids.js';
import {
  approveAuthorization,
  AuthorizeError,
  ConsentError,
  describeAuthorization,
  redirectWith,
} from '../services/oauth.js';
import {
  createPublicIntegration,
  PublicIntegrationError,
  readPublicIntegration,
  revokeConnection,
  rotateClientSecret,
  updateRedirectUris,
  type PublicIntegrationView,
} from '../services/public-integrations.js';
import { pathId, personActor, type PortalContext, type PortalRoute } from './portal-context.js';
import { parseCapabilities, MAX_INTEGRATION_NAME } from './portal-integrations.js';
import { PortalError, portalErrors, stringField } from './portal-http.js';
import type {
  PortalCapability,
  PortalConsent,
  PortalConsentResult,
  PortalIssuedClientSecret,
  PortalOAuthClient,
} from './portal-types.js';

const MAX_REDIRECT_URIS = 20;

const iso = (value: Date | string) => new Date(value).toISOString();

function toWire(view: PublicIntegrationView): PortalOAuthClient {
  const { client, connections } = view;
  const first = client.redirect_uris[0];
  const authorize = first
    ? `/v1/oauth/authorize?${new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        owner: 'user',
        redirect_uri: first,
      }).toString()}`
    : null;
  return {
    integration_id: client.integration_id,
    client_id: client.client_id,
    client_secret_hint: client.secret_hint,
    client_secret_created_time: iso(client.secret_created_time),
    redirect_uris: client.redirect_uris,
    authorization_url: authorize,
    authorizations: connections.map((c) => ({
      id: c.id,
      workspace: { id: c.workspace_id, name: c.workspace_name },
      user: c.user_id && c.user_name ? { id: c.user_id, name: c.user_name } : null,
      created_time: iso(c.created_time),
      shared_pages: c.shared ?? [],
    })),
  };
}

/** A refused write, in the portal's words. */
function portalError(error: unknown, name?: string): unknown {
  if (error instanceof AuthorizeError) return portalErrors.invalid(error.message);
  if (error instanceof ConsentError) return portalErrors.notFound(`The page ${error.pageId}`);
  if (!(error instanceof PublicIntegrationError)) return error;
  if (error.reason === 'name_taken')
    return new PortalError('conflict', `An integration named "${name ?? ''}" already exists in this workspace.`);
  if (error.reason === 'connection_not_found') return portalErrors.notFound('This authorization');
  if (error.reason === 'client_id_taken') return new PortalError('conflict', 'That client id is taken; try again.');
  return portalErrors.notFound('This public integration');
}

async function readClient(ctx: PortalContext, id: string): Promise<PortalOAuthClient> {
  const view = await readPublicIntegration(ctx.store, ctx.session.workspace.id, id);
  if (!view) throw portalErrors.notFound('This public integration');
  return toWire(view);
}

/** Redirect URIs from a form: 1 to 20 absolute http(s) URLs, each once. */
function parseRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_REDIRECT_URIS)
    throw portalErrors.invalid(`redirect_uris should be a list of 1 to ${MAX_REDIRECT_URIS} URLs.`);
  const out: string[] = [];
  for (const item of value) {
    let url: URL | null = null;
    try {
      url = typeof item === 'string' ? new URL(item) : null;
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.hash)
      throw portalErrors.invalid(`"${String(item)}" should be an http:// or https:// URL without a #fragment.`);
    if (!out.includes(item as string)) out.push(item as string);
  }
  return out;
}

const target = (ctx: PortalContext) => ({
  workspaceId: ctx.session.workspace.id,
  id: pathId(ctx, 'id', 'This public integration'),
  actor: personActor(ctx),
  now: ctx.clock.now(),
});

async function create(ctx: PortalContext): Promise<PortalIssuedClientSecret> {
  const name = stringField(ctx.body, 'name', { max: MAX_INTEGRATION_NAME }) ?? '';
  if (name === '') throw portalErrors.invalid('Give the integration a name.');
  const input = {
    workspaceId: ctx.session.workspace.id,
    name,
    capabilities: parseCapabilities(ctx.body.capabilities),
    redirectUris: parseRedirectUris(ctx.body.redirect_uris),
    ownerUserId: ctx.session.user.id,
    actor: personActor(ctx),
    now: ctx.clock.now(),
  };
  const created = await createPublicIntegration(ctx, input).catch((error: unknown) => {
    throw portalError(error, name);
  });
  return { client: await readClient(ctx, created.id), client_secret: created.clientSecret };
}

async function rotate(ctx: PortalContext): Promise<PortalIssuedClientSecret> {
  const t = target(ctx);
  const secret = await rotateClientSecret(ctx, t).catch((error: unknown) => {
    throw portalError(error);
  });
  return { client: await readClient(ctx, t.id), client_secret: secret };
}

async function setUris(ctx: PortalContext): Promise<PortalOAuthClient> {
  const t = target(ctx);
  const redirectUris = parseRedirectUris(ctx.body.redirect_uris);
  await updateRedirectUris(ctx, { ...t, redirectUris }).catch((error: unknown) => {
    throw portalError(error);
  });
  return readClient(ctx, t.id);
}

async function revoke(ctx: PortalContext): Promise<PortalOAuthClient> {
  const t = target(ctx);
  const connectionId = pathId(ctx, 'connection_id', 'This authorization');
  await revokeConnection(ctx, { ...t, connectionId }).catch((error: unknown) => {
    throw portalError(error);
  });
  return readClient(ctx, t.id);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

async function consent(ctx: PortalContext): Promise<PortalConsent> {
  const found = await describeAuthorization(ctx.store, text(ctx.query.client_id), text(ctx.query.redirect_uri)).catch(
    (error: unknown) => {
      throw portalError(error);
    },
  );
  const { user, workspace } = ctx.session;
  return {
    integration: {
      id: found.client.integration_id,
      name: found.client.name,
      capabilities: found.client.capabilities.filter(isCapability) as PortalCapability[],
      developer_workspace: found.developerWorkspace,
    },
    redirect_uri: found.redirectUri,
    workspace: { id: workspace.id, name: workspace.name },
    user: { id: user.id, name: user.name, email: user.email },
  };
}

function pageIds(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw portalErrors.invalid('page_ids should be a list of page ids.');
  return value.map((v) => {
    const id = typeof v === 'string' ? normalizeId(v) : null;
    if (!id) throw portalErrors.notFound(`The page ${String(v)}`);
    return id;
  });
}

async function allow(ctx: PortalContext): Promise<PortalConsentResult> {
  const input = {
    clientId: text(ctx.body.client_id) ?? '',
    redirectUri: text(ctx.body.redirect_uri) ?? '',
    state: text(ctx.body.state),
    workspaceId: ctx.session.workspace.id,
    userId: ctx.session.user.id,
    pageIds: pageIds(ctx.body.page_ids),
    now: ctx.clock.now(),
  };
  const url = await approveAuthorization(ctx, input).catch((error: unknown) => {
    throw portalError(error);
  });
  return { redirect_url: url };
}

/** Cancel: back to the app with `error=access_denied` (checked first, so it is never an open redirect). */
async function cancel(ctx: PortalContext): Promise<PortalConsentResult> {
  const found = await describeAuthorization(ctx.store, text(ctx.body.client_id), text(ctx.body.redirect_uri)).catch(
    (error: unknown) => {
      throw portalError(error);
    },
  );
  return { redirect_url: redirectWith(found.redirectUri, { error: 'access_denied', state: text(ctx.body.state) }) };
}

export const OAUTH_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/oauth/consent', handle: consent },
  { method: 'POST', path: '/oauth/consent', handle: allow },
  { method: 'POST', path: '/oauth/consent/cancel', handle: cancel },
  { method: 'POST', path: '/oauth/public-integrations', ownerOnly: true, status: 201, handle: create },
  {
    method: 'GET',
    path: '/integrations/:id/oauth',
    handle: (ctx) => readClient(ctx, pathId(ctx, 'id', 'This public integration')),
  },
  { method: 'POST', path: '/integrations/:id/oauth/secret', ownerOnly: true, handle: rotate },
  { method: 'PUT', path: '/integrations/:id/oauth/redirect_uris', ownerOnly: true, handle: setUris },
  {
    method: 'DELETE',
    path: '/integrations/:id/oauth/authorizations/:connection_id',
    ownerOnly: true,
    handle: revoke,
  },
];
