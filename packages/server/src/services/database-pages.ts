// Pages whose parent is a database (reference §9.2, §11.6): created and updated against the live schema
// (page-values.ts), unique ids numbered, dual relations mirrored, new select options saved. These run inside
// the caller's write (services/pages.ts); they return the other changes they made (a schema that gained
// options, related pages whose dual relation changed) for the caller to record with its own.
import { findBlock, findBlockForUpdate, insertRow, type ParentRef } from '../store/block-repo.js';
import { saveDatabaseSchema } from '../store/database-repo.js';
import { nextUniqueId, updateRowValues } from '../store/database-row-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { readSchema } from '../domain/properties/schema.js';
import { errors } from '../errors.js';
import { canSee } from '../auth/access.js';
import type { Change } from './changes.js';
import { botActor, contentChange } from './content-changes.js';
import { assertEditable, wrongKind, type ServiceContext } from './service-context.js';
import { mirrorDualRelations, prepareValues, type MirroredRelation, type PreparedValues } from './page-values.js';

export interface NewDatabasePage {
  id: string;
  properties: Record<string, unknown>;
  icon: unknown;
  cover: unknown;
}

/** Saves the schema when the values created select options; the change it is, if any. */
async function saveSchema(
  db: SqlExecutor,
  ctx: ServiceContext,
  database: BlockRow,
  prepared: PreparedValues,
): Promise<Change[]> {
  if (!prepared.schemaChanged) return [];
  await saveDatabaseSchema(db, database.id, prepared.schema.toWire());
  const before = new Map(readSchema(database).properties.map((property) => [property.id, JSON.stringify(property)]));
  const updatedProperties = prepared.schema.properties
    .filter((property) => before.get(property.id) !== JSON.stringify(property))
    .map((property) => property.id);
  const actor = botActor(ctx.principal.integrationId);
  return [contentChange('database.schema_updated', database, actor, ctx.clock.now(), { updatedProperties })];
}

/** page.properties_updated of the related pages a dual relation's write changed, one per page. */
function mirroredChanges(ctx: ServiceContext, workspaceId: string, mirrored: readonly MirroredRelation[]): Change[] {
  const byPage = new Map<string, { databaseId: string; propertyIds: Set<string> }>();
  for (const { pageId, databaseId, propertyId } of mirrored) {
    const entry = byPage.get(pageId) ?? { databaseId, propertyIds: new Set<string>() };
    byPage.set(pageId, entry);
    entry.propertyIds.add(propertyId);
  }
  const actor = botActor(ctx.principal.integrationId);
  const at = ctx.clock.now();
  return [...byPage].map(([pageId, { databaseId, propertyIds }]) => ({
    kind: 'page.properties_updated',
    workspaceId,
    entity: { type: 'page', id: pageId },
    actor,
    at,
    parent: { type: 'database', id: databaseId },
    updatedProperties: [...propertyIds],
  }));
}

export interface InsertedDatabasePage {
  /** where the page's content blocks go */
  ref: ParentRef;
  /** the row as inserted */
  row: BlockRow;
  /** the database row, with the schema as this write left it (options created on first use) */
  database: BlockRow;
  /**
   * What the insert changed besides creating the row (the caller records page.created): the database's schema
   * when options were created, related pages whose dual relation gained this page.
   */
  changes: Change[];
}

/** Inserts a row into a database. */
export async function insertDatabasePage(
  db: SqlExecutor,
  ctx: ServiceContext,
  databaseId: string,
  page: NewDatabasePage,
): Promise<InsertedDatabasePage> {
  // Option creation and numbering read-modify-write the database row: read it locked, in one statement.
  const database = await findBlockForUpdate(db, databaseId);
  if (!database || !canSee(ctx.principal, { workspaceId: database.workspace_id, path: database.path }))
    throw errors.notFound('database', databaseId);
  if (database.object === 'page') throw wrongKind.pageNotDatabase(databaseId);
  if (database.object !== 'database') throw errors.notFound('database', databaseId);
  assertEditable(database);
  const schema = readSchema(database);
  const prepared = await prepareValues(db, ctx, schema, page.properties);
  const props: Record<string, unknown> = { ...prepared.set };
  for (const property of schema.properties) {
    if (property.type === 'unique_id') props[property.id] = await nextUniqueId(db, databaseId, property.id);
  }
  const json = { title: { id: 'title', type: 'title', title: [] }, ...prepared.json };
  const ref: ParentRef = {
    workspaceId: database.workspace_id,
    id: database.id,
    type: 'database_id',
    path: database.path,
  };
  const newRow = {
    id: page.id,
    object: 'page' as const,
    type: 'page',
    content: {},
    properties: json,
    props,
    title: prepared.title ?? '',
    icon: page.icon,
    cover: page.cover,
  };
  const row = await insertRow(db, ref, newRow, 0, ctx.principal.integrationId, ctx.clock.now());
  const schemaChanges = await saveSchema(db, ctx, database, prepared);
  const mirrored = await mirrorDualRelations(db, page.id, null, prepared.relations);
  return {
    ref: { workspaceId: database.workspace_id, id: page.id, type: 'page_id', path: [...database.path, page.id] },
    row,
    database: { ...database, properties: prepared.schema.toWire() },
    changes: [...schemaChanges, ...mirroredChanges(ctx, database.workspace_id, mirrored)],
  };
}

/** What a value update wrote: the ids of the row's properties written, and the other changes it made. */
export interface UpdatedDatabasePageValues {
  /** the ids of the properties written (for the row's page.properties_updated, which the caller records) */
  updatedProperties: string[];
  /** the database's schema when options were created, related pages whose dual relation changed */
  changes: Change[];
}

/** Writes property values of an existing database row (only the keys given change). */
export async function updateDatabasePageValues(
  db: SqlExecutor,
  ctx: ServiceContext,
  row: BlockRow,
  properties: Record<string, unknown>,
): Promise<UpdatedDatabasePageValues> {
  const databaseId = row.parent_id as string;
  const database = await findBlockForUpdate(db, databaseId);
  if (!database) return { updatedProperties: [], changes: [] };
  // Read the row again under the database's lock: a concurrent writer may have changed it meanwhile.
  const current = (await findBlock(db, row.id, 'none')) ?? row;
  const prepared = await prepareValues(db, ctx, readSchema(database), properties);
  await updateRowValues(db, row.id, {
    properties: { ...(current.properties ?? {}), ...prepared.json },
    set: prepared.set,
    unset: prepared.unset,
    title: prepared.title,
  });
  const schemaChanges = await saveSchema(db, ctx, database, prepared);
  const mirrored = await mirrorDualRelations(db, row.id, current.props, prepared.relations);
  return {
    updatedProperties: prepared.written,
    changes: [...schemaChanges, ...mirroredChanges(ctx, database.workspace_id, mirrored)],
  };
}
