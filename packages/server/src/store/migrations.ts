// One SQL schema for both drivers. Append a migration; never edit one that has shipped.
import { createHash } from 'node:crypto';
import type { Store } from './sql-store.js';
import type { Migration } from './migration-types.js';
import { WEBHOOKS_MIGRATION } from './migration-webhooks.js';
import { FILE_UPLOADS_MIGRATION } from './migration-file-uploads.js';
import { OAUTH_MIGRATION } from './migration-oauth.js';

export type { Migration } from './migration-types.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core',
    sql: `
CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_time timestamptz NOT NULL
);
CREATE TABLE users (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('person', 'bot')),
  name text NOT NULL,
  email text,
  avatar_url text,
  role text CHECK (role IN ('owner', 'member')),
  password_hash text,
  created_time timestamptz NOT NULL
);
CREATE INDEX users_workspace ON users (workspace_id, created_time, id);
CREATE TABLE integrations (
  id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  owner_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  capabilities text[] NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_time timestamptz NOT NULL
);
CREATE TABLE tokens (
  token_hash text PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  token_hint text NOT NULL,
  created_time timestamptz NOT NULL,
  revoked_time timestamptz
);
CREATE INDEX tokens_integration ON tokens (integration_id);
-- json (not jsonb) keeps Notion's key order in stored wire objects.
CREATE TABLE blocks (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  object text NOT NULL CHECK (object IN ('page', 'block', 'database')),
  type text NOT NULL,
  parent_type text NOT NULL,
  parent_id uuid,
  path uuid[] NOT NULL,
  position bigint NOT NULL,
  content json NOT NULL,
  properties json,
  icon json,
  cover json,
  title text NOT NULL DEFAULT '',
  archived boolean NOT NULL DEFAULT false,
  created_time timestamptz NOT NULL,
  created_by uuid NOT NULL,
  last_edited_time timestamptz NOT NULL,
  last_edited_by uuid NOT NULL
);
CREATE INDEX blocks_children ON blocks (parent_id, position);
CREATE INDEX blocks_path ON blocks USING gin (path);
CREATE INDEX blocks_workspace_edited ON blocks (workspace_id, last_edited_time DESC) WHERE object <> 'block';
CREATE TABLE shares (
  integration_id uuid NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  block_id uuid NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
  PRIMARY KEY (integration_id, block_id)
);
CREATE TABLE comments (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  discussion_id uuid NOT NULL,
  parent_type text NOT NULL,
  parent_id uuid NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
  rich_text json NOT NULL,
  created_by uuid NOT NULL,
  created_time timestamptz NOT NULL,
  last_edited_time timestamptz NOT NULL,
  seq bigserial
);
CREATE INDEX comments_parent ON comments (parent_id, seq);
CREATE INDEX comments_discussion ON comments (discussion_id);
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  created_time timestamptz NOT NULL,
  expires_time timestamptz NOT NULL
);
CREATE TABLE seeds (
  workspace_id uuid PRIMARY KEY,
  seed jsonb NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'limits',
    sql: `
CREATE TABLE rate_windows (
  key text NOT NULL,
  window_start bigint NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE TABLE rate_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_ms bigint NOT NULL
);
CREATE TABLE request_log (
  seq bigserial PRIMARY KEY,
  time timestamptz NOT NULL,
  request_id uuid NOT NULL,
  workspace_id uuid,
  integration_id uuid,
  method text NOT NULL,
  route text,
  path text NOT NULL,
  status integer NOT NULL,
  code text,
  message text,
  duration_ms double precision NOT NULL,
  not_found_reason text
);
CREATE INDEX request_log_integration ON request_log (integration_id, seq DESC);
CREATE INDEX request_log_workspace ON request_log (workspace_id, seq DESC);
`,
  },
  {
    version: 3,
    name: 'databases',
    // props: a database row's values keyed by property id in the form filters and sorts compare
    // (folded text, numbers, option ids, id arrays, UTC date strings); maintained on every write.
    // The wire values stay in the json \`properties\` column, which keeps Notion's key order.
    sql: `
