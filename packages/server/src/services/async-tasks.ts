// Async tasks (reference §17.3, §19.4): a request sent with `allow_async: true` is answered 202 with a queued
// task once it passed its first checks; the work runs in this process right after the answer, and its outcome —
// the body the synchronous call would have answered, or its error — is kept in async_tasks until it expires.
// GET /v1/async_tasks/{id} reads a task of the calling integration; anything else (missing, expired, another
// connection's) is the same 404.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import {
  deleteExpiredAsyncTasks,
  findAsyncTask,
  finishAsyncTask,
  insertAsyncTask,
  markAsyncTaskRunning,
  type AsyncTaskRow,
} from '../store/async-task-repo.js';
import { commitWrite } from './changes.js';
import type { ServiceContext } from './service-context.js';

/** How long a task and its outcome are kept after it was queued, and again after it finished. */
export const TASK_RETENTION_MS = 60 * 60 * 1000;
/** What a queued or running task tells the client to wait before polling again. */
export const POLL_AFTER_SECONDS = 2;

/** An answer sent with 202 Accepted instead of 200 (http/app.ts). */
export class Accepted {
  constructor(readonly body: Record<string, unknown>) {}
}

/** Work whose answer is the task's result; an ApiError it throws is the task's error. */
export type TaskWork = () => Promise<unknown>;

/**
 * Queues a task for `operation` (`"PATCH /v1/pages/:page_id/markdown"`, `"POST /v1/pages"`), answers it as 202,
 * and runs `work` once the answer is on its way. Expired tasks are deleted on the way.
 */
export async function startAsyncTask(ctx: ServiceContext, operation: string, work: TaskWork): Promise<Accepted> {
  const now = ctx.clock.now();
  const task = {
    id: `task_${randomUUID().replace(/-/g, '')}`,
    workspace_id: ctx.principal.workspaceId,
    integration_id: ctx.principal.integrationId,
    operation,
    created_time: now,
    expires_time: new Date(now.getTime() + TASK_RETENTION_MS),
  };
  // Task bookkeeping describes no workspace content: the write records no Change.
  await commitWrite(ctx.store, ctx.changes, async ({ tx }) => {
    await deleteExpiredAsyncTasks(tx, now);
    await insertAsyncTask(tx, task);
  });
  setImmediate(() => void runTask(ctx, task.id, work));
  return new Accepted(
    serializeTask(ctx, { ...task, status: 'queued', result: null, error: null, finished_time: null }),
  );
}

/** The error body a failed task keeps: the one the synchronous call would have answered. */
function errorBody(error: unknown): Record<string, unknown> {
  const e = error instanceof ApiError ? error : new ApiError('internal_server_error', 'Unexpected error occurred.');
  return {
    object: 'error',
    status: e.status,
    code: e.code,
    message: e.message,
    ...(e.additionalData ? { additional_data: e.additionalData } : {}),
  };
}

async function runTask(ctx: ServiceContext, id: string, work: TaskWork): Promise<void> {
  try {
    await commitWrite(ctx.store, ctx.changes, ({ tx }) => markAsyncTaskRunning(tx, id));
    let outcome: { status: 'succeeded'; result: unknown } | { status: 'failed'; error: unknown };
    try {
      outcome = { status: 'succeeded', result: await work() };
    } catch (error) {
      outcome = { status: 'failed', error: errorBody(error) };
    }
    const at = ctx.clock.now();
    const expires = new Date(at.getTime() + TASK_RETENTION_MS);
    await commitWrite(ctx.store, ctx.changes, ({ tx }) => finishAsyncTask(tx, id, outcome, at, expires));
  } catch {
    // The store went away (the platform closed): the task stays queued until it expires.
  }
}

/** A task as Notion answers it: `poll_after_seconds` while it runs, `result` or `error` once it ended. */
function serializeTask(ctx: ServiceContext, row: AsyncTaskRow): Record<string, unknown> {
  const base = {
    object: 'async_task',
    id: row.id,
    status: row.status,
    status_url: `${ctx.baseUrl ?? 'http://localhost'}/v1/async_tasks/${row.id}`,
    created_time: new Date(row.created_time).toISOString(),
    operation: { surface: 'rest', name: row.operation },
  };
  if (row.status === 'succeeded') return { ...base, result: row.result };
  if (row.status === 'failed') return { ...base, error: row.error };
  return { ...base, poll_after_seconds: POLL_AFTER_SECONDS };
}

export async function retrieveAsyncTask(ctx: ServiceContext, taskId: string): Promise<unknown> {
  const row = /^task_[0-9a-f]{32}$/.test(taskId)
    ? await findAsyncTask(ctx.store, taskId, ctx.principal.integrationId, ctx.clock.now())
    : null;
  if (!row) {
    throw new ApiError(
      'object_not_found',
      `Could not find async task with ID: ${taskId}. It may have expired, or it was started by another connection.`,
    );
  }
  return serializeTask(ctx, row);
}
