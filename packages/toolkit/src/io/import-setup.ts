// Before a table import writes anything: the options are consistent, the target database exists (or is
// created from a schema inferred from the file), and the key column feeds a property pages can be
// looked up by.
import { CollectionError, notionApi, type NotionApi } from '../api/notion-api.js';
import { Journal } from '../bulk/journal.js';
import type { DatabaseSchema, PropertySchema } from '../properties/types.js';
import { planColumns, type ColumnPlan, type MappedColumn } from './column-mapping.js';
import { inferSchema, schemaRequest, type InferredType } from './infer-schema.js';
import { ImportSetupError, type ImportDatabase, type ImportRun, type TableImportOptions } from './import-types.js';

/** Property types a key can be looked up by (`equals` filters). */
const KEY_FILTER_TYPES = new Set(['title', 'rich_text', 'number', 'email', 'url', 'phone_number', 'select']);

/** Opens the journal, checks the options, resolves the database and the key: everything short of a row. */
export async function startImport(options: TableImportOptions): Promise<ImportRun> {
  const { records } = options;
  const dryRun = options.dryRun ?? false;
  const warnings: string[] = [];
  const targetName =
    'databaseId' in options.target ? options.target.databaseId : `parent:${options.target.parentPageId}`;
  const journal = !dryRun && options.journalPath ? Journal.open(options.journalPath, records.digest, targetName) : null;
  checkKeyOptions(options);
  const api = notionApi(options.client);
  const db = await resolveDatabase(api, options, journal, warnings);
  const plan = planColumns(db.schema, records.columns, options.map);
  warnings.push(...plan.warnings);
  return {
    options,
    api,
    dryRun,
    journal,
    db,
    plan,
    key: keyColumn(options, plan),
    titleName: Object.entries(db.schema).find(([, p]) => p.type === 'title')?.[0] ?? null,
    warnings,
    issues: [],
    counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, archived: 0 },
    firstRowOfKey: new Map(),
    byKey: new Map(),
    botId: null,
  };
}

function checkKeyOptions(options: TableImportOptions): void {
  const { keyColumn, records } = options;
  if (keyColumn !== undefined && !records.columns.includes(keyColumn)) {
    throw new ImportSetupError(`the file has no column "${keyColumn}" (columns: ${records.columns.join(', ')})`);
  }
  if (options.archiveMissing && keyColumn === undefined)
    throw new ImportSetupError('archiving missing pages needs a key column (--key)');
}

/** The mapping of the key column, checked to be one pages can be looked up by; null without a key. */
function keyColumn(options: TableImportOptions, plan: ColumnPlan): MappedColumn | null {
  const { keyColumn } = options;
  const key = keyColumn === undefined ? null : (plan.mapped.find((m) => m.column === keyColumn) ?? null);
  if (keyColumn !== undefined && !key)
    throw new ImportSetupError(`the key column "${keyColumn}" feeds no writable property of the database`);
  if (key && !KEY_FILTER_TYPES.has(key.type))
    throw new ImportSetupError(
      `the key column "${keyColumn}" feeds ${key.property}, a ${key.type} property; keys must be title, rich_text, number, email, url, phone_number or select`,
    );
  return key;
}

/** The database named, the one an earlier run of this journal created, or a new one (none on a dry run). */
async function resolveDatabase(
  api: NotionApi,
  options: TableImportOptions,
  journal: Journal | null,
  warnings: string[],
): Promise<ImportDatabase> {
  const { target, records } = options;
  const existingId = 'databaseId' in target ? target.databaseId : (journal?.state.databaseId ?? null);
  if (existingId) {
    const collection = await setupStep(() => api.collection(existingId));
    return { id: collection.databaseId, collection, schema: collection.schema };
  }
  if (!('parentPageId' in target)) throw new ImportSetupError('no database to import into');
  const types = inferSchema(records.columns, records.rows);
  const properties = schemaRequest(types, records.rows);
  warnings.push(
    `Schema inferred from the file: ${Object.entries(types)
      .map(([n, t]) => `${n} (${t})`)
      .join(', ')}.`,
  );
  if (options.dryRun) return { id: null, collection: null, schema: dryRunSchema(types, properties) };
  const collection = await setupStep(() => api.createDatabase(target.parentPageId, target.title, properties));
  journal?.append({ kind: 'database', id: collection.databaseId });
  return { id: collection.databaseId, collection, schema: collection.schema };
}

/** A database that cannot be imported into as it is (several data sources, no schema) stops the import. */
async function setupStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CollectionError) throw new ImportSetupError(error.message);
    throw error;
  }
}

/** The schema the database would have: a dry run creates nothing, so it is built from the create request. */
function dryRunSchema(types: Record<string, InferredType>, properties: Record<string, unknown>): DatabaseSchema {
  const schema: DatabaseSchema = {};
  for (const [name, config] of Object.entries(properties)) {
    const type = types[name]!;
    // The request's config is typed apart from `type`, so the checker cannot see they make one schema.
    schema[name] = { id: name, name, type, ...(config as object) } as unknown as PropertySchema;
  }
  return schema;
}
