// Migration 9: file uploads (reference §11.3). An upload's bytes live in the store, one row per part, so parts
// of a multi-part upload may arrive in any order and through any server process, and survive restarts. The
// key that signs file URLs (services/file-uploads.ts) is kept here too, so every process signs alike; it is
// made on first use, not by the migration (in-memory stores start from a shared migrated snapshot).
import type { Migration } from './migration-types.js';

export const FILE_UPLOADS_MIGRATION: Migration = {
  version: 9,
  name: 'file uploads',
  sql: `
CREATE TABLE file_uploads (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  integration_id uuid NOT NULL,
  mode text NOT NULL CHECK (mode IN ('single_part', 'multi_part', 'external_url')),
  status text NOT NULL CHECK (status IN ('pending', 'uploaded', 'expired', 'failed')),
  filename text,
  content_type text,
  content_length bigint,
  number_of_parts int,
  external_url text,
  import_result json,
  created_time timestamptz NOT NULL,
  last_edited_time timestamptz NOT NULL,
  expiry_time timestamptz,
  attached_time timestamptz
);
CREATE INDEX file_uploads_list ON file_uploads (integration_id, created_time DESC, id DESC);
CREATE INDEX file_uploads_expiry ON file_uploads (expiry_time) WHERE attached_time IS NULL;
CREATE TABLE file_upload_parts (
  upload_id uuid NOT NULL REFERENCES file_uploads(id) ON DELETE CASCADE,
  part_number int NOT NULL,
  size int NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
CREATE TABLE file_signing_keys (
  id int PRIMARY KEY,
  secret text NOT NULL
)
`,
};
