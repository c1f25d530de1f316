// PGlite driver: the embedded default, on disk (one writer process, guarded by a lock file) or in memory.
// In-memory stores start from a migrated snapshot cached on disk, which skips initdb (~3 s → <1 s).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync, openAsBlob } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { SCHEMA_FINGERPRINT, migrate } from './migrations.js';
import { PgliteStatements } from './pglite-statements.js';
import { AuthWriteListeners, FIXED_PLAN, writesAuthTables, type SqlExecutor, type Store } from './sql-store.js';

/**
 * Statements that read or write rows; anything else is DDL or a script, after which prepared statements are
 * dropped.
 */
const DATA_STATEMENT = /^\s*(?:select|insert|update|delete|with)\b/i;

/** Changed rows, and milliseconds, between two looks at the tables' statistics (see maybeUpkeep). */
const UPKEEP_EVERY = 200;
const UPKEEP_INTERVAL_MS = 1000;
/**
 * The statistics target of the ANALYZEs the upkeep runs: PGlite analyses on the thread that serves requests,
 * and at Postgres's default (100: a 30,000-row sample) a 40,000-row `blocks` took 230-400 ms, every request
 * waiting; at 10 (3,000 rows) it is ~15 ms whatever the size. The store's queries are answered by indexes,
 * which need row counts and the commonest values, not fine histograms.
 */
const UPKEEP_STATISTICS_TARGET = 10;

class PgliteStore implements Store {
  readonly kind = 'pglite' as const;
  readonly exclusive = true;
  private readonly auth = new AuthWriteListeners();
  private readonly statements: PgliteStatements;
  /** Rows changed since the last upkeep check, and the check in progress (PGlite has no autovacuum). */
  private changedSinceUpkeep = 0;
  private lastUpkeepAt = 0;
  private upkeep: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: PGlite) {
    this.statements = new PgliteStatements(db);
  }

  /**
   * What autovacuum does on a server and PGlite lacks: at most once a second (Postgres publishes table
   * counters no more often) and after UPKEEP_EVERY changed rows, the tables past autovacuum's default
   * thresholds (analyze: 50 + 10 % of the live rows changed; vacuum: 50 + 20 % dead) are analysed or vacuumed,
   * between statements. Without it the planner keeps the statistics of an empty table, and plans made then (a
   * parent's has_children as a sequential scan) slow down with every page added.
   */
  private maybeUpkeep(): void {
    this.changedSinceUpkeep += this.statements.takeChanges();
    if (this.upkeep || this.closed || this.changedSinceUpkeep < UPKEEP_EVERY) return;
    const now = Date.now();
    if (now - this.lastUpkeepAt < UPKEEP_INTERVAL_MS) return;
    this.changedSinceUpkeep = 0;
    this.lastUpkeepAt = now;
    this.upkeep = (async () => {
      try {
        // The counters of this schema's tables only (the pg_stat_user_tables view costs several times more).
        // oid::regclass is the table's name as it must be written (schema-qualified and quoted where needed).
        const tables = await this.db.query<{ name: string; analyze: boolean; vacuum: boolean }>(
          `SELECT name, mods > 50 + 0.1 * live AS analyze, dead > 50 + 0.2 * live AS vacuum
             FROM (SELECT c.oid::regclass::text AS name, pg_stat_get_mod_since_analyze(c.oid) AS mods,
                          pg_stat_get_live_tuples(c.oid) AS live, pg_stat_get_dead_tuples(c.oid) AS dead
                     FROM pg_class c
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r') t
            WHERE mods > 50 + 0.1 * live OR dead > 50 + 0.2 * live`,
        );
        for (const t of tables.rows) {
          if (this.closed) return;
          // Statistics are an optimisation: a table that cannot be analysed now does not stop the others.
          await this.db
            .exec(t.vacuum ? `VACUUM ${t.analyze ? '(ANALYZE) ' : ''}${t.name}` : `ANALYZE ${t.name}`)
            .catch(() => undefined);
        }
      } catch {
        // a store being closed skips the round
      } finally {
        this.upkeep = null;
      }
    })();
  }

  onAuthWrite(listener: () => void): void {
    this.auth.add(listener);
  }

  /** Always: every write passes through this process (a data directory admits one process). */
  watchingAuthWrites(): boolean {
    return true;
  }

  /**
   * One statement, the caller holding the query lock (pglite-statements.ts). A statement marked fixedPlan()
   * is prepared once and kept; any other data statement goes through the unnamed statement, planned for its
   * parameters; anything else (DDL) too, after which the prepared ones are dropped, so no plan outlives a
   * schema change.
   */
  private statement<Row>(sql: string, params: readonly unknown[]): Row[] {
    if (sql.startsWith(FIXED_PLAN)) return this.statements.run<Row>(sql, params);
    const rows = this.statements.runOnce<Row>(sql, params);
    if (!DATA_STATEMENT.test(sql)) this.statements.clear();
    return rows;
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.auth.note(sql);
    try {
      // Like PGlite.query: wait for any open transaction, then run alone.
      return await this.db._runExclusiveTransaction(() =>
        this.db._runExclusiveQuery(async () => {
          const rows = this.statement<Row>(sql, params);
          await this.db.syncToFs();
          return rows;
        }),
      );
    } finally {
      this.auth.note(sql);
      this.maybeUpkeep();
    }
  }

  /** BEGIN and COMMIT (or ROLLBACK) as one crossing each; the transaction lock is held throughout. */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let wroteAuth = false;
    const locked = <R>(work: () => R) => this.db._runExclusiveQuery(async () => work());
    try {
      return await this.db._runExclusiveTransaction(async () => {
        await locked(() => this.statements.simple('BEGIN'));
        let open = true;
        const tx: SqlExecutor = {
          exclusive: true,
          query: async <Row>(sql: string, params: readonly unknown[] = []) => {
            if (!open) throw new Error('transaction is already closed');
            if (writesAuthTables(sql)) {
              wroteAuth = true;
              this.auth.changed();
            }
            return locked(() => this.statement<Row>(sql, params));
          },
        };
        let result: T;
        try {
          result = await fn(tx);
        } catch (error) {
          open = false;
          // The caller's error is the one to report, even if the rollback fails too.
          await locked(() => this.statements.simple('ROLLBACK')).catch(() => undefined);
          await this.db.syncToFs();
          throw error;
        }
        open = false;
        try {
          // A transaction that failed inside (an error the caller caught) ends as ROLLBACK, not COMMIT.
          const tags = await locked(() => this.statements.simple('COMMIT'));
          if (tags.includes('ROLLBACK')) {
            throw Object.assign(
              new Error('the transaction was rolled back instead of committed: a statement in it failed'),
              { code: '25P02' },
            );
          }
          return result;
        } finally {
          await this.db.syncToFs();
        }
      });
    } finally {
      if (wroteAuth) this.auth.changed(); // after COMMIT/ROLLBACK too
      this.maybeUpkeep();
    }
  }

  /** A script (DDL, several statements), then the prepared statements dropped, under one lock. */
  async exec(sql: string): Promise<void> {
    this.auth.changed(); // scripts are not inspected: assume they touch the auth tables
    try {
      await this.db._runExclusiveTransaction(() =>
        this.db._runExclusiveQuery(async () => {
          try {
            this.statements.simple(sql);
          } finally {
            this.statements.clear();
            await this.db.syncToFs();
          }
        }),
      );
    } finally {
      this.auth.changed();
    }
  }

  /** A gzip-free tarball of the data directory. */
  async snapshot(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.upkeep;
    await this.db.close();
  }
}

