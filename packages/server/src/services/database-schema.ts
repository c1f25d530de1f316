// Building and changing a database's schema (reference §9.1): create with exactly one title; update
// keyed by name or id — `null` removes, `{name}` renames, `{<type>: …}` changes the type or the config;
// select options replace the set. Relations resolve their database (which must be shared with the
// integration); dual relations get their synced property; rollups resolve their relation and target
// property; formulas must compile. What a change does to stored values is applied after (applyEffects).
import { ApiError } from '../errors.js';
import { FormulaError } from '../domain/properties/formula-parser.js';
import { renameInFormula } from '../domain/properties/formula-parser.js';
import { formulaOf } from '../query/operands.js';
import {
  defaultStatus,
  mergeOptions,
  parsePropertyInput,
  type OptionInput,
  type PropertyInput,
} from '../domain/properties/schema-types.js';
import {
  newPropertyId,
  options,
  readSchema,
  relationConfig,
  Schema,
  type PropertySchema,
  type RelationConfig,
  type StatusGroup,
} from '../domain/properties/schema.js';
import { createScope } from '../query/sql-scope.js';
import { renderPath, renderValue } from '../domain/validation.js';
import { findBlockForUpdate } from '../store/block-repo.js';
import { saveDataSourceSchema } from '../store/database-repo.js';
import { clearRowValues, clearRowValuesIn, numberRows, removeFromList } from '../store/database-row-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import type { BlockRow } from '../model/rows.js';
import { type ServiceContext } from './service-context.js';
import { loadVisibleDataSource, resolveDataSource } from './data-source-lookup.js';

export interface SchemaEffects {
  /** property ids whose stored values are dropped (removed or retyped properties) */
  clearValues: string[];
  removedOptions: { property: PropertySchema; ids: string[] }[];
  /** synced properties to add to other data sources (dual relations) */
  addToOtherSource: { sourceId: string; property: PropertySchema }[];
  /** synced properties in other data sources that lose their counterpart (become one-way) */
  detachInOtherSource: { sourceId: string; propertyId: string }[];
  /** unique_id properties to number existing rows for */
  numberRows: string[];
}

const noEffects = (): SchemaEffects => ({
  clearValues: [],
  removedOptions: [],
  addToOtherSource: [],
  detachInOtherSource: [],
  numberRows: [],
});

const invalid = (path: readonly (string | number)[], phrase: string, value: unknown) =>
  new ApiError(
    'validation_error',
    `body failed validation: ${renderPath('body', path)} ${phrase}, instead was ${renderValue(value)}.`,
  );

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The data source whose schema is built, and its database. */
export interface SchemaOwner {
  sourceId: string;
  databaseId: string;
}

interface Draft extends SchemaOwner {
  title: string;
  properties: PropertySchema[];
  effects: SchemaEffects;
  /** properties whose config came from this request (rollups and formulas are checked after) */
  pending: { property: PropertySchema; input: PropertyInput; path: (string | number)[] }[];
}

const schemaOf = (draft: Draft) => new Schema(draft.sourceId, draft.title, draft.properties);
const taken = (draft: Draft) => new Set(draft.properties.map((property) => property.id));

export async function buildCreateSchema(
  db: SqlExecutor,
  ctx: ServiceContext,
  owner: SchemaOwner,
  title: string,
  input: unknown,
): Promise<{ schema: Schema; effects: SchemaEffects }> {
  if (!isRecord(input)) throw invalid(['properties'], 'should be an object', input);
  const draft: Draft = { ...owner, title, properties: [], effects: noEffects(), pending: [] };
  const titles = Object.entries(input).filter(([, v]) => isRecord(v) && (v.type === 'title' || 'title' in v));
  if (titles.length !== 1) {
    throw invalid(['properties'], 'should have exactly one property of type `"title"`', titles.length);
  }
  for (const [name, raw] of Object.entries(input)) {
    const path = ['properties', name];
    const parsed = parsePropertyInput(raw, path, false) as PropertyInput;
    const property: PropertySchema = {
      id: parsed.type === 'title' ? 'title' : newPropertyId(taken(draft)),
      name,
      type: parsed.type,
      config: {},
    };
    draft.properties.push(property);
    draft.pending.push({ property, input: parsed, path });
  }
  await resolvePending(db, ctx, draft, new Map());
  return { schema: schemaOf(draft), effects: draft.effects };
}

