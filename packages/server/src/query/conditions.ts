// Filter conditions (reference §10.2) as data: for each family of values, each condition's expected
// value and its SQL. Every value is a parameter. Empty values never match a positive condition;
// "does not …" conditions match empty values (Notion shows empty rows for them).
import { isId, normalizeId } from '../ids.js';
import {
  dayStartMs,
  parseIsoDate,
  RELATIVE_DATE_VALUES,
  RELATIVE_RANGES,
  toUtcMs,
  utcIso,
} from '../domain/properties/dates.js';
import type { Family, Operand } from './operands.js';
import { fold } from '../domain/properties/value-types.js';
import { visibleSql, type SqlScope } from './sql-scope.js';

export type ValueKind = 'string' | 'number' | 'boolean' | 'uuid' | 'date' | 'true' | 'empty';

/** The phrase for a value of the wrong kind (`body.filter.number.equals should be a number, …`). */
export const VALUE_PHRASES: Record<ValueKind, string> = {
  string: 'should be a string',
  number: 'should be a number',
  boolean: 'should be a boolean',
  uuid: 'should be a valid uuid',
  date: 'should be a valid ISO 8601 date string or relative date',
  true: 'should be `true`',
  empty: 'should be an empty object',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a condition value; returns the normalised value or undefined when it is of the wrong kind. */
export function readValue(kind: ValueKind, v: unknown): unknown {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'uuid':
      return isId(v) ? normalizeId(v) : undefined;
    case 'date':
      return typeof v === 'string' && (RELATIVE_DATE_VALUES[v] !== undefined || parseIsoDate(v) !== null)
        ? v
        : undefined;
    case 'true':
      return v === true ? true : undefined;
    case 'empty':
      return isRecord(v) && Object.keys(v).length === 0 ? v : undefined;
  }
}

export interface ConditionContext {
  scope: SqlScope;
  /** today's date (UTC) for relative dates */
  today: string;
}

interface ConditionDef {
  value: ValueKind;
  sql(o: Operand, v: never, c: ConditionContext): string;
}

const p = (c: ConditionContext, value: unknown, cast: string) => c.scope.params.add(value, cast);

/** `alias.props @> {"<id>": value}` — answerable from the GIN index on props. */
function contains(o: Operand, c: ConditionContext, value: unknown): string {
  if (!o.key) throw new Error('containment needs a props-backed operand');
  return `${o.key.alias}.props @> ${p(c, JSON.stringify({ [o.key.id]: value }), 'jsonb')}`;
}

const existence = (isEmpty: (o: Operand) => string): Record<string, ConditionDef> => ({
  is_empty: { value: 'true', sql: (o) => isEmpty(o) },
  is_not_empty: { value: 'true', sql: (o) => `NOT (${isEmpty(o)})` },
});
const nullEmpty = existence((o) => `${o.sql} IS NULL`);
const arrayEmpty = existence((o) => `(${o.sql} IS NULL OR jsonb_array_length(${o.sql}) = 0)`);

const TEXT: Record<string, ConditionDef> = {
  equals: {
    value: 'string',
    sql: (o, v: string, c) => (v === '' ? `${o.sql} IS NULL` : `${o.sql} = ${p(c, fold(v), 'text')}`),
  },
  does_not_equal: {
    value: 'string',
    sql: (o, v: string, c) =>
      v === '' ? `${o.sql} IS NOT NULL` : `(${o.sql} IS NULL OR ${o.sql} <> ${p(c, fold(v), 'text')})`,
  },
  contains: { value: 'string', sql: (o, v: string, c) => `strpos(${o.sql}, ${p(c, fold(v), 'text')}) > 0` },
  does_not_contain: {
    value: 'string',
    sql: (o, v: string, c) => `(${o.sql} IS NULL OR strpos(${o.sql}, ${p(c, fold(v), 'text')}) = 0)`,
  },
  starts_with: { value: 'string', sql: (o, v: string, c) => `starts_with(${o.sql}, ${p(c, fold(v), 'text')})` },
  ends_with: {
    value: 'string',
    sql: (o, v: string, c) => `right(${o.sql}, ${p(c, [...fold(v)].length, 'int')}) = ${p(c, fold(v), 'text')}`,
  },
  ...nullEmpty,
};

