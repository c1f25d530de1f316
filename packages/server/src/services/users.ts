// Users (reference §8.4): the workspace's people and bots, redacted by the user-information capability;
// and the integrations an admin fault rule names.
import { workspaceFileUploadLimit } from '../store/file-upload-repo.js';
import { isConnection } from '../store/oauth-repo.js';
import { z } from 'zod';
import { errors } from '../errors.js';
import { userVisibility } from '../auth/capabilities.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { serializeUser } from '../domain/serialize.js';
import { parseWith } from '../domain/validation.js';
import {
  findIntegrationRefs,
  findUser,
  findWorkspaceUser,
  listWorkspaceUsers,
  type IntegrationRef,
} from '../store/user-repo.js';
import type { Store } from '../store/sql-store.js';
import { normalizeId } from '../ids.js';
import { type UserRow } from '../model/rows.js';
import type { ServiceContext } from './service-context.js';

/**
 * Serializes users; the calling bot itself with its workspace and `bot.workspace_limits`: the per-file upload
 * limit of the workspace's plan (a paid plan's 5 GiB unless the seed put the workspace on the free plan's 5 MiB).
 */
async function serializer(ctx: ServiceContext) {
  const limit = await workspaceFileUploadLimit(ctx.store, ctx.principal.workspaceId);
  const visibility = userVisibility(ctx.principal.capabilities);
  const { principal } = ctx;
  // A public integration's connection is owned by the person who authorized it; an internal one by the workspace.
  const connection = principal.ownerUserId !== null && (await isConnection(ctx.store, principal.integrationId));
  const ownerUser = connection ? await findUser(ctx.store, principal.ownerUserId!) : null;
  const self = {
    workspaceName: principal.workspaceName,
    workspaceId: principal.workspaceId,
    ownerUser,
    self: true,
    maxFileUploadSizeInBytes: limit,
  };
  return (row: UserRow) => serializeUser(row, visibility, row.id === principal.integrationId ? self : undefined);
}

export async function me(ctx: ServiceContext): Promise<unknown> {
  const row = await findUser(ctx.store, ctx.principal.integrationId);
  if (!row) throw errors.unauthorized();
  return (await serializer(ctx))(row);
}

export async function retrieveUser(ctx: ServiceContext, userId: string): Promise<unknown> {
  const row = await findWorkspaceUser(ctx.store, ctx.principal.workspaceId, userId);
  if (!row) throw errors.notFound('user', userId);
  return (await serializer(ctx))(row);
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

export async function listUsers(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await listWorkspaceUsers(ctx.store, ctx.principal.workspaceId, page.startCursor, page.pageSize + 1);
  return listEnvelope('user', rows, page.pageSize, await serializer(ctx));
}

/**
 * The integrations a fault rule of the admin API may name (limits/fault-injector.ts): by id in any
 * workspace, or by name in `workspaceId` (null: every workspace; the caller refuses a name found in more
 * than one). A value shaped as an id is looked up as an id only.
 */
export function findIntegrationsNamed(
  store: Store,
  ref: string,
  workspaceId: string | null,
): Promise<IntegrationRef[]> {
  return findIntegrationRefs(store, { id: normalizeId(ref), name: ref }, workspaceId);
}
