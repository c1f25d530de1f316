// Pages (reference §8.1, §11.1): create under a page or a database, retrieve, update title/icon/cover,
// trash/restore. Creates under pages are group-committed (one transaction, one INSERT per batch); every
// write records its Change (services/changes.ts).
import { z } from 'zod';
import { ApiError, errors } from '../errors.js';
import { newId } from '../ids.js';
import {
  checkChildren,
  resolveCover,
  resolveIcon,
  zChildren,
  zCover,
  zIcon,
  type BlockInput,
} from '../domain/block-types.js';
import { attachFileUploads, deferredFileUploadLookup, fileUploadLookup } from './file-upload-lookup.js';
import type { Principal } from '../auth/access.js';
import type { Clock } from '../clock.js';
import { normalizeRichText, type RichTextInput } from '../domain/rich-text.js';
import { parseWith, zId } from '../domain/validation.js';
import {
  editBlock,
  findBlock,
  findBlocks,
  insertRows,
  moveRow,
  reservePositions,
  type BlockEdit,
  type ParentRef,
  type RowInsert,
} from '../store/block-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { blockTreeRows, insertBlockTree } from './block-trees.js';
import { commitWrite, type Actor, type Change, type ChangeFeed, type WriteScope } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { customEmojiLookup, storedIcon } from './custom-emojis.js';
import { mentionResolver } from './mention-resolvers.js';
import { readTitle, titleColumns, titleProperties } from './page-title.js';
import { loadVisibleDataSource } from './data-source-lookup.js';
import { prepareValues } from './page-values.js';
import { readSchema } from '../domain/properties/schema.js';
import { nextUniqueId } from '../store/database-row-repo.js';
import {
  assertEditable,
  loadVisiblePage,
  requestedTrash,
  visiblePage,
  type ServiceContext,
} from './service-context.js';
import { WriteBatcher, type Outcome } from './write-batcher.js';
import { insertDatabasePage, updateDatabasePageValues, type NewDatabasePage } from './database-pages.js';
import { readFilterProperties } from './database-query.js';
import { createPageFromMarkdown, isMarkdownCreate } from './page-markdown.js';
import { loadBundle, loadRows, renderDatabasePages, renderObjects, renderRows } from './database-rows.js';

// A data source parent is accepted by every version (reference §1.3); a database parent names the
// database's single data source.
const zParent = z.union([
  z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
  z.object({ type: z.literal('database_id').optional(), database_id: zId }).strict(),
  z.object({ type: z.literal('data_source_id').optional(), data_source_id: zId, database_id: zId.optional() }).strict(),
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
    is_locked: z.boolean().optional(),
  })
  .strict();
type PageUpdate = z.infer<typeof zUpdatePage>;

const zRetrieveQuery = z.object({ filter_properties: z.union([z.string(), z.array(z.string())]).optional() }).strict();

/**
 * POST /v1/pages. A body with `markdown` is read by page-markdown.ts, which calls back with the body without it and
 * the Markdown's blocks as `prepared` children (checked already, nested as deep as the Markdown is).
 */
export async function createPage(ctx: ServiceContext, body: unknown, prepared?: BlockInput[]): Promise<unknown> {
  if (prepared === undefined && isMarkdownCreate(body)) return createPageFromMarkdown(ctx, body, createPage);
  const input = parseWith(zCreatePage, body);
  const id = newId();
  // Uploads named by the icon or cover are checked now and marked attached in the create's own transaction.
  const uploads = deferredFileUploadLookup(ctx.store, ctx.principal, ctx.clock);
  const emojis = customEmojiLookup(ctx.store, ctx.principal.workspaceId);
  const icon = input.icon ? await resolveIcon(input.icon, emojis, uploads.lookup) : null;
  const cover = input.cover ? await resolveCover(input.cover, uploads.lookup) : null;
  const children = prepared ?? input.children ?? [];
  if (!('page_id' in input.parent)) {
    checkChildren('child_page', {}, children);
    const page = { id, properties: input.properties ?? {}, icon, cover };
    const parent = 'data_source_id' in input.parent ? { data_source_id: input.parent.data_source_id } : input.parent;
    return createDatabasePage(ctx, parent, page, children, uploads.ids);
  }
  const title = readTitle(input.properties);
  checkChildren('child_page', {}, children);
  const created = await pageCreates(ctx.store, ctx.changes).submit({
    principal: ctx.principal,
    clock: ctx.clock,
    parentId: input.parent.page_id,
    id,
    title: title ?? [],
    icon,
    cover,
    uploads: uploads.ids,
    children,
  });
  // The row as inserted is the answer: no second read.
  return (await renderObjects(ctx, ctx.store, [created]))[0];
}

