// Database views (Notion-Version 2025-09-03 and later, reference §18): list, create, retrieve, update and
// delete the views of a database, and view queries — the saved filter (and quick filters) and sorts of a view
// run now over its data source, the matching row ids kept as a snapshot for 15 minutes and read page by page.
// Every database gets one table view, "Default view", per data source it is made with (insertDefaultView).
// A view is visible exactly when its database is; anything else answers the one 404 of a missing view.
// Dashboards (`type: "dashboard"`, `view_id`) and `create_database` are not supported: they answer 400.
import { z } from 'zod';
import { hasDataSources } from '../api-version.js';
import { ApiError, errors } from '../errors.js';
import { newId } from '../ids.js';
import { utcDay } from '../domain/properties/dates.js';
import { readSchema } from '../domain/properties/schema.js';
import { listEnvelope, readPageRequest, zPageFields } from '../domain/pagination.js';
import { parseWith, renderValue, zId } from '../domain/validation.js';
import {
  assertConfigurable,
  mergeConfiguration,
  mergeQuickFilters,
  quickFilterList,
  serializePartialView,
  serializeView,
  viewTime,
  VIEW_TYPES,
} from '../domain/views.js';
import { compileFilter } from '../query/filter-compiler.js';
import { compileSorts, parseSorts } from '../query/sorts.js';
import { findBlock } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import {
  countViews,
  deleteView as removeView,
  deleteViewQuery as removeViewQuery,
  findViewQuery,
  findVisibleView,
  insertView,
  insertViewQuery,
  isViewOf,
  listViewIds,
  updateView as writeView,
  type ViewPlacement,
  type ViewRow,
} from '../store/view-repo.js';
import type { BlockRow } from '../model/rows.js';
import { commitWrite, type Change } from './changes.js';
import { botActor } from './content-changes.js';
import { loadBundle, scopeFor } from './database-rows.js';
import { matchingRowIds } from './database-query.js';
import { loadVisibleDataSource } from './data-source-lookup.js';
import { assertEditable, loadVisibleDatabase, type ServiceContext } from './service-context.js';

/** How long a view query's snapshot is kept (observed: 15 minutes). */
export const VIEW_QUERY_TTL_MS = 15 * 60 * 1000;
/** The most rows a view query snapshots; past it the answer says `query_result_limit_reached`. */
export const MAX_VIEW_QUERY_ROWS = 10_000;
export const DEFAULT_VIEW_NAME = 'Default view';

