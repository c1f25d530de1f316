// Token → Principal without a query per request. The store reports every write to the tables a Principal
// is made of (Store.onAuthWrite): this process's at once, so a refreshed token, a new share or a changed
// capability applies to its very next request; on PostgreSQL other processes' too, after their commit
// (LISTEN/NOTIFY), so there a change made elsewhere applies within the notification's delay (about a
// millisecond on one machine; docs/limitations.md). Each report moves the epoch and empties the cache; a
// lookup that raced a report is not cached (its epoch is stale). While the store cannot see other
// processes' writes (Store.watchingAuthWrites), every request asks the store.
import type { Principal } from './access.js';
import { principalForToken } from './authenticate.js';
import { hashToken } from './tokens.js';
import type { Store } from '../store/sql-store.js';

const MAX_ENTRIES = 1000;

export class PrincipalCache {
  private epoch = 0;
  private readonly entries = new Map<string, Principal>();

  /** Watches `store` for auth writes; look-ups must go to the same store. */
  constructor(private readonly store: Store) {
    store.onAuthWrite(() => this.invalidate());
  }

  invalidate(): void {
    this.epoch++;
    this.entries.clear();
  }

  async lookup(token: string): Promise<Principal | null> {
    const db = this.store;
    if (!db.watchingAuthWrites()) return principalForToken(db, token);
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
