// PostgreSQL driver (`--database-url`): durable, and shared by several server processes.
// `schema` isolates a test run inside one database; it is created on open.
import pg from 'pg';
import { migrate } from './migrations.js';
import { redactUrl } from './redact-url.js';
import { StoreUnavailableError, type SqlExecutor, type Store } from './sql-store.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_TX_ATTEMPTS = 5;
export const LOCK_TIMEOUT_MS = 2000;

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        // A writer waiting longer than this on another's row lock gets 409 conflict_error, as Notion answers.
        await client.query(`BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
        const value = await fn({
          query: async <Row>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(sql, params as unknown[])).rows as Row[],
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_TX_ATTEMPTS) throw error;
      } finally {
        client.release();
      }
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export type { PostgresStore };

export async function openPostgres(options: { url: string; schema?: string; poolSize?: number }): Promise<PostgresStore> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreUnavailableError(`cannot reach PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`);
  }
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // Two instances starting at once can both miss the schema; the loser sees a duplicate and goes on.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') throw error;
    }
  }
  const store = new PostgresStore(pool);
  await migrate(store);
  return store;
}

/** Drops a schema created for a test run. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export { redactUrl };
