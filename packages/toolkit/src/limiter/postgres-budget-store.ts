// A rate budget shared through PostgreSQL: one row per budget, updated by one atomic statement
// (INSERT … ON CONFLICT DO UPDATE … RETURNING takes the row lock), so concurrent workers on any host
// never hand out the same slot.
import pg from 'pg';
import { intervalMs, reservationFromUpdatedState, type PaceSpec, type Reservation } from './pacing.js';
import type { BudgetStore } from './budget-store.js';

export interface PostgresBudgetStoreOptions {
  /** A connection string, or an existing pool (not closed by `close()`). */
  readonly connectionString?: string;
  readonly pool?: pg.Pool;
  /** Schema for the table (created if missing); default `public`. */
  readonly schema?: string;
  readonly table?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export class PostgresBudgetStore implements BudgetStore {
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly qualified: string;
  private readonly schemaName: string;
  private ready: Promise<void> | null = null;

  constructor(options: PostgresBudgetStoreOptions) {
    if (!options.pool && !options.connectionString)
      throw new Error('PostgresBudgetStore needs a connectionString or a pool');
    this.pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 2 });
    this.ownsPool = !options.pool;
    this.schemaName = options.schema ?? 'public';
    this.qualified = `${quoteIdent(this.schemaName)}.${quoteIdent(options.table ?? 'notion_rate_budgets')}`;
  }

  private ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        // The advisory lock keeps concurrent first starts from racing on CREATE … IF NOT EXISTS.
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [this.qualified]);
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schemaName)}`);
          await client.query(`CREATE TABLE IF NOT EXISTS ${this.qualified} (
            key text PRIMARY KEY,
            tat_ms double precision NOT NULL,
            paused_until_ms double precision NOT NULL DEFAULT 0)`);
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.qualified]);
        }
      } finally {
        client.release();
      }
    })();
    return this.ready;
  }

  async reserve(key: string, nowMs: number, spec: PaceSpec): Promise<Reservation> {
    await this.ensureTable();
    const { rows } = await this.pool.query<{ tat_ms: number; paused_until_ms: number }>(
      `INSERT INTO ${this.qualified} AS b (key, tat_ms, paused_until_ms) VALUES ($1, $2::double precision + $3::double precision, 0)
       ON CONFLICT (key) DO UPDATE SET tat_ms = GREATEST(b.tat_ms, b.paused_until_ms, $2::double precision) + $3::double precision
       RETURNING tat_ms, paused_until_ms`,
      [key, nowMs, intervalMs(spec)],
    );
    const row = rows[0];
    if (!row) throw new Error('rate budget update returned no row');
    return reservationFromUpdatedState(
      { tatMs: Number(row.tat_ms), pausedUntilMs: Number(row.paused_until_ms) },
      nowMs,
      spec,
    );
  }

  async pause(key: string, untilMs: number, _nowMs: number): Promise<void> {
    await this.ensureTable();
    await this.pool.query(
      `INSERT INTO ${this.qualified} AS b (key, tat_ms, paused_until_ms) VALUES ($1, 0, $2)
       ON CONFLICT (key) DO UPDATE SET paused_until_ms = GREATEST(b.paused_until_ms, $2::double precision)`,
      [key, untilMs],
    );
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