const notFoundMessage = (kind: 'view' | 'view_query', id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
export const viewNotFound = (id: string) => new ApiError('object_not_found', notFoundMessage('view', id));
const viewQueryNotFound = (id: string) => new ApiError('object_not_found', notFoundMessage('view_query', id));

const unsupported = (what: string) => new ApiError('validation_error', `${what} is not supported by notion-local.`);

const zPosition = z.union([
  z.object({ type: z.literal('start') }).strict(),
  z.object({ type: z.literal('end') }).strict(),
  z.object({ type: z.literal('after_view'), view_id: zId }).strict(),
]);

const zCreateView = z
  .object({
    data_source_id: zId,
    name: z.string(),
    type: z.enum(VIEW_TYPES),
    database_id: zId.optional(),
    view_id: zId.optional(),
    create_database: z.unknown().optional(),
    filter: z.unknown().optional(),
    sorts: z.unknown().optional(),
    quick_filters: z.unknown().optional(),
    configuration: z.unknown().optional(),
    position: zPosition.optional(),
    placement: z.unknown().optional(),
  })
  .strict();

const zPropertySort = z.object({ property: z.string(), direction: z.enum(['ascending', 'descending']) }).strict();

const zUpdateView = z
  .object({
    name: z.string().optional(),
    filter: z.record(z.unknown()).nullable().optional(),
    sorts: z.array(zPropertySort).max(100).nullable().optional(),
    quick_filters: z.record(z.unknown()).nullable().optional(),
    configuration: z.unknown().optional(),
  })
  .strict();

const zListQuery = z.object({ database_id: zId.optional(), data_source_id: zId.optional(), ...zPageFields }).strict();

const zCreateQuery = z.object({ page_size: z.unknown().optional() }).strict();
const zResultsQuery = z.object(zPageFields).strict();

/** Views exist from Notion-Version 2025-09-03 on (reference §18): earlier versions do not know the routes. */
function requireViews(ctx: ServiceContext): void {
  if (!hasDataSources(ctx.version)) throw errors.invalidUrl();
}

type Fields = Record<string, unknown>;
const orNull = (value: unknown) => (value === undefined ? null : value);

/** The view with this id if the caller may see its database, else the 404 of a missing view. */
async function loadView(db: SqlExecutor, ctx: ServiceContext, id: string, lock = false): Promise<ViewRow> {
  const view = await findVisibleView(db, ctx.principal, id, lock);
  if (!view) throw viewNotFound(id);
  return view;
}

/** A view's data source (every view but a dashboard has one: notion-local makes no dashboards). */
async function sourceOf(db: SqlExecutor, view: ViewRow): Promise<BlockRow> {
  const source = view.data_source_id ? await findBlock(db, view.data_source_id) : null;
  if (!source) throw unsupported('A view without a data source (a dashboard)');
  return source;
}

/**
 * Checks a view's saved filter, quick filters and sorts with the compiler of data source queries (the same
 * 400s as a query with them); nothing runs.
 */
async function checkSaved(
  db: SqlExecutor,
  ctx: ServiceContext,
  source: BlockRow,
  view: Pick<ViewRow, 'filter' | 'sorts' | 'quick_filters'>,
): Promise<void> {
  const bundle = await loadBundle(db, source);
  const scope = scopeFor(ctx, bundle);
  const filterContext = { scope, schema: bundle.schema, alias: 'b', today: utcDay(scope.now.getTime()) };
  if (view.filter !== null && view.filter !== undefined) compileFilter(view.filter, filterContext);
  for (const filter of quickFilterList(view.quick_filters)) compileFilter(filter, filterContext);
  if (view.sorts !== null && view.sorts !== undefined) compileSorts(parseSorts(view.sorts), scope, bundle.schema, 'b');
}

/** A view's change, by the integration that made it: its type, and for an update the fields it was given. */
const viewChange = (
  kind: 'view.created' | 'view.updated' | 'view.deleted',
  view: ViewRow,
  ctx: ServiceContext,
  at: Date,
  updatedFields?: readonly string[],
): Change => ({
  kind,
  workspaceId: view.workspace_id,
  entity: { type: 'view', id: view.id },
  actor: botActor(ctx.principal.integrationId),
  at,
  parent: { type: 'database', id: view.database_id },
  details: { view_type: view.type, ...(updatedFields ? { updated_fields: [...updatedFields] } : {}) },
});

/**
 * The "Default view" of a new data source (inside the caller's write): a table view, after the database's
 * other views. It is part of the database's or data source's creation and records no change of its own.
 */
export async function insertDefaultView(
  tx: SqlExecutor,
  source: Pick<BlockRow, 'id' | 'workspace_id' | 'parent_id'>,
  actorId: string,
  now: Date,
): Promise<void> {
  const row: ViewRow = {
    id: newId(),
    workspace_id: source.workspace_id,
    database_id: source.parent_id as string,
    data_source_id: source.id,
    name: DEFAULT_VIEW_NAME,
    type: 'table',
    filter: null,
    sorts: null,
    quick_filters: null,
    configuration: { type: 'table' },
    created_time: now,
    created_by: actorId,
    last_edited_time: now,
    last_edited_by: actorId,
  };
  await insertView(tx, row, { type: 'end' });
}

/** GET /v1/views: the views of a database or of a data source (both: those of both), as `{object, id}`. */
export async function listViews(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  requireViews(ctx);
  const input = parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  if (!input.database_id && !input.data_source_id)
    throw new ApiError(
      'validation_error',
      'query failed validation: query.database_id or query.data_source_id should be defined, instead was `undefined`.',
    );
  if (input.database_id) await loadVisibleDatabase(ctx.store, ctx.principal, input.database_id);
  if (input.data_source_id) await loadVisibleDataSource(ctx.store, ctx.principal, input.data_source_id);
  const rows = await listViewIds(ctx.store, {
    workspaceId: ctx.principal.workspaceId,
    databaseId: input.database_id ?? null,
    dataSourceId: input.data_source_id ?? null,
    startCursor: page.startCursor,
    limit: page.pageSize + 1,
  });
  return listEnvelope('view', rows, page.pageSize, (row) => ({ object: 'view', id: row.id }));
}

type CreateInput = z.infer<typeof zCreateView>;

/** The one container a create names: `database_id` (the others are refused here, as unsupported). */
function createTarget(input: CreateInput): { databaseId: string; placement: ViewPlacement } {
  const given = (['database_id', 'view_id', 'create_database'] as const).filter((key) => input[key] !== undefined);
  if (given.length !== 1)
    throw new ApiError(
      'validation_error',
      `body failed validation: exactly one of body.database_id, body.view_id or body.create_database should be present, instead were ${given.length}.`,
    );
  if (input.view_id !== undefined) throw unsupported('Creating a dashboard widget view (`view_id`)');
  if (input.create_database !== undefined) throw unsupported('Creating a view with `create_database`');
  if (input.placement !== undefined)
    throw new ApiError(
      'validation_error',
      `body failed validation: body.placement should be not present, instead was ${renderValue(input.placement)}.`,
    );
  if (input.type === 'dashboard') throw unsupported('A dashboard view');
  return { databaseId: input.database_id as string, placement: input.position ?? { type: 'end' } };
}

/** POST /v1/views (with `database_id`): a new view over one of the database's data sources. */
export async function createView(ctx: ServiceContext, body: unknown): Promise<unknown> {
  requireViews(ctx);
  const input = parseWith(zCreateView, body);
  const { databaseId, placement } = createTarget(input);
  const { principal } = ctx;
  const view = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const database = await loadVisibleDatabase(tx, principal, databaseId, { lock: true });
    assertEditable(database);
    const source = await loadVisibleDataSource(tx, principal, input.data_source_id);
    if (source.parent_id !== database.id)
      throw new ApiError(
        'validation_error',
        `Data source ${source.id} is not a data source of database ${database.id}.`,
      );
    assertEditable(source);
    if (placement.type === 'after_view' && !(await isViewOf(tx, database.id, placement.view_id)))
      throw viewNotFound(placement.view_id);
    const schema = readSchema(source);
    if (input.configuration === undefined) assertConfigurable(input.type);
    const now = ctx.clock.now();
    const row: ViewRow = {
      id: newId(),
      workspace_id: database.workspace_id,
      database_id: database.id,
      data_source_id: source.id,
      name: input.name,
      type: input.type,
      filter: orNull(input.filter),
      sorts: orNull(input.sorts),
      quick_filters: mergeQuickFilters(null, orNull(input.quick_filters), schema),
      configuration: mergeConfiguration(input.type, null, input.configuration, schema) ?? { type: input.type },
      created_time: now,
      created_by: principal.integrationId,
      last_edited_time: now,
      last_edited_by: principal.integrationId,
    };
    await checkSaved(tx, ctx, source, row);
    await insertView(tx, row, placement);
    record(viewChange('view.created', row, ctx, now));
    return row;
  });
  return serializeView(view);
}