/** A row of a data source, with its content blocks; answers with its property values. */
async function createDatabasePage(
  ctx: ServiceContext,
  parent: { database_id?: string; data_source_id?: string },
  page: NewDatabasePage,
  children: readonly BlockInput[],
  uploads: readonly string[],
): Promise<unknown> {
  const { principal, clock } = ctx;
  const inserted = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const done = await insertDatabasePage(tx, ctx, parent, page);
    const now = clock.now();
    await insertBlockTree(tx, done.ref, children, 1, principal.integrationId, now, mentionResolver(tx, principal));
    await attachFileUploads(tx, principal, uploads, clock);
    record(createdChange(done.row, botActor(principal.integrationId), now));
    for (const change of done.changes) record(change);
    return done;
  });
  // The row as inserted is the answer (read again only when formulas or rollups need computing).
  const bundle = await loadBundle(ctx.store, inserted.source);
  return (await renderDatabasePages(ctx, ctx.store, bundle, [inserted.row]))[0];
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
  /** Uploads the icon and cover name, marked attached with the page (attachFileUploads). */
  uploads: readonly string[];
  children: readonly BlockInput[];
}

/** One batcher per store and feed: creates under pages that arrive together are written together. */
const batchers = new WeakMap<Store, WeakMap<ChangeFeed, WriteBatcher<PageCreate, BlockRow>>>();
function pageCreates(store: Store, feed: ChangeFeed): WriteBatcher<PageCreate, BlockRow> {
  let byFeed = batchers.get(store);
  if (!byFeed) batchers.set(store, (byFeed = new WeakMap()));
  let batcher = byFeed.get(feed);
  if (!batcher) {
    // An exclusive store (PGlite) runs one transaction at a time. Elsewhere (PostgreSQL) a batch may wait on
    // another process's row lock: a second one in flight keeps the others moving (4 made batches under one
    // parent smaller and slower).
    batcher = new WriteBatcher((jobs) => commitWrite(store, feed, (scope) => writePageCreates(scope, jobs)), {
      concurrency: store.exclusive ? 1 : 2,
    });
    byFeed.set(feed, batcher);
  }
  return batcher;
}

/**
 * Creates pages under pages in one transaction: one read (and lock) of their parents, then one INSERT of
 * every new row (the pages, after their siblings, and their children). A create its integration may not
 * make gets its own error before anything is written; any other failure fails the batch (WriteBatcher then
 * writes each create alone). Each page written is recorded (page.created), published once the batch commits.
 */
async function writePageCreates(scope: WriteScope, jobs: readonly PageCreate[]): Promise<Outcome<BlockRow>[]> {
  const parents = await readParents(scope.tx, jobs);
  const refused = new Map<number, Outcome<BlockRow>>(); // job index → its error
  const rows: RowInsert[] = [];
  const pageAt: number[] = []; // job index → index of its page in `rows`
  for (const [i, job] of jobs.entries()) {
    try {
      const own = await pageCreateRows(scope.tx, job, parents.get(job.parentId));
      pageAt[i] = rows.length;
      rows.push(...own);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused.set(i, { ok: false, error });
    }
  }
  const stored = await insertRows(scope.tx, rows);
  return jobs.map((job, i) => {
    const outcome = refused.get(i);
    if (outcome) return outcome;
    const page = { ...stored[pageAt[i]!]!, has_children: job.children.length > 0 };
    scope.record(createdChange(page, botActor(job.principal.integrationId), page.created_time));
    return { ok: true, value: page };
  });
}

/** The parents of a batch, locked, by id. */
async function readParents(tx: SqlExecutor, jobs: readonly PageCreate[]): Promise<Map<string, BlockRow>> {
  const parentIds = [...new Set(jobs.map((job) => job.parentId))];
  // One parent: the very statement a single read of a parent uses (flags: is it editable? has_children unused).
  const found =
    parentIds.length === 1
      ? [await findBlock(tx, parentIds[0]!, 'archived', true)]
      : await findBlocks(tx, parentIds, 'archived', true);
  return new Map(found.flatMap((row) => (row ? [[row.id, row] as const] : [])));
}

