// A database's schema (reference §9.1): its properties in order, each `{id, name, type, <type>: config}`,
// stored on the database row exactly in that wire form (json keeps the order). Lookups by name or id
// (ids may arrive URL-encoded or decoded, reference §13 #11).
import { randomInt } from 'node:crypto';
import type { BlockRow } from '../../model/rows.js';

export const PROPERTY_TYPES = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'people',
  'files',
  'checkbox',
  'url',
  'email',
  'phone_number',
  'formula',
  'relation',
  'rollup',
  'created_time',
  'created_by',
  'last_edited_time',
  'last_edited_by',
  'unique_id',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export function isPropertyType(value: unknown): value is PropertyType {
  return typeof value === 'string' && (PROPERTY_TYPES as readonly string[]).includes(value);
}

/** Select, multi-select and status option colours (the ten plain API colours). */
export const OPTION_COLORS = [
  'default',
  'gray',
  'brown',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'red',
] as const;

export interface SelectOption {
  id: string;
  name: string;
  color: string;
}

export interface StatusGroup {
  id: string;
  name: string;
  color: string;
  option_ids: string[];
}

/**
 * A relation points at a data source (its rows are the related pages); `database_id` is that data source's
 * database, shown in every version (reference §1.3).
 */
export interface RelationConfig {
  database_id: string;
  data_source_id: string;
  type: 'single_property' | 'dual_property';
  single_property?: Record<string, never>;
  dual_property?: { synced_property_id: string; synced_property_name: string };
}

export interface RollupConfig {
  rollup_property_name: string;
  relation_property_name: string;
  rollup_property_id: string;
  relation_property_id: string;
  function: string;
}

export interface PropertySchema {
  id: string;
  name: string;
  type: PropertyType;
  /** The object under the type key: `{}`, `{format}`, `{options}`, `{expression}`, … */
  config: Record<string, unknown>;
}

export function options(p: PropertySchema): SelectOption[] {
  return (p.config.options as SelectOption[] | undefined) ?? [];
}

// A config is stored as the untyped object the API shows; schema updates (services/database-schema.ts) only
// ever save a relation's or rollup's config in these shapes, so reading it back as one is safe.
export function relationConfig(p: PropertySchema): RelationConfig {
  // Untyped stored config, written in this shape only (see above).
  return p.config as unknown as RelationConfig;
}

export function rollupConfig(p: PropertySchema): RollupConfig {
  // Untyped stored config, written in this shape only (see above).
  return p.config as unknown as RollupConfig;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Schema {
  readonly properties: readonly PropertySchema[];
  constructor(
    /** The data source that holds this schema (its rows are the pages it describes). */
    readonly dataSourceId: string,
    readonly databaseTitle: string,
    properties: readonly PropertySchema[],
  ) {
    this.properties = properties;
  }

  /** A property by name, by id, or by the decoded form of its id. */
  find(key: string): PropertySchema | undefined {
    const decoded = safeDecode(key);
    return (
      this.properties.find((p) => p.name === key) ??
      this.properties.find((p) => p.id === key || safeDecode(p.id) === decoded)
    );
  }

  byId(id: string): PropertySchema | undefined {
    return this.properties.find((p) => p.id === id);
  }

  title(): PropertySchema {
    const title = this.properties.find((p) => p.type === 'title');
    if (!title) throw new Error(`data source ${this.dataSourceId} has no title property`);
    return title;
  }

  /** The wire form, in order: `{name: {id, name, type, <type>: config}}`. */
  toWire(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of this.properties) out[p.name] = { id: p.id, name: p.name, type: p.type, [p.type]: p.config };
    return out;
  }

  with(properties: readonly PropertySchema[]): Schema {
    return new Schema(this.dataSourceId, this.databaseTitle, properties);
  }
}

export function schemaFromWire(
  dataSourceId: string,
  databaseTitle: string,
  wire: Record<string, unknown> | null,
): Schema {
  const properties: PropertySchema[] = [];
  for (const [name, raw] of Object.entries(wire ?? {})) {
    const p = raw as { id: string; type: PropertyType } & Record<string, unknown>;
    properties.push({ id: p.id, name, type: p.type, config: (p[p.type] as Record<string, unknown> | undefined) ?? {} });
  }
  return new Schema(dataSourceId, databaseTitle, properties);
}

export function readSchema(row: Pick<BlockRow, 'id' | 'title' | 'properties'>): Schema {
  return schemaFromWire(row.id, row.title, row.properties);
}

// Property ids look like Notion's: four characters, URL-encoded (`%3AUPp`, `fk%5EY`, `~pex`); `title` for the title.
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:;<=>?@[]^_{|}~';

export function newPropertyId(taken: ReadonlySet<string>): string {
  for (;;) {
    let raw = '';
    for (let i = 0; i < 4; i++) raw += ID_CHARS[randomInt(ID_CHARS.length)];
    const id = encodeURIComponent(raw);
    if (!taken.has(id) && id !== 'title') return id;
  }
}

/** Colour for the n-th option created without one (Notion picks one for you). */
export function autoColor(n: number): string {
  return OPTION_COLORS[(n + 1) % OPTION_COLORS.length] ?? 'default';
}
