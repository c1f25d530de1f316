// What a migration is (store/migrations.ts lists them in order).
import type { SqlExecutor } from './sql-store.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL alone cannot express, run after `sql` in the same transaction. */
  run?: (tx: SqlExecutor) => Promise<void>;
}
