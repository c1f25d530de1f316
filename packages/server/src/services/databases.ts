// Databases (reference §8.2, §9.1, §11.1, §11.6): create under a page (inline or not; it appears as a
// child_database block of the page), retrieve, update (title, description, icon, cover, is_inline,
// properties, trash/restore) and the deprecated list. Queries are in database-query.ts.
import { z } from 'zod';
import { ApiError, MESSAGES } from '../errors.js';
import { newId } from '../ids.js';
import type { Principal } from '../auth/access.js';
import { normalizeIcon, zCover, zIcon } from '../domain/block-types.js';
import { listEnvelope, readPageRequest } from '../domain/pagination.js';
import { normalizeRichText, plainText, zRichText } from '../domain/rich-text.js';
import { readSchema, type Schema } from '../domain/properties/schema.js';
import type { DatabaseContent } from '../domain/serialize.js';
import { parseWith, zId } from '../domain/validation.js';
import { editBlock, findBlock, insertRow, touch, type BlockEdit, type ParentRef } from '../store/block-repo.js';
import { listVisibleDatabases } from '../store/database-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { BlockRow } from '../model/rows.js';
import { commitWrite, type Actor, type Change } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { applyEffects, buildCreateSchema, buildUpdateSchema, type OtherSchemaEdit } from './database-schema.js';
import { databaseObject, loadBundle } from './database-rows.js';
import {
  assertEditable,
  loadVisible,
  loadVisibleDatabase,
  mentionResolver,
  wrongKind,
  type ServiceContext,
} from './service-context.js';

const zCreateDatabase = z
  .object({
    parent: z.union([
      z.object({ type: z.literal('page_id').optional(), page_id: zId }).strict(),
      z.object({ type: z.literal('block_id').optional(), block_id: zId }).strict(),
    ]),
    title: zRichText.optional(),
    description: zRichText.optional(),
    properties: z.record(z.unknown()),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    is_inline: z.boolean().optional(),
  })
  .strict();

const zUpdateDatabase = z
  .object({
    title: zRichText.optional(),
    description: zRichText.optional(),
    properties: z.record(z.unknown()).optional(),
    icon: zIcon.nullable().optional(),
    cover: zCover.nullable().optional(),
    is_inline: z.boolean().optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
  })
  .strict();

const cover = (c: z.infer<typeof zCover> | null | undefined) =>
  c ? { type: 'external', external: { url: c.external.url } } : null;

type DatabaseParent = z.infer<typeof zCreateDatabase>['parent'];

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

/** database.schema_updated of the related databases a schema change edited (dual relations). */
function otherSchemaChanges(edited: readonly OtherSchemaEdit[], actor: Actor, at: Date): Change[] {
  return edited.map(({ database, propertyIds }) =>
    contentChange('database.schema_updated', database, actor, at, { updatedProperties: propertyIds }),
  );
}

export async function createDatabase(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zCreateDatabase, body);
  const { principal, clock } = ctx;
  const id = newId();
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const parent = await loadDatabaseParent(tx, principal, input.parent);
    const resolver = mentionResolver(tx, principal);
    const title = await normalizeRichText(input.title ?? [], resolver);
    const description = await normalizeRichText(input.description ?? [], resolver);
    const { schema, effects } = await buildCreateSchema(tx, ctx, id, plainText(title), input.properties);
    const content = { title, description, is_inline: input.is_inline ?? false } satisfies DatabaseContent;
    const now = clock.now();
    const newRow = {
      id,
      object: 'database' as const,
      type: 'child_database',
      content,
      properties: schema.toWire(),
      title: plainText(title),
      icon: input.icon ? normalizeIcon(input.icon) : null,
      cover: cover(input.cover),
    };
    const row = await insertRow(tx, parent, newRow, 'last', principal.integrationId, now);
    const edited = await applyEffects(tx, id, effects);
    await touch(tx, parent.id!, principal.integrationId, now);
    const actor = botActor(principal.integrationId);
    for (const change of [createdChange(row, actor, now), ...otherSchemaChanges(edited, actor, now)]) record(change);
  });
  return databaseObject(ctx.store, (await findBlock(ctx.store, id))!);
}

export async function retrieveDatabase(ctx: ServiceContext, databaseId: string): Promise<unknown> {
  return databaseObject(ctx.store, await loadVisibleDatabase(ctx.store, ctx.principal, databaseId));
}

