// Pages as a person of the workspace (portal) or the platform (seed, reset) writes and reads them: the
// workspace's own rules, no sharing check (sharing limits integrations, not members: reference §4). The API
// writes pages through services/pages.ts; both store the same rows and record the same changes.
import { normalizeIcon, zChildren, zIcon, type BlockInput } from '../domain/block-types.js';
import { parseWith } from '../domain/validation.js';
import { newId } from '../ids.js';
import type { BlockRow, PageTreeRow } from '../model/rows.js';
import {
  editBlock,
  findBlock,
  findTitles,
  insertRows,
  listPageContent,
  listPageTree,
  type ParentRef,
  type RowInsert,
} from '../store/block-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { blockTreeRows } from './block-trees.js';
import { commitWrite, type Actor, type ChangeFeed, type WriteScope } from './changes.js';
import { contentChange, createdChange } from './content-changes.js';
import { workspaceMentionResolver } from './mention-resolvers.js';
import { plainTitle, titleColumns } from './page-title.js';

/** A page written by a person (portal) or the platform (seed): the workspace's own rules, no sharing check. */
export interface WorkspacePageInput {
  workspaceId: string;
  /** null: top of the workspace; else a page of the workspace (not in the trash). */
  parentId: string | null;
  /** Given by the seed; else new. */
  id?: string;
  /** Plain text. */
  title: string;
  /** API icon input (normalizeIcon) or null. */
  icon?: unknown;
  /** Block objects as the API's `children` (validated with zChildren). */
  blocks?: readonly unknown[];
  /** { type: 'person', id } or { type: 'system' }. */
  actor: Actor;
  /** The user id stored in created_by / last_edited_by (for the platform: the workspace owner or first bot). */
  authorId: string;
  now: Date;
}

export interface WorkspacePageRename {
  workspaceId: string;
  id: string;
  /** Plain text. */
  title: string;
  actor: Actor;
  authorId: string;
  now: Date;
}

/** What the store and the writer need: where to write, and where to describe what was written. */
export interface WorkspaceWriteDeps {
  store: Store;
  changes: ChangeFeed;
}

/** Why a workspace page write was refused; the caller says it in its own words (the portal's messages). */
export type WorkspacePageRefusal =
  | 'not_found' // no such page or database in the workspace
  | 'parent_not_found'
  | 'parent_not_a_page' // new pages go at the top of the workspace or under a page
  | 'parent_in_trash'
  | 'not_a_page' // only pages are renamed here
  | 'database_row'; // a database row's title is one of its database's properties

export class WorkspacePageError extends Error {
  constructor(readonly reason: WorkspacePageRefusal) {
    super(`workspace page write refused: ${reason}`);
    this.name = 'WorkspacePageError';
  }
}

/**
 * Writes a page (with its blocks, if any) after the last child of its parent, in the caller's transaction,
 * and records page.created. Returns the page as stored.
 */
export async function writeWorkspacePage(scope: WriteScope, input: WorkspacePageInput): Promise<BlockRow> {
  const { tx } = scope;
  const parent = await workspaceParent(tx, input.workspaceId, input.parentId);
  const blocks = input.blocks ? (parseWith(zChildren, input.blocks) as BlockInput[]) : [];
  const icon = input.icon === undefined || input.icon === null ? null : normalizeIcon(parseWith(zIcon, input.icon));
  const id = input.id ?? newId();
  const rows: RowInsert[] = [
    {
      parent,
      row: { id, object: 'page', type: 'page', content: {}, ...titleColumns(plainTitle(input.title)), icon },
      position: 'last',
      actorId: input.authorId,
      now: input.now,
    },
  ];
  const pageRef: ParentRef = { workspaceId: input.workspaceId, id, type: 'page_id', path: [...parent.path, id] };
  const resolver = workspaceMentionResolver(tx, input.workspaceId);
  await blockTreeRows(rows, pageRef, blocks, 1, input.authorId, input.now, resolver);
  const page = { ...(await insertRows(tx, rows))[0]!, has_children: blocks.length > 0 };
  scope.record(createdChange(page, input.actor, input.now));
  return page;
}

/** writeWorkspacePage in a transaction of its own. */
export function createWorkspacePage(deps: WorkspaceWriteDeps, input: WorkspacePageInput): Promise<BlockRow> {
  return commitWrite(deps.store, deps.changes, (scope) => writeWorkspacePage(scope, input));
}

/** Renames a page (not a database row) and records page.properties_updated; returns the page as stored. */
export function renameWorkspacePage(deps: WorkspaceWriteDeps, input: WorkspacePageRename): Promise<BlockRow> {
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    const row = await findWorkspaceObject(tx, input.workspaceId, input.id, 'none');
    if (!row) throw new WorkspacePageError('not_found');
    if (row.object !== 'page') throw new WorkspacePageError('not_a_page');
    // A database row's title is one of the database's properties (and part of what queries filter on).
    if (row.parent_type === 'data_source_id') throw new WorkspacePageError('database_row');
    const stored = titleColumns(plainTitle(input.title));
    const title = stored.title;
    const properties = { ...(row.properties ?? {}), ...stored.properties };
    await editBlock(tx, row.id, { title, properties }, input.authorId, input.now);
    record(contentChange('page.properties_updated', row, input.actor, input.now, { updatedProperties: ['title'] }));
    return { ...row, title, properties, last_edited_time: input.now, last_edited_by: input.authorId };
  });
}

/** Where a new page goes: the top of the workspace, or a live page of it (locked: its children get positions). */
async function workspaceParent(db: SqlExecutor, workspaceId: string, parentId: string | null): Promise<ParentRef> {
  if (parentId === null) return { workspaceId, id: null, type: 'workspace', path: [] };
  const row = await findWorkspaceObject(db, workspaceId, parentId, 'archived', true);
  if (!row) throw new WorkspacePageError('parent_not_found');
  if (row.object !== 'page') throw new WorkspacePageError('parent_not_a_page');
  if (row.archived || row.ancestor_archived) throw new WorkspacePageError('parent_in_trash');
  return { workspaceId, id: row.id, type: 'page_id', path: row.path };
}

/** A page or database of the workspace, or null (blocks and other workspaces' objects are not found here). */
async function findWorkspaceObject(
  db: SqlExecutor,
  workspaceId: string,
  id: string,
  flags: 'all' | 'archived' | 'none' = 'all',
  lock = false,
): Promise<BlockRow | null> {
  const row = await findBlock(db, id, flags, lock);
  return row && row.workspace_id === workspaceId && row.object !== 'block' ? row : null;
}

/** A page or database of the workspace with both computed flags, or null. */
export function readWorkspacePage(store: Store, workspaceId: string, id: string): Promise<BlockRow | null> {
  return findWorkspaceObject(store, workspaceId, id);
}

/** The workspace's live pages and databases (not database rows), parents before children, siblings in order. */
export function readPageTree(store: Store, workspaceId: string): Promise<PageTreeRow[]> {
  return listPageTree(store, workspaceId);
}

/** The blocks of a page down to (not into) child pages, in order: at most `limit` (see listPageContent). */
export function readPageContent(store: Store, pageId: string, limit: number): Promise<BlockRow[]> {
  return listPageContent(store, pageId, limit);
}

/** The titles of pages by id (a page's ancestors, for its breadcrumb); missing ids are left out. */
export async function readTitles(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await findTitles(store, ids)).map((row) => [row.id, row.title]));
}