export async function buildUpdateSchema(
  db: SqlExecutor,
  ctx: ServiceContext,
  current: Schema,
  input: unknown,
  databaseId: string,
): Promise<{ schema: Schema; effects: SchemaEffects }> {
  if (!isRecord(input)) throw invalid(['properties'], 'should be an object', input);
  const draft: Draft = {
    sourceId: current.dataSourceId,
    databaseId,
    title: current.databaseTitle,
    properties: [...current.properties],
    effects: noEffects(),
    pending: [],
  };
  const before = new Map(current.properties.map((property) => [property.id, property]));
  for (const [key, raw] of Object.entries(input)) {
    const path = ['properties', key];
    const existing = current.find(key);
    const index = existing ? draft.properties.findIndex((property) => property.id === existing.id) : -1;
    if (raw === null) {
      if (!existing) throw new ApiError('validation_error', `${key} is not a property that exists.`);
      if (existing.type === 'title')
        throw invalid(path, 'should be not `null`: the title property cannot be removed', raw);
      draft.properties.splice(index, 1);
      forget(draft, existing);
      continue;
    }
    const parsed = parsePropertyInput(raw, path, true);
    if ('rename' in parsed) {
      if (!existing) throw new ApiError('validation_error', `${key} is not a property that exists.`);
      rename(draft, index, parsed.rename, [...path, 'name']);
      continue;
    }
    if (!existing) {
      const name = parsed.name ?? key;
      if (draft.properties.some((property) => property.name === name))
        throw invalid([...path, 'name'], 'should be a name no other property has', name);
      if (parsed.type === 'title')
        throw invalid([...path, 'title'], 'should be not present: a database has one title property', parsed.config);
      const property: PropertySchema = { id: newPropertyId(taken(draft)), name, type: parsed.type, config: {} };
      draft.properties.push(property);
      draft.pending.push({ property, input: parsed, path });
      continue;
    }
    if (existing.type === 'title' && parsed.type !== 'title')
      throw invalid([...path, 'type'], 'should be `"title"`: the title property cannot change type', parsed.type);
    if (parsed.name !== undefined && parsed.name !== existing.name)
      rename(draft, index, parsed.name, [...path, 'name']);
    const property = { ...draft.properties[index]!, type: parsed.type };
    if (existing.type !== parsed.type) {
      forget(draft, existing);
      property.config = {};
    }
    draft.properties[index] = property;
    draft.pending.push({ property, input: parsed, path });
  }
  await resolvePending(db, ctx, draft, before);
  return { schema: schemaOf(draft), effects: draft.effects };
}

/** A removed or retyped property: its values go, and a dual relation's other side becomes one-way. */
function forget(draft: Draft, property: PropertySchema): void {
  draft.effects.clearValues.push(property.id);
  if (property.type === 'relation') {
    const cfg = relationConfig(property);
    if (cfg.dual_property && cfg.data_source_id !== draft.sourceId) {
      draft.effects.detachInOtherSource.push({
        sourceId: cfg.data_source_id,
        propertyId: cfg.dual_property.synced_property_id,
      });
    }
  }
}

function rename(draft: Draft, index: number, name: string, path: (string | number)[]): void {
  const property = draft.properties[index]!;
  if (draft.properties.some((other) => other.name === name && other.id !== property.id))
    throw invalid(path, 'should be a name no other property has', name);
  const old = property.name;
  draft.properties[index] = { ...property, name };
  // Notion keeps formulas working across renames.
  draft.properties = draft.properties.map((other) =>
    other.type === 'formula'
      ? {
          ...other,
          config: { ...other.config, expression: renameInFormula(String(other.config.expression ?? ''), old, name) },
        }
      : other,
  );
}

async function resolvePending(
  db: SqlExecutor,
  ctx: ServiceContext,
  draft: Draft,
  before: ReadonlyMap<string, PropertySchema>,
): Promise<void> {
  const set = (property: PropertySchema, config: Record<string, unknown>) => {
    const i = draft.properties.findIndex((other) => other.id === property.id);
    if (i >= 0) draft.properties[i] = { ...draft.properties[i]!, config };
  };
  const related = new Map<string, Schema>();
  // Plain configs and relations first: rollups read relations, formulas read everything.
  for (const { property, input, path } of draft.pending) {
    const old = before.get(property.id);
    const same = old?.type === input.type ? old : undefined;
    if (input.type === 'relation')
      set(property, await relationFor(db, ctx, draft, property, input.config, same, path, related));
    else if (input.type !== 'rollup' && input.type !== 'formula')
      set(property, plainConfig(draft, property, input, same, path));
  }
  for (const { property, input, path } of draft.pending) {
    if (input.type === 'rollup') set(property, await rollupFor(db, ctx, draft, input.config, path, related));
  }
  for (const { property, input, path } of draft.pending) {
    if (input.type === 'formula') set(property, { expression: input.config.expression });
    if (input.type !== 'formula') continue;
    const schema = schemaOf(draft);
    const scope = createScope({
      workspaceId: ctx.principal.workspaceId,
      sharedRootIds: [],
      now: ctx.clock.now(),
      schemas: new Map([...related, [draft.sourceId, schema]]),
    });
    try {
      formulaOf(scope, schema, schema.byId(property.id)!, 'b', [], 0);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      throw invalid(
        [...path, 'formula', 'expression'],
        `should be a valid formula (${error.message})`,
        input.config.expression,
      );
    }
  }
}

