// File uploads (reference §11.3): create (single_part, multi_part, external_url), send a part, complete a
// multi-part upload, retrieve and list. An upload belongs to the integration that created it (any other id is
// the 404 of a missing one). Unattached uploads expire an hour after they were created: reads compute it, and
// sweepExpiredFileUploads writes it (dropping the bytes) and records file_upload.expired. Attaching an upload
// to content (domain/file-objects.ts) marks it attached, after which it never expires.
//
// Changes recorded: file_upload.created on create, file_upload.completed when an upload becomes `uploaded`
// (single-part send, complete, successful import), file_upload.upload_failed when an import fails.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { is2026 } from '../api-version.js';
import { toMinuteIso, type Clock } from '../clock.js';
import type { Principal } from '../auth/access.js';
import { readPageRequest } from '../domain/pagination.js';
import { parseWith, renderValue } from '../domain/validation.js';
import {
  expireFileUploads,
  fileUploadPartSizes,
  findFileUpload,
  insertFileUpload,
  listFileUploads as listFileUploadRows,
  putFileUploadPart,
  updateFileUpload,
  workspaceFileUploadLimit,
  type FileUploadRow,
  type FileUploadStatus,
} from '../store/file-upload-repo.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import { commitWrite, type ChangeFeed } from './changes.js';
import type { ServiceContext } from './service-context.js';
import { contentTypeOf, filenameFromUrl, recordUploadChange, startImport } from './file-import.js';

const MIB = 1024 * 1024;
/** An unattached upload expires this long after it was created. */
export const FILE_UPLOAD_TTL_MS = 60 * 60 * 1000;
/** The most a single-part upload, or one part of a multi-part upload, may hold (reference §6.3). */
export const MAX_PART_BYTES = 20 * MIB;
/** The least every part of a multi-part upload but the last must hold. */
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PARTS = 1000;
export const MAX_FILENAME_BYTES = 900;

/** The fixed messages of file uploads (docs/errors.md). */
export const FILE_UPLOAD_MESSAGES = {
  notFound: (id: string) => `Could not find file_upload with ID: ${id}.`,
  notPending: (status: string) =>
    `File upload has status \`${status}\`: only a pending upload accepts content or completion.`,
  externalSend: 'File uploads with mode `external_url` are imported by Notion; their content cannot be sent.',
  notMultiPart: 'Only file uploads with mode `multi_part` can be completed.',
  missingParts: (total: number, sent: number) =>
    `File upload expected ${total} parts but received ${sent}. Send every part before completing.`,
  tooLarge: (limit: number) => `The file is larger than the ${limit} bytes allowed for this upload.`,
  partTooSmall: (part: number) =>
    `Part ${part} is smaller than 5 MB (5242880 bytes): every part but the last must be 5–20 MB.`,
} as const;

const invalid = (message: string) => new ApiError('validation_error', message);

const zCreate = z
  .object({
    mode: z.enum(['single_part', 'multi_part', 'external_url']).optional(),
    filename: z.string().optional(),
    content_type: z.string().max(200).optional(),
    number_of_parts: z.number().int().min(1).max(MAX_PARTS).optional(),
    external_url: z.string().url().max(2000).optional(),
  })
  .strict();
type CreateInput = z.infer<typeof zCreate>;

const zListQuery = z
  .object({
    status: z.enum(['pending', 'uploaded', 'expired', 'failed']).optional(),
    start_cursor: z.unknown().optional(),
    page_size: z.unknown().optional(),
  })
  .strict();

const absent = (field: string, value: unknown) =>
  invalid(`body failed validation: body.${field} should be not present, instead was ${renderValue(value)}.`);
const undefinedField = (field: string) =>
  invalid(`body failed validation: body.${field} should be defined, instead was \`undefined\`.`);

/** The rules across fields that zod's per-field schema does not say (reference §11.3). */
function checkCreate(input: CreateInput): void {
  const mode = input.mode ?? 'single_part';
  if (input.filename !== undefined && Buffer.byteLength(input.filename) > MAX_FILENAME_BYTES) {
    throw invalid(
      `body failed validation: body.filename.length should be ≤ \`${MAX_FILENAME_BYTES}\` bytes, instead was \`${Buffer.byteLength(input.filename)}\`.`,
    );
  }
  if (mode === 'multi_part') {
    if (input.number_of_parts === undefined) throw undefinedField('number_of_parts');
    if (input.filename === undefined) throw undefinedField('filename');
  } else if (input.number_of_parts !== undefined) throw absent('number_of_parts', input.number_of_parts);
  if (mode === 'external_url') {
    if (input.external_url === undefined) throw undefinedField('external_url');
    if (!/^https?:\/\//i.test(input.external_url)) {
      throw invalid(
        `body failed validation: body.external_url should be an http(s) URL, instead was ${renderValue(input.external_url)}.`,
      );
    }
  } else if (input.external_url !== undefined) throw absent('external_url', input.external_url);
}

