// Writing page property values of database rows (reference §9.2, §11.6): validated against the live
// schema, with Notion's messages naming the property — unknown ones (`X is not a property that exists.`)
// and wrong types (`X is expected to be title.`) reported together — then stored as wire values
// (`properties`) and comparable values (`props`). Select options are created on first use; dual
// relations are mirrored on the related pages.
import { ApiError, errors } from '../errors.js';
import { newId } from '../ids.js';
import { enumList, renderPath, renderValue } from '../domain/validation.js';
import { parseAt, MAX_OPTIONS } from '../domain/properties/schema-types.js';
import {
  autoColor,
  options,
  relationConfig,
  type PropertySchema,
  type Schema,
  type SelectOption,
} from '../domain/properties/schema.js';
import { VALUE_TYPES, type OptionRef, type WriteEnv } from '../domain/properties/value-types.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { addToList, findVisibleRowIds, removeFromList } from '../store/database-row-repo.js';
import { findWorkspaceUsersById } from '../store/user-repo.js';
import { mentionResolver, type ServiceContext } from './service-context.js';

export interface PreparedValues {
  /** the ids of the properties written, in the order given */
  written: string[];
  /** wire values by property id, `{id, type, <type>: value}` */
  json: Record<string, unknown>;
  /** comparable values to set, by property id */
  set: Record<string, unknown>;
  /** property ids whose comparable value is now empty */
  unset: string[];
  /** the title's plain text, when the title was written */
  title?: string;
  /** relation properties written, with their new ids (dual relations are mirrored) */
  relations: { property: PropertySchema; ids: string[] }[];
  /** the schema, with options created by these values */
  schema: Schema;
  schemaChanged: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: readonly (string | number)[]) => renderPath('body', path);
const invalid = (path: readonly (string | number)[], phrase: string, value: unknown) =>
  new ApiError('validation_error', `body failed validation: ${at(path)} ${phrase}, instead was ${renderValue(value)}.`);

/** Finds each key's property and the inner value; all unknown keys and wrong types in one message. */
function resolveKeys(
  schema: Schema,
  input: Record<string, unknown>,
): { key: string; property: PropertySchema; inner: unknown }[] {
  const problems: string[] = [];
  const out: { key: string; property: PropertySchema; inner: unknown }[] = [];
  for (const [key, value] of Object.entries(input)) {
    const property = schema.find(key);
    if (!property) {
      problems.push(`${key} is not a property that exists.`);
      continue;
    }
    if (property.type === 'title' && Array.isArray(value)) {
      out.push({ key, property, inner: value });
      continue;
    }
    if (!isRecord(value) || !(property.type in value) || (value.type !== undefined && value.type !== property.type)) {
      problems.push(`${property.name} is expected to be ${property.type}.`);
      continue;
    }
    const extra = Object.keys(value).find(
      (k) => k !== 'id' && k !== 'type' && k !== property.type && !(k === 'has_more' && property.type === 'relation'),
    );
    if (extra) throw invalid(['properties', key, extra], 'should be not present', value[extra]);
    out.push({ key, property, inner: value[property.type] });
  }
  if (problems.length > 0) throw errors.validation(problems.join(' '));
  return out;
}

export async function prepareValues(
  db: SqlExecutor,
  ctx: ServiceContext,
  schema: Schema,
  input: Record<string, unknown>,
): Promise<PreparedValues> {
  const resolved = resolveKeys(schema, input);
  const written = resolved.map(({ property }) => property.id);
  const result: PreparedValues = { written, json: {}, set: {}, unset: [], relations: [], schema, schemaChanged: false };
  const resolver = mentionResolver(db, ctx.principal);
  for (const { key, property, inner } of resolved) {
    const type = VALUE_TYPES[property.type];
    const path = ['properties', key, property.type];
    if (!type.writable || !type.input || !type.store) throw invalid(path, 'should be not present', inner);
    const value = parseAt(type.input, path, inner);
    const current = () => result.schema.byId(property.id) ?? property;
    const env: WriteEnv = {
      property,
      resolver,
      path,
      option: (ref, refPath) => {
        const { option, created } = resolveOption(current(), ref, refPath);
        if (created) {
          result.schema = result.schema.with(
            result.schema.properties.map((known) =>
              known.id === property.id
                ? { ...known, config: { ...known.config, options: [...options(known), option] } }
                : known,
            ),
          );
          result.schemaChanged = true;
        }
        return option;
      },
      checkUsers: (ids, idsPath) => checkUsers(db, ctx, ids, idsPath),
      checkRelated: (ids, idsPath) => checkRelated(db, ctx, property, ids, idsPath),
    };
    const stored = await type.store(value as never, env);
    if ('json' in stored)
      result.json[property.id] = { id: property.id, type: property.type, [property.type]: stored.json };
    if (stored.prop === undefined) result.unset.push(property.id);
    else result.set[property.id] = stored.prop;
    if (property.type === 'title') result.title = stored.plain ?? '';
    if (property.type === 'relation')
      result.relations.push({ property, ids: (stored.prop as string[] | undefined) ?? [] });
  }
  return result;
}

