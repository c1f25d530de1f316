// The lookup through which writes attach file uploads to content (domain/file-objects.ts): media blocks, `files`
// values, icons and covers. Kept apart from services/file-uploads.ts so the mention resolvers can use it.
import { systemClock, type Clock } from '../clock.js';
import type { Principal } from '../auth/access.js';
import {
  fileUploadNotAttachable,
  fileUploadNotFound,
  hostedFile,
  type FileUploadLookup,
} from '../domain/file-objects.js';
import { findFileUpload, markFileUploadAttached } from '../store/file-upload-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

/**
 * Finds the writer's uploads for attaching (domain/file-objects.ts): one of this integration, `uploaded` and not
 * expired, else the 400. It is marked attached in `db` (the writing transaction, where the write has one).
 */
export function fileUploadLookup(
  db: SqlExecutor,
  principal: Pick<Principal, 'workspaceId' | 'integrationId'>,
  clock: Clock = systemClock,
): FileUploadLookup {
  return async (id) => {
    const now = clock.now();
    const row = await findFileUpload(db, id, principal.integrationId, now);
    if (!row || row.workspace_id !== principal.workspaceId) throw fileUploadNotFound(id);
    if (row.status !== 'uploaded') throw fileUploadNotAttachable(id, row.status);
    if (!row.attached_time) await markFileUploadAttached(db, id, now);
    return { file: hostedFile(id, row.filename ?? 'file'), filename: row.filename ?? 'file' };
  };
}
