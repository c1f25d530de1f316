// The sign-in throttle's counters (sign_in_attempts, migration 5): one row per key (an account or a client
// address) with the start of its window and the attempts counted in it. Kept in the store on both drivers,
// so several processes on one PostgreSQL share them exactly.
import type { SqlExecutor } from './sql-store.js';

export interface AttemptWindow {
  windowStart: number;
  count: number;
}

/**
 * Counts one attempt for `key` if its window has room: a window that ended (started at or before
 * `nowMs - windowMs`) starts again at `nowMs`. One conditional upsert, which holds the row until the
 * transaction ends. Returns the window after counting, or null when it is full (nothing counted).
 */
export async function takeAttempt(
  tx: SqlExecutor,
  key: string,
  nowMs: number,
  limit: number,
  windowMs: number,
): Promise<AttemptWindow | null> {
  const rows = await tx.query<{ window_start: string; count: number }>(
    `INSERT INTO sign_in_attempts AS a (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN a.window_start <= $2 - $4 THEN $2 ELSE a.window_start END,
       count = CASE WHEN a.window_start <= $2 - $4 THEN 1 ELSE a.count + 1 END
     WHERE a.window_start <= $2 - $4 OR a.count < $3
     RETURNING window_start, count`,
    [key, nowMs, limit, windowMs],
  );
  const row = rows[0];
  return row ? { windowStart: Number(row.window_start), count: Number(row.count) } : null;
}

/** The window of `key`, or null when it has none. */
export async function findAttemptWindow(db: SqlExecutor, key: string): Promise<AttemptWindow | null> {
  const rows = await db.query<{ window_start: string; count: number }>(
    'SELECT window_start, count FROM sign_in_attempts WHERE key = $1',
    [key],
  );
  const row = rows[0];
  return row ? { windowStart: Number(row.window_start), count: Number(row.count) } : null;
}

/** Takes back one attempt counted in the window that started at `windowStart` (if it is still that one). */
export async function returnAttempt(db: SqlExecutor, key: string, windowStart: number): Promise<void> {
  await db.query('UPDATE sign_in_attempts SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0', [
    key,
    windowStart,
  ]);
}

/** Forgets every attempt of `key`. */
export async function clearAttempts(db: SqlExecutor, key: string): Promise<void> {
  await db.query('DELETE FROM sign_in_attempts WHERE key = $1', [key]);
}

/** Drops the windows that started at or before `before` (they can no longer refuse anything). */
export async function deleteAttemptsBefore(db: SqlExecutor, before: number): Promise<void> {
  await db.query('DELETE FROM sign_in_attempts WHERE window_start <= $1', [before]);
}
