// "My integrations" in the portal: list, create (internal, in the signed-in user's workspace), rename,
// set capabilities, refresh the token (the old one is revoked at once: the API answers it 401) and
// delete. Secrets are returned once, by create and refresh; only SHA-256 hashes and a hint are stored.
import { isCapability, USER_CAPABILITIES, type Capability } from '../auth/capabilities.js';
import { generateToken, hashToken, tokenHint } from '../auth/tokens.js';
import { newId } from '../ids.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { portalErrors, PortalError, stringField } from './portal-http.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalCapability, PortalIntegration, PortalIssuedSecret } from './portal-types.js';

export const MAX_INTEGRATION_NAME = 100;
/** What a new integration gets when the form sends no capabilities (Notion's defaults for internal ones). */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['read_content', 'update_content', 'insert_content'];

interface IntegrationRow {
  id: string;
  name: string;
  capabilities: string[];
  created_time: Date;
  owner_id: string | null;
  owner_name: string | null;
  token_hint: string | null;
  token_created_time: Date | null;
  shared: { id: string; title: string }[] | null;
}

const SELECT_INTEGRATIONS = `
  SELECT u.id, u.name, i.capabilities, i.created_time, o.id AS owner_id, o.name AS owner_name,
         t.token_hint, t.created_time AS token_created_time,
         (SELECT json_agg(json_build_object('id', b.id, 'title', b.title) ORDER BY b.title, b.id)
            FROM shares s JOIN blocks b ON b.id = s.block_id WHERE s.integration_id = i.id) AS shared
  FROM integrations i
  JOIN users u ON u.id = i.id
  LEFT JOIN users o ON o.id = i.owner_user_id
  LEFT JOIN LATERAL (SELECT token_hint, created_time FROM tokens
                     WHERE integration_id = i.id AND revoked_time IS NULL ORDER BY created_time DESC LIMIT 1) t ON true
  WHERE i.workspace_id = $1`;

function toWire(row: IntegrationRow): PortalIntegration {
  return {
    id: row.id,
    name: row.name,
    type: 'internal',
    capabilities: row.capabilities.filter(isCapability) as PortalCapability[],
    token_hint: row.token_hint,
    token_created_time: row.token_created_time ? new Date(row.token_created_time).toISOString() : null,
    created_time: new Date(row.created_time).toISOString(),
    owner: row.owner_id && row.owner_name ? { id: row.owner_id, name: row.owner_name } : null,
    shared_pages: row.shared ?? [],
  };
}

export async function listIntegrations(db: SqlExecutor, workspaceId: string): Promise<PortalIntegration[]> {
  const rows = await db.query<IntegrationRow>(`${SELECT_INTEGRATIONS} ORDER BY i.created_time, u.created_time, u.id`, [
    workspaceId,
  ]);
  return rows.map(toWire);
}

