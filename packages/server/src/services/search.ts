// Search (reference §11.1, §4): title substring match over the pages and databases the integration can
// see, never trashed ones (nor those under a trashed ancestor), newest edit first. Database rows answer
// with their property values, databases as database objects (filter value "database").
import { z } from 'zod';
import { listEnvelope, readPageRequest, zPageFields } from '../domain/pagination.js';
import { parseWith } from '../domain/validation.js';
import { BLOCK_COLUMNS } from '../store/columns.js';
import { type BlockRow } from '../model/rows.js';
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
  const objects = input.filter ? [input.filter.value] : ['page', 'database'];
  const descending = (input.sort?.direction ?? 'descending') === 'descending';
  const cmp = descending ? '<=' : '>=';
  const dir = descending ? 'DESC' : 'ASC';
  const rows = await ctx.store.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE b.workspace_id = $1 AND b.object = ANY ($2::text[]) AND b.path && $3::uuid[]
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
       AND ($4::text = '' OR b.title ILIKE '%' || $4 || '%')
       AND ($5::uuid IS NULL OR (b.last_edited_time, b.id) ${cmp} (SELECT last_edited_time, id FROM blocks WHERE id = $5))
     ORDER BY b.last_edited_time ${dir}, b.id ${dir} LIMIT $6`,
    [
      ctx.principal.workspaceId,
      objects,
      [...ctx.principal.sharedRootIds],
      escapeLike(input.query ?? ''),
      page.startCursor,
      page.pageSize + 1,
    ],
  );
  const rendered = await renderObjects(ctx, ctx.store, rows.slice(0, page.pageSize));
  const byId = new Map(rendered.map((o) => [o.id as string, o]));
  return listEnvelope('page_or_database', rows, page.pageSize, (row) => byId.get(row.id));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
