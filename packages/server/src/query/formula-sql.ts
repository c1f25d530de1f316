// Formulas compiled to one SQL expression over the row (so a formula is filtered, sorted and shown by
// the same code, inside the store). Types follow Notion: string, number, boolean, date. Dates are
// computed in UTC. Functions are one table; what is not in it is refused when the formula is saved
// (docs/limitations.md lists what we evaluate).
import { FormulaError, type FormulaNode } from '../domain/properties/formula-parser.js';
import type { SqlParams } from './sql-scope.js';

export type FormulaType = 'string' | 'number' | 'boolean' | 'date';

export interface Typed {
  type: FormulaType;
  sql: string;
  /** dates from date properties: the end of a range */
  endSql?: string;
}

export interface FormulaEnv {
  params: SqlParams;
  /** placeholder of "now" (timestamptz), added when a formula uses it */
  now(): string;
  /** the value of a property of the row, or a FormulaError */
  prop(name: string): Typed;
}

type Arg = FormulaType | 'any';

interface FnSpec {
  args: readonly Arg[];
  /** type of further arguments (variadic functions) */
  rest?: Arg;
  /** minimum number of arguments when fewer than args.length are allowed */
  min?: number;
  ret: FormulaType | ((args: readonly Typed[]) => FormulaType);
  sql(args: readonly Typed[], env: FormulaEnv, nodes: readonly FormulaNode[]): string;
}

const UTC = (sql: string) => `(${sql} AT TIME ZONE 'UTC')`;
const num = (sql: string) => `(${sql})::float8`;

const UNITS: Record<string, string> = {
  years: '1 year',
  quarters: '3 months',
  months: '1 month',
  weeks: '1 week',
  days: '1 day',
  hours: '1 hour',
  minutes: '1 minute',
  seconds: '1 second',
  milliseconds: '1 millisecond',
};
const UNIT_SECONDS: Record<string, number> = {
  weeks: 604800,
  days: 86400,
  hours: 3600,
  minutes: 60,
  seconds: 1,
  milliseconds: 0.001,
};

function unitOf(nodes: readonly FormulaNode[], i: number): string {
  const n = nodes[i];
  if (n?.k !== 'str' || !UNITS[n.v])
    throw new FormulaError(
      `the unit must be one of ${Object.keys(UNITS)
        .map((u) => `"${u}"`)
        .join(', ')}`,
    );
  return n.v;
}

function toText(a: Typed): string {
  switch (a.type) {
    case 'string':
      return a.sql;
    case 'number':
      return `(${a.sql})::text`;
    case 'boolean':
      return `CASE WHEN ${a.sql} THEN 'true' WHEN NOT ${a.sql} THEN 'false' END`;
    case 'date':
      return `to_char(${UTC(a.sql)}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
}

function isEmpty(a: Typed): string {
  switch (a.type) {
    case 'string':
      return `COALESCE(${a.sql}, '') = ''`;
    case 'number':
      return `COALESCE(${a.sql}, 0) = 0`;
    case 'boolean':
      return `NOT COALESCE(${a.sql}, false)`;
    case 'date':
      return `${a.sql} IS NULL`;
  }
}

// Moment-style tokens of formatDate() to to_char patterns; everything else is quoted literally.
const DATE_TOKENS: [string, string][] = [
  ['YYYY', 'YYYY'],
  ['YY', 'YY'],
  ['MMMM', 'FMMonth'],
  ['MMM', 'Mon'],
  ['MM', 'MM'],
  ['M', 'FMMM'],
  ['Do', 'FMDDth'],
  ['DD', 'DD'],
  ['D', 'FMDD'],
  ['dddd', 'FMDay'],
  ['ddd', 'Dy'],
  ['HH', 'HH24'],
  ['H', 'FMHH24'],
  ['hh', 'HH12'],
  ['h', 'FMHH12'],
  ['mm', 'MI'],
  ['ss', 'SS'],
  ['A', 'AM'],
  ['a', 'am'],
];

export function toCharPattern(format: string): string {
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal) out += `"${literal.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    literal = '';
  };
  for (let i = 0; i < format.length;) {
    const token = DATE_TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      flush();
      out += token[1];
      i += token[0].length;
    } else literal += format[i++];
  }
  flush();
  return out;
}

const mathFn = (name: string, guard?: (x: string) => string): FnSpec => ({
  args: ['number'],
  ret: 'number',
  sql: ([a]) => (guard ? `CASE WHEN ${guard(a!.sql)} THEN ${name}(${a!.sql}) END` : `${name}(${a!.sql})`),
});
const datePart = (field: string): FnSpec => ({
  args: ['date'],
  ret: 'number',
  sql: ([a]) => num(`extract(${field} from ${UTC(a!.sql)})`),
});
const dateShift = (sign: 1 | -1): FnSpec => ({
  args: ['date', 'number', 'string'],
  ret: 'date',
  sql: ([d, n], _env, nodes) =>
    `((${UTC(d!.sql)} ${sign > 0 ? '+' : '-'} (${n!.sql} * interval '${UNITS[unitOf(nodes, 2)]}')) AT TIME ZONE 'UTC')`,
});

