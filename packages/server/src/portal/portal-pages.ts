// Workspace content as the signed-in person sees it in the app: the page tree, one page with its blocks
// (rendered by the UI from the API's own block objects), a new page, and renaming. People see every page of
// their workspace; sharing limits integrations, not members (reference §4). Reads and writes go through
// services/workspace-pages.ts, the path the seed takes too.
import { serializeBlock } from '../domain/serialize.js';
import { normalizeId } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import {
  createWorkspacePage,
  readPageContent,
  readPageTree,
  readWorkspacePage,
  renameWorkspacePage,
  WorkspacePageError,
  type WorkspacePageRefusal,
} from '../services/workspace-pages.js';
import { readObjects } from '../services/workspace-databases.js';
import type { Store } from '../store/sql-store.js';
import { databaseSources, DATABASE_ROUTES, rowOf } from './portal-databases.js';
import { MARKDOWN_ROUTES } from './portal-markdown.js';
import { PortalError, portalErrors, stringField } from './portal-http.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalAncestor, PortalBlock, PortalIcon, PortalPage, PortalTreeNode } from './portal-types.js';

export const MAX_TITLE_LENGTH = 2000;
/** A page with more blocks than this shows the first ones and says so (the API pages through them). */
export const MAX_RENDERED_BLOCKS = 2000;

/**
 * Pages and databases that are not in the trash (nor below a trashed page); data sources and database rows are
 * left out (a database's page shows them).
 */
export async function pageTree(store: Store, workspaceId: string): Promise<PortalTreeNode[]> {
  return (await readPageTree(store, workspaceId)).map((row) => ({
    id: row.id,
    object: row.object,
    parent_id: row.parent_id,
    title: row.title,
    icon: (row.icon ?? null) as PortalIcon | null,
  }));
}

/** Loads a page or database of the workspace, or 404 (other workspaces' objects do not exist here). */
export async function findWorkspacePage(store: Store, workspaceId: string, id: string): Promise<BlockRow> {
  const row = await readWorkspacePage(store, workspaceId, id);
  if (!row) throw portalErrors.notFound('This page');
  return row;
}

/** Every block below the page down to (not into) child pages, in order, as a tree. */
async function pageBlocks(store: Store, pageId: string): Promise<{ blocks: PortalBlock[]; truncated: boolean }> {
  const rows = await readPageContent(store, pageId, MAX_RENDERED_BLOCKS + 1);
  const truncated = rows.length > MAX_RENDERED_BLOCKS;
  const byParent = new Map<string, BlockRow[]>();
  for (const row of rows.slice(0, MAX_RENDERED_BLOCKS)) {
    const key = row.parent_id ?? '';
    byParent.set(key, [...(byParent.get(key) ?? []), row]);
  }
  const build = (parentId: string): PortalBlock[] =>
    (byParent.get(parentId) ?? []).map((row) => {
      const wire = serializeBlock(row);
      const type = String(wire.type);
      return {
        id: row.id,
        type,
        content: (wire[type] ?? {}) as Record<string, unknown>,
        children: row.object === 'block' ? build(row.id) : [],
      };
    });
  return { blocks: build(pageId), truncated };
}

/** The ancestors of a page, root first, each with what it is (a row's database and data source among them). */
async function ancestorsOf(store: Store, row: BlockRow): Promise<PortalAncestor[]> {
  const ids = row.path.slice(0, -1);
  const byId = new Map((await readObjects(store, ids)).map((r) => [r.id, r]));
  return ids.map((id) => {
    const found = byId.get(id);
    const object = found?.object === 'database' || found?.object === 'data_source' ? found.object : 'page';
    return { id, title: found?.title ?? '', object };
  });
}

