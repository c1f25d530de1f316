// SQL for file uploads (migration 9): the uploads, their bytes one row per part, and the key that signs file
// URLs. An upload belongs to the integration that made it. Its status as read is the stored one, except that an
// unattached upload past its expiry_time reads as `expired` whether or not the sweep has written that yet.
import { fixedPlan, type SqlExecutor } from './sql-store.js';
import { findWorkspaceLimits } from './workspace-repo.js';

export type FileUploadMode = 'single_part' | 'multi_part' | 'external_url';
export type FileUploadStatus = 'pending' | 'uploaded' | 'expired' | 'failed';

/** One upload as read (the row type lives here: the tables are this repository's alone). */
export interface FileUploadRow {
  id: string;
  workspace_id: string;
  integration_id: string;
  mode: FileUploadMode;
  status: FileUploadStatus;
  filename: string | null;
  content_type: string | null;
  content_length: number | null;
  number_of_parts: number | null;
  external_url: string | null;
  import_result: Record<string, unknown> | null;
  created_time: Date;
  last_edited_time: Date;
  expiry_time: Date | null;
  attached_time: Date | null;
  /** How many parts have been received. */
  parts_sent: number;
}

/** The status as of `$now` (the statement's parameter named by `now`). */
const statusAt = (now: string) =>
  `CASE WHEN u.status IN ('pending', 'uploaded') AND u.attached_time IS NULL AND u.expiry_time <= ${now}
     THEN 'expired' ELSE u.status END`;

const columns = (now: string) =>
  `u.id, u.workspace_id, u.integration_id, u.mode, ${statusAt(now)} AS status, u.filename, u.content_type,
   u.content_length::float8 AS content_length, u.number_of_parts, u.external_url, u.import_result, u.created_time,
   u.last_edited_time, u.expiry_time, u.attached_time,
   (SELECT count(*)::int FROM file_upload_parts p WHERE p.upload_id = u.id) AS parts_sent`;

export type NewFileUpload = Omit<
  FileUploadRow,
  'status' | 'content_length' | 'import_result' | 'last_edited_time' | 'attached_time' | 'parts_sent'
>;

export async function insertFileUpload(db: SqlExecutor, row: NewFileUpload): Promise<void> {
  await db.query(
    fixedPlan(
      `INSERT INTO file_uploads (id, workspace_id, integration_id, mode, status, filename, content_type,
         number_of_parts, external_url, created_time, last_edited_time, expiry_time)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9, $10)`,
    ),
    [
      row.id,
      row.workspace_id,
      row.integration_id,
      row.mode,
      row.filename,
      row.content_type,
      row.number_of_parts,
      row.external_url,
      row.created_time,
      row.expiry_time,
    ],
  );
}

/**
 * An upload of this integration as of `now`, else null (missing and foreign alike); `lock` also locks its row for
 * the rest of the transaction (a send or complete that is about to change it).
 */
export async function findFileUpload(
  db: SqlExecutor,
  id: string,
  integrationId: string,
  now: Date,
  lock = false,
): Promise<FileUploadRow | null> {
  if (lock) {
    await db.query(fixedPlan('SELECT id FROM file_uploads WHERE id = $1 AND integration_id = $2 FOR UPDATE'), [
      id,
      integrationId,
    ]);
  }
  const rows = await db.query<FileUploadRow>(
    fixedPlan(`SELECT ${columns('$3')} FROM file_uploads u WHERE u.id = $1 AND u.integration_id = $2`),
    [id, integrationId, now],
  );
  return rows[0] ?? null;
}

/**
 * A page of the integration's uploads, newest first, from the cursor's upload on (an id that is not one of the
 * integration's uploads answers no rows), only those whose status as of `now` is `status` when it is given.
 */
export function listFileUploads(
  db: SqlExecutor,
  integrationId: string,
  options: { status: FileUploadStatus | null; startCursor: string | null; limit: number; now: Date },
): Promise<FileUploadRow[]> {
  return db.query<FileUploadRow>(
    `SELECT ${columns('$5')} FROM file_uploads u
     WHERE u.integration_id = $1
       AND ($2::text IS NULL OR ${statusAt('$5')} = $2)
       AND ($3::uuid IS NULL OR (u.created_time, u.id) <=
         (SELECT c.created_time, c.id FROM file_uploads c WHERE c.id = $3 AND c.integration_id = $1))
     ORDER BY u.created_time DESC, u.id DESC
     LIMIT $4`,
    [integrationId, options.status, options.startCursor, options.limit, options.now],
  );
}

/**
 * Bytes travel as base64 text on PGlite (the store that is `exclusive`): it turns a binary parameter into hex a
 * byte at a time (20 MB: 10 s; base64 0.7 s). PostgreSQL's client sends a Buffer as a binary parameter: no text
 * copy of the part, and faster (bench/README.md "File uploads"). Reads are base64 on both (pg reads bytea as hex).
 */
const embedded = (db: SqlExecutor) => db.exclusive === true;

/** Stores one part's bytes (a part sent again replaces the earlier one). */
export async function putFileUploadPart(db: SqlExecutor, uploadId: string, partNumber: number, data: Buffer) {
  const base64 = embedded(db);
  await db.query(
    fixedPlan(
      `INSERT INTO file_upload_parts (upload_id, part_number, size, data)
       VALUES ($1, $2, $3, ${base64 ? "decode($4, 'base64')" : '$4::bytea'})
       ON CONFLICT (upload_id, part_number) DO UPDATE SET size = EXCLUDED.size, data = EXCLUDED.data`,
    ),
    [uploadId, partNumber, data.length, base64 ? data.toString('base64') : data],
  );
}