ALTER TABLE blocks ADD COLUMN props jsonb;
CREATE INDEX blocks_props ON blocks USING gin (props jsonb_path_ops) WHERE props IS NOT NULL;
CREATE INDEX blocks_database_rows ON blocks (parent_id, created_time DESC, id DESC) WHERE parent_type = 'database_id';
CREATE TABLE unique_id_counters (
  database_id uuid NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
  property_id text NOT NULL,
  last_value bigint NOT NULL,
  PRIMARY KEY (database_id, property_id)
);
CREATE TABLE query_cursors (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  database_id uuid NOT NULL,
  fingerprint text NOT NULL,
  position jsonb NOT NULL,
  created_time timestamptz NOT NULL
);
CREATE INDEX query_cursors_created ON query_cursors (created_time);
`,
  },
  {
    version: 4,
    name: 'auth change notifications',
    // Every write to the tables a principal is made of notifies AUTH_CHANNEL with the schema's name, once
    // per transaction, after its commit: other server processes on one PostgreSQL drop their cached
    // principals (auth/principal-cache.ts). (A function body stays on one line: statements split at ";\n".)
    sql: `
CREATE FUNCTION notion_local_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('notion_local_auth', current_schema()); RETURN NULL; END $$;
CREATE TRIGGER workspaces_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workspaces FOR EACH STATEMENT EXECUTE FUNCTION notion_local_auth_changed();
CREATE TRIGGER users_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notion_local_auth_changed();
CREATE TRIGGER integrations_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON integrations FOR EACH STATEMENT EXECUTE FUNCTION notion_local_auth_changed();
CREATE TRIGGER tokens_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tokens FOR EACH STATEMENT EXECUTE FUNCTION notion_local_auth_changed();
CREATE TRIGGER shares_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shares FOR EACH STATEMENT EXECUTE FUNCTION notion_local_auth_changed();
`,
  },
  {
    version: 5,
    name: 'sign-in throttle',
    // Sign-in attempts per account (`a:<email>`) and per client address (`ip:<address>`): one row per key,
    // its window starting at its first attempt (limits/sign-in-throttle.ts). In the store so that several
    // server processes on one PostgreSQL count together.
    sql: `
CREATE TABLE sign_in_attempts (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  count integer NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start);
`,
  },
  {
    version: 6,
    name: 'data sources',
    // Databases become containers of data sources (Notion-Version 2025-09-03). Each database gets one data
    // source row (object 'data_source', parent the database) that takes its schema, its title and description;
    // the database's rows move under it (parent_type 'data_source_id'), and every path below a database gains
    // the data source's id after the database's. unique_id_counters.database_id and query_cursors.database_id
    // now hold data source ids (cursors are dropped: they were a day's at most). Relation configs gain the
    // data source id of the database they point to (run step).
    sql: `
ALTER TABLE blocks DROP CONSTRAINT blocks_object_check;
ALTER TABLE blocks ADD CONSTRAINT blocks_object_check CHECK (object IN ('page', 'block', 'database', 'data_source'));
CREATE TEMPORARY TABLE new_sources ON COMMIT DROP AS SELECT gen_random_uuid() AS source_id, d.id AS database_id FROM blocks d WHERE d.object = 'database';
INSERT INTO blocks (id, workspace_id, object, type, parent_type, parent_id, path, position, content, properties, icon, cover, title, archived, created_time, created_by, last_edited_time, last_edited_by) SELECT n.source_id, d.workspace_id, 'data_source', 'data_source', 'database_id', d.id, d.path || n.source_id, 0, json_build_object('title', d.content->'title', 'description', d.content->'description'), d.properties, d.icon, NULL, d.title, false, d.created_time, d.created_by, d.last_edited_time, d.last_edited_by FROM new_sources n JOIN blocks d ON d.id = n.database_id;
UPDATE blocks d SET properties = NULL FROM new_sources n WHERE d.id = n.database_id;
UPDATE blocks r SET parent_type = 'data_source_id', parent_id = n.source_id FROM new_sources n WHERE r.parent_type = 'database_id' AND r.parent_id = n.database_id AND r.object <> 'data_source';
UPDATE unique_id_counters u SET database_id = n.source_id FROM new_sources n WHERE u.database_id = n.database_id;
DELETE FROM query_cursors;
DROP INDEX blocks_database_rows;
CREATE INDEX blocks_data_source_rows ON blocks (parent_id, created_time DESC, id DESC) WHERE parent_type = 'data_source_id'
`,
    run: async (tx) => {
      // Paths: a block below a database gets the data source's id after the database's. A block below two
      // databases (a database in a row's content) needs two passes; repeat until nothing is left.
      for (;;) {
        const moved = await tx.query<{ id: string }>(
          `UPDATE blocks b SET path = b.path[1:array_position(b.path, n.database_id)] || n.source_id
             || b.path[array_position(b.path, n.database_id) + 1:]
           FROM new_sources n
           WHERE n.database_id = ANY (b.path) AND b.id <> n.database_id AND NOT (n.source_id = ANY (b.path))
           RETURNING b.id`,
        );
        if (moved.length === 0) break;
      }
      // Relation configs: the data source of the database each one points to.
      const sources = await tx.query<{ id: string; properties: Record<string, Record<string, unknown>> | null }>(
        `SELECT id, properties FROM blocks WHERE object = 'data_source'`,
      );
      const byDatabase = new Map(
        (await tx.query<{ source_id: string; database_id: string }>('SELECT * FROM new_sources')).map((n) => [
          n.database_id,
          n.source_id,
        ]),
      );
      for (const source of sources) {
        let changed = false;
        for (const property of Object.values(source.properties ?? {})) {
          const relation = property.relation as Record<string, unknown> | undefined;
          if (property.type !== 'relation' || !relation || relation.data_source_id) continue;
          const target = byDatabase.get(String(relation.database_id));
          if (!target) continue;
          const { database_id, ...rest } = relation;
          property.relation = { database_id, data_source_id: target, ...rest };
          changed = true;
        }
        if (changed) {
          await tx.query('UPDATE blocks SET properties = $2 WHERE id = $1', [
            source.id,
            JSON.stringify(source.properties),
          ]);
        }
      }
    },
  },
  {
    version: 7,
    name: 'views, async tasks, custom emojis',
    // Database views (one table view, "Default view", per existing data source), their queries (a snapshot of
    // the matching row ids, kept until expires_time), async tasks (a Markdown write run in the background:
    // result or error kept until expires_time) and a workspace's custom emojis (reference §18, §19).
    sql: `
