// Search (reference §11.1, §4): title substring match over the pages and databases the integration can
// see, never trashed ones (nor those under a trashed ancestor), newest edit first. Database rows answer
// with their property values, databases as database objects (filter value "database").
import { z } from 'zod';
import { listEnvelope, readPageRequest, zPageFields } from '../domain/pagination.js';
import { parseWith } from '../domain/validation.js';
import { searchVisible } from '../store/search-repo.js';
import type { ServiceContext } from './service-context.js';
import { renderObjects } from './database-rows.js';

const zSearch = z
  .object({
    query: z.string().optional(),
    filter: z
      .object({ property: z.literal('object'), value: z.enum(['page', 'database']) })
      .strict()
      .optional(),
    sort: z
      .object({ timestamp: z.literal('last_edited_time'), direction: z.enum(['ascending', 'descending']) })
      .strict()
      .optional(),
    ...zPageFields,
  })
  .strict();

export async function search(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zSearch, body ?? {});
  const page = readPageRequest('body', input);
  const rows = await searchVisible(ctx.store, {
    workspaceId: ctx.principal.workspaceId,
    sharedRootIds: [...ctx.principal.sharedRootIds],
    objects: input.filter ? [input.filter.value] : ['page', 'database'],
    titleContains: input.query ?? '',
    startCursor: page.startCursor,
    descending: (input.sort?.direction ?? 'descending') === 'descending',
    limit: page.pageSize + 1,
  });
  const rendered = await renderObjects(ctx, ctx.store, rows.slice(0, page.pageSize));
  const byId = new Map(rendered.map((o) => [o.id as string, o]));
  return listEnvelope('page_or_database', rows, page.pageSize, (row) => byId.get(row.id));
}
