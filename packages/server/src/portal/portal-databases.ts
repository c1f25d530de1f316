// Databases in the portal: a database is a container of data sources (Notion-Version 2025-09-03); each data
// source has a schema and rows, which are pages whose parent is the data source. The portal shows a database
// with its data sources (name, id, properties, views: portal-views.ts) and the newest rows of each, a page at
// a time; and a row with its values and the ids of its data source and database. Values are shown as text;
// formulas and rollups are left to the API, which computes them on read. Reads go through
// services/workspace-databases.ts.
import { readSchema, type PropertySchema, type Schema } from '../domain/properties/schema.js';
import { renderValue, type RenderEnv } from '../domain/properties/value-types.js';
import { normalizeId } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import {
  readDatabaseSources,
  readDataSourceRows,
  readObjects,
  readWorkspaceDataSource,
  readWorkspaceTitles,
  readWorkspaceUsers,
} from '../services/workspace-databases.js';
import type { Store } from '../store/sql-store.js';
import { viewsOf } from './portal-views.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import { portalErrors } from './portal-http.js';
import type {
  PortalDataSource,
  PortalDataSourceRow,
  PortalDataSourceRows,
  PortalIcon,
  PortalPropertyDef,
  PortalPropertyValue,
  PortalRowOf,
} from './portal-types.js';

/** Rows a data source shows at once; the rest come a page at a time. */
export const ROWS_PER_PAGE = 25;
/** Properties shown next to a row's title in the list (the row's own view shows all). */
export const COLUMNS_SHOWN = 4;

/** What row values name, looked up once for a set of rows: people's names and related pages' titles. */
interface Names {
  users: Map<string, string>;
  titles: Map<string, string>;
}

const def = (p: PropertySchema): PortalPropertyDef => ({ id: p.id, name: p.name, type: p.type });
const icon = (row: BlockRow) => (row.icon ?? null) as PortalIcon | null;

/** The people and pages the values of `properties` name in `rows`. */
async function lookUpNames(
  store: Store,
  workspaceId: string,
  rows: readonly BlockRow[],
  properties: readonly PropertySchema[],
): Promise<Names> {
  const userIds = new Set<string>();
  const pageIds = new Set<string>();
  for (const row of rows)
    for (const p of properties) {
      const stored = row.props?.[p.id];
      const list = Array.isArray(stored) ? stored.map(String) : [];
      if (p.type === 'people') list.forEach((id) => userIds.add(id));
      if (p.type === 'relation') list.forEach((id) => pageIds.add(id));
      if (p.type === 'created_by') userIds.add(row.created_by);
      if (p.type === 'last_edited_by') userIds.add(row.last_edited_by);
    }
  const users = await readWorkspaceUsers(store, workspaceId, [...userIds]);
  return {
    users: new Map(users.map((u) => [u.id, u.name])),
    titles: await readWorkspaceTitles(store, workspaceId, [...pageIds]),
  };
}

const richTextPlain = (value: unknown) =>
  (Array.isArray(value) ? value : [])
    .map((t: { plain_text?: string; text?: { content?: string } }) => t.plain_text ?? t.text?.content ?? '')
    .join('');

/** A rendered value (the API's `{type, [type]: value}`) as text; null for what only the API computes. */
function valueText(p: PropertySchema, wire: Record<string, unknown>, names: Names): string | null {
  const v = wire[p.type] as any; // one value of any of the property types
  const name = (id: string) => names.users.get(id) ?? id;
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return richTextPlain(v);
    case 'number':
      return typeof v === 'number' ? String(v) : '';
    case 'select':
    case 'status':
      return v?.name ?? '';
    case 'multi_select':
      return (v as { name: string }[]).map((o) => o.name).join(', ');
    case 'date':
      return v ? `${v.start}${v.end ? ` → ${v.end}` : ''}` : '';
    case 'checkbox':
      return v === true ? 'Yes' : 'No';
    case 'people':
      return (v as { id: string }[]).map((u) => name(u.id)).join(', ');
    case 'created_by':
    case 'last_edited_by':
      return name((v as { id: string }).id);
    case 'relation':
      return (v as { id: string }[]).map((r) => names.titles.get(r.id) || 'Untitled').join(', ');
    case 'files':
      return (v as { name: string }[]).map((f) => f.name).join(', ');
    case 'unique_id':
      return v?.number === null || v?.number === undefined ? '' : `${v.prefix ? `${v.prefix}-` : ''}${v.number}`;
    case 'formula':
    case 'rollup':
      return null;
    default:
      return typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
  }
}

