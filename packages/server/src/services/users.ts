// Users (reference §8.4): the workspace's people and bots, redacted by the user-information capability.
import { z } from 'zod';
import { errors } from '../errors.js';
import { userVisibility } from '../auth/capabilities.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { serializeUser } from '../domain/serialize.js';
import { parseWith } from '../domain/validation.js';
import { USER_COLUMNS } from '../store/columns.js';
import { type UserRow } from '../model/rows.js';
import type { ServiceContext } from './service-context.js';

function serializer(ctx: ServiceContext) {
  const visibility = userVisibility(ctx.principal.capabilities);
  const { principal } = ctx;
  return (row: UserRow) =>
    serializeUser(
      row,
      visibility,
      row.id === principal.integrationId
        ? { workspaceName: principal.workspaceName, ownerIsWorkspace: true, self: true }
        : undefined,
    );
}

export async function me(ctx: ServiceContext): Promise<unknown> {
  const rows = await ctx.store.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [
    ctx.principal.integrationId,
  ]);
  const row = rows[0];
  if (!row) throw errors.unauthorized();
  return serializer(ctx)(row);
}

export async function retrieveUser(ctx: ServiceContext, userId: string): Promise<unknown> {
  const rows = await ctx.store.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.workspace_id = $2`,
    [userId, ctx.principal.workspaceId],
  );
  const row = rows[0];
  if (!row) throw errors.notFound('user', userId);
  return serializer(ctx)(row);
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

export async function listUsers(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await ctx.store.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u
     WHERE u.workspace_id = $1
       AND ($2::uuid IS NULL OR (u.created_time, u.id) >= (SELECT created_time, id FROM users WHERE id = $2))
     ORDER BY u.created_time, u.id LIMIT $3`,
    [ctx.principal.workspaceId, page.startCursor, page.pageSize + 1],
  );
  return listEnvelope('user', rows, page.pageSize, serializer(ctx));
}
