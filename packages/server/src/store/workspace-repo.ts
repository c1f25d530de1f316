// The workspaces table and what belongs to a workspace as a whole: its people (users of type person), the
// seed it was made from (the seeds table, which a reset re-applies), and the whole-workspace reads an export
// needs. Integrations and their bot users are in integration-repo.ts, shares in share-repo.ts.
import type { BlockRow } from '../model/rows.js';
import { BLOCK_COLUMNS } from './columns.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';

/** The lock key under which PostgreSQL instances starting at once agree on one seeding. */
const SEEDING_LOCK_KEY = 7312027;

export interface PersonInsert {
  id: string;
  workspaceId: string;
  name: string;
  email: string | null;
  avatarUrl: string | null;
  role: 'owner' | 'member';
  passwordHash: string | null;
  createdTime: Date;
}

/** A person of a workspace as an export writes it back (password hash only to say that one exists). */
export interface PersonRow {
  id: string;
  name: string;
  email: string | null;
  role: string | null;
  avatar_url: string | null;
  password_hash: string | null;
}

export async function insertWorkspace(db: SqlExecutor, id: string, name: string, createdTime: Date): Promise<void> {
  await db.query('INSERT INTO workspaces (id, name, created_time) VALUES ($1, $2, $3)', [id, name, createdTime]);
}

/** Deletes a workspace and, by cascade, everything in it (people, integrations, tokens, shares, content). */
export async function deleteWorkspace(db: SqlExecutor, id: string): Promise<void> {
  await db.query('DELETE FROM workspaces WHERE id = $1', [id]);
}

export async function findWorkspace(db: SqlExecutor, id: string): Promise<{ id: string; name: string } | null> {
  const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Every workspace's id, oldest first. */
export async function listWorkspaceIds(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM workspaces ORDER BY created_time, id');
  return rows.map((r) => r.id);
}

export async function hasWorkspaces(db: SqlExecutor): Promise<boolean> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * Holds, until the transaction ends, the lock that makes several processes starting on one PostgreSQL seed
 * once: the check for an empty store and the seeding happen under it. Nothing to do where the store has one
 * client (PGlite).
 */
export async function lockSeeding(tx: SqlExecutor): Promise<void> {
  if (tx.exclusive) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [SEEDING_LOCK_KEY]);
}

export async function insertPerson(db: SqlExecutor, person: PersonInsert): Promise<void> {
  await db.query(
    `INSERT INTO users (id, workspace_id, type, name, email, avatar_url, role, password_hash, created_time)
     VALUES ($1, $2, 'person', $3, $4, $5, $6, $7, $8)`,
    [
      person.id,
      person.workspaceId,
      person.name,
      person.email,
      person.avatarUrl,
      person.role,
      person.passwordHash,
      person.createdTime,
    ],
  );
}

/** The people of a workspace in the order they were created. */
export function listPeople(db: SqlExecutor, workspaceId: string): Promise<PersonRow[]> {
  return db.query<PersonRow>(
    `SELECT id, name, email, role, avatar_url, password_hash FROM users
     WHERE workspace_id = $1 AND type = 'person' ORDER BY created_time, id`,
    [workspaceId],
  );
}

/** The owner of the oldest workspace that has one (whom the sign-in link `serve` prints signs in). */
export async function findFirstOwner(db: SqlExecutor): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `SELECT u.id FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.role = 'owner'
     ORDER BY w.created_time, w.id, u.created_time LIMIT 1`,
  );
  return rows[0]?.id ?? null;
}

/** The workspace a user or a comment (or discussion) id belongs to, or null when it names neither. */
export async function findWorkspaceOfUserOrComment(db: SqlExecutor, id: string): Promise<string | null> {
  const rows = await db.query<{ workspace_id: string }>(
    `SELECT workspace_id FROM users WHERE id = $1
     UNION ALL SELECT workspace_id FROM comments WHERE id = $1 OR discussion_id = $1 LIMIT 1`,
    [id],
  );
  return rows[0]?.workspace_id ?? null;
}

/** Keeps the resolved seed a workspace was made from (replacing an earlier one): what a reset re-applies. */
export async function saveSeed(db: SqlExecutor, workspaceId: string, seed: unknown): Promise<void> {
  await db.query(
    `INSERT INTO seeds (workspace_id, seed) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET seed = EXCLUDED.seed`,
    [workspaceId, JSON.stringify(seed)],
  );
}

/**
 * In the resolved seed of a workspace, replaces the password hash of one of its people if it is still
 * `previous`, so a reset rebuilds them with the hash they sign in with now.
 */
export async function replaceSeedPasswordHash(
  db: SqlExecutor,
  workspaceId: string,
  userId: string,
  previous: string,
  next: string,
): Promise<void> {
  await db.query(
    `UPDATE seeds SET seed = jsonb_set(seed, '{users}', (
       SELECT jsonb_agg(CASE WHEN u->>'id' = $2 AND u->>'password_hash' = $3
                             THEN jsonb_set(u, '{password_hash}', to_jsonb($4::text)) ELSE u END ORDER BY i)
       FROM jsonb_array_elements(seed->'users') WITH ORDINALITY AS x(u, i)))
     WHERE workspace_id = $1 AND jsonb_typeof(seed->'users') = 'array'
       AND seed->'users' @> jsonb_build_array(jsonb_build_object('id', $2::text, 'password_hash', $3::text))`,
    [workspaceId, userId, previous, next],
  );
}

/** The resolved seed of a workspace, or null when it was not made from one. */
export async function findSeed(db: SqlExecutor, workspaceId: string): Promise<unknown> {
  const rows = await db.query<{ seed: unknown }>('SELECT seed FROM seeds WHERE workspace_id = $1', [workspaceId]);
  return rows[0]?.seed ?? null;
}

export async function isSeeded(db: SqlExecutor, workspaceId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM seeds WHERE workspace_id = $1', [workspaceId])).length > 0;
}

export async function listSeededWorkspaceIds(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ workspace_id: string }>('SELECT workspace_id FROM seeds');
  return rows.map((r) => r.workspace_id);
}

/**
 * Every page, database and block of the workspace that is not in the trash nor below a trashed row, siblings
 * in order: the content an export writes out.
 */
export function listLiveWorkspaceBlocks(db: SqlExecutor, workspaceId: string): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.workspace_id = $1 AND NOT b.archived
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
     ORDER BY b.position, b.created_time, b.id`,
    [workspaceId],
  );
}

/** The workspace's plan limits (migration 8), null when it is on the default plan. */
export async function findWorkspaceLimits(
  db: SqlExecutor,
  workspaceId: string,
): Promise<{ max_file_upload_size_in_bytes?: number } | null> {
  const rows = await db.query<{ limits: { max_file_upload_size_in_bytes?: number } | null }>(
    fixedPlan('SELECT limits FROM workspaces WHERE id = $1'),
    [workspaceId],
  );
  return rows[0]?.limits ?? null;
}

export async function saveWorkspaceLimits(db: SqlExecutor, workspaceId: string, limits: unknown): Promise<void> {
  await db.query('UPDATE workspaces SET limits = $2 WHERE id = $1', [workspaceId, JSON.stringify(limits)]);
}