export const FUNCTIONS: Record<string, FnSpec> = {
  if: {
    args: ['boolean', 'any', 'any'],
    ret: (a) => a[1]!.type,
    sql: ([c, a, b]) => `CASE WHEN COALESCE(${c!.sql}, false) THEN ${a!.sql} ELSE ${b!.sql} END`,
  },
  concat: { args: ['string'], rest: 'string', ret: 'string', sql: (a) => `concat(${a.map((x) => x.sql).join(', ')})` },
  join: {
    args: ['string', 'string'],
    rest: 'string',
    ret: 'string',
    sql: ([sep, ...rest]) => `concat_ws(${sep!.sql}, ${rest.map((x) => x.sql).join(', ')})`,
  },
  length: { args: ['string'], ret: 'number', sql: ([a]) => num(`char_length(COALESCE(${a!.sql}, ''))`) },
  lower: { args: ['string'], ret: 'string', sql: ([a]) => `lower(${a!.sql})` },
  upper: { args: ['string'], ret: 'string', sql: ([a]) => `upper(${a!.sql})` },
  trim: { args: ['string'], ret: 'string', sql: ([a]) => `btrim(${a!.sql})` },
  contains: {
    args: ['string', 'string'],
    ret: 'boolean',
    sql: ([a, b]) => `(strpos(COALESCE(${a!.sql}, ''), COALESCE(${b!.sql}, '')) > 0)`,
  },
  test: { args: ['string', 'string'], ret: 'boolean', sql: ([a, b]) => `(COALESCE(${a!.sql}, '') ~ ${b!.sql})` },
  replace: {
    args: ['string', 'string', 'string'],
    ret: 'string',
    sql: ([a, b, c]) => `regexp_replace(${a!.sql}, ${b!.sql}, ${c!.sql})`,
  },
  replaceAll: {
    args: ['string', 'string', 'string'],
    ret: 'string',
    sql: ([a, b, c]) => `regexp_replace(${a!.sql}, ${b!.sql}, ${c!.sql}, 'g')`,
  },
  slice: {
    args: ['string', 'number', 'number'],
    min: 2,
    ret: 'string',
    sql: ([s, from, to]) =>
      to
        ? `substr(${s!.sql}, (${from!.sql})::int + 1, GREATEST((${to.sql})::int - (${from!.sql})::int, 0))`
        : `substr(${s!.sql}, (${from!.sql})::int + 1)`,
  },
  repeat: {
    args: ['string', 'number'],
    ret: 'string',
    sql: ([s, n]) => `repeat(${s!.sql}, LEAST(GREATEST((${n!.sql})::int, 0), 10000))`,
  },
  format: { args: ['any'], ret: 'string', sql: ([a]) => toText(a!) },
  toNumber: {
    args: ['any'],
    ret: 'number',
    sql: ([a]) => {
      if (a!.type === 'number') return a!.sql;
      if (a!.type === 'boolean') return `CASE WHEN ${a!.sql} THEN 1::float8 WHEN NOT ${a!.sql} THEN 0::float8 END`;
      if (a!.type === 'date') return num(`extract(epoch from ${a!.sql}) * 1000`);
      return `CASE WHEN btrim(${a!.sql}) ~ '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,3})?$' THEN btrim(${a!.sql})::float8 END`;
    },
  },
  empty: { args: ['any'], ret: 'boolean', sql: ([a]) => `(${isEmpty(a!)})` },
  abs: mathFn('abs'),
  ceil: mathFn('ceil'),
  floor: mathFn('floor'),
  sqrt: mathFn('sqrt', (x) => `${x} >= 0`),
  cbrt: mathFn('cbrt'),
  exp: mathFn('exp', (x) => `${x} < 700`),
  ln: mathFn('ln', (x) => `${x} > 0`),
  log10: mathFn('log10', (x) => `${x} > 0`),
  log2: { args: ['number'], ret: 'number', sql: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN ln(${a!.sql}) / ln(2) END` },
  sign: mathFn('sign'),
  round: {
    args: ['number', 'number'],
    min: 1,
    ret: 'number',
    sql: ([a, places]) =>
      places ? num(`round((${a!.sql})::numeric, LEAST(GREATEST((${places.sql})::int, 0), 20))`) : `round(${a!.sql})`,
  },
  pow: { args: ['number', 'number'], ret: 'number', sql: ([a, b]) => power(a!.sql, b!.sql) },
  mod: { args: ['number', 'number'], ret: 'number', sql: ([a, b]) => modulo(a!.sql, b!.sql) },
  min: { args: ['any'], rest: 'any', ret: (a) => a[0]!.type, sql: (a) => `LEAST(${a.map((x) => x.sql).join(', ')})` },
  max: {
    args: ['any'],
    rest: 'any',
    ret: (a) => a[0]!.type,
    sql: (a) => `GREATEST(${a.map((x) => x.sql).join(', ')})`,
  },
  sum: {
    args: ['number'],
    rest: 'number',
    ret: 'number',
    sql: (a) => `(${a.map((x) => `COALESCE(${x.sql}, 0)`).join(' + ')})`,
  },
  now: { args: [], ret: 'date', sql: (_a, env) => env.now() },
  today: { args: [], ret: 'date', sql: (_a, env) => `(date_trunc('day', ${UTC(env.now())}) AT TIME ZONE 'UTC')` },
  dateAdd: dateShift(1),
  dateSubtract: dateShift(-1),
  dateBetween: {
    args: ['date', 'date', 'string'],
    ret: 'number',
    sql: ([a, b], _env, nodes) => {
      const unit = unitOf(nodes, 2);
      const age = `age(${UTC(a!.sql)}, ${UTC(b!.sql)})`;
      const months = `(extract(year from ${age}) * 12 + extract(month from ${age}))`;
      if (unit === 'years') return num(`trunc(extract(year from ${age}))`);
      if (unit === 'months') return num(`trunc(${months})`);
      if (unit === 'quarters') return num(`trunc(${months} / 3)`);
      return num(`trunc(extract(epoch from (${a!.sql} - ${b!.sql})) / ${UNIT_SECONDS[unit]})`);
    },
  },
  formatDate: {
    args: ['date', 'string'],
    ret: 'string',
    sql: ([d], env, nodes) => {
      const f = nodes[1];
      if (f?.k !== 'str') throw new FormulaError('formatDate() takes a format string');
      return `to_char(${UTC(d!.sql)}, ${env.params.add(toCharPattern(f.v), 'text')})`;
    },
  },
  year: datePart('year'),
  month: datePart('month'),
  date: datePart('day'),
  day: datePart('isodow'),
  hour: datePart('hour'),
  minute: datePart('minute'),
  timestamp: { args: ['date'], ret: 'number', sql: ([a]) => num(`extract(epoch from ${a!.sql}) * 1000`) },
  fromTimestamp: { args: ['number'], ret: 'date', sql: ([a]) => `to_timestamp(${a!.sql} / 1000.0)` },
  dateStart: { args: ['date'], ret: 'date', sql: ([a]) => a!.sql },
  dateEnd: { args: ['date'], ret: 'date', sql: ([a]) => `COALESCE(${a!.endSql ?? 'NULL'}, ${a!.sql})` },
};
const ALIASES: Record<string, string> = { start: 'dateStart', end: 'dateEnd', substring: 'slice', toString: 'format' };

/** A function by name (own keys only: `constructor` is no formula function). */
function functionSpec(name: string): FnSpec | undefined {
  const key = Object.hasOwn(ALIASES, name) ? (ALIASES[name] as string) : name;
  return Object.hasOwn(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
}

function power(a: string, b: string): string {
  return `CASE WHEN (${a} = 0 AND ${b} < 0) OR (${a} < 0 AND ${b} <> trunc(${b})) OR abs(${b} * ln(abs(NULLIF(${a}, 0)))) > 700 THEN NULL ELSE power(${a}, ${b}) END`;
}

function modulo(a: string, b: string): string {
  return `(${a} - ${b} * trunc(${a} / NULLIF(${b}, 0)))`;
}

function check(fn: string, spec: FnSpec, args: readonly Typed[]): void {
  const max = spec.rest ? Infinity : spec.args.length;
  const min = spec.min ?? spec.args.length;
  if (args.length < min || args.length > max)
    throw new FormulaError(`${fn}() takes ${min === max ? min : `${min} or more`} arguments`);
  args.forEach((a, i) => {
    const want = spec.args[i] ?? spec.rest ?? 'any';
    if (want !== 'any' && want !== a.type)
      throw new FormulaError(`argument ${i + 1} of ${fn}() should be a ${want}, not a ${a.type}`);
  });
  if (fn === 'if' && args[1]!.type !== args[2]!.type)
    throw new FormulaError('both branches of if() should have the same type');
  if ((fn === 'min' || fn === 'max') && args.some((a) => a.type !== args[0]!.type))
    throw new FormulaError(`${fn}() takes values of one type`);
}

/** A literal's parameter is added when its SQL is used (units and formats are not parameters). */
function literal(type: FormulaType, add: () => string): Typed {
  let placeholder: string | undefined;
  return {
    type,
    get sql() {
      return (placeholder ??= add());
    },
  };
}

const ARITHMETIC = new Set(['-', '*', '/', '%', '^']);

export function compileFormula(node: FormulaNode, env: FormulaEnv): Typed {
  switch (node.k) {
    case 'num':
      return literal('number', () => env.params.add(node.v, 'float8'));
    case 'str':
      return literal('string', () => env.params.add(node.v, 'text'));
    case 'bool':
      return { type: 'boolean', sql: node.v ? 'true' : 'false' };
    case 'prop':
      return env.prop(node.name);
    case 'un': {
      const e = compileFormula(node.e, env);
      if (node.op === '-') {
        if (e.type !== 'number') throw new FormulaError('"-" applies to numbers');
        return { type: 'number', sql: `(-${e.sql})` };
      }
      if (e.type !== 'boolean') throw new FormulaError('"not" applies to booleans');
      return { type: 'boolean', sql: `(NOT COALESCE(${e.sql}, false))` };
    }
    case 'cond':
      return compileFormula({ k: 'call', fn: 'if', args: [node.c, node.a, node.b] }, env);
    case 'call': {
      if (node.fn === 'ifs') return compileIfs(node.args, env);
      const spec = functionSpec(node.fn);
      if (!spec) throw new FormulaError(`unknown function "${node.fn}"`);
      const args = node.args.map((a) => compileFormula(a, env));
      check(node.fn, spec, args);
      const type = typeof spec.ret === 'function' ? spec.ret(args) : spec.ret;
      return { type, sql: spec.sql(args, env, node.args) };
    }
    case 'bin':
      return compileBinary(node.op, compileFormula(node.l, env), compileFormula(node.r, env));
  }
}

function compileIfs(nodes: readonly FormulaNode[], env: FormulaEnv): Typed {
  if (nodes.length < 3 || nodes.length % 2 === 0)
    throw new FormulaError('ifs() takes condition, value pairs and a last value');
  const args = nodes.map((n) => compileFormula(n, env));
  const last = args[args.length - 1]!;
  let sql = 'CASE';
  for (let i = 0; i + 1 < args.length; i += 2) {
    if (args[i]!.type !== 'boolean') throw new FormulaError(`argument ${i + 1} of ifs() should be a boolean`);
    if (args[i + 1]!.type !== last.type) throw new FormulaError('every value of ifs() should have the same type');
    sql += ` WHEN COALESCE(${args[i]!.sql}, false) THEN ${args[i + 1]!.sql}`;
  }
  return { type: last.type, sql: `${sql} ELSE ${last.sql} END` };
}

function compileBinary(op: string, l: Typed, r: Typed): Typed {
  if (op === '+') {
    if (l.type === 'number' && r.type === 'number') return { type: 'number', sql: `(${l.sql} + ${r.sql})` };
    if (l.type === 'string' || r.type === 'string')
      return { type: 'string', sql: `concat(${toText(l)}, ${toText(r)})` };
    throw new FormulaError(`"+" cannot add a ${l.type} and a ${r.type}`);
  }
  if (ARITHMETIC.has(op)) {
    if (l.type !== 'number' || r.type !== 'number') throw new FormulaError(`"${op}" applies to numbers`);
    if (op === '/') return { type: 'number', sql: `(${l.sql} / NULLIF(${r.sql}, 0))` };
    if (op === '%') return { type: 'number', sql: modulo(l.sql, r.sql) };
    if (op === '^') return { type: 'number', sql: power(l.sql, r.sql) };
    return { type: 'number', sql: `(${l.sql} ${op} ${r.sql})` };
  }
  if (op === '&&' || op === '||') {
    if (l.type !== 'boolean' || r.type !== 'boolean')
      throw new FormulaError(`"${op === '&&' ? 'and' : 'or'}" applies to booleans`);
    return {
      type: 'boolean',
      sql: `(COALESCE(${l.sql}, false) ${op === '&&' ? 'AND' : 'OR'} COALESCE(${r.sql}, false))`,
    };
  }
  if (l.type !== r.type) throw new FormulaError(`cannot compare a ${l.type} with a ${r.type}`);
  if (op === '==' || op === '!=') {
    const eq =
      l.type === 'string'
        ? `(COALESCE(${l.sql}, '') = COALESCE(${r.sql}, ''))`
        : `(${l.sql} IS NOT DISTINCT FROM ${r.sql})`;
    return { type: 'boolean', sql: op === '==' ? eq : `(NOT ${eq})` };
  }
  if (l.type === 'boolean') throw new FormulaError(`"${op}" does not compare booleans`);
  const collate = l.type === 'string' ? ' COLLATE "C"' : '';
  return { type: 'boolean', sql: `(${l.sql}${collate} ${op} ${r.sql})` };
}
