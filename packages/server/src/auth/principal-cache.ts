// Token → Principal without a query per request, where that is safe: on PGlite one process owns the
// store, so every write to the tables a Principal is made of passes through this process. The store
// reports such writes (Store.onAuthWrite); each one moves the epoch and empties the cache, so a
// refreshed token, a new share or a changed capability applies to the very next request. A lookup
// that raced a write is not cached (its epoch is stale). PostgreSQL is shared by several processes,
// so there every request asks the store.
import type { Principal } from './access.js';
import { principalForToken } from './authenticate.js';
import { hashToken } from './tokens.js';
import type { SqlExecutor } from '../store/sql-store.js';

const MAX_ENTRIES = 1000;

export class PrincipalCache {
  private epoch = 0;
  private readonly entries = new Map<string, Principal>();

  invalidate(): void {
    this.epoch++;
    this.entries.clear();
  }

  async lookup(db: SqlExecutor, token: string): Promise<Principal | null> {
    const key = hashToken(token);
    const hit = this.entries.get(key);
    if (hit) return hit;
    const startedAt = this.epoch;
    const principal = await principalForToken(db, token);
    if (principal && startedAt === this.epoch) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, principal);
    }
    return principal;
  }
}