function plainConfig(
  draft: Draft,
  property: PropertySchema,
  input: PropertyInput,
  old: PropertySchema | undefined,
  path: (string | number)[],
): Record<string, unknown> {
  const cfg = input.config;
  const given = cfg.options as OptionInput[] | undefined;
  switch (input.type) {
    case 'number':
      return { format: (cfg.format as string | undefined) ?? (old?.config.format as string | undefined) ?? 'number' };
    case 'select':
    case 'multi_select': {
      const kept = old ? options(old) : [];
      const next = given ? mergeOptions(kept, given, [...path, input.type, 'options']) : kept;
      const removed = kept.filter((o) => !next.some((n) => n.id === o.id)).map((o) => o.id);
      if (removed.length > 0) draft.effects.removedOptions.push({ property, ids: removed });
      return { options: next };
    }
    case 'status': {
      if (!old) return defaultStatus(given);
      if (!given) return old.config;
      const next = mergeOptions(options(old), given, [...path, 'status', 'options']);
      const removed = options(old)
        .filter((o) => !next.some((n) => n.id === o.id))
        .map((o) => o.id);
      if (removed.length > 0) draft.effects.removedOptions.push({ property, ids: removed });
      const groups = ((old.config.groups as StatusGroup[] | undefined) ?? []).map((g) => ({
        ...g,
        option_ids: g.option_ids.filter((id) => next.some((n) => n.id === id)),
      }));
      const grouped = new Set(groups.flatMap((g) => g.option_ids));
      if (groups[0])
        groups[0] = {
          ...groups[0],
          option_ids: [...groups[0].option_ids, ...next.filter((o) => !grouped.has(o.id)).map((o) => o.id)],
        };
      return { options: next, groups };
    }
    case 'unique_id':
      if (!old) draft.effects.numberRows.push(property.id);
      return {
        prefix: cfg.prefix === undefined ? ((old?.config.prefix as string | null | undefined) ?? null) : cfg.prefix,
      };
    default:
      return {};
  }
}

/**
 * The data source a relation config points to: `data_source_id`, or `database_id` (its single data source);
 * this very data source (or its database) while it is being built.
 */
async function relationTarget(
  db: SqlExecutor,
  ctx: ServiceContext,
  draft: Draft,
  cfg: Record<string, unknown>,
  path: (string | number)[],
): Promise<{ sourceId: string; databaseId: string; schema: Schema }> {
  const given = {
    database_id: cfg.database_id as string | undefined,
    data_source_id: cfg.data_source_id as string | undefined,
  };
  if (!given.database_id && !given.data_source_id)
    throw invalid([...path, 'relation', 'data_source_id'], 'should be defined', undefined);
  if (given.data_source_id === draft.sourceId || (!given.data_source_id && given.database_id === draft.databaseId))
    return { sourceId: draft.sourceId, databaseId: draft.databaseId, schema: schemaOf(draft) };
  const source = await resolveDataSource(db, ctx.principal, given);
  return { sourceId: source.id, databaseId: source.parent_id as string, schema: readSchema(source) };
}

async function relationFor(
  db: SqlExecutor,
  ctx: ServiceContext,
  draft: Draft,
  property: PropertySchema,
  cfg: Record<string, unknown>,
  old: PropertySchema | undefined,
  path: (string | number)[],
  related: Map<string, Schema>,
): Promise<Record<string, unknown>> {
  const type =
    (cfg.type as RelationConfig['type'] | undefined) ?? ('dual_property' in cfg ? 'dual_property' : 'single_property');
  const target = await relationTarget(db, ctx, draft, cfg, path);
  const { sourceId, databaseId } = target;
  const self = sourceId === draft.sourceId;
  if (!self) related.set(sourceId, target.schema);
  const previous = old ? relationConfig(old) : undefined;
  if (previous && previous.data_source_id === sourceId && previous.type === type) return old!.config;
  if (previous) forget(draft, old!);
  const ids = { database_id: databaseId, data_source_id: sourceId };
  if (type === 'single_property') return { ...ids, type, single_property: {} };
  const wanted = (cfg.dual_property as { synced_property_name?: string } | undefined)?.synced_property_name;
  const targetSchema = self ? schemaOf(draft) : target.schema;
  let name = wanted ?? `Related to ${draft.title || 'Untitled'} (${property.name})`;
  for (let n = 2; targetSchema.properties.some((other) => other.name === name); n++)
    name = `${wanted ?? `Related to ${draft.title || 'Untitled'} (${property.name})`} ${n}`;
  const synced: PropertySchema = {
    id: newPropertyId(new Set([...targetSchema.properties.map((other) => other.id), ...taken(draft)])),
    name,
    type: 'relation',
    config: {
      database_id: draft.databaseId,
      data_source_id: draft.sourceId,
      type: 'dual_property',
      dual_property: { synced_property_id: property.id, synced_property_name: property.name },
    },
  };
  if (self) draft.properties.push(synced);
  else draft.effects.addToOtherSource.push({ sourceId, property: synced });
  return {
    ...ids,
    type,
    dual_property: { synced_property_id: synced.id, synced_property_name: synced.name },
  };
}