CREATE TABLE views (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  database_id uuid NOT NULL REFERENCES blocks(id) ON DELETE CASCADE,
  data_source_id uuid REFERENCES blocks(id) ON DELETE CASCADE,
  position bigint NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  filter json,
  sorts json,
  quick_filters json,
  configuration json,
  created_time timestamptz NOT NULL,
  created_by uuid NOT NULL,
  last_edited_time timestamptz NOT NULL,
  last_edited_by uuid NOT NULL
);
CREATE INDEX views_database ON views (database_id, position, id);
CREATE INDEX views_data_source ON views (data_source_id);
INSERT INTO views (id, workspace_id, database_id, data_source_id, position, name, type, configuration, created_time, created_by, last_edited_time, last_edited_by) SELECT gen_random_uuid(), s.workspace_id, s.parent_id, s.id, 1, 'Default view', 'table', '{"type":"table"}'::json, s.created_time, s.created_by, s.created_time, s.created_by FROM blocks s WHERE s.object = 'data_source';
CREATE TABLE view_queries (
  id uuid PRIMARY KEY,
  view_id uuid NOT NULL REFERENCES views(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  integration_id uuid NOT NULL,
  row_ids uuid[] NOT NULL,
  created_time timestamptz NOT NULL,
  expires_time timestamptz NOT NULL
);
CREATE INDEX view_queries_expires ON view_queries (expires_time);
CREATE TABLE async_tasks (
  id text PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  integration_id uuid NOT NULL,
  operation text NOT NULL,
  status text NOT NULL,
  result json,
  error json,
  created_time timestamptz NOT NULL,
  finished_time timestamptz,
  expires_time timestamptz NOT NULL
);
CREATE INDEX async_tasks_expires ON async_tasks (expires_time);
CREATE TABLE custom_emojis (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL,
  url text NOT NULL,
  created_time timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX custom_emojis_list ON custom_emojis (workspace_id, created_time, id)
`,
  },
  // From migration 8 on, each feature's migration lives in its own module (store/migration-<feature>.ts).
  WEBHOOKS_MIGRATION,
  FILE_UPLOADS_MIGRATION,
  OAUTH_MIGRATION,
];

/** The channel migration 4 notifies on every write to the tables a principal is made of. */
export const AUTH_CHANNEL = 'notion_local_auth';

/** A fingerprint of the schema: the in-memory template snapshot is keyed by it. */
export const SCHEMA_FINGERPRINT = createHash('sha256')
  .update(MIGRATIONS.map((m) => `${m.version}:${m.sql}:${m.run?.toString() ?? ''}`).join('\n'))
  .digest('hex')
  .slice(0, 16);

export async function migrate(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    // Several server processes may start against one PostgreSQL at once: one migrates, the rest wait.
    if (store.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7312026)');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_time timestamptz NOT NULL DEFAULT now())',
    );
    const done = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const statement of m.sql
        .split(/;\s*\n/)
        .map((s) => s.trim())
        .filter(Boolean)) {
        await tx.query(statement);
      }
      if (m.run) await m.run(tx);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
  });
}