/** The rows of one create (its page, then its blocks), or the ApiError that refuses it. */
async function pageCreateRows(tx: SqlExecutor, job: PageCreate, parentRow: BlockRow | undefined): Promise<RowInsert[]> {
  const parent = visiblePage(job.principal, parentRow, job.parentId);
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
      ...titleColumns(title),
      icon: job.icon,
      cover: job.cover,
    },
    position: 'last',
    actorId: actor,
    now,
  };
  const rows: RowInsert[] = [page];
  const pageRef: ParentRef = {
    workspaceId: parent.workspace_id,
    id: job.id,
    type: 'page_id',
    path: [...parent.path, job.id],
  };
  await blockTreeRows(rows, pageRef, job.children, 1, actor, now, resolver);
  // Last: a create refused above leaves its uploads unmarked while the batch's other pages commit.
  await attachFileUploads(tx, job.principal, job.uploads, job.clock);
  return rows;
}

export async function retrievePage(
  ctx: ServiceContext,
  pageId: string,
  query: Record<string, unknown> = {},
): Promise<unknown> {
  // A read: page objects carry neither computed flag, so skip them (half the cost of the row read).
  const row = await loadVisiblePage(ctx.store, ctx.principal, pageId, { flags: 'none' });
  if (row.parent_type !== 'data_source_id' || !row.parent_id) {
    parseWith(zRetrieveQuery, query, 'query');
    return (await renderObjects(ctx, ctx.store, [row]))[0];
  }
  const source = (await findBlock(ctx.store, row.parent_id))!;
  const bundle = await loadBundle(ctx.store, source);
  const only = readFilterProperties(bundle.schema, query);
  const loaded = await loadRows(ctx, ctx.store, bundle, [row.id]);
  return (await renderRows(ctx, ctx.store, bundle, loaded.rows, loaded.columns, only))[0];
}

export async function updatePage(ctx: ServiceContext, pageId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdatePage, body);
  const { principal } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisiblePage(tx, principal, pageId);
    const trash = requestedTrash(input);
    checkPageEditable(row, trash);
    const inDatabase = row.parent_type === 'data_source_id';
    const values =
      inDatabase && input.properties ? await updateDatabasePageValues(tx, ctx, row, input.properties) : null;
    const edit = await pageEdit(tx, principal, input, inDatabase);
    if (input.is_locked !== undefined) edit.content = { ...row.content, is_locked: input.is_locked };
    const now = ctx.clock.now();
    await editBlock(tx, row.id, edit, principal.integrationId, now);
    // A database row's written property ids come from its database; a page's only property is its title.
    const updatedProperties = values ? values.updatedProperties : edit.title !== undefined ? ['title'] : [];
    const actor = botActor(principal.integrationId);
    for (const change of pageUpdateChanges(row, input, edit, updatedProperties, actor, now)) record(change);
    for (const change of values?.changes ?? []) record(change);
  });
  return (await renderObjects(ctx, ctx.store, [(await findBlock(ctx.store, pageId))!]))[0];
}

/** A trashed page can only be restored, and only once nothing above it is in the trash. */
function checkPageEditable(row: BlockRow, trash: boolean | undefined): void {
  const restoring = row.archived && trash === false;
  if (!restoring) assertEditable(row);
  else if (row.ancestor_archived)
    throw new ApiError(
      'validation_error',
      "Can't edit page on block with an archived ancestor. You must unarchive the ancestor before editing page.",
    );
}

/** What an update changes on the page row itself (a database row's values are written by its database). */
async function pageEdit(
  tx: SqlExecutor,
  principal: Principal,
  input: PageUpdate,
  inDatabase: boolean,
): Promise<BlockEdit> {
  const edit: BlockEdit = {};
  const titleInput = inDatabase ? undefined : readTitle(input.properties);
  if (titleInput)
    Object.assign(edit, titleColumns(await normalizeRichText(titleInput, mentionResolver(tx, principal))));
  if (input.icon !== undefined) edit.icon = await storedIcon(tx, principal, input.icon);
  if (input.cover !== undefined)
    edit.cover = input.cover ? await resolveCover(input.cover, fileUploadLookup(tx, principal)) : null;
  const trash = input.in_trash ?? input.archived;
  if (trash !== undefined) edit.archived = trash;
  return edit;
}

/**
 * What an update did: page.properties_updated when properties, the icon or the cover were written (the ids of
 * the properties; `details.fields` names icon/cover), page.deleted / page.undeleted when it moved to or from the
 * trash, page.locked / page.unlocked when `is_locked` changed.
 */
