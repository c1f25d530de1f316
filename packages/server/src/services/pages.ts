// Pages (reference §8.1, §11.1): create under a page, retrieve, update title/icon/cover, trash/restore,
// and the property item endpoint. Database parents arrive with the databases issue.
import { z } from 'zod';
import { ApiError, errors } from '../errors.js';
import { newId } from '../ids.js';
import { childRuleViolation, normalizeIcon, zChildren, zCover, zIcon, type BlockInput } from '../domain/block-types.js';
import type { Principal } from '../auth/access.js';
import type { Clock } from '../clock.js';
import { normalizeRichText, plainText, zRichText, type RichText, type RichTextInput } from '../domain/rich-text.js';
import { parseWith, zId } from '../domain/validation.js';
import {
  blockTreeRows,
  findBlock,
  findBlocks,
  insertBlockTree,
  insertRows,
  type ParentRef,
  type RowInsert,
} from '../store/block-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import {
  assertEditable,
  loadVisiblePage,
  mentionResolver,
  visiblePage,
  wrongKind,
  type ServiceContext,
} from './service-context.js';
import { WriteBatcher, type Outcome } from './write-batcher.js';
import { insertDatabasePage, updateDatabasePageValues } from './database-pages.js';
import { readFilterProperties } from './database-query.js';
import { loadBundle, loadRows, renderDatabasePages, renderObjects, renderRows } from './database-rows.js';

const zParent = z.union([
  z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
  z.object({ type: z.literal('database_id').optional(), database_id: zId }).strict(),
]);

const zTitleValue = z.union([
  zRichText,
  z.object({ id: z.literal('title').optional(), type: z.literal('title').optional(), title: zRichText }).strict(),
]);

const zCreatePage = z
  .object({
    parent: zParent,
    properties: z.record(z.unknown()).optional(),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    children: zChildren.optional(),
  })
  .strict();

const zUpdatePage = z
  .object({
    properties: z.record(z.unknown()).optional(),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
  })
  .strict();

const zTitleProperties = z.object({ properties: z.object({ title: zTitleValue }) });
const zRetrieveQuery = z.object({ filter_properties: z.union([z.string(), z.array(z.string())]).optional() }).strict();

/** The title of a page whose parent is a page: only the `title` property exists (reference §11.6). */
function readTitle(properties: Record<string, unknown> | undefined): z.infer<typeof zRichText> | undefined {
  if (!properties) return undefined;
  const unknown = Object.keys(properties).filter((k) => k !== 'title');
  if (unknown.length > 0) throw errors.validation(unknown.map((k) => `${k} is not a property that exists.`).join(' '));
  if (!('title' in properties)) return undefined;
  // Parsed in place so validation messages name the full path (body.properties.title…).
  const value = parseWith(zTitleProperties, { properties: { title: properties.title } }).properties.title;
  return Array.isArray(value) ? value : value.title;
}

function titleProperties(title: RichText[]): Record<string, unknown> {
  return { title: { id: 'title', type: 'title', title } };
}

export function checkChildren(
  parentType: string,
  parentPayload: Record<string, unknown>,
  children: readonly BlockInput[],
  path = 'body.children',
): void {
  children.forEach((child, i) => {
    const problem = childRuleViolation(parentType, parentPayload, child.type);
    if (problem) throw errors.validation(`${path}[${i}]: ${problem}`);
    checkChildren(child.type, child.payload, child.children, `${path}[${i}].${child.type}.children`);
  });
}

export async function createPage(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zCreatePage, body);
  const { principal, clock } = ctx;
  const id = newId();
  const icon = input.icon ? normalizeIcon(input.icon) : null;
  const cover = input.cover ? { type: 'external', external: { url: input.cover.external.url } } : null;
  if ('database_id' in input.parent) {
    checkChildren('child_page', {}, input.children ?? []);
    const databaseId = input.parent.database_id;
    const inserted = await ctx.store.transaction(async (tx) => {
      const done = await insertDatabasePage(tx, ctx, databaseId, {
        id,
        properties: input.properties ?? {},
        icon,
        cover,
      });
      await insertBlockTree(
        tx,
        done.ref,
        input.children ?? [],
        1,
        principal.integrationId,
        clock.now(),
        mentionResolver(tx, principal),
      );
      return done;
    });
    // The row as inserted is the answer (read again only when formulas or rollups need computing).
    const bundle = await loadBundle(ctx.store, inserted.database);
    return (await renderDatabasePages(ctx, ctx.store, bundle, [inserted.row]))[0];
  }
  const titleInput = readTitle(input.properties);
  const children = input.children ?? [];
  checkChildren('child_page', {}, children);
  const created = await pageCreates(ctx.store).submit({
    principal,
    clock,
    parentId: input.parent.page_id,
    id,
    title: titleInput ?? [],
    icon,
    cover,
    children,
  });
  // The row as inserted is the answer: no second read.
  return (await renderObjects(ctx, ctx.store, [created]))[0];
}

/** A page to create under a page, validated; written by writePageCreates. */
interface PageCreate {
  principal: Principal;
  clock: Clock;
  parentId: string;
  id: string;
  title: RichTextInput[];
  icon: unknown;
  cover: unknown;
  children: readonly BlockInput[];
}

/** One batcher per store: creates under pages that arrive together are written together. */
const batchers = new WeakMap<Store, WriteBatcher<PageCreate, BlockRow>>();
function pageCreates(store: Store): WriteBatcher<PageCreate, BlockRow> {
  let batcher = batchers.get(store);
  if (!batcher) {
    // PGlite runs one transaction at a time. On PostgreSQL a batch may wait on another process's row lock: a
    // second one in flight keeps the others moving (4 made batches under one parent smaller and slower).
    batcher = new WriteBatcher((jobs) => store.transaction((tx) => writePageCreates(tx, jobs)), {
      concurrency: store.kind === 'pglite' ? 1 : 2,
    });
    batchers.set(store, batcher);
  }
  return batcher;
}

