// External URL imports of file uploads (reference §11.3 `mode: "external_url"`): notion-local fetches the URL
// itself, after the create has answered, and the upload becomes `uploaded` or `failed` with its
// `file_import_result`. Loopback and private addresses are allowed: the files a developer imports locally are
// usually served locally. The bytes are stored in parts of at most 20 MB, as a multi-part upload's are.
import type { ServiceContext } from './service-context.js';
import { commitWrite, type ChangeKind, type WriteScope } from './changes.js';
import { botActor } from './content-changes.js';
import {
  findFileUpload,
  putFileUploadPart,
  updateFileUpload,
  workspaceFileUploadLimit,
  type FileUploadRow,
} from '../store/file-upload-repo.js';

const PART_BYTES = 20 * 1024 * 1024;
/** How long an import may take, headers and body, before it fails. */
export const IMPORT_TIMEOUT_MS = 60_000;

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  zip: 'application/zip',
};

/** The MIME type a file name's extension suggests, or null. */
export function contentTypeOf(filename: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return (ext && MIME_TYPES[ext]) ?? null;
}

/** The last path segment of a URL, decoded (the file name an import takes when the create names none). */
export function filenameFromUrl(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
    return decodeURIComponent(last).replace(/[\0-\x1f]/g, '') || 'file';
  } catch {
    return 'file';
  }
}

/** Records a change of an upload, made by its integration. */
export function recordUploadChange(
  scope: WriteScope,
  row: Pick<FileUploadRow, 'id' | 'workspace_id' | 'integration_id'>,
  kind: ChangeKind,
  at: Date,
  details?: Record<string, unknown>,
): void {
  scope.record({
    kind,
    workspaceId: row.workspace_id,
    entity: { type: 'file_upload', id: row.id },
    actor: botActor(row.integration_id),
    at,
    ...(details ? { details } : {}),
  });
}

/** Imports still running, so a test (or a shutdown) can wait for them. */
const running = new Set<Promise<void>>();

/** Resolves once every import started so far has finished. */
export async function importsSettled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

/** Starts the import of an external_url upload; its outcome is written to the upload. */
export function startImport(ctx: ServiceContext, row: FileUploadRow): void {
  const job = runImport(ctx, row).catch(() => undefined);
  running.add(job);
  void job.finally(() => running.delete(job));
}

class ImportError extends Error {
  constructor(
    readonly type: 'validation_error' | 'download_error' | 'upload_error',
    readonly code: string,
    message: string,
    readonly statusCode: number | null = null,
  ) {
    super(message);
  }
}

async function runImport(ctx: ServiceContext, row: FileUploadRow): Promise<void> {
  let outcome: { length: number; contentType: string | null } | ImportError;
  try {
    outcome = await download(ctx, row);
  } catch (error) {
    outcome =
      error instanceof ImportError
        ? error
        : new ImportError('download_error', 'download_failed', `Failed to download the file: ${String(error)}`);
  }
  const now = ctx.clock.now();
  await commitWrite(ctx.store, ctx.changes, async (scope) => {
    const current = await findFileUpload(scope.tx, row.id, row.integration_id, now, true);
    if (!current || current.status !== 'pending') return;
    const imported_time = now.toISOString();
    if (outcome instanceof ImportError) {
      const result = {
        imported_time,
        type: 'error',
        error: {
          type: outcome.type,
          code: outcome.code,
          message: outcome.message,
          parameter: 'external_url',
          status_code: outcome.statusCode,
        },
      };
      await updateFileUpload(scope.tx, row.id, { status: 'failed', import_result: result }, now);
      recordUploadChange(scope, row, 'file_upload.upload_failed', now, { file_import_result: result });
      return;
    }
    const result = { imported_time, type: 'success', success: {} };
    await updateFileUpload(
      scope.tx,
      row.id,
      {
        status: 'uploaded',
        content_length: outcome.length,
        content_type: row.content_type ?? outcome.contentType,
        import_result: result,
      },
      now,
    );
    recordUploadChange(scope, row, 'file_upload.completed', now);
  });
}

/** Fetches the URL and stores its bytes part by part; answers the length and the served content type. */
async function download(ctx: ServiceContext, row: FileUploadRow) {
  const limit = await workspaceFileUploadLimit(ctx.store, row.workspace_id);
  const response = await fetch(row.external_url!, {
    redirect: 'follow',
    signal: AbortSignal.timeout(IMPORT_TIMEOUT_MS),
  });
  if (!response.ok || !response.body) {
    throw new ImportError(
      'download_error',
      'http_error',
      `The external URL answered HTTP ${response.status}.`,
      response.status,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  let length = 0;
  let part = 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await putFileUploadPart(ctx.store, row.id, part++, data);
  };
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    length += chunk.length;
    if (length > limit) throw tooLarge(limit);
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (pendingBytes + bytes.length >= PART_BYTES) {
      const take = PART_BYTES - pendingBytes;
      pending.push(bytes.subarray(0, take));
      pendingBytes += take;
      bytes = bytes.subarray(take);
      await flush();
    }
    if (bytes.length > 0) {
      pending.push(bytes);
      pendingBytes += bytes.length;
    }
  }
  if (pendingBytes > 0 || part === 1) await flush();
  const type = response.headers.get('content-type');
  return { length, contentType: type && !/^application\/octet-stream\b/i.test(type) ? type : null };
}

const tooLarge = (limit: number) =>
  new ImportError('validation_error', 'file_too_large', `The file is larger than the ${limit} bytes allowed.`);
