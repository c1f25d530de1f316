// Database query filters (reference §10.1–10.2) compiled to one parameterised SQL condition over the
// row alias. Compound filters nest two levels, as Notion allows: a top-level and/or may hold property
// filters and and/or groups of property filters; one level more is refused.
import { ApiError } from '../errors.js';
import { enumList, renderPath, renderValue } from '../domain/validation.js';
import { FormulaError } from '../domain/properties/formula-parser.js';
import { formulaOf, formulaOperand, propertyOperand, rollupSource, type Operand } from './operands.js';
import { relationConfig, rollupConfig, type PropertySchema, type Schema } from '../domain/properties/schema.js';
import {
  CONDITIONS,
  conditionSql,
  FILTER_KEY_FAMILY,
  readValue,
  VALUE_PHRASES,
  type ConditionContext,
} from './conditions.js';
import type { SqlScope } from './sql-scope.js';

export const MAX_FILTER_DEPTH = 2;
export const TIMESTAMPS = ['created_time', 'last_edited_time'] as const;
const ROLLUP_SUBFILTERS = [
  'rich_text',
  'number',
  'checkbox',
  'select',
  'multi_select',
  'relation',
  'date',
  'people',
  'files',
  'status',
];
const FORMULA_KEYS: Record<string, string> = { string: 'string', checkbox: 'boolean', number: 'number', date: 'date' };

type Path = readonly (string | number)[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: Path, phrase: string, value: unknown) =>
  new ApiError(
    'validation_error',
    `body failed validation: ${renderPath('body', path)} ${phrase}, instead was ${renderValue(value)}.`,
  );
const notPresent = (path: Path, value: unknown) => fail(path, 'should be not present', value);

export function propertyNotFound(key: string): ApiError {
  return new ApiError('validation_error', `Could not find property with name or id: ${key}`);
}

function mismatch(propertyType: string, filterKey: string): ApiError {
  return new ApiError(
    'validation_error',
    `The property type in the database does not match the property type of the filter provided: database property ${propertyType} does not match filter ${filterKey}`,
  );
}

export interface FilterContext extends ConditionContext {
  scope: SqlScope;
  schema: Schema;
  alias: string;
}

export function compileFilter(filter: unknown, ctx: FilterContext): string {
  return node(filter, ['filter'], 0, ctx);
}

function node(raw: unknown, path: Path, depth: number, ctx: FilterContext): string {
  if (!isRecord(raw)) throw fail(path, 'should be an object', raw);
  const compound = 'and' in raw ? 'and' : 'or' in raw ? 'or' : null;
  if (compound) {
    const extra = Object.keys(raw).find((k) => k !== compound);
    if (extra) throw notPresent([...path, extra], raw[extra]);
    if (depth >= MAX_FILTER_DEPTH) throw notPresent([...path, compound], raw[compound]);
    const items = raw[compound];
    if (!Array.isArray(items)) throw fail([...path, compound], 'should be an array', items);
    if (items.length > 100) throw fail([...path, compound, 'length'], 'should be ≤ `100`', items.length);
    const parts = items.map((item, i) => node(item, [...path, compound, i], depth + 1, ctx));
    return parts.length === 0 ? 'true' : `(${parts.join(compound === 'and' ? ' AND ' : ' OR ')})`;
  }
  if ('timestamp' in raw) return timestampFilter(raw, path, ctx);
  if (!('property' in raw)) throw fail([...path, 'property'], 'should be defined', undefined);
  return propertyFilter(raw, path, ctx);
}

/** The one condition key of `{<type>: {<condition>: value}}`, validated against the family's table. */
function readCondition(
  raw: unknown,
  path: Path,
  family: keyof typeof CONDITIONS,
): { condition: string; value: unknown } {
  const table = CONDITIONS[family];
  const names = Object.keys(table);
  if (!isRecord(raw)) throw fail(path, 'should be an object', raw);
  const keys = Object.keys(raw);
  const unknown = keys.find((k) => !(k in table));
  if (unknown) throw notPresent([...path, unknown], raw[unknown]);
  if (keys.length !== 1) throw fail(path, `should have exactly one of ${enumList(names)}`, raw);
  const condition = keys[0] as string;
  const value = readValue(table[condition]!.value, raw[condition]);
  if (value === undefined) throw fail([...path, condition], VALUE_PHRASES[table[condition]!.value], raw[condition]);
  return { condition, value };
}

function leaf(o: Operand, raw: unknown, path: Path, ctx: FilterContext): string {
  const { condition, value } = readCondition(raw, path, o.family);
  return conditionSql(o, condition, value, ctx);
}

