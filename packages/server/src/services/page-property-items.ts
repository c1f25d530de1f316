// GET /v1/pages/{id}/properties/{property_id} (reference §8.10, §14.4): title, rich_text, people and
// relation answer a paginated list of property items, one element each, without the 25-reference cap
// of page objects; rollups answer a list whose `property_item.rollup` holds the aggregate; every other
// type answers one property item.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { userVisibility } from '../auth/capabilities.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { readSchema, type PropertySchema } from '../domain/properties/schema.js';
import { storedJson } from '../domain/properties/value-types.js';
import { partialUser, serializeUser } from '../domain/serialize.js';
import { parseWith } from '../domain/validation.js';
import { findBlock } from '../store/block-repo.js';
import { findVisibleIds } from '../store/database-row-repo.js';
import { findWorkspaceUsersById } from '../store/user-repo.js';
import { type BlockRow } from '../model/rows.js';
import { loadBundle, loadRows, renderRows } from './database-rows.js';
import { loadVisiblePage, type ServiceContext } from './service-context.js';

const zQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

const TITLE_ONLY: PropertySchema = { id: 'title', name: 'title', type: 'title', config: {} };

function decode(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** Property item cursors are positions encoded in a UUID, so the same cursor validation applies to all lists. */
function cursorFor(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export async function retrievePageProperty(
  ctx: ServiceContext,
  pageId: string,
  propertyId: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  parseWith(zQuery, query, 'query');
  const page = readPageRequest('query', query);
  const row = await loadVisiblePage(ctx.store, ctx.principal, pageId);
  const decoded = decode(propertyId);
  const database =
    row.parent_type === 'data_source_id' && row.parent_id ? await findBlock(ctx.store, row.parent_id) : null;
  const schema = database ? readSchema(database) : null;
  const property = schema
    ? (schema.find(decoded) ?? schema.find(propertyId))
    : decoded === 'title'
      ? TITLE_ONLY
      : undefined;
  if (!property || (schema && !schema.byId(property.id)))
    throw new ApiError('object_not_found', `Could not find property with ID: ${decoded}.`);

  const list = (type: string, items: unknown[], typeObject: unknown = {}) => {
    const start = page.startCursor === null ? 0 : Math.max(0, Number.parseInt(page.startCursor.slice(-12), 16));
    const slice = items
      .slice(start, start + page.pageSize + 1)
      .map((value, i) => ({ id: cursorFor(start + i), value }));
    const envelope = listEnvelope(
      'property_item',
      slice,
      page.pageSize,
      (item) => ({ object: 'property_item', id: property.id, type, [type]: item.value }),
      {
        id: property.id,
        next_url: null,
        type,
        [type]: typeObject,
      },
    );
    // Notion gives the full URL of the next page here (reference §7.2); the property id is already URL-encoded.
    if (envelope.next_cursor && ctx.baseUrl) {
      (envelope.property_item as { next_url: string | null }).next_url =
        `${ctx.baseUrl}/v1/pages/${row.id}/properties/${property.id}?start_cursor=${envelope.next_cursor}&page_size=${page.pageSize}`;
    }
    return envelope;
  };

  switch (property.type) {
    case 'title':
    case 'rich_text':
      return list(property.type, (storedJson(row, property) as unknown[] | undefined) ?? []);
    case 'people':
      return list('people', await users(ctx, ids(row, property)));
    case 'relation': {
      const visible = await visibleIds(ctx, ids(row, property));
      return list(
        'relation',
        visible.map((id) => ({ id })),
      );
    }
    default: {
      const bundle = await loadBundle(ctx.store, database!);
      const loaded = await loadRows(ctx, ctx.store, bundle, [row.id]);
      const [rendered] = await renderRows(ctx, ctx.store, bundle, loaded.rows, loaded.columns, new Set([property.id]));
      const value = (rendered?.properties as Record<string, Record<string, unknown>>)[property.name]!;
      if (property.type !== 'rollup') return { object: 'property_item', ...value };
      const rollup = value.rollup as { type: string; array?: unknown[]; function: string };
      if (rollup.type !== 'array') return list('rollup', [], rollup);
      return {
        ...list('rollup', [], { type: 'array', array: [], function: rollup.function }),
        results: (rollup.array ?? []).map((item) => ({
          object: 'property_item',
          id: property.id,
          ...(item as object),
        })),
      };
    }
  }
}

const ids = (row: BlockRow, p: PropertySchema) => {
  const v = row.props?.[p.id];
  return Array.isArray(v) ? v.map(String) : [];
};

async function users(ctx: ServiceContext, list: readonly string[]): Promise<unknown[]> {
  const rows = await findWorkspaceUsersById(ctx.store, ctx.principal.workspaceId, list);
  const byId = new Map(rows.map((user) => [user.id, user]));
  const visibility = userVisibility(ctx.principal.capabilities);
  return list.map((id) => {
    const user = byId.get(id);
    return user ? serializeUser(user, visibility) : partialUser(id);
  });
}

/** The ids of `list` the integration can see and that are not in the trash, in the order given. */
async function visibleIds(ctx: ServiceContext, list: readonly string[]): Promise<string[]> {
  const known = new Set(await findVisibleIds(ctx.store, ctx.principal, list, { live: true }));
  return list.filter((id) => known.has(id));
}
