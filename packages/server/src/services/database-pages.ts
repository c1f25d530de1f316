// Pages whose parent is a data source (reference §9.2, §11.6): created and updated against the live schema
// (page-values.ts), unique ids numbered, dual relations mirrored, new select options saved. These run inside
// the caller's write (services/pages.ts); they return the other changes they made (a schema that gained
// options, related pages whose dual relation changed) for the caller to record with its own.
import { findBlock, findBlockForUpdate, insertRow, type ParentRef } from '../store/block-repo.js';
import { saveDataSourceSchema } from '../store/database-repo.js';
import { nextUniqueId, updateRowValues } from '../store/database-row-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { readSchema } from '../domain/properties/schema.js';
import type { Change } from './changes.js';
import { botActor, contentChange } from './content-changes.js';
import { assertEditable, type ServiceContext } from './service-context.js';
import { resolveDataSource } from './data-source-lookup.js';
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
  source: BlockRow,
  prepared: PreparedValues,
): Promise<Change[]> {
  if (!prepared.schemaChanged) return [];
  await saveDataSourceSchema(db, source.id, prepared.schema.toWire());
  const before = new Map(readSchema(source).properties.map((property) => [property.id, JSON.stringify(property)]));
  const updatedProperties = prepared.schema.properties
    .filter((property) => before.get(property.id) !== JSON.stringify(property))
    .map((property) => property.id);
  const actor = botActor(ctx.principal.integrationId);
  return [contentChange('data_source.schema_updated', source, actor, ctx.clock.now(), { updatedProperties })];
}

/** page.properties_updated of the related pages a dual relation's write changed, one per page. */
function mirroredChanges(ctx: ServiceContext, workspaceId: string, mirrored: readonly MirroredRelation[]): Change[] {
  const byPage = new Map<string, { sourceId: string; propertyIds: Set<string> }>();
  for (const { pageId, sourceId, propertyId } of mirrored) {
    const entry = byPage.get(pageId) ?? { sourceId, propertyIds: new Set<string>() };
    byPage.set(pageId, entry);
    entry.propertyIds.add(propertyId);
  }
  const actor = botActor(ctx.principal.integrationId);
  const at = ctx.clock.now();
  return [...byPage].map(([pageId, { sourceId, propertyIds }]) => ({
    kind: 'page.properties_updated',
    workspaceId,
    entity: { type: 'page', id: pageId },
    actor,
    at,
    parent: { type: 'data_source', id: sourceId },
    updatedProperties: [...propertyIds],
  }));
}

export interface InsertedDatabasePage {
  /** where the page's content blocks go */
  ref: ParentRef;
  /** the row as inserted */
  row: BlockRow;
  /** the data source row, with the schema as this write left it (options created on first use) */
  source: BlockRow;
  /**
   * What the insert changed besides creating the row (the caller records page.created): the data source's
   * schema when options were created, related pages whose dual relation gained this page.
   */
  changes: Change[];
}

/** Inserts a row into a data source (named by its id, or by its database's under 2022-06-28). */
export async function insertDatabasePage(
  db: SqlExecutor,
  ctx: ServiceContext,
  parent: { database_id?: string; data_source_id?: string },
  page: NewDatabasePage,
): Promise<InsertedDatabasePage> {
  // Option creation and numbering read-modify-write the data source row: read it locked, in one statement.
  const source = await resolveDataSource(db, ctx.principal, parent, { lock: true });
  assertEditable(source);
  const schema = readSchema(source);
  const prepared = await prepareValues(db, ctx, schema, page.properties);
  const props: Record<string, unknown> = { ...prepared.set };
  for (const property of schema.properties) {
    if (property.type === 'unique_id') props[property.id] = await nextUniqueId(db, source.id, property.id);
  }
  const json = { title: { id: 'title', type: 'title', title: [] }, ...prepared.json };
  const ref: ParentRef = { workspaceId: source.workspace_id, id: source.id, type: 'data_source_id', path: source.path };
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
  const schemaChanges = await saveSchema(db, ctx, source, prepared);
  const mirrored = await mirrorDualRelations(db, page.id, null, prepared.relations);
  return {
    ref: { workspaceId: source.workspace_id, id: page.id, type: 'page_id', path: [...source.path, page.id] },
    row,
    source: { ...source, properties: prepared.schema.toWire() },
    changes: [...schemaChanges, ...mirroredChanges(ctx, source.workspace_id, mirrored)],
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
  const source = await findBlockForUpdate(db, row.parent_id as string);
  if (!source) return { updatedProperties: [], changes: [] };
  // Read the row again under the data source's lock: a concurrent writer may have changed it meanwhile.
  const current = (await findBlock(db, row.id, 'none')) ?? row;
  const prepared = await prepareValues(db, ctx, readSchema(source), properties);
  await updateRowValues(db, row.id, {
    properties: { ...(current.properties ?? {}), ...prepared.json },
    set: prepared.set,
    unset: prepared.unset,
    title: prepared.title,
  });
  const schemaChanges = await saveSchema(db, ctx, source, prepared);
  const mirrored = await mirrorDualRelations(db, row.id, current.props, prepared.relations);
  return {
    updatedProperties: prepared.written,
    changes: [...schemaChanges, ...mirroredChanges(ctx, source.workspace_id, mirrored)],
  };
}
