// What compiling property values, formulas, filters and sorts to SQL needs: one positional parameter
// list (every value from a request is a parameter, never spliced into SQL), the caller's sharing (so
// relations and rollups only ever see pages the integration can see), "now", and the loaded schemas.
import type { Schema } from '../domain/properties/schema.js';
import { visibleSql as sharingSql } from '../store/visibility-sql.js';

export class SqlParams {
  readonly values: unknown[];
  private readonly memo = new Map<string, string>();
  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  /** Adds a parameter and returns its placeholder, with a cast when given (`$3::text`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }

  /** Every parameter must appear in the SQL (PostgreSQL cannot type an unused one): a bug guard. */
  check(sql: string): void {
    const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const unused = this.values.map((_v, i) => i + 1).filter((n) => !used.has(n));
    if (unused.length > 0)
      throw new Error(`SQL parameters ${unused.map((n) => `$${n}`).join(', ')} are unused in: ${sql}`);
  }

  /** Where the list stands, to take back parameters of SQL that ends up unused (see rollback). */
  mark(): { length: number; keys: ReadonlySet<string> } {
    return { length: this.values.length, keys: new Set(this.memo.keys()) };
  }

  /** Forgets parameters added since `mark`: PostgreSQL cannot type a parameter no SQL uses. */
  rollback(mark: { length: number; keys: ReadonlySet<string> }): void {
    this.values.length = mark.length;
    for (const key of [...this.memo.keys()]) if (!mark.keys.has(key)) this.memo.delete(key);
  }

  /** A parameter added once and reused (workspace id, shared roots, now, option lists). */
  once(key: string, value: unknown, cast?: string): string {
    const known = this.memo.get(key);
    if (known) return known;
    const placeholder = this.add(value, cast);
    this.memo.set(key, placeholder);
    return placeholder;
  }
}

export interface SqlScope {
  readonly params: SqlParams;
  readonly workspaceId: string;
  readonly sharedRootIds: readonly string[];
  readonly now: Date;
  /** Schemas by database id: the queried database and the databases its relations point to. */
  readonly schemas: ReadonlyMap<string, Schema>;
  nextAlias(prefix: string): string;
}

export function createScope(init: Omit<SqlScope, 'params' | 'nextAlias'> & { params?: SqlParams }): SqlScope {
  let n = 0;
  return { ...init, params: init.params ?? new SqlParams(), nextAlias: (prefix) => `${prefix}${++n}` };
}

/** The rows of `alias` the caller may see: same workspace, under a shared root, not in the trash. */
export function visibleSql(scope: SqlScope, alias: string): string {
  const ws = scope.params.once('workspace', scope.workspaceId);
  const shared = scope.params.once('shared', [...scope.sharedRootIds]);
  return sharingSql(alias, ws, shared, { live: true });
}

/** A jsonb array of ids under a property of `alias`, as a set of uuids (for IN / joins). */
export function idsSql(alias: string, idParam: string): string {
  return `SELECT jsonb_array_elements_text(${alias}.props -> ${idParam})::uuid`;
}