/** The values of `properties` of a row, as text. */
function rowValues(row: BlockRow, properties: readonly PropertySchema[], names: Names): PortalPropertyValue[] {
  const env: RenderEnv = {
    row,
    user: (id) => ({ object: 'user', id }),
    visible: (ids) => [...ids],
    computed: () => null,
  };
  return properties.map((p) => ({ ...def(p), text: valueText(p, renderValue(row, p, env), names) }));
}

/** The properties a rows list shows next to the title: the first few others, in schema order. */
const columnsOf = (schema: Schema) => schema.properties.filter((p) => p.type !== 'title').slice(0, COLUMNS_SHOWN);

/** One page of a data source's rows, newest first, after the cursor row when given. */
async function rowsPage(
  store: Store,
  workspaceId: string,
  schema: Schema,
  cursor: string | null,
): Promise<PortalDataSourceRows> {
  const { rows, hasMore } = await readDataSourceRows(store, schema.dataSourceId, cursor, ROWS_PER_PAGE);
  const columns = columnsOf(schema);
  const names = await lookUpNames(store, workspaceId, rows, columns);
  const results: PortalDataSourceRow[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    icon: icon(row),
    created_time: new Date(row.created_time).toISOString(),
    values: rowValues(row, columns, names),
  }));
  return { results, next_cursor: hasMore ? (rows.at(-1)?.id ?? null) : null, has_more: hasMore };
}

/** A database's live data sources, oldest first, each with its schema, row count, newest rows and views. */
export async function databaseSources(
  store: Store,
  workspaceId: string,
  database: BlockRow,
): Promise<PortalDataSource[]> {
  const sources = await readDatabaseSources(store, database.id);
  const schemas = sources.map(({ source }) => readSchema(source));
  const views = await viewsOf(store, schemas);
  return Promise.all(
    sources.map(async ({ source, rowCount }, i) => {
      const schema = schemas[i]!;
      return {
        id: source.id,
        database_id: database.id,
        name: source.title,
        icon: icon(source),
        properties: schema.properties.map(def),
        columns: columnsOf(schema).map(def),
        row_count: rowCount,
        rows: await rowsPage(store, workspaceId, schema, null),
        views: views.get(source.id) ?? [],
      };
    }),
  );
}

/** Where a database row lives and all its values; undefined for a page that is not a row. */
export async function rowOf(store: Store, workspaceId: string, row: BlockRow): Promise<PortalRowOf | undefined> {
  if (row.parent_type !== 'data_source_id' || !row.parent_id) return undefined;
  const source = await readWorkspaceDataSource(store, workspaceId, row.parent_id);
  if (!source) return undefined;
  const [database] = await readObjects(store, [source.parent_id ?? '']);
  const schema = readSchema(source);
  const names = await lookUpNames(store, workspaceId, [row], schema.properties);
  return {
    database_id: source.parent_id ?? '',
    database_title: database?.title ?? '',
    data_source_id: source.id,
    data_source_name: source.title,
    properties: rowValues(row, schema.properties, names),
  };
}

/** `GET /data-sources/:id/rows?start_cursor=`: the next page of a data source's rows. */
async function getRows(ctx: PortalContext): Promise<PortalDataSourceRows> {
  const workspaceId = ctx.session.workspace.id;
  const source = await readWorkspaceDataSource(ctx.store, workspaceId, pathId(ctx, 'id', 'This data source'));
  if (!source) throw portalErrors.notFound('This data source');
  const raw = ctx.query.start_cursor;
  const cursor = typeof raw === 'string' && raw !== '' ? normalizeId(raw) : null;
  if (raw !== undefined && raw !== '' && !cursor) throw portalErrors.invalid('start_cursor should be a row id.');
  return rowsPage(ctx.store, workspaceId, readSchema(source), cursor);
}

export const DATABASE_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/data-sources/:id/rows', handle: getRows },
];
