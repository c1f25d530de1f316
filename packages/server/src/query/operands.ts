// Property values as SQL over a row alias, in two forms:
//   operands — what filters and sorts compare (folded text, numbers, option ids, UTC date strings…),
//              read from the `props` jsonb column, or computed (formula, rollup, timestamps);
//   formula values — what a formula's prop("…") reads (original text, option names, dates).
// Relations and rollups only ever reach related rows the caller can see (visibleSql).
import { FormulaError, parseFormula } from '../domain/properties/formula-parser.js';
import { compileFormula, type FormulaType, type Typed } from './formula-sql.js';
import {
  options,
  relationConfig,
  rollupConfig,
  type PropertySchema,
  type PropertyType,
  type Schema,
  type SelectOption,
} from '../domain/properties/schema.js';
import { visibleSql, type SqlScope } from './sql-scope.js';

export type Family =
  'text' | 'number' | 'checkbox' | 'select' | 'multi_select' | 'date' | 'people' | 'relation' | 'files';

export interface Operand {
  family: Family;
  sql: string;
  /** props-backed values: equality can be written `alias.props @> {...}` (GIN index) */
  key?: { alias: string; id: string };
  dateKind?: 'text' | 'timestamptz';
  options?: readonly SelectOption[];
  /** created_by / last_edited_by: one uuid column rather than a jsonb array */
  scalarUser?: boolean;
}