export async function retrieveView(ctx: ServiceContext, viewId: string): Promise<unknown> {
  requireViews(ctx);
  return serializeView(await loadView(ctx.store, ctx, viewId));
}

/** The database of a view about to change: visible (it is, as the view was) and not in the trash. */
async function editableDatabase(tx: SqlExecutor, ctx: ServiceContext, view: ViewRow): Promise<BlockRow> {
  const database = await loadVisibleDatabase(tx, ctx.principal, view.database_id, { lock: true });
  assertEditable(database);
  return database;
}

/**
 * PATCH /v1/views/{id}: name; filter and sorts (replaced; null clears); quick_filters (merged per property;
 * null clears all); configuration (a shallow merge, checked as a whole).
 */
export async function updateView(ctx: ServiceContext, viewId: string, body: unknown): Promise<unknown> {
  requireViews(ctx);
  const input = parseWith(zUpdateView, body);
  const updated = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const view = await loadView(tx, ctx, viewId, true);
    await editableDatabase(tx, ctx, view);
    const source = await sourceOf(tx, view);
    const schema = readSchema(source);
    const current = (view.configuration ?? null) as Fields | null;
    const next = {
      name: input.name ?? view.name,
      filter: input.filter === undefined ? view.filter : input.filter,
      sorts: input.sorts === undefined ? view.sorts : input.sorts,
      quick_filters: mergeQuickFilters(view.quick_filters as Fields | null, input.quick_filters, schema),
      configuration: mergeConfiguration(view.type, current, input.configuration, schema),
    };
    await checkSaved(tx, ctx, source, next);
    const now = ctx.clock.now();
    await writeView(tx, view.id, next, ctx.principal.integrationId, now);
    const row: ViewRow = { ...view, ...next, last_edited_time: now, last_edited_by: ctx.principal.integrationId };
    const fields = (['name', 'filter', 'sorts', 'configuration'] as const).filter((f) => input[f] !== undefined);
    record(viewChange('view.updated', row, ctx, now, fields));
    return row;
  });
  return serializeView(updated);
}

