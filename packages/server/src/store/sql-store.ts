// The store's one interface: parameterised SQL and transactions. Two drivers implement it
// (PGlite embedded, PostgreSQL over `pg`); everything above speaks only this.

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Store extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; conflicts between writers are retried by the driver where safe. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script without parameters (migrations, resets). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** Connection pool figures for metrics (PostgreSQL only). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
