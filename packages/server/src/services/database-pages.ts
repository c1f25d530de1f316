// Pages whose parent is a database (reference §9.2, §11.6): created and updated against the live schema
// (page-values.ts), unique ids numbered, dual relations mirrored, new select options saved.
import { findBlock, findBlockForUpdate, insertRow, type ParentRef } from '../store/block-repo.js';
import type { BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { readSchema } from '../domain/properties/schema.js';
import { errors } from '../errors.js';
import { canSee } from '../auth/access.js';
import { assertEditable, wrongKind, type ServiceContext } from './service-context.js';
import { mirrorDualRelations, nextUniqueId, prepareValues, type PreparedValues } from './page-values.js';

export interface NewDatabasePage {
  id: string;
  properties: Record<string, unknown>;
  icon: unknown;
  cover: unknown;
}

async function saveSchema(db: SqlExecutor, databaseId: string, prepared: PreparedValues): Promise<void> {
  if (prepared.schemaChanged)
    await db.query('UPDATE blocks SET properties = $2 WHERE id = $1', [
      databaseId,
      JSON.stringify(prepared.schema.toWire()),
    ]);
}

export interface InsertedDatabasePage {
  /** where the page's content blocks go */
  ref: ParentRef;
  /** the row as inserted */
  row: BlockRow;
  /** the database row, with the schema as this write left it (options created on first use) */
  database: BlockRow;
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
  for (const p of schema.properties) {
    if (p.type === 'unique_id') props[p.id] = await nextUniqueId(db, databaseId, p.id);
  }
  const json = { title: { id: 'title', type: 'title', title: [] }, ...prepared.json };
  const ref: ParentRef = {
    workspaceId: database.workspace_id,
    id: database.id,
    type: 'database_id',
    path: database.path,
  };
  const row = await insertRow(
    db,
    ref,
    {
      id: page.id,
      object: 'page',
      type: 'page',
      content: {},
      properties: json,
      props,
      title: prepared.title ?? '',
      icon: page.icon,
      cover: page.cover,
    },
    0,
    ctx.principal.integrationId,
    ctx.clock.now(),
  );
  await saveSchema(db, databaseId, prepared);
  await mirrorDualRelations(db, page.id, null, prepared.relations);
  return {
    ref: { workspaceId: database.workspace_id, id: page.id, type: 'page_id', path: [...database.path, page.id] },
    row,
    database: { ...database, properties: prepared.schema.toWire() },
  };
}

/** Writes property values of an existing database row (only the keys given change). */
export async function updateDatabasePageValues(
  db: SqlExecutor,
  ctx: ServiceContext,
  row: BlockRow,
  properties: Record<string, unknown>,
): Promise<void> {
  const databaseId = row.parent_id as string;
  const database = await findBlockForUpdate(db, databaseId);
  if (!database) return;
  // Read the row again under the database's lock: a concurrent writer may have changed it meanwhile.
  const current = (await findBlock(db, row.id, 'none')) ?? row;
  const prepared = await prepareValues(db, ctx, readSchema(database), properties);
  await db.query(
    `UPDATE blocks SET properties = $2, props = (COALESCE(props, '{}'::jsonb) || $3::jsonb) - $4::text[], title = COALESCE($5, title) WHERE id = $1`,
    [
      row.id,
      JSON.stringify({ ...(current.properties ?? {}), ...prepared.json }),
      JSON.stringify(prepared.set),
      prepared.unset,
      prepared.title ?? null,
    ],
  );
  await saveSchema(db, databaseId, prepared);
  await mirrorDualRelations(db, row.id, current.props, prepared.relations);
}