/** The file upload object (reference §11.3) as the request's version shows it. */
export function serializeFileUpload(ctx: Pick<ServiceContext, 'version' | 'baseUrl'>, row: FileUploadRow): unknown {
  const base = ctx.baseUrl ?? 'http://localhost';
  const pending = row.status === 'pending';
  return {
    object: 'file_upload',
    id: row.id,
    created_time: toMinuteIso(row.created_time),
    created_by: { id: row.integration_id, type: 'bot' },
    last_edited_time: toMinuteIso(row.last_edited_time),
    ...(is2026(ctx.version) ? { in_trash: false } : { in_trash: false, archived: false }),
    expiry_time: row.expiry_time ? row.expiry_time.toISOString() : null,
    status: row.status,
    filename: row.filename,
    content_type: row.content_type,
    content_length: row.content_length,
    ...(pending && row.mode !== 'external_url' ? { upload_url: `${base}/v1/file_uploads/${row.id}/send` } : {}),
    ...(pending && row.mode === 'multi_part' ? { complete_url: `${base}/v1/file_uploads/${row.id}/complete` } : {}),
    ...(row.import_result ? { file_import_result: row.import_result } : {}),
    ...(row.mode === 'multi_part' ? { number_of_parts: { total: row.number_of_parts, sent: row.parts_sent } } : {}),
  };
}

/** POST /v1/file_uploads. An external_url upload starts its import once created. */
export async function createFileUpload(ctx: ServiceContext, body: unknown): Promise<unknown> {
  const input = parseWith(zCreate, body ?? {});
  checkCreate(input);
  const { principal } = ctx;
  const now = ctx.clock.now();
  const mode = input.mode ?? 'single_part';
  const id = newId();
  const filename = input.filename ?? (input.external_url ? filenameFromUrl(input.external_url) : null);
  await sweepExpiredFileUploads(ctx.store, ctx.changes, ctx.clock);
  await commitWrite(ctx.store, ctx.changes, async (scope) => {
    const row = {
      id,
      workspace_id: principal.workspaceId,
      integration_id: principal.integrationId,
      mode,
      filename,
      content_type: input.content_type ?? (filename ? contentTypeOf(filename) : null),
      number_of_parts: mode === 'multi_part' ? input.number_of_parts! : null,
      external_url: input.external_url ?? null,
      created_time: now,
      expiry_time: new Date(now.getTime() + FILE_UPLOAD_TTL_MS),
    };
    await insertFileUpload(scope.tx, row);
    recordUploadChange(scope, row, 'file_upload.created', now);
  });
  const created = (await findFileUpload(ctx.store, id, principal.integrationId, now))!;
  if (mode === 'external_url') startImport(ctx, created);
  return serializeFileUpload(ctx, created);
}

/** GET /v1/file_uploads/{id}. */
export async function retrieveFileUpload(ctx: ServiceContext, id: string): Promise<unknown> {
  const row = await findFileUpload(ctx.store, id, ctx.principal.integrationId, ctx.clock.now());
  if (!row) throw new ApiError('object_not_found', FILE_UPLOAD_MESSAGES.notFound(id));
  return serializeFileUpload(ctx, row);
}

/** GET /v1/file_uploads: the integration's uploads, newest first, `status` as of now. */
export async function listFileUploads(ctx: ServiceContext, query: Record<string, unknown>): Promise<unknown> {
  const { status } = parseWith(zListQuery, query, 'query');
  const page = readPageRequest('query', query);
  const rows = await listFileUploadRows(ctx.store, ctx.principal.integrationId, {
    status: (status ?? null) as FileUploadStatus | null,
    startCursor: page.startCursor,
    limit: page.pageSize + 1,
    now: ctx.clock.now(),
  });
  const next = rows[page.pageSize];
  return {
    object: 'list',
    results: rows.slice(0, page.pageSize).map((row) => serializeFileUpload(ctx, row)),
    next_cursor: next ? next.id : null,
    has_more: next !== undefined,
    type: 'file_upload',
    file_upload: {},
  };
}

/** The upload of this integration, locked for a write, that still accepts content; else the 404 or the 400. */
async function pendingUpload(tx: SqlExecutor, ctx: ServiceContext, id: string, now: Date): Promise<FileUploadRow> {
  const row = await findFileUpload(tx, id, ctx.principal.integrationId, now, true);
  if (!row) throw new ApiError('object_not_found', FILE_UPLOAD_MESSAGES.notFound(id));
  if (row.mode === 'external_url') throw invalid(FILE_UPLOAD_MESSAGES.externalSend);
  if (row.status !== 'pending') throw invalid(FILE_UPLOAD_MESSAGES.notPending(row.status));
  return row;
}

/** What a send carries, parsed from multipart/form-data by the HTTP edge (http/multipart.ts). */
export interface SentFile {
  fields: Record<string, string>;
  file: { filename: string | null; contentType: string | null; data: Buffer } | null;
}

/** The part number a send names, checked against the upload's mode. */
function partNumberOf(row: FileUploadRow, sent: SentFile): number {
  const raw = sent.fields.part_number;
  if (row.mode !== 'multi_part') {
    if (raw !== undefined && raw !== '1') throw absent('part_number', raw);
    return 1;
  }
  if (raw === undefined) throw undefinedField('part_number');
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > row.number_of_parts!) {
    throw invalid(
      `body failed validation: body.part_number should be an integer from 1 to ${row.number_of_parts}, instead was ${renderValue(raw)}.`,
    );
  }
  return n;
}

