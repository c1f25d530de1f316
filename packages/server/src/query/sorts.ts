// Query sorts (reference §10.3) compiled to SQL sort keys, and keyset pagination over them: a cursor
// remembers the key values of the last row answered, so the next page starts strictly after it whatever
// was added, edited or trashed meanwhile. Empty values sort last in both directions; the row id breaks
// ties; text compares by code point (COLLATE "C") so both stores agree.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { parseWith } from '../domain/validation.js';
import { FormulaError } from '../domain/properties/formula-parser.js';
import { propertyOperand, type Operand } from './operands.js';
import type { Schema } from '../domain/properties/schema.js';
import { visibleSql, type SqlScope } from './sql-scope.js';

export type KeyType = 'text' | 'float8' | 'bool' | 'int' | 'timestamptz';

export interface SortKey {
  sql: string;
  type: KeyType;
  desc: boolean;
}

const zSorts = z
  .array(
    z.union([
      z.object({ property: z.string(), direction: z.enum(['ascending', 'descending']) }).strict(),
      z
        .object({
          timestamp: z.enum(['created_time', 'last_edited_time']),
          direction: z.enum(['ascending', 'descending']),
        })
        .strict(),
    ]),
  )
  .max(100);

export type SortsInput = z.infer<typeof zSorts>;

const zSortsBody = z.object({ sorts: zSorts });

export function parseSorts(raw: unknown): SortsInput {
  return parseWith(zSortsBody, { sorts: raw }).sorts;
}

function operandKey(o: Operand, scope: SqlScope): { sql: string; type: KeyType } {
  switch (o.family) {
    case 'text':
      return { sql: `(${o.sql}) COLLATE "C"`, type: 'text' };
    case 'number':
      return { sql: o.sql, type: 'float8' };
    case 'checkbox':
      return { sql: o.sql, type: 'bool' };
    case 'select':
      return {
        sql: `array_position(${scope.params.add(
          (o.options ?? []).map((x) => x.id),
          'text[]',
        )}, ${o.sql})`,
        type: 'int',
      };
    case 'multi_select':
      return {
        sql: `array_position(${scope.params.add(
          (o.options ?? []).map((x) => x.id),
          'text[]',
        )}, ${o.sql} ->> 0)`,
        type: 'int',
      };
    case 'date':
      return o.dateKind === 'text'
        ? { sql: `(${o.sql}) COLLATE "C"`, type: 'text' }
        : { sql: o.sql, type: 'timestamptz' };
    case 'people': {
      const first = o.scalarUser ? o.sql : `(${o.sql} ->> 0)::uuid`;
      return { sql: `(SELECT u.name FROM users u WHERE u.id = ${first}) COLLATE "C"`, type: 'text' };
    }
    case 'relation': {
      const r = scope.nextAlias('r');
      return {
        sql: `(SELECT count(*)::int FROM blocks ${r} WHERE ${r}.id IN (SELECT jsonb_array_elements_text(${o.sql})::uuid) AND ${visibleSql(scope, r)})`,
        type: 'int',
      };
    }
    case 'files':
      return { sql: `(${o.sql} ->> 0) COLLATE "C"`, type: 'text' };
  }
}

/** Sort keys for the request's sorts; without sorts, newest first (as Notion answers, reference §10.3). */
export function compileSorts(sorts: SortsInput | undefined, scope: SqlScope, schema: Schema, alias: string): SortKey[] {
  if (!sorts || sorts.length === 0) return [{ sql: `${alias}.created_time`, type: 'timestamptz', desc: true }];
  return sorts.map((s) => {
    const desc = s.direction === 'descending';
    if ('timestamp' in s) return { sql: `${alias}.${s.timestamp}`, type: 'timestamptz', desc };
    const property = schema.find(s.property);
    if (!property)
      throw new ApiError('validation_error', `Could not find sort property with name or id: ${s.property}`);
    let operand: Operand | null;
    const mark = scope.params.mark();
    try {
      operand = propertyOperand(scope, schema, property, alias);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      scope.params.rollback(mark);
      operand = null;
    }
    if (!operand) return { sql: 'NULL::int', type: 'int', desc };
    return { ...operandKey(operand, scope), desc };
  });
}

/** `ORDER BY` over the keys (as columns k0…kn of a subquery when `columns`), then the id. */
export function orderBy(keys: readonly SortKey[], idSql: string, columns?: string): string {
  const parts = keys.map(
    (k, i) =>
      `${columns ? `${columns}.k${i}${k.type === 'text' ? ' COLLATE "C"' : ''}` : k.sql} ${k.desc ? 'DESC' : 'ASC'} NULLS LAST`,
  );
  return [...parts, `${idSql} ASC`].join(', ');
}

export interface Position {
  values: unknown[];
  id: string;
}

/** A row's key values as stored in a cursor (dates as ISO strings). */
export function positionOf(keys: readonly SortKey[], row: Record<string, unknown>): Position {
  return {
    id: String(row.id),
    values: keys.map((_k, i) => {
      const v = row[`k${i}`];
      return v instanceof Date ? v.toISOString() : (v ?? null);
    }),
  };
}

/** Rows strictly after `position` in the key order (empty values last, then the id). */
export function afterSql(keys: readonly SortKey[], position: Position, scope: SqlScope, idSql: string): string {
  let sql = `${idSql} > ${scope.params.add(position.id, 'uuid')}`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    const v = position.values[i];
    if (v === null || v === undefined) {
      // Nothing sorts after an empty value except more empty values.
      sql = `(${k.sql} IS NULL AND ${sql})`;
      continue;
    }
    const param = scope.params.add(v, k.type);
    const beyond = `${k.sql} ${k.desc ? '<' : '>'} ${param}`;
    sql = `(${k.sql} IS NULL OR ${beyond} OR (${k.sql} = ${param} AND ${sql}))`;
  }
  return sql;
}