export const FAMILY_OF: Partial<Record<PropertyType, Family>> = {
  title: 'text',
  rich_text: 'text',
  url: 'text',
  email: 'text',
  phone_number: 'text',
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

const MAX_DEPTH = 6;

export function keyParam(scope: SqlScope, id: string): string {
  return scope.params.once(`key:${id}`, id, 'text');
}

/** The value filters and sorts compare, or null for a rollup that yields a list (use any/every/none). */
export function propertyOperand(
  scope: SqlScope,
  schema: Schema,
  p: PropertySchema,
  alias: string,
  depth = 0,
): Operand | null {
  // `sql` is built when read: a condition answered by `props @> …` never reads it, and PostgreSQL
  // cannot type a parameter no SQL uses.
  const key = { alias, id: p.id };
  const k = () => keyParam(scope, p.id);
  const lazy = (family: Family, sql: () => string, extra: Partial<Operand> = {}): Operand => ({
    family,
    ...extra,
    key,
    get sql() {
      return sql();
    },
  });
  switch (p.type) {
    case 'title':
    case 'rich_text':
    case 'url':
    case 'email':
    case 'phone_number':
      return lazy('text', () => `(${alias}.props ->> ${k()})`);
    case 'number':
    case 'unique_id':
      return lazy('number', () => `(${alias}.props ->> ${k()})::float8`);
    case 'checkbox':
      return lazy('checkbox', () => `COALESCE((${alias}.props ->> ${k()})::boolean, false)`);
    case 'select':
    case 'status':
      return lazy('select', () => `(${alias}.props ->> ${k()})`, { options: options(p) });
    case 'multi_select':
      return lazy('multi_select', () => `(${alias}.props -> ${k()})`, { options: options(p) });
    case 'date':
      return lazy('date', () => `(${alias}.props -> ${k()} ->> 's')`, { dateKind: 'text' });
    case 'people':
    case 'relation':
    case 'files':
      return lazy(p.type, () => `(${alias}.props -> ${k()})`);
    case 'created_time':
    case 'last_edited_time':
      return { family: 'date', sql: `${alias}.${p.type}`, dateKind: 'timestamptz' };
    case 'created_by':
    case 'last_edited_by':
      return { family: 'people', sql: `${alias}.${p.type}`, scalarUser: true };
    case 'formula': {
      const f = formulaOf(scope, schema, p, alias, [], depth);
      return formulaOperand(f);
    }
    case 'rollup': {
      const r = rollupAggregate(scope, schema, p, alias, depth);
      if (r.type === 'number') return { family: 'number', sql: r.sql };
      if (r.type === 'date') return { family: 'date', sql: r.sql, dateKind: 'timestamptz' };
      return null;
    }
  }
}

export function formulaOperand(f: Typed): Operand {
  switch (f.type) {
    case 'string':
      return { family: 'text', sql: `NULLIF(lower(${f.sql}), '')` };
    case 'number':
      return { family: 'number', sql: f.sql };
    case 'boolean':
      return { family: 'checkbox', sql: `COALESCE(${f.sql}, false)` };
    case 'date':
      return { family: 'date', sql: f.sql, dateKind: 'timestamptz' };
  }
}

function optionNames(scope: SqlScope, p: PropertySchema): { ids: string; names: string } {
  const opts = options(p);
  return {
    ids: scope.params.once(
      `opt-ids:${p.id}:${opts.length}`,
      opts.map((o) => o.id),
      'text[]',
    ),
    names: scope.params.once(
      `opt-names:${p.id}:${opts.length}`,
      opts.map((o) => o.name),
      'text[]',
    ),
  };
}

/** The value prop("…") reads in a formula. `stack` holds the formulas being expanded (cycles are errors). */
export function formulaValue(
  scope: SqlScope,
  schema: Schema,
  p: PropertySchema,
  alias: string,
  stack: readonly string[],
  depth: number,
): Typed {
  const key = () => keyParam(scope, p.id);
  const json = () => `${alias}.properties -> ${key()}`;
  const listOf = (valueSql: (e: string) => string, join: string) => {
    const e = scope.nextAlias('e');
    return `(SELECT string_agg(${valueSql(e)}, ', ' ORDER BY ${e}.n) FROM jsonb_array_elements_text(${alias}.props -> ${key()}) WITH ORDINALITY ${e}(v, n)${join.replace(/\$E/g, e)})`;
  };
  switch (p.type) {
    case 'title':
      return { type: 'string', sql: `NULLIF(${alias}.title, '')` };
    case 'rich_text': {
      const e = scope.nextAlias('e');
      return {
        type: 'string',
        sql: `(SELECT string_agg(${e}->>'plain_text', '') FROM json_array_elements(${json()} -> 'rich_text') ${e})`,
      };
    }
    case 'url':
    case 'email':
    case 'phone_number':
      return { type: 'string', sql: `(${json()} ->> '${p.type}')` };
    case 'number':
    case 'unique_id':
      return { type: 'number', sql: `(${alias}.props ->> ${key()})::float8` };
    case 'checkbox':
      return { type: 'boolean', sql: `COALESCE((${alias}.props ->> ${key()})::boolean, false)` };
    case 'select':
    case 'status': {
      const o = optionNames(scope, p);
      return { type: 'string', sql: `(${o.names})[array_position(${o.ids}, ${alias}.props ->> ${key()})]` };
    }
    case 'multi_select': {
      const o = optionNames(scope, p);
      return { type: 'string', sql: listOf((e) => `(${o.names})[array_position(${o.ids}, ${e}.v)]`, '') };
    }
    case 'date':
      return {
        type: 'date',
        sql: `(${alias}.props -> ${key()} ->> 's')::timestamptz`,
        endSql: `(${alias}.props -> ${key()} ->> 'e')::timestamptz`,
      };
    case 'people':
      return { type: 'string', sql: listOf((e) => `(SELECT u.name FROM users u WHERE u.id = ${e}.v::uuid)`, '') };
    case 'files':
      return { type: 'string', sql: listOf((e) => `${e}.v`, '') };
    case 'relation': {
      const r = scope.nextAlias('r');
      return {
        type: 'string',
        sql: listOf(() => `${r}.title`, ` JOIN blocks ${r} ON ${r}.id = $E.v::uuid WHERE ${visibleSql(scope, r)}`),
      };
    }
    case 'created_time':
    case 'last_edited_time':
      return { type: 'date', sql: `${alias}.${p.type}` };
    case 'created_by':
    case 'last_edited_by':
      return { type: 'string', sql: `(SELECT u.name FROM users u WHERE u.id = ${alias}.${p.type})` };
    case 'formula':
      return formulaOf(scope, schema, p, alias, stack, depth);
    case 'rollup': {
      const r = rollupAggregate(scope, schema, p, alias, depth);
      if (r.type === 'number' || r.type === 'date') return { type: r.type, sql: r.sql };
      throw new FormulaError(`the rollup "${p.name}" shows a list, which formulas cannot read`);
    }
  }
}

/** A formula property compiled for row `alias`. Throws FormulaError for a formula that cannot be evaluated. */
export function formulaOf(
  scope: SqlScope,
  schema: Schema,
  p: PropertySchema,
  alias: string,
  stack: readonly string[],
  depth: number,
): Typed {
  if (stack.includes(p.id)) throw new FormulaError(`the formula "${p.name}" refers to itself`);
  if (depth > MAX_DEPTH) throw new FormulaError('formulas and rollups nest too deeply');
  const expression = String(p.config.expression ?? '');
  const tree = parseFormula(expression);
  const inner = [...stack, p.id];
  return compileFormula(tree, {
    params: scope.params,
    now: () => scope.params.once('now', scope.now.toISOString(), 'timestamptz'),
    prop(name) {
      const target = schema.find(name);
      if (!target) throw new FormulaError(`there is no property "${name}"`);
      return formulaValue(scope, schema, target, alias, inner, depth + 1);
    },
  });
}

export type RollupResult =
  { type: 'number' | 'date'; sql: string; endSql?: string } | { type: 'array' | 'unsupported' };

export interface RollupSource {
  relation: PropertySchema;
  target: { schema: Schema; property: PropertySchema } | null;
  /** `FROM … WHERE …` over the visible related rows, as alias `r` */
  from: string;
  r: string;
  /** alias of the relation's elements (`.n` is the position) */
  e: string;
}

export function rollupSource(scope: SqlScope, schema: Schema, p: PropertySchema, alias: string): RollupSource | null {
  const cfg = rollupConfig(p);
  const relation = schema.byId(cfg.relation_property_id);
  if (!relation || relation.type !== 'relation') return null;
  const targetSchema = scope.schemas.get(relationConfig(relation).data_source_id);
  const targetProperty = targetSchema?.byId(cfg.rollup_property_id);
  const r = scope.nextAlias('r');
  const e = scope.nextAlias('e');
  const from = `FROM jsonb_array_elements_text(${alias}.props -> ${keyParam(scope, relation.id)}) WITH ORDINALITY ${e}(v, n)
    JOIN blocks ${r} ON ${r}.id = ${e}.v::uuid WHERE ${visibleSql(scope, r)}`;
  return {
    relation,
    target: targetSchema && targetProperty ? { schema: targetSchema, property: targetProperty } : null,
    from,
    r,
    e,
  };
}

const COUNTS = new Set(['count', 'count_values', 'empty', 'not_empty', 'unique', 'percent_empty', 'percent_not_empty']);
const NUMERIC: Record<string, (v: string) => string> = {
  sum: (v) => `COALESCE(sum(${v}), 0)`,
  average: (v) => `avg(${v})`,
  median: (v) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${v})`,
  min: (v) => `min(${v})`,
  max: (v) => `max(${v})`,
  range: (v) => `(max(${v}) - min(${v}))`,
};

function emptyTest(t: Typed): string {
  return t.type === 'string'
    ? `COALESCE(${t.sql}, '') = ''`
    : t.type === 'boolean'
      ? `NOT COALESCE(${t.sql}, false)`
      : `${t.sql} IS NULL`;
}

/** The aggregate a rollup shows (reference §9.2), as SQL over the related rows the caller can see. */
export function rollupAggregate(
  scope: SqlScope,
  schema: Schema,
  p: PropertySchema,
  alias: string,
  depth: number,
): RollupResult {
  const mark = scope.params.mark();
  const result = aggregate(scope, schema, p, alias, depth);
  if (result.type !== 'number' && result.type !== 'date') scope.params.rollback(mark);
  return result;
}

function aggregate(scope: SqlScope, schema: Schema, p: PropertySchema, alias: string, depth: number): RollupResult {
  const fn = rollupConfig(p).function;
  if (fn === 'show_original' || fn === 'show_unique') return { type: 'array' };
  const source = rollupSource(scope, schema, p, alias);
  if (!source) return { type: 'unsupported' };
  if (fn === 'count') return { type: 'number', sql: `(SELECT count(*)::float8 ${source.from})` };
  if (!source.target) return { type: 'unsupported' };
  let value: Typed;
  try {
    value = formulaValue(scope, source.target.schema, source.target.property, source.r, [], depth + 1);
  } catch (error) {
    if (error instanceof FormulaError) return { type: 'unsupported' };
    throw error;
  }
  const agg = (expr: string, type: FormulaType = 'number') =>
    ({ type, sql: `(SELECT ${expr} ${source.from})` }) as RollupResult;
  if (COUNTS.has(fn)) {
    const empty = emptyTest(value);
    const counts: Record<string, string> = {
      count_values: `count(*) FILTER (WHERE NOT (${empty}))::float8`,
      empty: `count(*) FILTER (WHERE ${empty})::float8`,
      not_empty: `count(*) FILTER (WHERE NOT (${empty}))::float8`,
      unique: `count(DISTINCT ${value.sql}) FILTER (WHERE NOT (${empty}))::float8`,
      percent_empty: `COALESCE(count(*) FILTER (WHERE ${empty})::float8 / NULLIF(count(*), 0), 0)`,
      percent_not_empty: `COALESCE(count(*) FILTER (WHERE NOT (${empty}))::float8 / NULLIF(count(*), 0), 0)`,
    };
    return agg(counts[fn] as string);
  }
  const numeric = NUMERIC[fn];
  if (numeric) return value.type === 'number' ? agg(`(${numeric(value.sql)})::float8`) : { type: 'unsupported' };
  if (fn === 'earliest_date' || fn === 'latest_date' || fn === 'date_range') {
    if (value.type !== 'date') return { type: 'unsupported' };
    const min = `(SELECT min(${value.sql}) ${source.from})`;
    const max = `(SELECT max(${value.sql}) ${source.from})`;
    if (fn === 'date_range') return { type: 'date', sql: min, endSql: max };
    return { type: 'date', sql: fn === 'earliest_date' ? min : max };
  }
  if (value.type === 'boolean') {
    const checked = `count(*) FILTER (WHERE COALESCE(${value.sql}, false))`;
    const unchecked = `count(*) FILTER (WHERE NOT COALESCE(${value.sql}, false))`;
    const byFn: Record<string, string> = {
      checked: `${checked}::float8`,
      unchecked: `${unchecked}::float8`,
      percent_checked: `COALESCE(${checked}::float8 / NULLIF(count(*), 0), 0)`,
      percent_unchecked: `COALESCE(${unchecked}::float8 / NULLIF(count(*), 0), 0)`,
    };
    if (byFn[fn]) return agg(byFn[fn] as string);
  }
  return { type: 'unsupported' };
}

/** Visible related ids, in relation order, as a json array (show_original / show_unique rollups). */
export function rollupRelatedIds(scope: SqlScope, schema: Schema, p: PropertySchema, alias: string): string | null {
  const source = rollupSource(scope, schema, p, alias);
  if (!source) return null;
  return `(SELECT json_agg(${source.r}.id ORDER BY ${source.e}.n) ${source.from})`;
}