type DatabaseUpdate = z.infer<typeof zUpdateDatabase>;

/** Trash (true), restore (false) or neither (undefined); `in_trash` and `archived` must agree when both are given. */
function requestedTrash(input: DatabaseUpdate): boolean | undefined {
  if (input.in_trash !== undefined && input.archived !== undefined && input.in_trash !== input.archived) {
    throw new ApiError(
      'validation_error',
      'body failed validation: body.in_trash and body.archived should match when both are present.',
    );
  }
  return input.in_trash ?? input.archived;
}

/** The fields of the database object itself (not its schema) that an update writes. */
const OBJECT_FIELDS = ['title', 'description', 'is_inline', 'icon', 'cover'] as const;

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
  if (input.title || input.description || input.is_inline !== undefined) edit.content = content;
  if (input.icon !== undefined) edit.icon = input.icon ? normalizeIcon(input.icon) : null;
  if (input.cover !== undefined) edit.cover = cover(input.cover);
  return edit;
}

/** The ids of the properties a schema change added, removed or changed (name, type or config). */
function changedPropertyIds(before: Schema, after: Schema): string[] {
  const wire = (schema: Schema) =>
    new Map(schema.properties.map((property) => [property.id, JSON.stringify(property)]));
  const old = wire(before);
  const next = wire(after);
  return [...new Set([...old.keys(), ...next.keys()])].filter((id) => old.get(id) !== next.get(id));
}

/** What an update did: the object's fields, its schema, and a move to or from the trash. */
function databaseUpdateChanges(
  row: BlockRow,
  input: DatabaseUpdate,
  updatedProperties: readonly string[],
  actor: Actor,
  at: Date,
): Change[] {
  const changes: Change[] = [];
  const fields = OBJECT_FIELDS.filter((field) => input[field] !== undefined);
  if (fields.length > 0)
    changes.push(contentChange('database.content_updated', row, actor, at, { details: { fields } }));
  if (updatedProperties.length > 0)
    changes.push(contentChange('database.schema_updated', row, actor, at, { updatedProperties }));
  const trash = requestedTrash(input);
  if (trash !== undefined && trash !== row.archived) changes.push(trashChange(row, trash, actor, at));
  return changes;
}

export async function updateDatabase(ctx: ServiceContext, databaseId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdateDatabase, body);
  const { principal, clock } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisibleDatabase(tx, principal, databaseId, { lock: true });
    const trash = requestedTrash(input);
    const restoring = row.archived && trash === false;
    if (!restoring) assertEditable(row);
    else if (row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.blockArchived);
    const edit = await databaseEdit(tx, principal, row, input);
    if (trash !== undefined) edit.archived = trash;
    let updatedProperties: string[] = [];
    let edited: OtherSchemaEdit[] = [];
    if (input.properties) {
      const before = readSchema(row);
      const { schema, effects } = await buildUpdateSchema(tx, ctx, before, input.properties);
      edit.properties = schema.toWire();
      updatedProperties = changedPropertyIds(before, schema);
      edited = await applyEffects(tx, row.id, effects);
    }
    const now = clock.now();
    await editBlock(tx, row.id, edit, principal.integrationId, now);
    const actor = botActor(principal.integrationId);
    const changes = [
      ...databaseUpdateChanges(row, input, updatedProperties, actor, now),
      ...otherSchemaChanges(edited, actor, now),
    ];
    for (const change of changes) record(change);
  });
  const row = (await findBlock(ctx.store, databaseId))!;
  return databaseObject(ctx.store, row, await loadBundle(ctx.store, row));
}

const zListQuery = z.object({ start_cursor: z.unknown().optional(), page_size: z.unknown().optional() }).strict();

/** GET /v1/databases (deprecated since 2022-02-22, still in SDK v4): the databases the integration can see. */
export async function listDatabases(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await listVisibleDatabases(ctx.store, ctx.principal, page.startCursor, page.pageSize + 1);
  const objects = new Map<string, unknown>();
  for (const row of rows.slice(0, page.pageSize)) objects.set(row.id, await databaseObject(ctx.store, row));
  return listEnvelope('database', rows, page.pageSize, (row) => objects.get(row.id));
}
