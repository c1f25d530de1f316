// Data sources (Notion-Version 2025-09-03, reference §1.3, §11.2, §11.8): the schema-bearing part of a
// database. Create one under a database, retrieve, update (title, icon, properties, trash/restore) and list
// its templates (none: notion-local has no database templates). Every database has at least one, made with it
// (databases.ts calls insertDataSource), and each data source gets a table view, "Default view" (views.ts);
// queries are in database-query.ts.
import { z } from 'zod';
import { ApiError, MESSAGES } from '../errors.js';
import { newId } from '../ids.js';
import { zIcon } from '../domain/block-types.js';
import { readPageRequest } from '../domain/pagination.js';
import { readSchema, type Schema } from '../domain/properties/schema.js';
import { normalizeRichText, plainText, zRichText } from '../domain/rich-text.js';
import type { DataSourceContent } from '../domain/serialize-databases.js';
import { parseWith, zId } from '../domain/validation.js';
import { editBlock, findBlock, insertRow, touch, type BlockEdit } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { BlockRow } from '../model/rows.js';
import { commitWrite, type Actor, type Change } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { storedIcon } from './custom-emojis.js';
import { applyEffects, buildCreateSchema, buildUpdateSchema, type OtherSchemaEdit } from './database-schema.js';
import { dataSourceObject } from './database-rows.js';
import { loadVisibleDataSource } from './data-source-lookup.js';
import {
  assertEditable,
  loadVisibleDatabase,
  mentionResolver,
  requestedTrash,
  type ServiceContext,
} from './service-context.js';
import { insertDefaultView } from './views.js';

const zCreateDataSource = z
  .object({
    parent: z.object({ type: z.literal('database_id').optional(), database_id: zId }).strict(),
    properties: z.record(z.unknown()),
    title: zRichText.optional(),
    icon: zIcon.nullable().optional(),
  })
  .strict();

const zUpdateDataSource = z
  .object({
    title: zRichText.optional(),
    icon: zIcon.nullable().optional(),
    properties: z.record(z.unknown()).optional(),
    in_trash: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .strict();

/** data_source.schema_updated of the related data sources a schema change edited (dual relations). */
export function otherSchemaChanges(edited: readonly OtherSchemaEdit[], actor: Actor, at: Date): Change[] {
  return edited.map(({ source, propertyIds }) =>
    contentChange('data_source.schema_updated', source, actor, at, { updatedProperties: propertyIds }),
  );
}

/** The ids of the properties a schema change added, removed or changed (name, type or config). */
export function changedPropertyIds(before: Schema, after: Schema): string[] {
  const wire = (schema: Schema) =>
    new Map(schema.properties.map((property) => [property.id, JSON.stringify(property)]));
  const old = wire(before);
  const next = wire(after);
  return [...new Set([...old.keys(), ...next.keys()])].filter((id) => old.get(id) !== next.get(id));
}

/**
 * The properties a schema change added, removed or changed, as webhook payloads list them (reference §11.4
 * `updated_properties`): id, name (null once deleted) and what happened to it.
 */
export function propertyActions(
  before: Schema,
  after: Schema,
): { id: string; name: string | null; action: 'created' | 'updated' | 'deleted' }[] {
  const old = new Map(before.properties.map((property) => [property.id, property]));
  const next = new Map(after.properties.map((property) => [property.id, property]));
  return changedPropertyIds(before, after).map((id) => {
    const property = next.get(id);
    if (!property) return { id, name: null, action: 'deleted' as const };
    return { id, name: property.name, action: old.has(id) ? ('updated' as const) : ('created' as const) };
  });
}

/** A new data source's fields, validated; `title` and `description` already normalized. */
export interface NewDataSource {
  title: unknown[];
  description: unknown[];
  icon: unknown;
  properties: Record<string, unknown>;
}

/**
 * Inserts a data source under a database (inside the caller's write): its schema built and applied (dual
 * relations edit the related data sources). Returns the changes to record.
 */
export async function insertDataSource(
  tx: SqlExecutor,
  ctx: ServiceContext,
  database: BlockRow,
  input: NewDataSource,
  now: Date,
): Promise<Change[]> {
  const sourceId = newId();
  const title = plainText(input.title as Parameters<typeof plainText>[0]);
  const owner = { sourceId, databaseId: database.id };
  const { schema, effects } = await buildCreateSchema(tx, ctx, owner, title, input.properties);
  const content = { title: input.title, description: input.description } satisfies DataSourceContent;
  const parent = {
    workspaceId: database.workspace_id,
    id: database.id,
    type: 'database_id' as const,
    path: database.path,
  };
  const newRow = {
    id: sourceId,
    object: 'data_source' as const,
    type: 'data_source',
    content,
    properties: schema.toWire(),
    title,
    icon: input.icon,
    cover: null,
  };
  const row = await insertRow(tx, parent, newRow, 'last', ctx.principal.integrationId, now);
  await insertDefaultView(tx, row, ctx.principal.integrationId, now);
  const edited = await applyEffects(tx, sourceId, effects);
  const actor = botActor(ctx.principal.integrationId);
  return [createdChange(row, actor, now), ...otherSchemaChanges(edited, actor, now)];
}

export async function createDataSource(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zCreateDataSource, body);
  const { principal, clock } = ctx;
  const created = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const database = await loadVisibleDatabase(tx, principal, input.parent.database_id, { lock: true });
    assertEditable(database);
    const title = await normalizeRichText(input.title ?? [], mentionResolver(tx, principal));
    const icon = await storedIcon(tx, principal, input.icon);
    const now = clock.now();
    const source = { title, description: [], icon, properties: input.properties };
    const changes = await insertDataSource(tx, ctx, database, source, now);
    await touch(tx, database.id, principal.integrationId, now);
    for (const change of changes) record(change);
    return changes[0]!.entity.id;
  });
  return dataSourceObject(ctx, ctx.store, (await findBlock(ctx.store, created))!);
}