function timestampFilter(raw: Record<string, unknown>, path: Path, ctx: FilterContext): string {
  const ts = raw.timestamp;
  if (ts !== 'created_time' && ts !== 'last_edited_time')
    throw fail([...path, 'timestamp'], `should be ${enumList(TIMESTAMPS)}`, ts);
  const extra = Object.keys(raw).find((k) => k !== 'timestamp' && k !== 'type' && k !== ts);
  if (extra) throw notPresent([...path, extra], raw[extra]);
  if (raw.type !== undefined && raw.type !== ts)
    throw fail([...path, 'type'], `should be \`${JSON.stringify(ts)}\``, raw.type);
  if (!(ts in raw)) throw fail([...path, ts], 'should be defined', undefined);
  return leaf({ family: 'date', sql: `${ctx.alias}.${ts}`, dateKind: 'timestamptz' }, raw[ts], [...path, ts], ctx);
}

function propertyFilter(raw: Record<string, unknown>, path: Path, ctx: FilterContext): string {
  if (typeof raw.property !== 'string') throw fail([...path, 'property'], 'should be a string', raw.property);
  const property = ctx.schema.find(raw.property);
  if (!property) throw propertyNotFound(raw.property);
  const keys = Object.keys(raw).filter((k) => k !== 'property' && k !== 'type');
  const key = keys[0];
  if (key === undefined) throw fail([...path, property.type], 'should be defined', undefined);
  if (keys.length > 1) throw notPresent([...path, keys[1] as string], raw[keys[1] as string]);
  if (raw.type !== undefined && raw.type !== key)
    throw fail([...path, 'type'], `should be \`${JSON.stringify(key)}\``, raw.type);
  const compatible =
    key === property.type ||
    (property.type === 'title' && key === 'rich_text') ||
    (property.type === 'rich_text' && key === 'title');
  if (!compatible) {
    if (!(key in FILTER_KEY_FAMILY) && key !== 'formula' && key !== 'rollup')
      throw notPresent([...path, key], raw[key]);
    throw mismatch(property.type, key);
  }
  const at = [...path, key];
  if (property.type === 'formula') return formulaFilter(property, raw[key], at, ctx);
  if (property.type === 'rollup') return rollupFilter(property, raw[key], at, ctx);
  const operand = propertyOperand(ctx.scope, ctx.schema, property, ctx.alias);
  if (!operand) throw mismatch(property.type, key);
  return leaf(operand, raw[key], at, ctx);
}

function singleKey(raw: unknown, path: Path, allowed: readonly string[]): [string, unknown] {
  if (!isRecord(raw)) throw fail(path, 'should be an object', raw);
  const keys = Object.keys(raw);
  const unknown = keys.find((k) => !allowed.includes(k));
  if (unknown) throw notPresent([...path, unknown], raw[unknown]);
  if (keys.length !== 1) throw fail(path, `should have exactly one of ${enumList(allowed)}`, raw);
  return [keys[0] as string, raw[keys[0] as string]];
}

function formulaFilter(property: PropertySchema, raw: unknown, path: Path, ctx: FilterContext): string {
  const [key, sub] = singleKey(raw, path, Object.keys(FORMULA_KEYS));
  let operand: Operand;
  try {
    const typed = formulaOf(ctx.scope, ctx.schema, property, ctx.alias, [], 0);
    if (typed.type !== FORMULA_KEYS[key]) throw mismatch(`formula (${typed.type})`, key);
    operand = formulaOperand(typed);
  } catch (error) {
    if (error instanceof FormulaError)
      throw new ApiError('validation_error', `The formula of ${property.name} cannot be evaluated: ${error.message}.`);
    throw error;
  }
  return leaf(operand, sub, [...path, key], ctx);
}

function rollupFilter(property: PropertySchema, raw: unknown, path: Path, ctx: FilterContext): string {
  const [key, sub] = singleKey(raw, path, ['any', 'every', 'none', 'number', 'date']);
  if (key === 'number' || key === 'date') {
    const operand = propertyOperand(ctx.scope, ctx.schema, property, ctx.alias);
    if (!operand || operand.family !== key) throw mismatch(`rollup (${rollupConfig(property).function})`, key);
    return leaf(operand, sub, [...path, key], ctx);
  }
  const [subKey, condition] = singleKey(sub, [...path, key], ROLLUP_SUBFILTERS);
  const source = rollupSource(ctx.scope, ctx.schema, property, ctx.alias);
  const target = source?.target;
  if (!source || !target)
    throw new ApiError(
      'validation_error',
      `The rollup ${property.name} cannot be filtered: its related database is not available.`,
    );
  const operand = propertyOperand(ctx.scope, target.schema, target.property, source.r, 1);
  if (!operand || operand.family !== FILTER_KEY_FAMILY[subKey]) throw mismatch(target.property.type, subKey);
  const test = leaf(operand, condition, [...path, key, subKey], ctx);
  if (key === 'any') return `EXISTS (SELECT 1 ${source.from} AND ${test})`;
  if (key === 'none') return `NOT EXISTS (SELECT 1 ${source.from} AND ${test})`;
  return `NOT EXISTS (SELECT 1 ${source.from} AND NOT ${test})`;
}

/** Databases a filter's relations and rollups reach, to load their schemas first. */
export function relatedDatabaseIds(schema: Schema): string[] {
  return schema.properties.filter((p) => p.type === 'relation').map((p) => relationConfig(p).data_source_id);
}
