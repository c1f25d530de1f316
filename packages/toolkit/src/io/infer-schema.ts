// A database schema guessed from a table, for `import --parent`: the title is the column named
// Name/Title (else the first one); other columns become number, checkbox, date, email, url,
// multi_select (JSON arrays), select (few short repeated values) or rich_text.
import type { CreateDatabaseParameters } from '@notionhq/client';
import { INVALID, ruleFor } from '../properties/property-types.js';
import type { Row } from './records.js';

export type InferredType =
  'title' | 'rich_text' | 'number' | 'checkbox' | 'date' | 'email' | 'url' | 'select' | 'multi_select';
type SchemaRequest = CreateDatabaseParameters['properties'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URL_RE = /^https?:\/\/\S+$/i;
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no']);
const MAX_SELECT_OPTIONS = 20;
const MAX_SELECT_LENGTH = 60;

function nonEmpty(values: unknown[]): unknown[] {
  return values.filter((v) => v !== null && v !== undefined && v !== '');
}

function inferColumn(values: unknown[]): InferredType {
  const present = nonEmpty(values);
  if (present.length === 0) return 'rich_text';
  const every = (test: (v: unknown) => boolean) => present.every(test);
  if (every((v) => Array.isArray(v))) return 'multi_select';
  if (every((v) => typeof v === 'boolean' || BOOLEAN_WORDS.has(String(v).trim().toLowerCase()))) return 'checkbox';
  if (every((v) => typeof v === 'number' || (typeof v === 'string' && ruleFor('number').coerce(v) !== INVALID)))
    return 'number';
  if (
    every(
      (v) => (typeof v === 'string' || (typeof v === 'object' && v !== null)) && ruleFor('date').coerce(v) !== INVALID,
    )
  )
    return 'date';
  if (every((v) => typeof v === 'string' && EMAIL.test(v.trim()))) return 'email';
  if (every((v) => typeof v === 'string' && URL_RE.test(v.trim()))) return 'url';
  const strings = present.map((v) => String(v).trim());
  const distinct = new Set(strings);
  const selectLike =
    distinct.size <= MAX_SELECT_OPTIONS &&
    distinct.size < strings.length &&
    strings.every((s) => s.length <= MAX_SELECT_LENGTH && !s.includes(',') && !s.includes('\n'));
  return selectLike ? 'select' : 'rich_text';
}

export function inferSchema(columns: readonly string[], rows: readonly Row[]): Record<string, InferredType> {
  const titleColumn = columns.find((c) => /^(name|title)$/i.test(c.trim())) ?? columns[0];
  const types: Record<string, InferredType> = {};
  for (const column of columns) {
    types[column] = column === titleColumn ? 'title' : inferColumn(rows.map((r) => r[column]));
  }
  return types;
}

/** The `properties` of a `databases.create` request for inferred types (select options listed up front). */
export function schemaRequest(types: Record<string, InferredType>, rows: readonly Row[]): SchemaRequest {
  const properties: SchemaRequest = {};
  for (const [name, type] of Object.entries(types)) {
    if (type === 'select' || type === 'multi_select') {
      const names = new Set<string>();
      for (const row of rows) {
        const plain = ruleFor(type).coerce(row[name]);
        if (Array.isArray(plain)) plain.forEach((n) => names.add(n));
        else if (typeof plain === 'string' && plain !== '') names.add(plain);
      }
      const options = [...names].slice(0, 100).map((n) => ({ name: n }));
      properties[name] = (
        type === 'select' ? { select: { options } } : { multi_select: { options } }
      ) as SchemaRequest[string];
    } else {
      // A computed key types as an index signature, which matches none of the request's per-type members.
      properties[name] = { [type]: {} } as unknown as SchemaRequest[string];
    }
  }
  return properties;
}
