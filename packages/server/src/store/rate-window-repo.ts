// The rate limiter's counters where several processes share them (PostgreSQL): fixed windows
// (rate_windows, one row per key and window) and token buckets (rate_buckets, one row per key).
import type { SqlExecutor } from './sql-store.js';

/**
 * Takes one unit from a fixed window if it has room (a conditional upsert that holds the row until the
 * transaction ends); false when the window is full.
 */
export async function takeFromWindow(
  tx: SqlExecutor,
  key: string,
  windowStart: number,
  limit: number,
): Promise<boolean> {
  const rows = await tx.query<{ count: number }>(
    `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1 WHERE rate_windows.count < $3
     RETURNING count`,
    [key, windowStart, limit],
  );
  return rows.length > 0 && limit >= 1;
}

/** Drops the windows that started before `before` (they can no longer limit anything). */
export async function deleteWindowsBefore(db: SqlExecutor, before: number): Promise<void> {
  await db.query('DELETE FROM rate_windows WHERE window_start < $1', [before]);
}

/**
 * Reads a token bucket and locks it for the rest of the transaction, creating it full (`burst` tokens at
 * `nowMs`) when it does not exist yet.
 */
export async function lockBucket(
  tx: SqlExecutor,
  key: string,
  burst: number,
  nowMs: number,
): Promise<{ tokens: number; updatedMs: number } | null> {
  await tx.query(
    'INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
    [key, burst, nowMs],
  );
  const rows = await tx.query<{ tokens: number; updated_ms: string }>(
    'SELECT tokens, updated_ms FROM rate_buckets WHERE key = $1 FOR UPDATE',
    [key],
  );
  const row = rows[0];
  return row ? { tokens: Number(row.tokens), updatedMs: Number(row.updated_ms) } : null;
}

/** Stores a bucket's tokens as of `nowMs` (its time never goes back). */
export async function saveBucket(tx: SqlExecutor, key: string, tokens: number, nowMs: number): Promise<void> {
  await tx.query('UPDATE rate_buckets SET tokens = $2, updated_ms = GREATEST(updated_ms, $3) WHERE key = $1', [
    key,
    tokens,
    nowMs,
  ]);
}
