// PGlite driver: the embedded default, on disk (one writer process, guarded by a lock file) or in memory.
// In-memory stores start from a migrated snapshot cached on disk, which skips initdb (~3 s → <1 s).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { SCHEMA_FINGERPRINT, migrate } from './migrations.js';
import { writesAuthTables, type SqlExecutor, type Store } from './sql-store.js';

class PgliteStore implements Store {
  readonly kind = 'pglite' as const;
  private readonly authListeners: (() => void)[] = [];
  constructor(private readonly db: PGlite) {}

  onAuthWrite(listener: () => void): void {
    this.authListeners.push(listener);
  }

  /** Told before and after the write: a reader that started in between is not cached either. */
  private noteWrite(sql: string): void {
    if (this.authListeners.length > 0 && writesAuthTables(sql)) for (const l of this.authListeners) l();
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.noteWrite(sql);
    const result = await this.db.query<Row>(sql, params as unknown[]);
    this.noteWrite(sql);
    return result.rows;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let wroteAuth = false;
    try {
      return await this.db.transaction(async (tx: Transaction) =>
        fn({
          query: async <Row>(sql: string, params: readonly unknown[] = []) => {
            if (writesAuthTables(sql)) {
              wroteAuth = true;
              this.noteWrite(sql);
            }
            return (await tx.query<Row>(sql, params as unknown[])).rows;
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
