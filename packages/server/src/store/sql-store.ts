// The store's one interface: parameterised SQL and transactions. Two drivers implement it
// (PGlite embedded, PostgreSQL over `pg`); everything above speaks only this.

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * True where no other connection can write while this executor runs (PGlite: one connection, one
   * transaction at a time), so row locks would only cost a statement.
   */
  readonly exclusive?: boolean;
}

export interface Store extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /**
   * True where this process is the store's only client (PGlite): what it keeps in memory about the store
   * (rate-limit counters) is exactly the store's, and cross-process locks are unnecessary.
   */
  readonly exclusive: boolean;
  /** Runs fn in one transaction; conflicts between writers are retried by the driver where safe. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations, resets). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Calls `listener` around every write to a table a Principal is made of (tokens, integrations, shares,
   * users, workspaces): at once for this process's writes, and on PostgreSQL also after another process's
   * commit (LISTEN/NOTIFY, migration 4).
   */
  onAuthWrite(listener: () => void): void;
  /**
   * False while another process's auth writes could go unseen (PostgreSQL: the listening connection is not
   * up yet, or was lost); nothing may be cached from the auth tables then.
   */
  watchingAuthWrites(): boolean;
  /** Connection pool figures for metrics (PostgreSQL only). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Marks a statement whose best plan does not depend on its parameter values — a primary-key read, a
 * single-row insert or update by id: PGlite prepares it once and may reuse its plan. Every other statement
 * is planned for its own parameters each time it runs (a generic plan for a compiled database filter took
 * 3.9 s instead of 0.18 s over 100,000 rows). The marker is an SQL comment: PostgreSQL ignores it.
 */
export function fixedPlan(sql: string): string {
  return `${FIXED_PLAN}${sql}`;
}

export const FIXED_PLAN = '/* fixed plan */ ';

/** Statements that change who a token is or what it may see. */
const AUTH_WRITE =
  /^\s*(?:\/\*[^*]*\*\/\s*)?(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:tokens|integrations|shares|users|workspaces)\b/i;

export function writesAuthTables(sql: string): boolean {
  return AUTH_WRITE.test(sql);
}

/** The listeners of Store.onAuthWrite, for the drivers: told around this process's auth writes. */
export class AuthWriteListeners {
  private readonly listeners: (() => void)[] = [];

  /** Adds one; true for the first (a driver may start watching other processes then). */
  add(listener: () => void): boolean {
    this.listeners.push(listener);
    return this.listeners.length === 1;
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  /** Called before and after a statement: a reader that started in between is not cached either. */
  note(sql: string): void {
    if (this.listeners.length > 0 && writesAuthTables(sql)) this.changed();
  }
}
