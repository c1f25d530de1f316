// Database views (reference §18) as pure rules: the view object and its partial form, the URL, the
// timestamps Notion gives views (`…sss+00:00`), and the configuration rules — `type` equal to the view's,
// the fields each type needs (board `group_by`, calendar and timeline `date_property_id`, chart
// `chart_type`), property ids that name properties of the data source, and the shallow merge of an update
// (a null clears a field).
import { ApiError } from '../errors.js';
import { undashed } from '../ids.js';
import type { Schema } from './properties/schema.js';
import { partialUser } from './serialize.js';
import { renderPath, renderValue } from './validation.js';

export const VIEW_TYPES = [
  'table',
  'board',
  'list',
  'calendar',
  'timeline',
  'gallery',
  'form',
  'chart',
  'map',
  'dashboard',
] as const;

export type ViewType = (typeof VIEW_TYPES)[number];

/** The stored fields of a view that its wire object shows (store/view-repo.ts ViewRow). */
export interface ViewRecord {
  id: string;
  database_id: string;
  data_source_id: string | null;
  name: string;
  type: string;
  filter: unknown;
  sorts: unknown;
  quick_filters: unknown;
  configuration: unknown;
  created_time: Date;
  created_by: string;
  last_edited_time: Date;
  last_edited_by: string;
}

/** Views answer milliseconds and a `+00:00` offset (observed), unlike the minute `….000Z` of pages. */
export const viewTime = (at: Date): string => at.toISOString().replace(/Z$/, '+00:00');

export const viewUrl = (databaseId: string, viewId: string): string =>
  `https://www.notion.so/p/${undashed(databaseId)}?v=${undashed(viewId)}`;

/** A view (reference §18.2), in the key order observed; without configuration it shows `{type}`. */
export function serializeView(row: ViewRecord): Record<string, unknown> {
  return {
    object: 'view',
    id: row.id,
    parent: { type: 'database_id', database_id: row.database_id },
    data_source_id: row.data_source_id,
    name: row.name,
    type: row.type,
    created_time: viewTime(row.created_time),
    created_by: partialUser(row.created_by),
    last_edited_time: viewTime(row.last_edited_time),
    last_edited_by: partialUser(row.last_edited_by),
    url: viewUrl(row.database_id, row.id),
    filter: row.filter ?? null,
    sorts: row.sorts ?? null,
    quick_filters: row.quick_filters ?? null,
    configuration: row.configuration ?? { type: row.type },
  };
}

/** What a DELETE answers (observed). */
export function serializePartialView(row: Pick<ViewRecord, 'id' | 'database_id' | 'type'>): Record<string, unknown> {
  return { object: 'view', id: row.id, parent: { type: 'database_id', database_id: row.database_id }, type: row.type };
}

type Path = readonly (string | number)[];
type Config = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (path: Path, phrase: string, value: unknown) =>
  new ApiError(
    'validation_error',
    `body failed validation: ${renderPath('body', path)} ${phrase}, instead was ${renderValue(value)}.`,
  );

/** The configuration fields each type cannot do without (reference §18.3). */
const REQUIRED: Partial<Record<ViewType, readonly string[]>> = {
  board: ['group_by'],
  calendar: ['date_property_id'],
  timeline: ['date_property_id'],
  chart: ['chart_type'],
};

const CHART_TYPES = ['column', 'bar', 'line', 'donut', 'number'];

/** Property types a calendar or timeline can lay its items out by. */
const DATE_TYPES = new Set(['date', 'created_time', 'last_edited_time', 'formula']);

/** A property named by id (or by name, as filters accept): its id, or the 400 a query gives for it. */
function propertyId(schema: Schema, key: unknown, path: Path, types?: ReadonlySet<string>): string {
  if (typeof key !== 'string') throw invalid(path, 'should be a string', key);
  const property = schema.find(key);
  if (!property) throw new ApiError('validation_error', `Could not find property with name or id: ${key}`);
  if (types && !types.has(property.type)) throw invalid(path, 'should name a date property', key);
  return property.id;
}

/** A group_by (or sub_group_by, x_axis, stack_by) with its property_id checked and stored as an id. */
function groupBy(schema: Schema, value: unknown, path: Path): Config {
  if (!isRecord(value)) throw invalid(path, 'should be an object', value);
  if (typeof value.type !== 'string') throw invalid([...path, 'type'], 'should be a string', value.type);
  if (value.property_id === undefined) throw invalid([...path, 'property_id'], 'should be defined', undefined);
  return { ...value, property_id: propertyId(schema, value.property_id, [...path, 'property_id']) };
}

