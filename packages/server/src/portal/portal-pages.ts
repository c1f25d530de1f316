// Workspace content as the signed-in person sees it in the app: the page tree, one page with its blocks
// (rendered by the UI from the API's own block objects), a new top-level page, and renaming.
// People see every page of their workspace; sharing limits integrations, not members (reference §4).
import { textRichText, plainText } from '../domain/rich-text.js';
import { serializeBlock } from '../domain/serialize.js';
import { newId, normalizeId } from '../ids.js';
import { findBlock, insertRow, lockBlock, type ParentRef } from '../store/block-repo.js';
import { BLOCK_COLUMNS } from '../store/columns.js';
import { type BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { portalErrors, stringField } from './portal-http.js';
import { pathId, type PortalContext, type PortalRoute } from './portal-context.js';
import type { PortalBlock, PortalIcon, PortalPage, PortalTreeNode } from './portal-types.js';

export const MAX_TITLE_LENGTH = 2000;
/** A page with more blocks than this shows the first ones and says so (the API pages through them). */
export const MAX_RENDERED_BLOCKS = 2000;

interface TreeRow {
  id: string;
  object: 'page' | 'database';
  parent_id: string | null;
  title: string;
  icon: PortalIcon | null;
}

/** Pages and databases that are not in the trash (nor below a trashed page); database rows are left out. */
export async function pageTree(db: SqlExecutor, workspaceId: string): Promise<PortalTreeNode[]> {
  return db.query<TreeRow>(
    `SELECT b.id, b.object, b.parent_id, b.title, b.icon FROM blocks b
     WHERE b.workspace_id = $1 AND b.object IN ('page', 'database') AND b.parent_type IN ('workspace', 'page_id')
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
     ORDER BY array_length(b.path, 1), b.position, b.created_time, b.id`,
    [workspaceId],
  );
}

/** Loads a page or database of the workspace, or 404 (other workspaces' objects do not exist here). */
export async function findWorkspacePage(db: SqlExecutor, workspaceId: string, id: string): Promise<BlockRow> {
  const row = await findBlock(db, id);
  if (!row || row.workspace_id !== workspaceId || row.object === 'block') throw portalErrors.notFound('This page');
  return row;
}

/** Every block below the page down to (not into) child pages, in order, as a tree. */
async function pageBlocks(db: SqlExecutor, pageId: string): Promise<{ blocks: PortalBlock[]; truncated: boolean }> {
  const rows = await db.query<BlockRow>(
    `WITH RECURSIVE t (id, object) AS (
       SELECT id, object FROM blocks WHERE parent_id = $1 AND NOT archived
       UNION ALL
       SELECT c.id, c.object FROM blocks c JOIN t ON c.parent_id = t.id WHERE t.object = 'block' AND NOT c.archived
     )
     SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.id IN (SELECT id FROM t LIMIT $2)
     ORDER BY b.position, b.created_time, b.id`,
    [pageId, MAX_RENDERED_BLOCKS + 1],
  );
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

async function getPage(ctx: PortalContext): Promise<PortalPage> {
  const row = await findWorkspacePage(ctx.store, ctx.session.workspace.id, pathId(ctx, 'id', 'This page'));
  const ancestorIds = row.path.slice(0, -1);
  const ancestors = ancestorIds.length
    ? await ctx.store.query<{ id: string; title: string }>('SELECT id, title FROM blocks WHERE id = ANY ($1::uuid[])', [
        ancestorIds,
      ])
    : [];
  const titles = new Map(ancestors.map((a) => [a.id, a.title]));
  const { blocks, truncated } = await pageBlocks(ctx.store, row.id);
  return {
    id: row.id,
    object: row.object === 'database' ? 'database' : 'page',
    title: row.title,
    icon: (row.icon ?? null) as PortalIcon | null,
    archived: row.archived || row.ancestor_archived,
    created_time: new Date(row.created_time).toISOString(),
    last_edited_time: new Date(row.last_edited_time).toISOString(),
    ancestors: ancestorIds.map((id) => ({ id, title: titles.get(id) ?? '' })),
    blocks,
    truncated,
  };
}

function titleProperties(title: string): Record<string, unknown> {
  return { title: { id: 'title', type: 'title', title: title ? textRichText(title) : [] } };
}

/** A new page at the top of the workspace, or under a page when `parent_id` is given. */
async function createPage(ctx: PortalContext): Promise<PortalTreeNode> {
  const title = stringField(ctx.body, 'title', { max: MAX_TITLE_LENGTH }) ?? '';
  const parentRaw = ctx.body.parent_id;
  const ws = ctx.session.workspace.id;
  const id = newId();
  const now = ctx.clock.now();
  let parentId: string | null = null;
  await ctx.store.transaction(async (tx) => {
    let parent: ParentRef = { workspaceId: ws, id: null, type: 'workspace', path: [] };
    if (parentRaw !== undefined && parentRaw !== null) {
      const parentKey = typeof parentRaw === 'string' ? normalizeId(parentRaw) : null;
      if (!parentKey) throw portalErrors.invalid('parent_id should be a page id.');
      const row = await findWorkspacePage(tx, ws, parentKey);
      if (row.object !== 'page')
        throw portalErrors.invalid('New pages go at the top of the workspace or under a page.');
      if (row.archived || row.ancestor_archived)
        throw portalErrors.invalid('That page is in the trash; restore it first.');
      await lockBlock(tx, row.id);
      parent = { workspaceId: ws, id: row.id, type: 'page_id', path: row.path };
      parentId = row.id;
    }
    const rich = textRichText(title);
    await insertRow(
      tx,
      parent,
      {
        id,
        object: 'page',
        type: 'page',
        content: {},
        properties: titleProperties(title),
        title: plainText(rich),
      },
      'last',
      ctx.session.user.id,
      now,
    );
  });
  return { id, object: 'page', parent_id: parentId, title, icon: null };
}

async function renamePage(ctx: PortalContext): Promise<PortalTreeNode> {
  const title = stringField(ctx.body, 'title', { max: MAX_TITLE_LENGTH }) ?? '';
  const ws = ctx.session.workspace.id;
  const id = pathId(ctx, 'id', 'This page');
  const row = await findWorkspacePage(ctx.store, ws, id);
  if (row.object !== 'page') throw portalErrors.invalid('Only pages can be renamed here.');
  // A database row's title is one of the database's properties (and part of what queries filter on).
  if (row.parent_type === 'database_id')
    throw portalErrors.invalid(
      'Database rows are renamed through the API: PATCH /v1/pages/{id} with their title property.',
    );
  // The title lives in two places: the `title` property (what the API returns) and the search column.
  await ctx.store.query(
    'UPDATE blocks SET title = $2, properties = $3, last_edited_time = $4, last_edited_by = $5 WHERE id = $1',
    [
      id,
      title,
      JSON.stringify({ ...(row.properties ?? {}), ...titleProperties(title) }),
      ctx.clock.now(),
      ctx.session.user.id,
    ],
  );
  return { id, object: 'page', parent_id: row.parent_id, title, icon: (row.icon ?? null) as PortalIcon | null };
}

export const PAGE_ROUTES: readonly PortalRoute[] = [
  { method: 'GET', path: '/pages', handle: (ctx) => pageTree(ctx.store, ctx.session.workspace.id) },
  { method: 'GET', path: '/pages/:id', handle: getPage },
  { method: 'POST', path: '/pages', status: 201, handle: createPage },
  { method: 'PATCH', path: '/pages/:id', handle: renamePage },
];
