// Database property schemas, one table entry per type (reference §9.1): the request config and the
// stored config with Notion's defaults. Relations and rollups name other properties and databases;
// the databases service resolves those (services/database-schema.ts).
import { z, type ZodTypeAny } from 'zod';
import { ApiError } from '../../errors.js';
import { newId } from '../../ids.js';
import { enumList, parseWith, renderPath, renderValue, zId } from '../validation.js';
import {
  autoColor,
  OPTION_COLORS,
  PROPERTY_TYPES,
  type PropertyType,
  type SelectOption,
  type StatusGroup,
} from './schema.js';

export const NUMBER_FORMATS = [
  'number',
  'number_with_commas',
  'percent',
  'dollar',
  'australian_dollar',
  'canadian_dollar',
  'singapore_dollar',
  'euro',
  'pound',
  'yen',
  'ruble',
  'rupee',
  'won',
  'yuan',
  'real',
  'lira',
  'rupiah',
  'franc',
  'hong_kong_dollar',
  'new_zealand_dollar',
  'krona',
  'norwegian_krone',
  'mexican_peso',
  'rand',
  'new_taiwan_dollar',
  'danish_krone',
  'zloty',
  'baht',
  'forint',
  'koruna',
  'shekel',
  'chilean_peso',
  'philippine_peso',
  'dirham',
  'colombian_peso',
  'riyal',
  'ringgit',
  'leu',
  'argentine_peso',
  'uruguayan_peso',
  'peruvian_sol',
] as const;

export const ROLLUP_FUNCTIONS = [
  'count',
  'count_values',
  'empty',
  'not_empty',
  'unique',
  'show_unique',
  'percent_empty',
  'percent_not_empty',
  'sum',
  'average',
  'median',
  'min',
  'max',
  'range',
  'earliest_date',
  'latest_date',
  'date_range',
  'checked',
  'unchecked',
  'percent_checked',
  'percent_unchecked',
  'count_per_group',
  'percent_per_group',
  'show_original',
] as const;

/** Most options a select, multi-select or status property keeps. */
export const MAX_OPTIONS = 100;

const empty = z.object({}).strict();
const zOptionInput = z
  .object({
    id: z.string().optional(),
    name: z.string().min(1).max(100),
    color: z.enum(OPTION_COLORS).optional(),
    description: z.string().nullable().optional(),
  })
  .strict()
  .refine((o) => !o.name.includes(','), { message: 'should not contain commas', path: ['name'] });
const zOptions = z.object({ options: z.array(zOptionInput).max(MAX_OPTIONS).optional() }).strict();

export type OptionInput = z.infer<typeof zOptionInput>;

/** The config each type accepts on create/update; `null` marks types the API cannot create. */
export const SCHEMA_INPUTS: Record<PropertyType, ZodTypeAny> = {
  title: empty,
  rich_text: empty,
  date: empty,
  people: empty,
  files: empty,
  checkbox: empty,
  url: empty,
  email: empty,
  phone_number: empty,
  created_time: empty,
  created_by: empty,
  last_edited_time: empty,
  last_edited_by: empty,
  number: z.object({ format: z.enum(NUMBER_FORMATS).optional() }).strict(),
  select: zOptions,
  multi_select: zOptions,
  status: zOptions,
  formula: z.object({ expression: z.string().max(10_000) }).strict(),
  // A relation names its target by data source (every version; 2025-09-03 clients only do so) or by database
  // (2022-06-28: the database's single data source). services/database-schema.ts requires one of the two.
  relation: z
    .object({
      database_id: zId.optional(),
      type: z.enum(['single_property', 'dual_property']).optional(),
      single_property: empty.optional(),
      dual_property: z
        .object({ synced_property_name: z.string().optional(), synced_property_id: z.string().optional() })
        .strict()
        .optional(),
      data_source_id: zId.optional(),
    })
    .strict(),
  rollup: z
    .object({
      relation_property_name: z.string().optional(),
      relation_property_id: z.string().optional(),
      rollup_property_name: z.string().optional(),
      rollup_property_id: z.string().optional(),
      function: z.enum(ROLLUP_FUNCTIONS),
    })
    .strict(),
  unique_id: z.object({ prefix: z.string().max(10).nullable().optional() }).strict(),
};

