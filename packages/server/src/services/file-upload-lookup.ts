// The lookup through which writes attach file uploads to content (domain/file-objects.ts): media blocks, `files`
// values, icons and covers. Kept apart from services/file-uploads.ts so the mention resolvers can use it.
import { systemClock, type Clock } from '../clock.js';
import type { Principal } from '../auth/access.js';
import {
  fileUploadNotAttachable,
  fileUploadNotFound,
  hostedFile,
  type AttachedFile,
  type FileUploadLookup,
} from '../domain/file-objects.js';
import { findFileUpload, markFileUploadAttached, type FileUploadRow } from '../store/file-upload-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

type Writer = Pick<Principal, 'workspaceId' | 'integrationId'>;

/** The writer's upload that may be attached now: one of this integration, `uploaded` and not expired; else the 400. */
async function attachable(db: SqlExecutor, principal: Writer, id: string, now: Date): Promise<FileUploadRow> {
  const row = await findFileUpload(db, id, principal.integrationId, now);
  if (!row || row.workspace_id !== principal.workspaceId) throw fileUploadNotFound(id);
  if (row.status !== 'uploaded') throw fileUploadNotAttachable(id, row.status);
  return row;
}

const attached = (row: FileUploadRow): AttachedFile => ({
  file: hostedFile(row.id, row.filename ?? 'file'),
  filename: row.filename ?? 'file',
});

/**
 * Finds the writer's uploads for attaching (domain/file-objects.ts): one of this integration, `uploaded` and not
 * expired, else the 400. It is marked attached in `db` (the writing transaction, where the write has one).
 */
export function fileUploadLookup(db: SqlExecutor, principal: Writer, clock: Clock = systemClock): FileUploadLookup {
  return async (id) => {
    const now = clock.now();
    const row = await attachable(db, principal, id, now);
    if (!row.attached_time) await markFileUploadAttached(db, id, now);
    return attached(row);
  };
}

/**
 * The lookup of a write that checks its uploads before its transaction opens (a page create, checked before it
 * joins a batch): each upload is checked as fileUploadLookup checks it but not marked; `ids` collects them for
 * attachFileUploads, called inside the write's transaction, so a write that fails leaves them unattached.
 */
export function deferredFileUploadLookup(
  db: SqlExecutor,
  principal: Writer,
  clock: Clock = systemClock,
): { lookup: FileUploadLookup; ids: string[] } {
  const ids: string[] = [];
  const lookup: FileUploadLookup = async (id) => {
    const row = await attachable(db, principal, id, clock.now());
    ids.push(id);
    return attached(row);
  };
  return { lookup, ids };
}

/**
 * Marks the uploads a deferred lookup checked as attached, in the write's transaction `tx`; each is checked again
 * there (one that expired meanwhile refuses the write with the 400 it would have had).
 */
export async function attachFileUploads(
  tx: SqlExecutor,
  principal: Writer,
  ids: readonly string[],
  clock: Clock = systemClock,
): Promise<void> {
  const now = clock.now();
  // Every upload is checked before any is marked: a refusal leaves none marked, whatever the order.
  const rows = [];
  for (const id of new Set(ids)) rows.push(await attachable(tx, principal, id, now));
  for (const row of rows) if (!row.attached_time) await markFileUploadAttached(tx, row.id, now);
}