function resolveOption(
  property: PropertySchema,
  ref: OptionRef,
  path: readonly (string | number)[],
): { option: SelectOption; created: boolean } {
  const known = options(property);
  if (ref.id !== undefined) {
    const byId = known.find((o) => o.id === ref.id);
    if (byId) return { option: byId, created: false };
    if (ref.name === undefined)
      throw invalid([...path, 'id'], `should be the id of an option of ${property.name}`, ref.id);
  }
  const byName = known.find((o) => o.name === ref.name);
  if (byName) return { option: byName, created: false };
  if (property.type === 'status')
    throw invalid([...path, 'name'], `should be ${enumList(known.map((o) => o.name))}`, ref.name);
  if (known.length >= MAX_OPTIONS)
    throw invalid(
      [...path, 'name'],
      `should be an existing option: ${property.name} has ${MAX_OPTIONS} options already`,
      ref.name,
    );
  return {
    option: { id: newId(), name: ref.name as string, color: ref.color ?? autoColor(known.length) },
    created: true,
  };
}

async function checkUsers(
  db: SqlExecutor,
  ctx: ServiceContext,
  ids: readonly string[],
  path: readonly (string | number)[],
): Promise<void> {
  if (ids.length === 0) return;
  const users = await findWorkspaceUsersById(db, ctx.principal.workspaceId, ids);
  const known = new Set(users.map((user) => user.id));
  const missing = ids.find((id) => !known.has(id));
  if (missing) throw invalid(path, 'should contain only users of the workspace', missing);
}

async function checkRelated(
  db: SqlExecutor,
  ctx: ServiceContext,
  property: PropertySchema,
  ids: readonly string[],
  path: readonly (string | number)[],
): Promise<void> {
  if (ids.length === 0) return;
  const target = relationConfig(property);
  const known = new Set(await findVisibleRowIds(db, ctx.principal, target.data_source_id, ids));
  const missing = ids.find((id) => !known.has(id));
  if (missing)
    throw invalid(
      path,
      `should contain only pages of database ${target.database_id} shared with the integration`,
      missing,
    );
}

/**
 * Mirrors a dual relation on the related pages: added ones gain this page, removed ones lose it. Returns the
 * related pages whose synced property the write changed, with the id of that property.
 */
export async function mirrorDualRelations(
  db: SqlExecutor,
  pageId: string,
  before: Record<string, unknown> | null,
  written: PreparedValues['relations'],
): Promise<MirroredRelation[]> {
  const mirrored: MirroredRelation[] = [];
  for (const { property, ids } of written) {
    const config = relationConfig(property);
    if (config.type !== 'dual_property' || !config.dual_property) continue;
    const synced = config.dual_property.synced_property_id;
    const old = new Set(Array.isArray(before?.[property.id]) ? (before[property.id] as unknown[]).map(String) : []);
    const added = ids.filter((id) => !old.has(id));
    const removed = [...old].filter((id) => !ids.includes(id));
    await addToList(db, added, synced, pageId);
    if (removed.length > 0) await removeFromList(db, { ids: removed }, synced, [pageId]);
    for (const id of [...added, ...removed])
      mirrored.push({ pageId: id, sourceId: config.data_source_id, propertyId: synced });
  }
  return mirrored;
}

/** A related page whose synced relation property a dual relation's write changed. */
export interface MirroredRelation {
  pageId: string;
  /** the data source the related page is a row of */
  sourceId: string;
  propertyId: string;
}