/** The largest file this upload may hold: the workspace's plan, and 20 MB for a single part. */
export async function uploadLimit(
  db: SqlExecutor,
  principal: Pick<Principal, 'workspaceId'>,
  mode: string,
): Promise<number> {
  const plan = await workspaceFileUploadLimit(db, principal.workspaceId);
  return mode === 'multi_part' ? plan : Math.min(plan, MAX_PART_BYTES);
}

/** Checks a part's size: ≤ 20 MB (and the plan's limit), ≥ 5 MB for every multi-part part but the last. */
function checkPartSize(row: FileUploadRow, part: number, size: number, limit: number): void {
  if (size > Math.min(limit, MAX_PART_BYTES))
    throw invalid(FILE_UPLOAD_MESSAGES.tooLarge(Math.min(limit, MAX_PART_BYTES)));
  if (row.mode === 'multi_part' && part < row.number_of_parts! && size < MIN_PART_BYTES)
    throw invalid(FILE_UPLOAD_MESSAGES.partTooSmall(part));
}

/** POST /v1/file_uploads/{id}/send: stores the part; a single-part upload is then `uploaded`. */
export async function sendFileUpload(ctx: ServiceContext, id: string, sent: SentFile): Promise<unknown> {
  if (!sent.file) throw undefinedField('file');
  const file = sent.file;
  const now = ctx.clock.now();
  await commitWrite(ctx.store, ctx.changes, async (scope) => {
    const row = await pendingUpload(scope.tx, ctx, id, now);
    const part = partNumberOf(row, sent);
    checkPartSize(row, part, file.data.length, await uploadLimit(scope.tx, ctx.principal, row.mode));
    await putFileUploadPart(scope.tx, id, part, file.data);
    if (row.mode === 'multi_part') {
      await updateFileUpload(scope.tx, id, {}, now);
      return;
    }
    const filename = row.filename ?? file.filename ?? 'file';
    await updateFileUpload(
      scope.tx,
      id,
      {
        status: 'uploaded',
        filename,
        content_type: row.content_type ?? sentContentType(file.contentType) ?? contentTypeOf(filename),
        content_length: file.data.length,
      },
      now,
    );
    recordUploadChange(scope, row, 'file_upload.completed', now);
  });
  return serializeFileUpload(ctx, (await findFileUpload(ctx.store, id, ctx.principal.integrationId, now))!);
}

/** A part's own Content-Type, unless it is the generic one a client sends when it knows none. */
function sentContentType(value: string | null): string | null {
  if (!value || /^application\/octet-stream\b/i.test(value)) return null;
  return value;
}

/** POST /v1/file_uploads/{id}/complete: a multi-part upload with every part becomes `uploaded`. */
export async function completeFileUpload(ctx: ServiceContext, id: string): Promise<unknown> {
  const now = ctx.clock.now();
  await commitWrite(ctx.store, ctx.changes, async (scope) => {
    const row = await findFileUpload(scope.tx, id, ctx.principal.integrationId, now, true);
    if (!row) throw new ApiError('object_not_found', FILE_UPLOAD_MESSAGES.notFound(id));
    if (row.mode !== 'multi_part') throw invalid(FILE_UPLOAD_MESSAGES.notMultiPart);
    if (row.status !== 'pending') throw invalid(FILE_UPLOAD_MESSAGES.notPending(row.status));
    const parts = await fileUploadPartSizes(scope.tx, id);
    if (parts.length !== row.number_of_parts)
      throw invalid(FILE_UPLOAD_MESSAGES.missingParts(row.number_of_parts!, parts.length));
    const length = parts.reduce((sum, p) => sum + p.size, 0);
    const limit = await uploadLimit(scope.tx, ctx.principal, row.mode);
    if (length > limit) throw invalid(FILE_UPLOAD_MESSAGES.tooLarge(limit));
    await updateFileUpload(scope.tx, id, { status: 'uploaded', content_length: length }, now);
    recordUploadChange(scope, row, 'file_upload.completed', now);
  });
  return serializeFileUpload(ctx, (await findFileUpload(ctx.store, id, ctx.principal.integrationId, now))!);
}

let lastSweep = 0;

/**
 * Writes `expired` on unattached uploads past their expiry (their bytes dropped) and records file_upload.expired
 * for each; at most once a minute per process (reads compute the status meanwhile).
 */
export async function sweepExpiredFileUploads(
  store: Store,
  feed: ChangeFeed,
  clock: Clock,
  force = false,
): Promise<number> {
  const now = clock.now();
  if (!force && Math.abs(now.getTime() - lastSweep) < 60_000) return 0;
  lastSweep = now.getTime();
  return commitWrite(store, feed, async (scope) => {
    const expired = await expireFileUploads(scope.tx, now);
    for (const row of expired) recordUploadChange(scope, row, 'file_upload.expired', now);
    return expired.length;
  });
}