/** The part numbers received and their sizes, in part order. */
export function fileUploadPartSizes(
  db: SqlExecutor,
  uploadId: string,
): Promise<{ part_number: number; size: number }[]> {
  return db.query(
    fixedPlan('SELECT part_number, size FROM file_upload_parts WHERE upload_id = $1 ORDER BY part_number'),
    [uploadId],
  );
}

/**
 * `length` bytes of a part from `offset` (null: no such part). A part is read a slice at a time so that a read
 * holds a slice, not the part, in memory (an uncompressed stored value is fetched only as far as the slice).
 */
export async function readFileUploadPart(
  db: SqlExecutor,
  uploadId: string,
  partNumber: number,
  offset: number,
  length: number,
): Promise<Buffer | null> {
  const rows = await db.query<{ data: string | null }>(
    fixedPlan(
      `SELECT encode(substring(data FROM $3::int + 1 FOR $4::int), 'base64') AS data
       FROM file_upload_parts WHERE upload_id = $1 AND part_number = $2`,
    ),
    [uploadId, partNumber, offset, length],
  );
  const data = rows[0]?.data;
  return typeof data === 'string' ? Buffer.from(data, 'base64') : null;
}

/** What may change on an upload; absent fields keep their value. */
export interface FileUploadEdit {
  status?: FileUploadStatus;
  filename?: string | null;
  content_type?: string | null;
  content_length?: number | null;
  import_result?: Record<string, unknown> | null;
}

export async function updateFileUpload(db: SqlExecutor, id: string, edit: FileUploadEdit, at: Date): Promise<void> {
  await db.query(
    fixedPlan(
      `UPDATE file_uploads SET
         status = COALESCE($2, status),
         filename = CASE WHEN $3::boolean THEN $4 ELSE filename END,
         content_type = CASE WHEN $5::boolean THEN $6 ELSE content_type END,
         content_length = CASE WHEN $7::boolean THEN $8::bigint ELSE content_length END,
         import_result = CASE WHEN $9::boolean THEN $10::json ELSE import_result END,
         last_edited_time = $11
       WHERE id = $1`,
    ),
    [
      id,
      edit.status ?? null,
      'filename' in edit,
      edit.filename ?? null,
      'content_type' in edit,
      edit.content_type ?? null,
      'content_length' in edit,
      edit.content_length ?? null,
      'import_result' in edit,
      edit.import_result === undefined || edit.import_result === null ? null : JSON.stringify(edit.import_result),
      at,
    ],
  );
}

/** Marks an upload as attached to content: it no longer expires (expiry_time becomes null). */
export async function markFileUploadAttached(db: SqlExecutor, id: string, at: Date): Promise<void> {
  await db.query(
    fixedPlan('UPDATE file_uploads SET attached_time = $2, expiry_time = NULL WHERE id = $1 AND attached_time IS NULL'),
    [id, at],
  );
}

/**
 * Writes `expired` on the unattached uploads past their expiry_time at `now` and drops their bytes; answers
 * the uploads it expired.
 */
export async function expireFileUploads(
  db: SqlExecutor,
  now: Date,
): Promise<{ id: string; workspace_id: string; integration_id: string }[]> {
  const rows = await db.query<{ id: string; workspace_id: string; integration_id: string }>(
    `UPDATE file_uploads SET status = 'expired', last_edited_time = $1
     WHERE attached_time IS NULL AND status IN ('pending', 'uploaded') AND expiry_time <= $1
     RETURNING id, workspace_id, integration_id`,
    [now],
  );
  if (rows.length > 0) {
    await db.query('DELETE FROM file_upload_parts WHERE upload_id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
  }
  return rows;
}

/** The key that signs file URLs: the stored one, or `candidate`, stored now, when there is none yet. */
export async function fileSigningSecret(db: SqlExecutor, candidate: string): Promise<string> {
  await db.query('INSERT INTO file_signing_keys (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [candidate]);
  const rows = await db.query<{ secret: string }>('SELECT secret FROM file_signing_keys WHERE id = 1');
  return rows[0]!.secret;
}

/** The paid plan's per-file limit (reference §6.3): 5 GB in multi-part mode; a single part is 20 MB at most. */
export const DEFAULT_FILE_UPLOAD_LIMIT = 5 * 1024 * 1024 * 1024;

/** The largest file a workspace may upload, in bytes (its plan: design.md). */
export async function workspaceFileUploadLimit(db: SqlExecutor, workspaceId: string): Promise<number> {
  const limits = await findWorkspaceLimits(db, workspaceId);
  return limits?.max_file_upload_size_in_bytes ?? DEFAULT_FILE_UPLOAD_LIMIT;
}

/** An upload whose file is complete and kept (stored status `uploaded`), whoever made it; else null. */
export async function findUploadedFile(
  db: SqlExecutor,
  id: string,
): Promise<{ filename: string | null; content_type: string | null } | null> {
  const rows = await db.query<{ filename: string | null; content_type: string | null }>(
    fixedPlan(`SELECT filename, content_type FROM file_uploads WHERE id = $1 AND status = 'uploaded'`),
    [id],
  );
  return rows[0] ?? null;
}
