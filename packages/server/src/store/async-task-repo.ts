// SQL for the async_tasks table (migration 7): a Markdown write run after its 202, its result or error kept
// until expires_time. A task belongs to the integration that started it; reads of expired tasks find nothing.
import { fixedPlan, type SqlExecutor } from './sql-store.js';

/** One task as stored (the row type lives here: the table is this repository's alone). */
export interface AsyncTaskRow {
  id: string;
  workspace_id: string;
  integration_id: string;
  operation: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  created_time: Date;
  finished_time: Date | null;
  expires_time: Date;
}

const COLUMNS =
  'id, workspace_id, integration_id, operation, status, result, error, created_time, finished_time, expires_time';

export async function insertAsyncTask(
  db: SqlExecutor,
  task: Pick<AsyncTaskRow, 'id' | 'workspace_id' | 'integration_id' | 'operation' | 'created_time' | 'expires_time'>,
): Promise<void> {
  await db.query(
    fixedPlan(
      `INSERT INTO async_tasks (id, workspace_id, integration_id, operation, status, created_time, expires_time)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6)`,
    ),
    [task.id, task.workspace_id, task.integration_id, task.operation, task.created_time, task.expires_time],
  );
}

/** A task of this integration that has not expired at `now`, else null (missing, expired and foreign alike). */
export async function findAsyncTask(
  db: SqlExecutor,
  id: string,
  integrationId: string,
  now: Date,
): Promise<AsyncTaskRow | null> {
  const rows = await db.query<AsyncTaskRow>(
    fixedPlan(`SELECT ${COLUMNS} FROM async_tasks WHERE id = $1 AND integration_id = $2 AND expires_time > $3`),
    [id, integrationId, now],
  );
  return rows[0] ?? null;
}

/** Marks a queued task as running. */
export async function markAsyncTaskRunning(db: SqlExecutor, id: string): Promise<void> {
  await db.query(fixedPlan(`UPDATE async_tasks SET status = 'running' WHERE id = $1 AND status = 'queued'`), [id]);
}

/** Ends a task with its result or its error, kept until `expires`. */
export async function finishAsyncTask(
  db: SqlExecutor,
  id: string,
  outcome: { status: 'succeeded'; result: unknown } | { status: 'failed'; error: unknown },
  at: Date,
  expires: Date,
): Promise<void> {
  const result = outcome.status === 'succeeded' ? JSON.stringify(outcome.result) : null;
  const error = outcome.status === 'failed' ? JSON.stringify(outcome.error) : null;
  await db.query(
    fixedPlan(
      'UPDATE async_tasks SET status = $2, result = $3, error = $4, finished_time = $5, expires_time = $6 WHERE id = $1',
    ),
    [id, outcome.status, result, error, at, expires],
  );
}

/** Deletes the tasks expired at `now`; answers how many. */
export async function deleteExpiredAsyncTasks(db: SqlExecutor, now: Date): Promise<number> {
  const rows = await db.query<{ id: string }>('DELETE FROM async_tasks WHERE expires_time <= $1 RETURNING id', [now]);
  return rows.length;
}