export async function retrieveDataSource(ctx: ServiceContext, dataSourceId: string): Promise<unknown> {
  return dataSourceObject(ctx, ctx.store, await loadVisibleDataSource(ctx.store, ctx.principal, dataSourceId));
}

type DataSourceUpdate = z.infer<typeof zUpdateDataSource>;

/** What an update writes on the data source row, and the changes it makes. */
async function dataSourceEdit(
  tx: SqlExecutor,
  ctx: ServiceContext,
  row: BlockRow,
  input: DataSourceUpdate,
): Promise<{ edit: BlockEdit; changes: Change[] }> {
  const edit: BlockEdit = {};
  const changes: Change[] = [];
  const now = ctx.clock.now();
  const actor = botActor(ctx.principal.integrationId);
  if (input.title) {
    const title = await normalizeRichText(input.title, mentionResolver(tx, ctx.principal));
    edit.content = { ...row.content, title };
    edit.title = plainText(title);
  }
  if (input.icon !== undefined) edit.icon = await storedIcon(tx, ctx.principal, input.icon);
  if (input.title || input.icon !== undefined)
    changes.push(contentChange('data_source.content_updated', row, actor, now));
  if (input.properties) {
    const before = readSchema(row);
    const { schema, effects } = await buildUpdateSchema(tx, ctx, before, input.properties, row.parent_id as string);
    edit.properties = schema.toWire();
    const updatedProperties = changedPropertyIds(before, schema);
    const edited = await applyEffects(tx, row.id, effects);
    if (updatedProperties.length > 0) {
      const details = { updated_property_actions: propertyActions(before, schema) };
      changes.push(contentChange('data_source.schema_updated', row, actor, now, { updatedProperties, details }));
    }
    changes.push(...otherSchemaChanges(edited, actor, now));
  }
  const trash = requestedTrash(input);
  if (trash !== undefined) edit.archived = trash;
  if (trash !== undefined && trash !== row.archived) changes.push(trashChange(row, trash, actor, now));
  return { edit, changes };
}

export async function updateDataSource(ctx: ServiceContext, dataSourceId: string, body: unknown): Promise<unknown> {
  const input = parseWith(zUpdateDataSource, body);
  const { principal, clock } = ctx;
  await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const row = await loadVisibleDataSource(tx, principal, dataSourceId, { lock: true });
    const restoring = row.archived && requestedTrash(input) === false;
    if (!restoring) assertEditable(row);
    else if (row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.blockArchived);
    const { edit, changes } = await dataSourceEdit(tx, ctx, row, input);
    await editBlock(tx, row.id, edit, principal.integrationId, clock.now());
    for (const change of changes) record(change);
  });
  return dataSourceObject(ctx, ctx.store, (await findBlock(ctx.store, dataSourceId))!);
}

const zTemplatesQuery = z
  .object({ name: z.string().optional(), start_cursor: z.unknown().optional(), page_size: z.unknown().optional() })
  .strict();

/** GET /v1/data_sources/{id}/templates: notion-local keeps no database templates, so the list is empty. */
export async function listDataSourceTemplates(
  ctx: ServiceContext,
  dataSourceId: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  parseWith(zTemplatesQuery, query, 'query');
  readPageRequest('query', query);
  await loadVisibleDataSource(ctx.store, ctx.principal, dataSourceId);
  return { templates: [], has_more: false, next_cursor: null };
}