/** A page, a database (with its data sources and their rows) or a database row (with its values). */
async function getPage(ctx: PortalContext): Promise<PortalPage> {
  const workspaceId = ctx.session.workspace.id;
  let row = await findWorkspacePage(ctx.store, workspaceId, pathId(ctx, 'id', 'This page'));
  // A data source's id opens its database, where the data source is shown with its siblings.
  if (row.object === 'data_source') row = await findWorkspacePage(ctx.store, workspaceId, row.parent_id ?? '');
  const isDatabase = row.object === 'database';
  const { blocks, truncated } = isDatabase ? { blocks: [], truncated: false } : await pageBlocks(ctx.store, row.id);
  const dataSources = isDatabase ? await databaseSources(ctx.store, workspaceId, row) : undefined;
  const rowValues = await rowOf(ctx.store, workspaceId, row);
  return {
    id: row.id,
    object: isDatabase ? 'database' : 'page',
    title: row.title,
    icon: (row.icon ?? null) as PortalIcon | null,
    archived: row.archived || row.ancestor_archived,
    created_time: new Date(row.created_time).toISOString(),
    last_edited_time: new Date(row.last_edited_time).toISOString(),
    ancestors: await ancestorsOf(ctx.store, row),
    blocks,
    truncated,
    ...(dataSources ? { data_sources: dataSources } : {}),
    ...(rowValues ? { row: rowValues } : {}),
  };
}

/** What the person is told when the workspace's rules refuse a write. */
const REFUSALS: Record<WorkspacePageRefusal, () => PortalError> = {
  not_found: () => portalErrors.notFound('This page'),
  parent_not_found: () => portalErrors.notFound('This page'),
  parent_not_a_page: () => portalErrors.invalid('New pages go at the top of the workspace or under a page.'),
  parent_in_trash: () => portalErrors.invalid('That page is in the trash; restore it first.'),
  not_a_page: () => portalErrors.invalid('Only pages can be renamed here.'),
  database_row: () =>
    portalErrors.invalid('Database rows are renamed through the API: PATCH /v1/pages/{id} with their title property.'),
};

/** Runs a workspace page write, saying a refusal in the portal's words. */
async function refusedInPortalWords<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof WorkspacePageError) throw REFUSALS[error.reason]();
    throw error;
  }
}

/** A new page at the top of the workspace, or under a page when `parent_id` is given. */
async function createPage(ctx: PortalContext): Promise<PortalTreeNode> {
  const title = stringField(ctx.body, 'title', { max: MAX_TITLE_LENGTH }) ?? '';
  const parentRaw = ctx.body.parent_id;
  let parentId: string | null = null;
  if (parentRaw !== undefined && parentRaw !== null) {
    parentId = typeof parentRaw === 'string' ? normalizeId(parentRaw) : null;
    if (!parentId) throw portalErrors.invalid('parent_id should be a page id.');
  }
  const { user, workspace } = ctx.session;
  const page = await refusedInPortalWords(
    createWorkspacePage(ctx, {
      workspaceId: workspace.id,
      parentId,
      title,
      actor: { type: 'person', id: user.id },
      authorId: user.id,
      now: ctx.clock.now(),
    }),
  );
  return { id: page.id, object: 'page', parent_id: page.parent_id, title, icon: null };
}

async function renamePage(ctx: PortalContext): Promise<PortalTreeNode> {
  const title = stringField(ctx.body, 'title', { max: MAX_TITLE_LENGTH }) ?? '';
  const id = pathId(ctx, 'id', 'This page');
  const { user, workspace } = ctx.session;
  const page = await refusedInPortalWords(
    renameWorkspacePage(ctx, {
      workspaceId: workspace.id,
      id,
      title,
      actor: { type: 'person', id: user.id },
      authorId: user.id,
      now: ctx.clock.now(),
    }),
  );
  return { id, object: 'page', parent_id: page.parent_id, title, icon: (page.icon ?? null) as PortalIcon | null };
}

export const PAGE_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/pages', handle: (ctx) => pageTree(ctx.store, ctx.session.workspace.id) },
  { method: 'GET', path: '/pages/:id', handle: getPage },
  { method: 'POST', path: '/pages', status: 201, handle: createPage },
  { method: 'PATCH', path: '/pages/:id', handle: renamePage },
  ...DATABASE_ROUTES,
  ...MARKDOWN_ROUTES,
];
