// Databases (reference §8.2, §9.1, §11.1, §11.6, §1.3): create under a page (inline or not; it appears as a
// child_database block of the page) with its first data source, retrieve, update (title, description, icon,
// cover, is_inline, trash/restore; under 2022-06-28 also its single data source's properties) and the
// deprecated list. The version decides the shapes: 2022-06-28 bodies carry `properties`, 2025-09-03 ones an
// `initial_data_source`. Data sources are in data-sources.ts, queries in database-query.ts.
import { z } from 'zod';
import { ApiError, MESSAGES } from '../errors.js';
import { newId } from '../ids.js';
import type { Principal } from '../auth/access.js';
import { resolveCover, zCover, zIcon } from '../domain/block-types.js';
import { fileUploadLookupOf } from '../domain/file-objects.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { normalizeRichText, plainText, zRichText } from '../domain/rich-text.js';
import { readSchema } from '../domain/properties/schema.js';
import type { DatabaseContent } from '../domain/serialize-databases.js';
import { hasDataSources } from '../api-version.js';
import { parseWith, zId } from '../domain/validation.js';
import { editBlock, findBlock, insertRow, touch, type BlockEdit, type ParentRef } from '../store/block-repo.js';
import { listVisibleDatabases } from '../store/database-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { BlockRow } from '../model/rows.js';
import { commitWrite, type Actor, type Change } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { storedIcon } from './custom-emojis.js';
import { applyEffects, buildUpdateSchema } from './database-schema.js';
import { databaseObject } from './database-rows.js';
import { singleDataSource } from './data-source-lookup.js';
import { changedPropertyIds, insertDataSource, otherSchemaChanges, propertyActions } from './data-sources.js';
import {
  assertEditable,
  loadVisible,
  loadVisibleDatabase,
  mentionResolver,
  requestedTrash,
  wrongKind,
  type ServiceContext,
} from './service-context.js';

const zContainerFields = {
  title: zRichText.optional(),
  description: zRichText.optional(),
  icon: zIcon.nullable().optional(),
  cover: zCover.nullable().optional(),
  is_inline: z.boolean().optional(),
};

const zDatabaseParent = z.union([
  z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
  z.object({ type: z.literal('block_id').optional(), block_id: zId }).strict(),
]);

const zCreateDatabase = z
  .object({ parent: zDatabaseParent, ...zContainerFields, properties: z.record(z.unknown()) })
  .strict();

/** 2025-09-03: the schema goes in `initial_data_source` (a title-only schema when absent). */
const zCreateDatabaseWithSource = z
  .object({
    parent: zDatabaseParent,
    ...zContainerFields,
    initial_data_source: z
      .object({ properties: z.record(z.unknown()).optional() })
      .strict()
      .optional(),
  })
  .strict();

const zTrashFields = { archived: z.boolean().optional(), in_trash: z.boolean().optional() };

const zUpdateDatabase = z
  .object({ ...zContainerFields, properties: z.record(z.unknown()).optional(), ...zTrashFields })
  .strict();

/** 2025-09-03: the container's fields only (the schema is a data source's: PATCH /v1/data_sources/{id}). */
const zUpdateContainer = z.object({ ...zContainerFields, is_locked: z.boolean().optional(), ...zTrashFields }).strict();

/** A cover as stored: external, or an upload of the writer (found through its resolver). */
const cover = async (c: z.infer<typeof zCover> | null | undefined, resolver: object) =>
  c ? resolveCover(c, fileUploadLookupOf(resolver)) : null;

type DatabaseParent = z.infer<typeof zDatabaseParent>;

/** The page or block a new database goes under, locked: it must be visible, a page when page_id, and editable. */
async function loadDatabaseParent(tx: SqlExecutor, principal: Principal, given: DatabaseParent): Promise<ParentRef> {
  const underPage = 'page_id' in given;
  const parentId = underPage ? given.page_id : given.block_id;
  const parent = await loadVisible(tx, principal, parentId, underPage ? 'page' : 'block', { lock: true });
  if (underPage && parent.object === 'database') throw wrongKind.databaseNotPage(parentId);
  if (underPage && parent.object !== 'page')
    throw new ApiError(
      'object_not_found',
      `Could not find page with ID: ${parentId}. Make sure the relevant pages and databases are shared with your integration.`,
    );
  assertEditable(parent);
  const type = parent.object === 'page' ? 'page_id' : 'block_id';
  return { workspaceId: parent.workspace_id, id: parent.id, type, path: parent.path };
}

/** The schema a 2025-09-03 database gets without `initial_data_source.properties`: a title property. */
const DEFAULT_PROPERTIES = { Name: { title: {} } };

export async function createDatabase(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = hasDataSources(ctx.version)
    ? (({ initial_data_source: initial, ...rest }) => ({
        ...rest,
        properties: initial?.properties ?? DEFAULT_PROPERTIES,
      }))(parseWith(zCreateDatabaseWithSource, body))
    : parseWith(zCreateDatabase, body);
  const { principal, clock } = ctx;
  const id = newId();
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const parent = await loadDatabaseParent(tx, principal, input.parent);
    const resolver = mentionResolver(tx, principal);
    const title = await normalizeRichText(input.title ?? [], resolver);
    const description = await normalizeRichText(input.description ?? [], resolver);
    const content = { title, description, is_inline: input.is_inline ?? false } satisfies DatabaseContent;
    const now = clock.now();
    const newRow = {
      id,
      object: 'database' as const,
      type: 'child_database',
      content,
      properties: null,
      title: plainText(title),
      icon: await storedIcon(tx, principal, input.icon),
      cover: await cover(input.cover, resolver),
    };
    const row = await insertRow(tx, parent, newRow, 'last', principal.integrationId, now);
    const source = { title, description: [], icon: newRow.icon, properties: input.properties };
    const changes = await insertDataSource(tx, ctx, row, source, now);
    await touch(tx, parent.id!, principal.integrationId, now);
    record(createdChange(row, botActor(principal.integrationId), now));
    for (const change of changes) record(change);
  });
  return databaseObject(ctx, ctx.store, (await findBlock(ctx.store, id))!);
}

