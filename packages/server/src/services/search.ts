// Search (reference §11.1, §4, §1.3): title substring match over the pages and databases (2022-06-28) or
// pages and data sources (2025-09-03, one result per data source) the integration can see, never trashed
// ones (nor those under a trashed ancestor), newest edit first. Database rows answer with their property
// values, databases and data sources as their objects.
import { z } from 'zod';
import { listEnvelope, readPageRequest, zPageFields } from '../domain/pagination.js';
import { parseWith } from '../domain/validation.js';
import { searchVisible } from '../store/search-repo.js';
import type { ServiceContext } from './service-context.js';
import { hasDataSources } from '../api-version.js';
import { renderObjects } from './database-rows.js';

const zSearchFor = (kinds: readonly [string, string]) =>
  z
    .object({
      query: z.string().optional(),
      filter: z
        .object({ property: z.literal('object'), value: z.enum(kinds as [string, string]) })
        .strict()
        .optional(),
      sort: z
        .object({ timestamp: z.literal('last_edited_time'), direction: z.enum(['ascending', 'descending']) })
        .strict()
        .optional(),
      ...zPageFields,
    })
    .strict();

/** What each version searches: pages and databases, or pages and data sources. */
const SEARCHES = {
  legacy: { kinds: ['page', 'database'] as const, schema: zSearchFor(['page', 'database']) },
  dataSources: { kinds: ['page', 'data_source'] as const, schema: zSearchFor(['page', 'data_source']) },
};

export async function search(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const { kinds, schema } = hasDataSources(ctx.version) ? SEARCHES.dataSources : SEARCHES.legacy;
  const input = parseWith(schema, body ?? {});
  const wanted = input.filter?.value;
  const page = readPageRequest('body', input);
  const rows = await searchVisible(ctx.store, {
    workspaceId: ctx.principal.workspaceId,
    sharedRootIds: [...ctx.principal.sharedRootIds],
    objects: wanted ? [wanted] : [...kinds],
    titleContains: input.query ?? '',
    startCursor: page.startCursor,
    descending: (input.sort?.direction ?? 'descending') === 'descending',
    limit: page.pageSize + 1,
  });
  const rendered = await renderObjects(ctx, ctx.store, rows.slice(0, page.pageSize));
  const byId = new Map(rendered.map((o) => [o.id as string, o]));
  const type = hasDataSources(ctx.version) ? 'page_or_data_source' : 'page_or_database';
  return listEnvelope(type, rows, page.pageSize, (row) => byId.get(row.id));
}