/**
 * Creates pages under pages in one transaction: one read (and lock) of their parents, then one INSERT of
 * every new row (the pages, after their siblings, and their children). A create its integration may not
 * make gets its own error before anything is written; any other failure fails the batch (WriteBatcher then
 * writes each create alone).
 */
async function writePageCreates(tx: SqlExecutor, jobs: readonly PageCreate[]): Promise<Outcome<BlockRow>[]> {
  const parentIds = [...new Set(jobs.map((job) => job.parentId))];
  // One parent: the very statement a single read of a parent uses (flags: is it editable? has_children unused).
  const found =
    parentIds.length === 1
      ? [await findBlock(tx, parentIds[0]!, 'archived', true)]
      : await findBlocks(tx, parentIds, 'archived', true);
  const parents = new Map(found.flatMap((row) => (row ? [[row.id, row] as const] : [])));
  const refused = new Map<number, Outcome<BlockRow>>(); // job index → its error
  const rows: RowInsert[] = [];
  const pageAt: number[] = []; // job index → index of its page in `rows`
  for (const [i, job] of jobs.entries()) {
    try {
      const parent = visiblePage(job.principal, parents.get(job.parentId), job.parentId);
      assertEditable(parent);
      const now = job.clock.now();
      const actor = job.principal.integrationId;
      const resolver = mentionResolver(tx, job.principal);
      const title = await normalizeRichText(job.title, resolver);
      const page: RowInsert = {
        parent: { workspaceId: parent.workspace_id, id: parent.id, type: 'page_id', path: parent.path },
        row: {
          id: job.id,
          object: 'page',
          type: 'page',
          content: {},
          properties: titleProperties(title),
          title: plainText(title),
          icon: job.icon,
          cover: job.cover,
        },
        position: 'last',
        actorId: actor,
        now,
      };
      const own: RowInsert[] = [page];
      const pageRef: ParentRef = {
        workspaceId: parent.workspace_id,
        id: job.id,
        type: 'page_id',
        path: [...parent.path, job.id],
      };
      await blockTreeRows(own, pageRef, job.children, 1, actor, now, resolver);
      pageAt[i] = rows.length;
      rows.push(...own);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused.set(i, { ok: false, error });
    }
  }
  const stored = await insertRows(tx, rows);
  return jobs.map(
    (job, i) =>
      refused.get(i) ?? { ok: true, value: { ...stored[pageAt[i]!]!, has_children: job.children.length > 0 } },
  );
}

export async function retrievePage(
  ctx: ServiceContext,
  pageId: string,
  query: Record<string, unknown> = {},
): Promise<unknown> {
  // A read: page objects carry neither computed flag, so skip them (half the cost of the row read).
  const row = await loadVisiblePage(ctx.store, ctx.principal, pageId, { flags: 'none' });
  if (row.parent_type !== 'database_id' || !row.parent_id) {
    parseWith(zRetrieveQuery, query, 'query');
    return (await renderObjects(ctx, ctx.store, [row]))[0];
  }
  const database = (await findBlock(ctx.store, row.parent_id))!;
  const bundle = await loadBundle(ctx.store, database);
  const only = readFilterProperties(bundle.schema, query);
  const loaded = await loadRows(ctx, ctx.store, bundle, [row.id]);
  return (await renderRows(ctx, ctx.store, bundle, loaded.rows, loaded.columns, only))[0];
}

export async function updatePage(ctx: ServiceContext, pageId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdatePage, body);
  const { principal } = ctx;
  await ctx.store.transaction(async (tx) => {
    const row = await loadVisiblePage(tx, principal, pageId);
    const trash = input.in_trash ?? input.archived;
    if (input.in_trash !== undefined && input.archived !== undefined && input.in_trash !== input.archived) {
      throw errors.validation(
        'body failed validation: body.in_trash and body.archived should match when both are present.',
      );
    }
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    else if (row.ancestor_archived)
      throw new ApiError(
        'validation_error',
        "Can't edit page on block with an archived ancestor. You must unarchive the ancestor before editing page.",
      );
    const sets: string[] = [];
    const params: unknown[] = [row.id, ctx.clock.now(), principal.integrationId];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const inDatabase = row.parent_type === 'database_id';
    if (inDatabase && input.properties) await updateDatabasePageValues(tx, ctx, row, input.properties);
    const titleInput = inDatabase ? undefined : readTitle(input.properties);
    if (titleInput) {
      const title = await normalizeRichText(titleInput, mentionResolver(tx, principal));
      set('properties', JSON.stringify(titleProperties(title)));
      set('title', plainText(title));
    }
    if (input.icon !== undefined) set('icon', input.icon ? JSON.stringify(normalizeIcon(input.icon)) : null);
    if (input.cover !== undefined)
      set(
        'cover',
        input.cover ? JSON.stringify({ type: 'external', external: { url: input.cover.external.url } }) : null,
      );
    if (trash !== undefined) set('archived', trash);
    await tx.query(
      `UPDATE blocks SET last_edited_time = $2, last_edited_by = $3${sets.map((s) => `, ${s}`).join('')} WHERE id = $1`,
      params,
    );
  });
  return (await renderObjects(ctx, ctx.store, [(await findBlock(ctx.store, pageId))!]))[0];
}