export interface PropertyInput {
  type: PropertyType;
  /** `name` inside the property object (renames on update) */
  name?: string | undefined;
  config: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one property of a create/update body: `{type?, name?, description?, <type>: config}`. Without a
 * type key it is a rename (`{name}`) when `allowRenameOnly`. Messages name the full path.
 */
export function parsePropertyInput(
  raw: unknown,
  path: readonly (string | number)[],
  allowRenameOnly: boolean,
): PropertyInput | { rename: string } {
  const at = renderPath('body', path);
  if (!isRecord(raw))
    throw new ApiError(
      'validation_error',
      `body failed validation: ${at} should be an object, instead was ${renderValue(raw)}.`,
    );
  const declared = typeof raw.type === 'string' ? raw.type : PROPERTY_TYPES.find((t) => t in raw);
  if (declared === undefined && allowRenameOnly && typeof raw.name === 'string') {
    parseWith(
      z.object({ name: z.string().min(1).max(100), description: z.string().nullable().optional() }).strict(),
      raw,
    );
    return { rename: raw.name };
  }
  if (!declared || !(PROPERTY_TYPES as readonly string[]).includes(declared)) {
    throw new ApiError(
      'validation_error',
      `body failed validation: ${at}.type should be ${enumList(PROPERTY_TYPES)}, instead was ${renderValue(raw.type ?? declared)}.`,
    );
  }
  const type = declared as PropertyType;
  const schema = z
    .object({
      id: z.string().optional(),
      type: z.literal(type).optional(),
      name: z.string().min(1).max(100).optional(),
      description: z.string().nullable().optional(),
      [type]: SCHEMA_INPUTS[type],
    })
    .strict();
  const wrapped = wrap(path, raw);
  const parsed = parseWith(wrapSchema(path, schema), wrapped) as Record<string, unknown>;
  const inner = unwrap(path, parsed) as { name?: string } & Record<string, unknown>;
  return { type, name: inner.name, config: (inner[type] as Record<string, unknown>) ?? {} };
}

// Validating a value in place, so messages carry its full path (body.properties.Tags.select…).
function wrap(path: readonly (string | number)[], value: unknown): unknown {
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), value);
}
function wrapSchema(path: readonly (string | number)[], schema: ZodTypeAny): ZodTypeAny {
  return path.reduceRight<ZodTypeAny>((acc, key) => z.object({ [key]: acc }), schema);
}
function unwrap(path: readonly (string | number)[], value: unknown): unknown {
  return path.reduce<unknown>((acc, key) => (acc as Record<string | number, unknown>)[key], value);
}

/** Validates `value` against `schema` as if it sat at `path` of the body (for full-path messages). */
export function parseAt<T>(schema: ZodTypeAny, path: readonly (string | number)[], value: unknown): T {
  return unwrap(path, parseWith(wrapSchema(path, schema), wrap(path, value))) as T;
}

/**
 * Options after a create or an update: existing options are kept when named by id or name (and may be
 * renamed or recoloured), new names are added, and — on update — options left out are removed (§9.1).
 */
export function mergeOptions(
  existing: readonly SelectOption[],
  input: readonly OptionInput[],
  path: readonly (string | number)[],
): SelectOption[] {
  const out: SelectOption[] = [];
  input.forEach((o, i) => {
    const known =
      (o.id !== undefined ? existing.find((e) => e.id === o.id) : undefined) ?? existing.find((e) => e.name === o.name);
    if (out.some((x) => x.name === o.name)) {
      throw new ApiError(
        'validation_error',
        `body failed validation: ${renderPath('body', [...path, i, 'name'])} should be unique, instead was ${renderValue(o.name)}.`,
      );
    }
    out.push({ id: known?.id ?? newId(), name: o.name, color: o.color ?? known?.color ?? autoColor(out.length) });
  });
  return out;
}

/** Notion's default status options and groups (To-do / In progress / Complete). */
export function defaultStatus(input: readonly OptionInput[] | undefined): {
  options: SelectOption[];
  groups: StatusGroup[];
} {
  const options: SelectOption[] = input?.length
    ? input.map((o, i) => ({ id: newId(), name: o.name, color: o.color ?? autoColor(i) }))
    : [
        { id: newId(), name: 'Not started', color: 'default' },
        { id: newId(), name: 'In progress', color: 'blue' },
        { id: newId(), name: 'Done', color: 'green' },
      ];
  const [first, second, ...rest] = options;
  const groups: StatusGroup[] = input?.length
    ? [
        { id: newId(), name: 'To-do', color: 'gray', option_ids: options.map((o) => o.id) },
        { id: newId(), name: 'In progress', color: 'blue', option_ids: [] },
        { id: newId(), name: 'Complete', color: 'green', option_ids: [] },
      ]
    : [
        { id: newId(), name: 'To-do', color: 'gray', option_ids: first ? [first.id] : [] },
        { id: newId(), name: 'In progress', color: 'blue', option_ids: second ? [second.id] : [] },
        { id: newId(), name: 'Complete', color: 'green', option_ids: rest.map((o) => o.id) },
      ];
  return { options, groups };
}
