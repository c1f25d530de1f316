// Picks the driver from the config: --database-url → PostgreSQL, --data-dir → PGlite on disk, else in memory.
import { openPglite } from './pglite-store.js';
import { openPostgres } from './postgres-store.js';
import type { Store } from './sql-store.js';

export type StoreOptions =
  | { kind: 'memory' }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; schema?: string };

export async function openStore(options: StoreOptions): Promise<Store> {
  switch (options.kind) {
    case 'memory':
      return openPglite({});
    case 'pglite':
      return openPglite({ dataDir: options.dataDir });
    case 'postgres':
      return openPostgres(options.schema ? { url: options.url, schema: options.schema } : { url: options.url });
  }
}