export type { PgliteStore };

export function templatePath(): string {
  const base = process.env.NOTION_LOCAL_CACHE_DIR ?? join(tmpdir(), 'notion-local-cache');
  // v2: without the template0 and template1 databases (see saveTemplate)
  return join(base, `pglite-template-v2-${SCHEMA_FINGERPRINT}.tar`);
}

/**
 * The template as a Blob backed by the file (fs.openAsBlob): PGlite reads it once, where reading it into a
 * Buffer and wrapping that in a Blob copied the 41 MB twice more (~350 ms on a slow machine).
 */
async function loadTemplate(): Promise<Blob | undefined> {
  const path = templatePath();
  if (!existsSync(path)) return undefined;
  try {
    return await openAsBlob(path);
  } catch {
    return undefined;
  }
}

async function saveTemplate(store: PgliteStore): Promise<void> {
  const path = templatePath();
  try {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    // Only the `postgres` database is ever used. Without the two template databases initdb also makes, the
    // snapshot is 26 MB instead of 41 and a store starts from it in ~0.5 s instead of ~1.4 s (measured here).
    await store.exec(`ALTER DATABASE template0 WITH IS_TEMPLATE false`);
    await store.exec('DROP DATABASE template0');
    await store.exec(`ALTER DATABASE template1 WITH IS_TEMPLATE false`);
    await store.exec('DROP DATABASE template1');
    await store.exec('CHECKPOINT');
    await writeFile(tmp, Buffer.from(await (await store.snapshot()).arrayBuffer()));
    await rename(tmp, path); // atomic: concurrent test workers never read half a file
  } catch {
    // A cache we cannot write only costs start-up time.
  }
}

/** A store over a started PGlite, migrated. */
async function ready(db: PGlite): Promise<PgliteStore> {
  const store = new PgliteStore(db);
  await db.exec(`SET default_statistics_target = ${UPKEEP_STATISTICS_TARGET}`); // this session's ANALYZEs: see above
  await migrate(store);
  return store;
}

/**
 * In-memory stores: Postgres zeroes its shared buffers as it starts, ~3 ms per MB measured here, and 32 MB
 * instead of the 128 MB default saves ~300 ms of every start. The data is in memory anyway (Emscripten's
 * memory FS), so a page missing from the buffers costs a copy, not a read from disk.
 */
const MEMORY_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

export async function openPglite(options: { dataDir?: string }): Promise<PgliteStore> {
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    return ready(await PGlite.create({ dataDir: options.dataDir }));
  }
  const template = await loadTemplate();
  // A template that cannot be read (replaced by another process as we read it) means building a store afresh.
  const loaded =
    template &&
    (await PGlite.create({ loadDataDir: template, startParams: MEMORY_START_PARAMS }).catch(() => undefined));
  if (loaded) return ready(loaded);
  const store = await ready(await PGlite.create({ startParams: MEMORY_START_PARAMS }));
  await saveTemplate(store);
  return store;
}
