// Notion-hosted file URLs (reference §8.6): `{type:"file", file:{url, expiry_time}}` where the URL is on
// notion-local's own host, signed (HMAC-SHA256 with a key kept in the store, so every process signs and checks
// alike) and valid for an hour; it is read without a token. Content stores a placeholder
// (domain/file-objects.ts); each answer signs afresh, so a client that re-reads gets a new URL, as on Notion.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';
import type { Clock } from '../clock.js';
import { PLACEHOLDER_IN_JSON, FILE_PLACEHOLDER_SCHEME, placeholderParts } from '../domain/file-objects.js';
import {
  fileSigningSecret,
  fileUploadPartSizes,
  readFileUploadPart,
  findUploadedFile,
} from '../store/file-upload-repo.js';
import type { Store } from '../store/sql-store.js';

/** How long a signed file URL stays valid. */
export const FILE_URL_TTL_MS = 60 * 60 * 1000;

/** A file is read from the store and sent this many bytes at a time (a part is up to 20 MiB). */
export const READ_SLICE_BYTES = 4 * 1024 * 1024;

/** The path prefix of file URLs (served outside /v1, without a token: http/app.ts). */
export const FILES_PATH = '/files';

const secrets = new WeakMap<Store, Promise<string>>();

/** The store's signing key, read (or made) once per process and store. */
function secretOf(store: Store): Promise<string> {
  let secret = secrets.get(store);
  if (!secret) {
    secret = fileSigningSecret(store, randomBytes(32).toString('base64url'));
    secret.catch(() => secrets.delete(store));
    secrets.set(store, secret);
  }
  return secret;
}

function signature(secret: string, uploadId: string, filename: string, expires: number): string {
  return createHmac('sha256', secret).update(`${uploadId}\n${filename}\n${expires}`).digest('base64url');
}

/** A signed URL for an upload's file, valid until `expires` (ms since the epoch). */
export function signedFileUrl(secret: string, baseUrl: string, uploadId: string, encodedName: string, expires: number) {
  const sig = signature(secret, uploadId, encodedName, expires);
  return `${baseUrl}${FILES_PATH}/${uploadId}/${encodedName}?expires=${expires}&sig=${sig}`;
}

/**
 * Replaces the stored placeholders of an answer's JSON text with signed URLs and their expiry_time, an hour from
 * now. Answers without a placeholder are returned as they are, without touching the store.
 */
export async function signFileUrls(store: Store, clock: Clock, baseUrl: string, json: string): Promise<string> {
  if (!json.includes(FILE_PLACEHOLDER_SCHEME)) return json;
  const secret = await secretOf(store);
  const expires = clock.now().getTime() + FILE_URL_TTL_MS;
  const expiry = new Date(expires).toISOString();
  return json.replace(PLACEHOLDER_IN_JSON, (_all, id: string, name: string) => {
    const url = signedFileUrl(secret, baseUrl, id, name, expires);
    return `"url":${JSON.stringify(url)},"expiry_time":"${expiry}"`;
  });
}

/** Signs stored placeholder URLs one at a time (answers that are not JSON: pages as Markdown). */
export type FileUrlSigner = (placeholder: unknown) => { url: string; expiry_time: string } | null;

/**
 * A signer of placeholder URLs, valid an hour from now: the signed URL of a placeholder, null for any other URL.
 * `baseUrl` '' gives root-relative URLs (`/files/…`), for answers read on the platform's own host.
 */
export async function fileUrlSigner(store: Store, clock: Clock, baseUrl: string): Promise<FileUrlSigner> {
  const secret = await secretOf(store);
  const expires = clock.now().getTime() + FILE_URL_TTL_MS;
  const expiry = new Date(expires).toISOString();
  return (placeholder) => {
    const parts = placeholderParts(placeholder);
    if (!parts) return null;
    return { url: signedFileUrl(secret, baseUrl, parts.uploadId, parts.encodedName, expires), expiry_time: expiry };
  };
}

/**
 * Signed file URLs as they appear in text (`<host>/files/<upload id>/<name>?expires=…&sig=…`, the host optional);
 * group 1 is the upload id.
 */
export const SIGNED_URL_IN_TEXT =
  /(?:https?:\/\/[^\s/"'<>()]+)?\/files\/([0-9a-f-]{36})\/[^\s?"<>]*\?expires=\d+&(?:amp;)?sig=[\w-]+/g;

/** A file to send: its type, length and bytes part by part. */
export interface ServedFile {
  contentType: string;
  contentLength: number;
  filename: string;
  parts: AsyncIterable<Buffer>;
}

const refused = (message: string) => new ApiError('restricted_resource', message);

export const FILE_URL_MESSAGES = {
  invalid: 'This file URL is not valid: its signature does not match.',
  expired: 'This file URL has expired. Retrieve the object that holds the file again for a new URL.',
  missing: 'The file of this URL no longer exists.',
} as const;

/**
 * GET /files/<upload id>/<file name>?expires=…&sig=…: the bytes of an uploaded file. A URL that was not signed by
 * the platform, or was changed, is 403; an expired one 403; an upload that no longer has its file 404.
 */
export async function readSignedFile(
  store: Store,
  clock: Clock,
  uploadId: string,
  encodedName: string,
  query: Record<string, unknown>,
): Promise<ServedFile> {
  const expires = Number(query.expires);
  const sig = typeof query.sig === 'string' ? query.sig : '';
  const expected = signature(await secretOf(store), uploadId, encodedName, expires);
  const a = Buffer.from(sig);
  const b = Buffer.from(expected);
  if (!Number.isSafeInteger(expires) || a.length !== b.length || !timingSafeEqual(a, b))
    throw refused(FILE_URL_MESSAGES.invalid);
  if (expires <= clock.now().getTime()) throw refused(FILE_URL_MESSAGES.expired);
  const upload = await findUploadedFile(store, uploadId);
  if (!upload) throw new ApiError('object_not_found', FILE_URL_MESSAGES.missing);
  const sizes = await fileUploadPartSizes(store, uploadId);
  async function* parts(): AsyncIterable<Buffer> {
    for (const { part_number, size } of sizes) {
      for (let offset = 0; offset < size; offset += READ_SLICE_BYTES) {
        const data = await readFileUploadPart(store, uploadId, part_number, offset, READ_SLICE_BYTES);
        if (data) yield data;
      }
    }
  }
  return {
    contentType: upload.content_type ?? 'application/octet-stream',
    contentLength: sizes.reduce((sum, p) => sum + p.size, 0),
    filename: upload.filename ?? 'file',
    parts: parts(),
  };
}