/** `properties` (the shown properties, in order) with each property_id checked and stored as an id. */
function shownProperties(schema: Schema, value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'should be an array', value);
  return value.map((item, i) => {
    if (!isRecord(item)) throw invalid([...path, i], 'should be an object', item);
    return { ...item, property_id: propertyId(schema, item.property_id, [...path, i, 'property_id']) };
  });
}

const PROPERTY_FIELDS: Record<string, (schema: Schema, value: unknown, path: Path) => unknown> = {
  group_by: groupBy,
  sub_group_by: groupBy,
  x_axis: groupBy,
  stack_by: groupBy,
  properties: shownProperties,
  table_properties: shownProperties,
  date_property_id: (schema, value, path) => propertyId(schema, value, path, DATE_TYPES),
  end_date_property_id: (schema, value, path) => propertyId(schema, value, path, DATE_TYPES),
  x_axis_property_id: (schema, value, path) => propertyId(schema, value, path),
  y_axis_property_id: (schema, value, path) => propertyId(schema, value, path),
  map_by: (schema, value, path) => propertyId(schema, value, path),
};

/**
 * A view's configuration after a create (`current` null) or an update: the given fields merged over the
 * current ones (a null removes a field), then checked: `type` equal to the view's, the type's required
 * fields present, property ids naming properties of the data source. `configuration.rows` of a dashboard
 * is read-only.
 */
export function mergeConfiguration(
  viewType: string,
  current: Config | null,
  given: unknown,
  schema: Schema,
): Config | null {
  if (given === undefined) return current;
  const path = ['configuration'];
  if (!isRecord(given)) throw invalid(path, 'should be an object', given);
  if (given.type === undefined) throw invalid([...path, 'type'], 'should be defined', undefined);
  if (given.type !== viewType)
    throw invalid([...path, 'type'], `should be \`${JSON.stringify(viewType)}\``, given.type);
  if ('rows' in given) throw invalid([...path, 'rows'], 'should be not present', given.rows);
  const merged: Config = { ...(current ?? {}), type: viewType };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'type') continue;
    if (value === null) {
      delete merged[key];
      continue;
    }
    const check = PROPERTY_FIELDS[key];
    merged[key] = check ? check(schema, value, [...path, key]) : value;
  }
  for (const field of REQUIRED[viewType as ViewType] ?? []) {
    if (merged[field] === undefined) throw invalid([...path, field], 'should be defined', undefined);
  }
  if (viewType === 'chart' && !CHART_TYPES.includes(merged.chart_type as string))
    throw invalid(
      [...path, 'chart_type'],
      `should be ${CHART_TYPES.map((t) => `\`"${t}"\``).join(', ')}`,
      merged.chart_type,
    );
  return merged;
}

/** A view type without configuration must not need one (board, calendar, timeline and chart do). */
export function assertConfigurable(viewType: string): void {
  const required = REQUIRED[viewType as ViewType];
  if (required) throw invalid(['configuration'], `should be defined for a ${viewType} view`, undefined);
}

/**
 * Quick filters after an update: `given` null clears them all; otherwise each key (a property, by name or id,
 * stored by id) is set, or removed by a null. `null` when none are left.
 */
export function mergeQuickFilters(current: Config | null, given: unknown, schema: Schema): Config | null {
  if (given === undefined) return current;
  if (given === null) return null;
  if (!isRecord(given)) throw invalid(['quick_filters'], 'should be an object', given);
  const merged: Config = { ...(current ?? {}) };
  for (const [key, condition] of Object.entries(given)) {
    const id = propertyId(schema, key, ['quick_filters', key]);
    if (condition === null) delete merged[id];
    else if (!isRecord(condition)) throw invalid(['quick_filters', key], 'should be an object', condition);
    else merged[id] = condition;
  }
  return Object.keys(merged).length > 0 ? merged : null;
}

/** The quick filters as property filters (`{property, ...condition}`), which a query ANDs with the filter. */
export function quickFilterList(quickFilters: unknown): Record<string, unknown>[] {
  if (!isRecord(quickFilters)) return [];
  return Object.entries(quickFilters).map(([property, condition]) => ({ property, ...(condition as Config) }));
}