async function getIntegration(db: SqlExecutor, workspaceId: string, id: string): Promise<PortalIntegration> {
  const rows = await db.query<IntegrationRow>(`${SELECT_INTEGRATIONS} AND i.id = $2`, [workspaceId, id]);
  const row = rows[0];
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

/** Names are unique per workspace: seed files name integrations in `shared_with`. */
async function assertNameFree(db: SqlExecutor, workspaceId: string, name: string, exceptId?: string): Promise<void> {
  const rows = await db.query<{ id: string }>(
    `SELECT u.id FROM integrations i JOIN users u ON u.id = i.id WHERE i.workspace_id = $1 AND u.name = $2 AND u.id <> $3`,
    [workspaceId, name, exceptId ?? '00000000-0000-0000-0000-000000000000'],
  );
  if (rows.length > 0)
    throw new PortalError('conflict', `An integration named "${name}" already exists in this workspace.`);
}

async function issueToken(db: SqlExecutor, integrationId: string, now: Date): Promise<string> {
  const token = generateToken('ntn_');
  await db.query('INSERT INTO tokens (token_hash, integration_id, token_hint, created_time) VALUES ($1, $2, $3, $4)', [
    hashToken(token),
    integrationId,
    tokenHint(token),
    now,
  ]);
  return token;
}

async function create(ctx: PortalContext): Promise<PortalIssuedSecret> {
  const name = parseName(ctx.body);
  const capabilities = parseCapabilities(ctx.body.capabilities);
  if (ctx.body.type !== undefined && ctx.body.type !== 'internal') {
    throw portalErrors.invalid(
      'notion-local supports internal integrations only (public OAuth integrations are not emulated).',
    );
  }
  const ws = ctx.session.workspace.id;
  const id = newId();
  const now = ctx.clock.now();
  const token = await ctx.store.transaction(async (tx) => {
    await assertNameFree(tx, ws, name);
    await tx.query(`INSERT INTO users (id, workspace_id, type, name, created_time) VALUES ($1, $2, 'bot', $3, $4)`, [
      id,
      ws,
      name,
      now,
    ]);
    await tx.query(
      `INSERT INTO integrations (id, workspace_id, owner_user_id, capabilities, settings, created_time) VALUES ($1, $2, $3, $4, '{}'::jsonb, $5)`,
      [id, ws, ctx.session.user.id, capabilities, now],
    );
    return issueToken(tx, id, now);
  });
  return { integration: await getIntegration(ctx.store, ws, id), token };
}

async function update(ctx: PortalContext): Promise<PortalIntegration> {
  const ws = ctx.session.workspace.id;
  const id = pathId(ctx, 'id', 'This integration');
  await ctx.store.transaction(async (tx) => {
    await getIntegration(tx, ws, id);
    if (ctx.body.name !== undefined) {
      const name = parseName(ctx.body);
      await assertNameFree(tx, ws, name, id);
      await tx.query(`UPDATE users SET name = $2 WHERE id = $1`, [id, name]);
    }
    if (ctx.body.capabilities !== undefined) {
      await tx.query(`UPDATE integrations SET capabilities = $2 WHERE id = $1`, [
        id,
        parseCapabilities(ctx.body.capabilities),
      ]);
    }
  });
  return getIntegration(ctx.store, ws, id);
}

/** Revokes every live token of the integration and issues a new one (Notion's "Refresh" of a secret). */
async function refresh(ctx: PortalContext): Promise<PortalIssuedSecret> {
  const ws = ctx.session.workspace.id;
  const id = pathId(ctx, 'id', 'This integration');
  const now = ctx.clock.now();
  const token = await ctx.store.transaction(async (tx) => {
    await getIntegration(tx, ws, id);
    await tx.query('UPDATE tokens SET revoked_time = $2 WHERE integration_id = $1 AND revoked_time IS NULL', [id, now]);
    return issueToken(tx, id, now);
  });
  return { integration: await getIntegration(ctx.store, ws, id), token };
}

async function remove(ctx: PortalContext): Promise<{ deleted: true }> {
  const ws = ctx.session.workspace.id;
  const id = pathId(ctx, 'id', 'This integration');
  await getIntegration(ctx.store, ws, id);
  // The bot user owns the integration row; tokens and shares go with it (ON DELETE CASCADE).
  await ctx.store.query(`DELETE FROM users WHERE id = $1 AND workspace_id = $2 AND type = 'bot'`, [id, ws]);
  return { deleted: true };
}

export const INTEGRATION_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/integrations', handle: (ctx) => listIntegrations(ctx.store, ctx.session.workspace.id) },
  {
    method: 'GET',
    path: '/integrations/:id',
    handle: (ctx) => getIntegration(ctx.store, ctx.session.workspace.id, pathId(ctx, 'id', 'This integration')),
  },
  { method: 'POST', path: '/integrations', ownerOnly: true, status: 201, handle: create },
  { method: 'PATCH', path: '/integrations/:id', ownerOnly: true, handle: update },
  { method: 'POST', path: '/integrations/:id/token', ownerOnly: true, handle: refresh },
  { method: 'DELETE', path: '/integrations/:id', ownerOnly: true, handle: remove },
];