/** DELETE /v1/views/{id}: the view and its queries; a database keeps at least one view. */
export async function deleteView(ctx: ServiceContext, viewId: string): Promise<unknown> {
  requireViews(ctx);
  const deleted = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const view = await loadView(tx, ctx, viewId, true);
    await editableDatabase(tx, ctx, view);
    if ((await countViews(tx, view.database_id)) <= 1)
      throw new ApiError('validation_error', 'Cannot delete the last view of a database.');
    await removeView(tx, view.id);
    record(viewChange('view.deleted', view, ctx, ctx.clock.now()));
    return view;
  });
  return serializePartialView(deleted);
}

const pageRefs = (ids: readonly string[]) => ids.map((id) => ({ object: 'page', id }));

/**
 * POST /v1/views/{id}/queries: runs the view's filter, quick filters and sorts now and keeps the matching
 * row ids (at most MAX_VIEW_QUERY_ROWS) for 15 minutes; answers the first page. The snapshot is the query
 * service's own bookkeeping, as query cursors are: it changes no content and records no change.
 */
export async function createViewQuery(ctx: ServiceContext, viewId: string, body: unknown): Promise<unknown> {
  requireViews(ctx);
  const input = parseWith(zCreateQuery, body ?? {});
  const page = readPageRequest('body', input);
  const view = await loadView(ctx.store, ctx, viewId);
  const source = await sourceOf(ctx.store, view);
  const filters = [...(view.filter ? [view.filter] : []), ...quickFilterList(view.quick_filters)];
  const matched = await matchingRowIds(ctx, source, { filters, sorts: view.sorts }, MAX_VIEW_QUERY_ROWS);
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + VIEW_QUERY_TTL_MS);
  const id = newId();
  await insertViewQuery(
    ctx.store,
    {
      id,
      view_id: view.id,
      workspace_id: view.workspace_id,
      integration_id: ctx.principal.integrationId,
      row_ids: matched.ids,
      created_time: now,
      expires_time: expires,
    },
    now,
  );
  const first = matched.ids.slice(0, page.pageSize);
  const next = matched.ids[page.pageSize] ?? null;
  return {
    object: 'view_query',
    id,
    view_id: view.id,
    expires_at: viewTime(expires),
    total_count: matched.ids.length,
    results: pageRefs(first),
    next_cursor: next,
    has_more: next !== null,
    ...(matched.more
      ? { request_status: { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' } }
      : {}),
  };
}

/** GET /v1/views/{id}/queries/{query_id}: a page of a live query's rows; the cursor is the next row's id. */
export async function viewQueryResults(
  ctx: ServiceContext,
  viewId: string,
  queryId: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  requireViews(ctx);
  parseWith(zResultsQuery, query, 'query');
  const page = readPageRequest('query', query);
  const view = await loadView(ctx.store, ctx, viewId);
  const key = {
    id: queryId,
    viewId: view.id,
    workspaceId: view.workspace_id,
    integrationId: ctx.principal.integrationId,
  };
  const found = await findViewQuery(ctx.store, key, ctx.clock.now());
  if (!found) throw viewQueryNotFound(queryId);
  const start = page.startCursor ? found.row_ids.indexOf(page.startCursor) : 0;
  if (start < 0)
    throw new ApiError(
      'validation_error',
      `query failed validation: query.start_cursor should be a cursor returned by this view query, instead was ${renderValue(page.startCursor)}.`,
    );
  const ids = found.row_ids.slice(start, start + page.pageSize);
  const next = found.row_ids[start + page.pageSize] ?? null;
  return { object: 'list', results: pageRefs(ids), next_cursor: next, has_more: next !== null, type: 'page', page: {} };
}

/** DELETE /v1/views/{id}/queries/{query_id}: forgets the query; again, or after it expired, answers the same. */
export async function deleteViewQuery(ctx: ServiceContext, viewId: string, queryId: string): Promise<unknown> {
  requireViews(ctx);
  const view = await loadView(ctx.store, ctx, viewId);
  const key = {
    id: queryId,
    viewId: view.id,
    workspaceId: view.workspace_id,
    integrationId: ctx.principal.integrationId,
  };
  await removeViewQuery(ctx.store, key);
  return { object: 'view_query', id: queryId, deleted: true };
}