function pageUpdateChanges(
  row: BlockRow,
  input: PageUpdate,
  edit: BlockEdit,
  updatedProperties: readonly string[],
  actor: Actor,
  at: Date,
): Change[] {
  const changes: Change[] = [];
  const fields = (['icon', 'cover'] as const).filter((field) => input[field] !== undefined);
  if (updatedProperties.length > 0 || fields.length > 0) {
    const details = fields.length > 0 ? { details: { fields } } : {};
    changes.push(contentChange('page.properties_updated', row, actor, at, { updatedProperties, ...details }));
  }
  if (edit.archived !== undefined && edit.archived !== row.archived)
    changes.push(trashChange(row, edit.archived, actor, at));
  if (input.is_locked !== undefined && input.is_locked !== (row.content.is_locked === true))
    changes.push(contentChange(input.is_locked ? 'page.locked' : 'page.unlocked', row, actor, at));
  return changes;
}

const zMove = z
  .object({
    parent: z.union([
      z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
      z.object({ type: z.literal('data_source_id').optional(), data_source_id: zId }).strict(),
    ]),
  })
  .strict();

/** A stored rich-text item in the shape a request gives it (what value validation reads). */
function asRequestRichText(items: unknown): RichTextInput[] {
  if (!Array.isArray(items)) return [];
  return items.map((item: Record<string, unknown>) => {
    const type = String(item.type);
    // A stored item re-shaped as input: validated again by prepareValues, so its type is only asserted here.
    return { type, [type]: item[type], annotations: item.annotations } as unknown as RichTextInput;
  });
}

/** A page's title as rich text: the value of its title property (a page's `title`, a row's title column). */
function titleOf(row: BlockRow): RichTextInput[] {
  const values = Object.values(row.properties ?? {}) as { type?: string; title?: unknown }[];
  return asRequestRichText(values.find((value) => value.type === 'title')?.title);
}

/** Where a move goes: a page (not the moved page nor below it) or a data source, locked and editable. */
async function moveTarget(tx: SqlExecutor, ctx: ServiceContext, page: BlockRow, input: z.infer<typeof zMove>) {
  const target =
    'page_id' in input.parent
      ? await loadVisiblePage(tx, ctx.principal, input.parent.page_id, { lock: true })
      : await loadVisibleDataSource(tx, ctx.principal, input.parent.data_source_id, { lock: true });
  assertEditable(target);
  if (target.path.includes(page.id))
    throw errors.validation('body failed validation: body.parent should not be the page itself or below it.');
  return target;
}

/**
 * POST /v1/pages/{id}/move (reference §11.2): a page, with everything below it, under another page or into a
 * data source. It keeps its title: under a page that is its only property; in a data source the title
 * property takes it and the others start empty (unique ids are numbered).
 */
export async function movePage(ctx: ServiceContext, pageId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zMove, body);
  const { principal } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const page = await loadVisiblePage(tx, principal, pageId, { lock: true });
    assertEditable(page);
    const target = await moveTarget(tx, ctx, page, input);
    const ref: ParentRef = {
      workspaceId: target.workspace_id,
      id: target.id,
      type: target.object === 'data_source' ? 'data_source_id' : 'page_id',
      path: target.path,
    };
    const title = titleOf(page);
    const position = await reservePositions(tx, ref, 1);
    const moved =
      target.object === 'data_source'
        ? { position, ...(await valuesInSource(tx, ctx, target, title)) }
        : {
            position,
            properties: titleProperties(await normalizeRichText(title, mentionResolver(tx, principal))),
            props: null,
          };
    const now = ctx.clock.now();
    await moveRow(tx, page.id, ref, moved, principal.integrationId, now);
    record({
      ...contentChange(
        'page.moved',
        { ...page, parent_type: ref.type, parent_id: ref.id },
        botActor(principal.integrationId),
        now,
      ),
    });
  });
  return (await renderObjects(ctx, ctx.store, [(await findBlock(ctx.store, pageId))!]))[0];
}

/** A moved page's values as a row of `source`: its title, the rest empty, unique ids numbered. */
async function valuesInSource(tx: SqlExecutor, ctx: ServiceContext, source: BlockRow, title: RichTextInput[]) {
  const schema = readSchema(source);
  const prepared = await prepareValues(tx, ctx, schema, { [schema.title().name]: { title } });
  const props: Record<string, unknown> = { ...prepared.set };
  for (const property of schema.properties) {
    if (property.type === 'unique_id') props[property.id] = await nextUniqueId(tx, source.id, property.id);
  }
  return { properties: { title: { id: 'title', type: 'title', title: [] }, ...prepared.json }, props };
}
