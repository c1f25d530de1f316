// PGlite driver: the embedded default, on disk (one writer process, guarded by a lock file) or in memory.
// In-memory stores start from a migrated snapshot cached on disk, which skips initdb (~3 s → <1 s).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { SCHEMA_FINGERPRINT, migrate } from './migrations.js';
import { PgliteStatements } from './pglite-statements.js';
import { writesAuthTables, type SqlExecutor, type Store } from './sql-store.js';

/** Statements that read or write rows (prepared and kept); everything else is DDL or a script. */
const DATA_STATEMENT = /^\s*(?:select|insert|update|delete|with)\b/i;

class PgliteStore implements Store {
  readonly kind = 'pglite' as const;
  private readonly authListeners: (() => void)[] = [];
  private readonly statements: PgliteStatements;
  constructor(private readonly db: PGlite) {
    this.statements = new PgliteStatements(db);
  }

  onAuthWrite(listener: () => void): void {
    this.authListeners.push(listener);
  }

  /** Told before and after the write: a reader that started in between is not cached either. */
  private noteWrite(sql: string): void {
    if (this.authListeners.length > 0 && writesAuthTables(sql)) for (const l of this.authListeners) l();
  }

  /**
   * Data statements run as prepared statements (pglite-statements.ts); anything else (DDL, scripts) through
   * PGlite's own query, after which the prepared ones are dropped, so no plan outlives a schema change.
   * `tx` is PGlite's transaction when one is open: its locks are held already.
   */
  private async run<Row>(sql: string, params: readonly unknown[], tx?: Transaction): Promise<Row[]> {
    if (DATA_STATEMENT.test(sql)) {
      const prepared = () =>
        this.db._runExclusiveQuery(async () => {
          const rows = this.statements.run<Row>(sql, params);
          if (!tx) await this.db.syncToFs(); // as PGlite.query does after a statement outside a transaction
          return rows;
        });
      // Outside a transaction a statement waits for any open one to finish, as PGlite.query does.
      return tx ? prepared() : this.db._runExclusiveTransaction(prepared);
    }
    const rows = (await (tx ?? this.db).query<Row>(sql, params as unknown[])).rows;
    await this.forgetStatements(tx);
    return rows;
  }

  private async forgetStatements(tx?: Transaction): Promise<void> {
    if (this.statements.size === 0) return;
    this.statements.clear();
    await (tx ?? this.db).query('DEALLOCATE ALL');
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.noteWrite(sql);
    const rows = await this.run<Row>(sql, params);
    this.noteWrite(sql);
    return rows;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let wroteAuth = false;
    try {
      return await this.db.transaction(async (tx) =>
        fn({
          query: async <Row>(sql: string, params: readonly unknown[] = []) => {
            if (writesAuthTables(sql)) {
              wroteAuth = true;
              this.noteWrite(sql);
            }
            return this.run<Row>(sql, params, tx);
          },
        }),
      );
    } finally {
      if (wroteAuth) for (const l of this.authListeners) l(); // after COMMIT/ROLLBACK too
    }
  }

  async exec(sql: string): Promise<void> {
    for (const l of this.authListeners) l();
    await this.db.exec(sql);
    await this.forgetStatements();
  }

  /** A gzip-free tarball of the data directory. */
  async snapshot(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export type { PgliteStore };

export function templatePath(): string {
  const base = process.env.NOTION_LOCAL_CACHE_DIR ?? join(tmpdir(), 'notion-local-cache');
  return join(base, `pglite-template-${SCHEMA_FINGERPRINT}.tar`);
}

async function loadTemplate(): Promise<Blob | undefined> {
  const path = templatePath();
  if (!existsSync(path)) return undefined;
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return undefined;
  }
}

async function saveTemplate(store: PgliteStore): Promise<void> {
  const path = templatePath();
  try {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await (await store.snapshot()).arrayBuffer()));
    await rename(tmp, path); // atomic: concurrent test workers never read half a file
  } catch {
    // A cache we cannot write only costs start-up time.
  }
}

export async function openPglite(options: { dataDir?: string }): Promise<PgliteStore> {
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    const store = new PgliteStore(await PGlite.create({ dataDir: options.dataDir }));
    await migrate(store);
    return store;
  }
  const template = await loadTemplate();
  if (template) {
    const store = new PgliteStore(await PGlite.create({ loadDataDir: template }));
    await migrate(store);
    return store;
  }
  const store = new PgliteStore(await PGlite.create());
  await migrate(store);
  await saveTemplate(store);
  return store;
}