export async function retrieveDatabase(ctx: ServiceContext, databaseId: string): Promise<unknown> {
  return databaseObject(ctx, ctx.store, await loadVisibleDatabase(ctx.store, ctx.principal, databaseId));
}

type DatabaseUpdate = z.infer<typeof zUpdateDatabase> & { is_locked?: boolean };

/** The fields of the database object itself (not its schema) that an update writes. */
const OBJECT_FIELDS = ['title', 'description', 'is_inline', 'is_locked', 'icon', 'cover'] as const;

/** What an update changes on the database row besides its schema: title, description, is_inline, icon, cover. */
async function databaseEdit(tx: SqlExecutor, principal: Principal, row: BlockRow, input: DatabaseUpdate) {
  const edit: BlockEdit = {};
  const content: Record<string, unknown> = { ...row.content };
  const resolver = mentionResolver(tx, principal);
  if (input.title) {
    const title = await normalizeRichText(input.title, resolver);
    content.title = title;
    edit.title = plainText(title);
  }
  if (input.description) content.description = await normalizeRichText(input.description, resolver);
  if (input.is_inline !== undefined) content.is_inline = input.is_inline;
  if (input.is_locked !== undefined) content.is_locked = input.is_locked;
  if (input.title || input.description || input.is_inline !== undefined || input.is_locked !== undefined)
    edit.content = content;
  if (input.icon !== undefined) edit.icon = await storedIcon(tx, principal, input.icon);
  if (input.cover !== undefined) edit.cover = await cover(input.cover, resolver);
  return edit;
}

/** What an update did to the container: its fields, and a move to or from the trash. */
function databaseUpdateChanges(row: BlockRow, input: DatabaseUpdate, actor: Actor, at: Date): Change[] {
  const changes: Change[] = [];
  const fields = OBJECT_FIELDS.filter((field) => input[field] !== undefined);
  if (fields.length > 0)
    changes.push(contentChange('database.content_updated', row, actor, at, { details: { fields } }));
  const trash = requestedTrash(input);
  if (trash !== undefined && trash !== row.archived) changes.push(trashChange(row, trash, actor, at));
  return changes;
}

/**
 * 2022-06-28: `properties` edit the database's single data source (whose title follows the database's while
 * the two are the same). Returns the data source's changes.
 */
async function updateSingleSource(
  tx: SqlExecutor,
  ctx: ServiceContext,
  database: BlockRow,
  input: DatabaseUpdate,
  edit: BlockEdit,
): Promise<Change[]> {
  const renames = edit.title !== undefined;
  if (!input.properties && !renames) return [];
  const source = await singleDataSource(tx, database, { lock: true });
  const sourceEdit: BlockEdit = {};
  if (renames && source.title === database.title) {
    sourceEdit.title = edit.title;
    sourceEdit.content = { ...source.content, title: edit.content?.title };
  }
  const now = ctx.clock.now();
  const actor = botActor(ctx.principal.integrationId);
  const changes: Change[] = [];
  if (input.properties) {
    const before = readSchema(source);
    const { schema, effects } = await buildUpdateSchema(tx, ctx, before, input.properties, database.id);
    sourceEdit.properties = schema.toWire();
    const updatedProperties = changedPropertyIds(before, schema);
    const edited = await applyEffects(tx, source.id, effects);
    if (updatedProperties.length > 0) {
      const details = { updated_property_actions: propertyActions(before, schema) };
      changes.push(contentChange('data_source.schema_updated', source, actor, now, { updatedProperties, details }));
    }
    changes.push(...otherSchemaChanges(edited, actor, now));
  }
  if (Object.keys(sourceEdit).length > 0) await editBlock(tx, source.id, sourceEdit, ctx.principal.integrationId, now);
  return changes;
}

export async function updateDatabase(ctx: ServiceContext, databaseId: string, body: unknown): Promise<unknown> {
  const input: DatabaseUpdate = hasDataSources(ctx.version)
    ? parseWith(zUpdateContainer, body)
    : parseWith(zUpdateDatabase, body);
  const { principal, clock } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisibleDatabase(tx, principal, databaseId, { lock: true });
    const trash = requestedTrash(input);
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    else if (row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.blockArchived);
    const edit = await databaseEdit(tx, principal, row, input);
    if (trash !== undefined) edit.archived = trash;
    const sourceChanges = await updateSingleSource(tx, ctx, row, input, edit);
    const now = clock.now();
    await editBlock(tx, row.id, edit, principal.integrationId, now);
    const actor = botActor(principal.integrationId);
    for (const change of [...databaseUpdateChanges(row, input, actor, now), ...sourceChanges]) record(change);
  });
  return databaseObject(ctx, ctx.store, (await findBlock(ctx.store, databaseId))!);
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

/** GET /v1/databases (deprecated since 2022-02-22, still in SDK v4): the databases the integration can see. */
export async function listDatabases(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await listVisibleDatabases(ctx.store, ctx.principal, page.startCursor, page.pageSize + 1);
  const objects = new Map<string, unknown>();
  for (const row of rows.slice(0, page.pageSize)) objects.set(row.id, await databaseObject(ctx, ctx.store, row));
  return listEnvelope('database', rows, page.pageSize, (row) => objects.get(row.id));
}
