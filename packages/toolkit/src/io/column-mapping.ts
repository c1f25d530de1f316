// Between table rows and page properties: which column feeds which property (`--map col=Property`,
// else the same name, else the same name ignoring case), rows → plain → request values, and pages →
// plain → export values.
import type { PageObjectResponse } from '@notionhq/client';
import { INVALID, ruleFor } from '../properties/property-types.js';
import type { DatabaseSchema, PagePropertiesRequest, PlainDate, PlainValue, Problem } from '../properties/types.js';
import { findProperty } from '../properties/validate.js';
import type { RecordFormat, Row } from './records.js';

export interface MappedColumn {
  readonly column: string;
  readonly property: string;
  readonly type: string;
}

export interface ColumnPlan {
  readonly mapped: MappedColumn[];
  readonly warnings: string[];
}

/** Parses `col=Property` pairs. */
export function parseMapFlags(pairs: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new Error(`--map expects COLUMN=Property, got ${JSON.stringify(pair)}`);
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return map;
}

export function planColumns(
  schema: DatabaseSchema,
  columns: readonly string[],
  map: Record<string, string> = {},
): ColumnPlan {
  const mapped: MappedColumn[] = [];
  const warnings: string[] = [];
  for (const [column, target] of Object.entries(map)) {
    if (!columns.includes(column)) warnings.push(`--map names column "${column}", which the file does not have.`);
    else if (!findProperty(schema, target))
      warnings.push(`--map ${column}=${target}: ${target} is not a property that exists.`);
  }
  const lowerNames = new Map(Object.keys(schema).map((n) => [n.toLowerCase(), n]));
  for (const column of columns) {
    const wanted = map[column] ?? column;
    const found =
      findProperty(schema, wanted) ??
      (map[column] ? null : findProperty(schema, lowerNames.get(column.toLowerCase()) ?? ''));
    if (!found) {
      if (!map[column])
        warnings.push(
          `Column "${column}" matches no property of the database and is ignored (map it with --map "${column}=Property").`,
        );
      continue;
    }
    if (!ruleFor(found.property.type).writable) {
      warnings.push(
        `Column "${column}" feeds ${found.name}, a ${found.property.type} property, which cannot be set through the API; ignored.`,
      );
      continue;
    }
    mapped.push({ column, property: found.name, type: found.property.type });
  }
  return { mapped, warnings };
}

/** A row's values as plain values per property; cells that don't fit the type become problems. */
export function rowToPlain(row: Row, plan: ColumnPlan): { values: Map<string, PlainValue>; problems: Problem[] } {
  const values = new Map<string, PlainValue>();
  const problems: Problem[] = [];
  for (const { column, property, type } of plan.mapped) {
    if (!(column in row)) continue;
    const coerced = ruleFor(type).coerce(row[column]);
    if (coerced === INVALID)
      problems.push({ property, severity: 'error', message: `${property} is expected to be ${type}.` });
    else values.set(property, coerced);
  }
  return { values, problems };
}

export function plainToRequest(schema: DatabaseSchema, values: ReadonlyMap<string, PlainValue>): PagePropertiesRequest {
  const properties: PagePropertiesRequest = {};
  for (const [name, plain] of values) {
    const property = schema[name];
    if (property) properties[name] = ruleFor(property.type).toRequest(plain);
  }
  return properties;
}

export function pageToPlain(page: PageObjectResponse): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const [name, value] of Object.entries(page.properties)) out[name] = ruleFor(value.type).fromResponse(value);
  return out;
}

/** Export columns: the title property first, then the schema's order. */
export function exportColumns(schema: DatabaseSchema): string[] {
  const names = Object.keys(schema);
  const title = names.filter((n) => schema[n]?.type === 'title');
  return [...title, ...names.filter((n) => schema[n]?.type !== 'title')];
}

/** A plain value as export writes it: CSV cells are text; JSON keeps types, a lone date start is a string. */
export function exportValue(type: string, plain: PlainValue, format: RecordFormat): unknown {
  if (format === 'csv') return ruleFor(type).toText(plain);
  if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) {
    const d = plain as PlainDate;
    return d.end === null && d.time_zone === null ? d.start : d;
  }
  return plain;
}