async function rollupFor(
  db: SqlExecutor,
  ctx: ServiceContext,
  draft: Draft,
  cfg: Record<string, unknown>,
  path: (string | number)[],
  related: Map<string, Schema>,
): Promise<Record<string, unknown>> {
  const schema = schemaOf(draft);
  const relationKey = (cfg.relation_property_id ?? cfg.relation_property_name) as string | undefined;
  const relation = relationKey === undefined ? undefined : schema.find(relationKey);
  if (!relation || relation.type !== 'relation') {
    const field = cfg.relation_property_id !== undefined ? 'relation_property_id' : 'relation_property_name';
    throw invalid(
      [...path, 'rollup', field],
      'should be the name or id of a relation property of this database',
      relationKey,
    );
  }
  const targetId = relationConfig(relation).data_source_id;
  let target = targetId === draft.sourceId ? schema : related.get(targetId);
  if (!target) {
    target = readSchema(await loadVisibleDataSource(db, ctx.principal, targetId));
    related.set(targetId, target);
  }
  const rollupKey = (cfg.rollup_property_id ?? cfg.rollup_property_name) as string | undefined;
  const rolled = rollupKey === undefined ? undefined : target.find(rollupKey);
  if (!rolled) {
    const field = cfg.rollup_property_id !== undefined ? 'rollup_property_id' : 'rollup_property_name';
    throw invalid(
      [...path, 'rollup', field],
      'should be the name or id of a property of the related database',
      rollupKey,
    );
  }
  return {
    rollup_property_name: rolled.name,
    relation_property_name: relation.name,
    rollup_property_id: rolled.id,
    relation_property_id: relation.id,
    function: cfg.function,
  };
}

/** A related data source whose schema a change edited: a synced property added to it, or made one-way. */
export interface OtherSchemaEdit {
  /** the related data source as it was read (locked) before the edit */
  source: BlockRow;
  /** the ids of its properties that changed */
  propertyIds: string[];
}

/**
 * Applies what a schema change means for stored values and for related databases; returns the related
 * databases whose schema it edited (each is a schema change of its own).
 */
export async function applyEffects(
  db: SqlExecutor,
  sourceId: string,
  effects: SchemaEffects,
): Promise<OtherSchemaEdit[]> {
  await clearRowValues(db, sourceId, effects.clearValues);
  for (const { property, ids } of effects.removedOptions) {
    if (property.type === 'multi_select') await removeFromList(db, { dataSourceId: sourceId }, property.id, ids);
    else await clearRowValuesIn(db, sourceId, property.id, ids);
  }
  for (const propertyId of effects.numberRows) await numberRows(db, sourceId, propertyId);
  const edited: OtherSchemaEdit[] = [];
  for (const { sourceId: other, property } of effects.addToOtherSource) {
    const source = await editOtherSchema(db, other, (schema) => [...schema.properties, property]);
    if (source) edited.push({ source, propertyIds: [property.id] });
  }
  for (const { sourceId: other, propertyId } of effects.detachInOtherSource) {
    const source = await editOtherSchema(db, other, (schema) =>
      schema.properties.map((property) => (property.id === propertyId ? oneWay(property) : property)),
    );
    if (source) edited.push({ source, propertyIds: [propertyId] });
  }
  return edited;
}

/** A dual relation that lost its counterpart: a single-property relation to the same database. */
function oneWay(property: PropertySchema): PropertySchema {
  if (property.type !== 'relation') return property;
  const { database_id, data_source_id } = relationConfig(property);
  const config = { database_id, data_source_id, type: 'single_property', single_property: {} };
  return { ...property, config };
}

async function editOtherSchema(
  db: SqlExecutor,
  sourceId: string,
  edit: (schema: Schema) => PropertySchema[],
): Promise<BlockRow | null> {
  const row = await findBlockForUpdate(db, sourceId);
  if (!row || row.object !== 'data_source') return null;
  const schema = readSchema(row);
  await saveDataSourceSchema(db, sourceId, schema.with(edit(schema)).toWire());
  return row;
}
