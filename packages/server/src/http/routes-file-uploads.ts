// The routes of file uploads (reference §11.3); http/routes.ts adds them to the route table. Creating, sending and
// completing need insert_content, reading needs read_content (the reference names none ⚠). The send route takes
// multipart/form-data (http/multipart.ts), read by the pipeline once the request is authenticated.
import * as uploads from '../services/file-uploads.js';
import { isFormBody } from './multipart.js';
import { param, type ApiRoute } from './route-types.js';

/** The form of a send as the service takes it: its text fields and its `file`. */
function sentFile(body: unknown): uploads.SentFile {
  if (!isFormBody(body)) return { fields: {}, file: null };
  return { fields: body.fields, file: body.files.file ?? null };
}

export const FILE_UPLOAD_ROUTES: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/file_uploads',
    requirement: 'insert_content',
    handle: (c, r) => uploads.createFileUpload(c, r.body),
  },
  {
    method: 'GET',
    path: '/v1/file_uploads',
    requirement: 'read_content',
    handle: (c, r) => uploads.listFileUploads(c, r.query),
  },
  {
    method: 'GET',
    path: '/v1/file_uploads/:file_upload_id',
    requirement: 'read_content',
    handle: (c, r) => uploads.retrieveFileUpload(c, param(r, 'file_upload_id')),
  },
  {
    method: 'POST',
    path: '/v1/file_uploads/:file_upload_id/send',
    requirement: 'insert_content',
    multipart: true,
    handle: (c, r) => uploads.sendFileUpload(c, param(r, 'file_upload_id'), sentFile(r.body)),
  },
  {
    method: 'POST',
    path: '/v1/file_uploads/:file_upload_id/complete',
    requirement: 'insert_content',
    handle: (c, r) => uploads.completeFileUpload(c, param(r, 'file_upload_id')),
  },
];
