// Picks the driver from the config: --database-url → PostgreSQL, --data-dir → PGlite on disk, else in memory.
// Drivers load on demand: an embedded start never loads `pg`, a PostgreSQL one never loads PGlite.
import { lockDataDir } from './data-dir-lock.js';
import type { Store } from './sql-store.js';

export type StoreOptions =
  { kind: 'memory' } | { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; schema?: string };

export async function openStore(options: StoreOptions): Promise<Store> {
  switch (options.kind) {
    case 'memory':
      return (await import('./pglite-store.js')).openPglite({});
    case 'pglite':
      return (await import('./pglite-store.js')).openPglite({ dataDir: options.dataDir });
    case 'postgres': {
      const { openPostgres } = await import('./postgres-store.js');
      return openPostgres(options.schema ? { url: options.url, schema: options.schema } : { url: options.url });
    }
  }
}

/**
 * Keeps a second process out of a PGlite data directory (it admits one) until the returned function is
 * called; other stores need no lock.
 */
export function lockForStore(options: StoreOptions): () => void {
  return options.kind === 'pglite' ? lockDataDir(options.dataDir) : () => undefined;
}
