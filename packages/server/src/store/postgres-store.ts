// PostgreSQL driver (`--database-url`): durable, and shared by several server processes.
// `schema` isolates a test run inside one database; it is created on open.
import pg from 'pg';
import { AUTH_CHANNEL, migrate } from './migrations.js';
import { redactUrl } from './redact-url.js';
import {
  AuthWriteListeners,
  FIXED_PLAN,
  StoreUnavailableError,
  writesAuthTables,
  type SqlExecutor,
  type Store,
} from './sql-store.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_TX_ATTEMPTS = 5;
export const LOCK_TIMEOUT_MS = 2000;

/** How long to wait before listening again after the listening connection failed. */
const RELISTEN_MS = 1000;
/** How often the listening connection proves it still hears notifications, and how long an answer may take. */
const HEARTBEAT_MS = 30_000;
const HEARD_WITHIN_MS = 5_000;

/**
 * Postgres's answer to a prepared statement whose table changed shape under it: "cached plan must not change
 * result type".
 */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; routine?: string };
  return e.code === '0A000' && e.routine === 'RevalidateCachedQuery';
}

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly exclusive = false;
  private readonly auth = new AuthWriteListeners();
  private listener: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The payload of this store's own pings (no other store's listener takes it for an auth write). */
  private readonly pingPayload = `${Math.random().toString(36).slice(2)}:ping`;
  private heard: (() => void) | null = null;
  /** Names of the fixedPlan() statements, by SQL text; a new generation after a schema change (see statement). */
  private readonly names = new Map<string, string>();
  private generation = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    /** The schema this store's tables live in: the payload of its auth notifications. */
    private readonly schema: string,
  ) {}

  onAuthWrite(listener: () => void): void {
    if (this.auth.add(listener)) void this.listen();
  }

  watchingAuthWrites(): boolean {
    return this.listening;
  }

  /**
   * One connection LISTENs for other processes' auth writes (migration 4). Until it has heard its own
   * ping, and whenever it is lost or a ping goes unanswered, watchingAuthWrites() is false and the cache is
   * emptied: a notification might be missed (a half-open TCP connection raises no error; a pooler in
   * transaction mode accepts LISTEN and delivers nothing).
   */
  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      this.listening = false;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      this.auth.changed();
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen(), RELISTEN_MS).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel !== AUTH_CHANNEL) return;
      if (message.payload === this.pingPayload) this.heard?.();
      else if (message.payload === this.schema) this.auth.changed();
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
      if (!(await this.ping())) throw new Error('the listening connection hears no notifications');
      if (this.listener !== client || this.closed) return;
      this.auth.changed(); // anything looked up before now might predate a write we did not hear of
      this.listening = true;
      this.heartbeat = setInterval(() => {
        void this.ping().then((ok) => {
          if (!ok) lost();
        });
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    } catch {
      lost();
    }
  }

  /** Sends a notification from the pool and waits for the listening connection to hear it. */
  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.heard = null;
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), HEARD_WITHIN_MS);
      timer.unref();
      this.heard = () => done(true);
      this.pool.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, this.pingPayload]).catch(() => done(false));
    });
  }

  /**
   * A statement marked fixedPlan() goes as a named prepared statement, which `pg` prepares once per pooled
   * connection: Postgres then parses and plans it once, not on every call (PostgreSQL retrieve 0.50 → 0.60 of
   * the driver's select rate). Others stay unnamed, planned for their parameters. After a schema change
   * names start afresh, so no statement prepared for a table's old shape is used again.
   */
  private statement(sql: string, params: readonly unknown[]): pg.QueryConfig {
    if (!sql.startsWith(FIXED_PLAN)) return { text: sql, values: params as unknown[] };
    let name = this.names.get(sql);
    if (!name) {
      name = `nl_${this.generation}_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return { name, text: sql, values: params as unknown[] };
  }

  private forgetStatements(): void {
    this.names.clear();
    this.generation++;
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.auth.note(sql);
    try {
      try {
        return (await this.pool.query(this.statement(sql, params))).rows as Row[];
      } catch (error) {
        // Another process changed the schema (a migration): prepare afresh, once.
        if (!isStalePlan(error)) throw error;
        this.forgetStatements();
        return (await this.pool.query(this.statement(sql, params))).rows as Row[];
      }
    } finally {
      this.auth.note(sql);
    }
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let wroteAuth = false;
      try {
        // A writer waiting longer than this on another's row lock gets 409 conflict_error, as Notion answers.
        await client.query(`BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
        const value = await fn({
          query: async <Row>(sql: string, params: readonly unknown[] = []) => {
            if (writesAuthTables(sql)) {
              wroteAuth = true;
              this.auth.changed();
            }
            return (await client.query(this.statement(sql, params))).rows as Row[];
          },
        });
        // A transaction that failed inside (an error the caller caught) ends as ROLLBACK, not COMMIT.
        const committed = await client.query('COMMIT');
        if (committed.command === 'ROLLBACK') {
          throw Object.assign(
            new Error('the transaction was rolled back instead of committed: a statement in it failed'),
            { code: '25P02' },
          );
        }
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        const stale = isStalePlan(error);
        if (stale) this.forgetStatements(); // and run the transaction again, its statements prepared afresh
        if (!code || !(RETRYABLE.has(code) || stale) || attempt >= MAX_TX_ATTEMPTS) throw error;
      } finally {
        client.release();
        if (wroteAuth) this.auth.changed(); // after COMMIT/ROLLBACK too
      }
    }
  }

  async exec(sql: string): Promise<void> {
    this.auth.changed(); // scripts are not inspected: assume they touch the auth tables
    try {
      await this.pool.query(sql);
    } finally {
      this.forgetStatements();
      this.auth.changed();
    }
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.heard?.();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

export type { PostgresStore };

export async function openPostgres(options: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<PostgresStore> {
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
    throw new StoreUnavailableError(
      `cannot reach PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`,
    );
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
  // Notifications carry the schema the triggers ran in: current_schema(), whatever made it so (the
  // schema option, a search_path in the URL, a schema named like the role).
  const current =
    (await pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public';
  const store = new PostgresStore(pool, options.url, current);
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