const cmp = (op: string): ConditionDef => ({
  value: 'number',
  sql: (o, v: number, c) => `${o.sql} ${op} ${p(c, v, 'float8')}`,
});
const NUMBER: Record<string, ConditionDef> = {
  equals: cmp('='),
  does_not_equal: {
    value: 'number',
    sql: (o, v: number, c) => `(${o.sql} IS NULL OR ${o.sql} <> ${p(c, v, 'float8')})`,
  },
  greater_than: cmp('>'),
  less_than: cmp('<'),
  greater_than_or_equal_to: cmp('>='),
  less_than_or_equal_to: cmp('<='),
  ...nullEmpty,
};

const checked = (o: Operand, c: ConditionContext) => (o.key ? contains(o, c, true) : o.sql);
const CHECKBOX: Record<string, ConditionDef> = {
  equals: { value: 'boolean', sql: (o, v: boolean, c) => (v ? checked(o, c) : `NOT (${checked(o, c)})`) },
  does_not_equal: { value: 'boolean', sql: (o, v: boolean, c) => (v ? `NOT (${checked(o, c)})` : checked(o, c)) },
};

/** Option names resolve to ids through the schema; a name that is no option matches nothing. */
function optionIs(o: Operand, name: string, c: ConditionContext): string {
  const ids = (o.options ?? []).filter((x) => x.name === name).map((x) => x.id);
  if (ids.length === 0) return 'false';
  if (o.key && ids.length === 1) return contains(o, c, ids[0]);
  return `${o.sql} = ANY (${p(c, ids, 'text[]')})`;
}
const SELECT: Record<string, ConditionDef> = {
  equals: { value: 'string', sql: (o, v: string, c) => optionIs(o, v, c) },
  does_not_equal: { value: 'string', sql: (o, v: string, c) => `(${o.sql} IS NULL OR NOT (${optionIs(o, v, c)}))` },
  ...nullEmpty,
};

function hasOption(o: Operand, name: string, c: ConditionContext): string {
  const ids = (o.options ?? []).filter((x) => x.name === name).map((x) => x.id);
  if (ids.length === 0) return 'false';
  if (o.key) return contains(o, c, ids);
  return `${o.sql} ?| ${p(c, ids, 'text[]')}`;
}
const MULTI_SELECT: Record<string, ConditionDef> = {
  contains: { value: 'string', sql: (o, v: string, c) => hasOption(o, v, c) },
  does_not_contain: { value: 'string', sql: (o, v: string, c) => `NOT COALESCE(${hasOption(o, v, c)}, false)` },
  ...arrayEmpty,
};

function hasUser(o: Operand, id: string, c: ConditionContext): string {
  if (o.scalarUser) return `${o.sql} = ${p(c, id, 'uuid')}`;
  if (o.key) return contains(o, c, [id]);
  return `${o.sql} @> ${p(c, JSON.stringify([id]), 'jsonb')}`;
}
const PEOPLE: Record<string, ConditionDef> = {
  contains: { value: 'uuid', sql: (o, v: string, c) => hasUser(o, v, c) },
  does_not_contain: { value: 'uuid', sql: (o, v: string, c) => `NOT COALESCE(${hasUser(o, v, c)}, false)` },
  ...existence((o) => (o.scalarUser ? `${o.sql} IS NULL` : `(${o.sql} IS NULL OR jsonb_array_length(${o.sql}) = 0)`)),
};

// A relation counts only the pages the caller can see: `contains` an unshared page matches nothing,
// and a relation to unshared pages only is empty (reference §4).
function relates(o: Operand, id: string, c: ConditionContext): string {
  const v = c.scope.nextAlias('v');
  const related = o.key ? contains(o, c, [id]) : `${o.sql} @> ${p(c, JSON.stringify([id]), 'jsonb')}`;
  return `(${related} AND EXISTS (SELECT 1 FROM blocks ${v} WHERE ${v}.id = ${p(c, id, 'uuid')} AND ${visibleSql(c.scope, v)}))`;
}
function noVisibleRelated(o: Operand, c: ConditionContext): string {
  const r = c.scope.nextAlias('r');
  return `NOT EXISTS (SELECT 1 FROM blocks ${r} WHERE ${r}.id IN (SELECT jsonb_array_elements_text(${o.sql})::uuid) AND ${visibleSql(c.scope, r)})`;
}
const RELATION: Record<string, ConditionDef> = {
  contains: { value: 'uuid', sql: (o, v: string, c) => relates(o, v, c) },
  does_not_contain: { value: 'uuid', sql: (o, v: string, c) => `NOT ${relates(o, v, c)}` },
  is_empty: { value: 'true', sql: (o, _v, c) => noVisibleRelated(o, c) },
  is_not_empty: { value: 'true', sql: (o, _v, c) => `NOT ${noVisibleRelated(o, c)}` },
};

