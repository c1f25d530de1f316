// File objects that name a file upload (reference §8.6): `{type:"file_upload", file_upload:{id}}` is accepted
// wherever a file may be written (media blocks, `files` values, icons, covers) and stored as a Notion-hosted
// `{type:"file", file:{url, expiry_time}}`. What is stored is a placeholder URL; every answer replaces it with a
// freshly signed URL that expires an hour later (services/file-uploads.ts signFileUrls), as Notion's S3 URLs do.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { zId } from './validation.js';

/** The file upload reference of a write. */
export const zFileUploadRef = z.object({ id: zId }).strict();

/** A file object input naming an upload: `{type?: "file_upload", file_upload: {id}}`. */
export const zFileUploadObject = z
  .object({ type: z.literal('file_upload').optional(), file_upload: zFileUploadRef })
  .strict();

/** A Notion-hosted file as stored (its URL a placeholder until answered). */
export interface HostedFile {
  type: 'file';
  file: { url: string; expiry_time: string };
}

/** An uploaded file attached to content: the stored file object and the upload's file name. */
export interface AttachedFile {
  file: HostedFile;
  filename: string;
}

/** Finds an upload the writer may attach, marks it attached, or throws the 400 of reference §11.3. */
export type FileUploadLookup = (id: string) => Promise<AttachedFile>;

/** The scheme of stored placeholders; never a URL a client can reach. */
export const FILE_PLACEHOLDER_SCHEME = 'notion-local-file://';
/** The stored expiry_time of a placeholder, replaced by the signed URL's expiry when answered. */
export const FILE_PLACEHOLDER_EXPIRY = 'notion-local-file-expiry';

/** The file name as it appears in a file URL: percent-encoded, cut to fit the route's 500-character segment. */
function urlName(filename: string): string {
  const chars = Array.from(filename);
  let encoded = encodeURIComponent(filename);
  while (encoded.length > 400 && chars.length > 1) {
    chars.splice(Math.max(1, chars.length - 20));
    encoded = encodeURIComponent(chars.join(''));
  }
  return encoded;
}

/** The stored form of an uploaded file. */
export function hostedFile(uploadId: string, filename: string): HostedFile {
  return {
    type: 'file',
    file: { url: `${FILE_PLACEHOLDER_SCHEME}${uploadId}/${urlName(filename)}`, expiry_time: FILE_PLACEHOLDER_EXPIRY },
  };
}

/**
 * Stored placeholders as they appear in a JSON answer (key order is kept: url, then expiry_time); group 1 is the
 * upload id, group 2 the encoded file name.
 */
export const PLACEHOLDER_IN_JSON = new RegExp(
  `"url":"${FILE_PLACEHOLDER_SCHEME}([0-9a-f-]{36})/([^"\\\\/]*)","expiry_time":"${FILE_PLACEHOLDER_EXPIRY}"`,
  'g',
);

/** The upload id and encoded file name of a stored placeholder URL, or null for any other URL. */
export function placeholderParts(url: unknown): { uploadId: string; encodedName: string } | null {
  if (typeof url !== 'string' || !url.startsWith(FILE_PLACEHOLDER_SCHEME)) return null;
  const match = /^([0-9a-f-]{36})\/([^"\\/]*)$/.exec(url.slice(FILE_PLACEHOLDER_SCHEME.length));
  return match ? { uploadId: match[1]!, encodedName: match[2]! } : null;
}

/** The lookup of a resolver that has one (services/mention-resolvers.ts), else one that refuses every upload. */
export function fileUploadLookupOf(resolver: object): FileUploadLookup {
  if ('fileUpload' in resolver && typeof resolver.fileUpload === 'function')
    return resolver.fileUpload as FileUploadLookup;
  return (id) => Promise.reject(fileUploadNotFound(id));
}

/** The 400 for a file upload that is missing, another integration's, or not yet uploaded. */
export function fileUploadNotFound(id: string): ApiError {
  return new ApiError('validation_error', `Could not find file_upload with ID: ${id}.`);
}

/** The 400 for an upload that exists but cannot be attached in its state. */
export function fileUploadNotAttachable(id: string, status: string): ApiError {
  return new ApiError(
    'validation_error',
    `File upload with ID: ${id} has status \`${status}\` and cannot be attached. Only uploads with status \`uploaded\` can be attached.`,
  );
}
