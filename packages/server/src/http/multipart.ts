// multipart/form-data bodies (RFC 7578), for the one route that takes them: sending a file upload's content
// (reference §11.3). The body is read after the request is authenticated and routed, into one buffer sized by
// Content-Length where the client sends it; parts are views of that buffer, never copies.
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

export interface FormFile {
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** A parsed form: text fields by name and files by name (the last of a repeated name wins). */
export interface FormBody {
  readonly form: true;
  fields: Record<string, string>;
  files: Record<string, FormFile>;
}

export const isFormBody = (body: unknown): body is FormBody =>
  typeof body === 'object' && body !== null && (body as { form?: unknown }).form === true;

export function isMultipart(contentType: string | undefined): boolean {
  return /^\s*multipart\/form-data\s*(;|$)/i.test(contentType ?? '');
}

/** The message of a body over `maxBytes`, given by the caller (it knows what the limit is for). */
export type TooLarge = () => ApiError;

/** Reads and parses the request's multipart body, refusing one over `maxBytes` before it is all read. */
export async function readMultipart(request: FastifyRequest, maxBytes: number, tooLarge: TooLarge): Promise<FormBody> {
  const contentType = request.headers['content-type'];
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!isMultipart(contentType) || !boundary) throw notMultipart();
  const body = await readBody(request, maxBytes, tooLarge);
  return parseParts(body, boundary[1] ?? boundary[2]!);
}

function notMultipart(): ApiError {
  return new ApiError(
    'validation_error',
    'Content-Type header failed validation: it should be `multipart/form-data` with a boundary.',
  );
}

function malformed(): ApiError {
  return new ApiError('validation_error', 'Error parsing multipart/form-data body.');
}

async function readBody(request: FastifyRequest, maxBytes: number, tooLarge: TooLarge): Promise<Buffer> {
  const raw = request.raw;
  const declared = Number(raw.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  // With a declared length the bytes go straight into one buffer; without, chunks are joined at the end.
  const sized = Number.isSafeInteger(declared) && declared >= 0 ? Buffer.allocUnsafe(declared) : null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    const bytes = chunk as Buffer;
    if (size + bytes.length > maxBytes || (sized && size + bytes.length > sized.length)) throw tooLarge();
    if (sized) bytes.copy(sized, size);
    else chunks.push(bytes);
    size += bytes.length;
  }
  if (sized) return size === sized.length ? sized : sized.subarray(0, size);
  return Buffer.concat(chunks, size);
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

function parseParts(body: Buffer, boundary: string): FormBody {
  const out: FormBody = { form: true, fields: {}, files: {} };
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(dashBoundary);
  if (pos < 0) throw malformed();
  pos += dashBoundary.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out; // "--": the closing delimiter
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw malformed();
    pos += 2;
    const headersEnd = body.indexOf(HEADERS_END, pos);
    if (headersEnd < 0) throw malformed();
    // U+0000 cannot be stored in text; it has no place in a header either.
    const headers = parseHeaders(body.toString('utf8', pos, headersEnd).replace(/\0/g, ''));
    const start = headersEnd + HEADERS_END.length;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw malformed();
    addPart(out, headers, body.subarray(start, end));
    pos = end + delimiter.length;
  }
}

interface PartHeaders {
  name: string | null;
  filename: string | null;
  contentType: string | null;
}

function parseHeaders(text: string): PartHeaders {
  const result: PartHeaders = { name: null, filename: null, contentType: null };
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') result.contentType = value;
    if (key !== 'content-disposition') continue;
    result.name = dispositionParam(value, 'name');
    result.filename = dispositionParam(value, 'filename');
  }
  return result;
}

function dispositionParam(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(value);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!.trim();
}

function addPart(out: FormBody, headers: PartHeaders, data: Buffer): void {
  if (headers.name === null) return;
  if (headers.filename !== null || headers.name === 'file') {
    out.files[headers.name] = { filename: headers.filename, contentType: headers.contentType, data };
  } else {
    out.fields[headers.name] = data.toString('utf8').replace(/\0/g, '');
  }
}