// Dates: a date-only value is a UTC day [start, next day); a datetime an instant (ms); relative values
// resolve against the clock's day in UTC. Date properties compare on their start.
function bound(o: Operand, c: ConditionContext, ms: number): string {
  return o.dateKind === 'text' ? p(c, utcIso(ms), 'text') : p(c, utcIso(ms), 'timestamptz');
}
function dateSql(o: Operand): string {
  return o.dateKind === 'text' ? `${o.sql} COLLATE "C"` : o.sql;
}
type Instant = { day: true; lo: number; hi: number } | { day: false; at: number };
function instant(v: string, c: ConditionContext): Instant {
  const relative = RELATIVE_DATE_VALUES[v];
  const day = relative ? relative(c.today) : null;
  const parsed = day ? parseIsoDate(day) : parseIsoDate(v);
  if (parsed!.dateOnly) {
    const lo = toUtcMs(parsed!, null);
    return { day: true, lo, hi: lo + 86_400_000 };
  }
  return { day: false, at: toUtcMs(parsed!, null) };
}
// Bounds are passed as functions: only the ones a condition uses become parameters.
type Bound = () => string;
const dateCmp = (
  dayForm: (x: string, lo: Bound, hi: Bound) => string,
  atForm: (x: string, at: string) => string,
): ConditionDef => ({
  value: 'date',
  sql(o, v: string, c) {
    const i = instant(v, c);
    return i.day
      ? dayForm(
          dateSql(o),
          () => bound(o, c, i.lo),
          () => bound(o, c, i.hi),
        )
      : atForm(dateSql(o), bound(o, c, i.at));
  },
});
const range = (name: string): ConditionDef => ({
  value: 'empty',
  sql(o, _v, c) {
    const [from, to] = RELATIVE_RANGES[name]!(c.today);
    return `(${dateSql(o)} >= ${bound(o, c, dayStartMs(from))} AND ${dateSql(o)} < ${bound(o, c, dayStartMs(to))})`;
  },
});
const DATE: Record<string, ConditionDef> = {
  equals: dateCmp(
    (x, lo, hi) => `(${x} >= ${lo()} AND ${x} < ${hi()})`,
    (x, at) => `${x} = ${at}`,
  ),
  before: dateCmp(
    (x, lo) => `${x} < ${lo()}`,
    (x, at) => `${x} < ${at}`,
  ),
  after: dateCmp(
    (x, _lo, hi) => `${x} >= ${hi()}`,
    (x, at) => `${x} > ${at}`,
  ),
  on_or_before: dateCmp(
    (x, _lo, hi) => `${x} < ${hi()}`,
    (x, at) => `${x} <= ${at}`,
  ),
  on_or_after: dateCmp(
    (x, lo) => `${x} >= ${lo()}`,
    (x, at) => `${x} >= ${at}`,
  ),
  ...Object.fromEntries(Object.keys(RELATIVE_RANGES).map((name) => [name, range(name)])),
  ...nullEmpty,
};

export const CONDITIONS: Record<Family, Record<string, ConditionDef>> = {
  text: TEXT,
  number: NUMBER,
  checkbox: CHECKBOX,
  select: SELECT,
  multi_select: MULTI_SELECT,
  date: DATE,
  people: PEOPLE,
  relation: RELATION,
  files: arrayEmpty,
};

/** The family a filter key's conditions belong to (the key is the property type, reference §10.2). */
export const FILTER_KEY_FAMILY: Record<string, Family> = {
  title: 'text',
  rich_text: 'text',
  url: 'text',
  email: 'text',
  phone_number: 'text',
  string: 'text',
  number: 'number',
  unique_id: 'number',
  checkbox: 'checkbox',
  select: 'select',
  status: 'select',
  multi_select: 'multi_select',
  date: 'date',
  created_time: 'date',
  last_edited_time: 'date',
  people: 'people',
  created_by: 'people',
  last_edited_by: 'people',
  relation: 'relation',
  files: 'files',
};

export function conditionSql(o: Operand, condition: string, value: unknown, c: ConditionContext): string {
  const def = CONDITIONS[o.family][condition];
  if (!def) throw new Error(`no condition ${condition} for ${o.family}`);
  return `COALESCE((${def.sql(o, value as never, c)}), false)`;
}
