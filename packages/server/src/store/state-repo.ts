// The whole store as a state file's tables (services/state.ts): every table of the schema but the transient ones,
// each dumped as the JSON array of its rows (to_json: columns in table order, json columns kept as written,
// timestamps in UTC with microseconds, bytea as hex) ordered by primary key, so the same data gives the same bytes
// on PGlite and PostgreSQL; and loaded back with json_populate_recordset, parents' tables first.
import type { SqlExecutor } from './sql-store.js';

/**
 * What a state file leaves out: sessions and sign-in throttles (people sign in again), rate-limit windows, the
 * request log, query cursors, view query snapshots and async tasks (all short-lived), webhook events and attempts
 * (a loaded state must not deliver the old server's events again), and the migrations ledger.
 */
const TRANSIENT = new Set([
  'sessions',
  'sign_in_attempts',
  'rate_windows',
  'rate_buckets',
  'request_log',
  'query_cursors',
  'view_queries',
  'async_tasks',
  'webhook_events',
  'webhook_attempts',
  'schema_migrations',
]);

/** Makes the transaction's timestamps read in UTC, whatever the server's time zone. */
export async function useUtc(tx: SqlExecutor): Promise<void> {
  await tx.query(`SET LOCAL TimeZone = 'UTC'`);
}

/** The tables a state holds, each after the tables its foreign keys point at. */
export async function stateTables(db: SqlExecutor): Promise<string[]> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = current_schema()`,
  );
  const names = tables.map((t) => t.name).filter((name) => !TRANSIENT.has(name));
  const parents = new Map(names.map((name) => [name, new Set<string>()]));
  for (const { child, parent } of edges) if (child !== parent) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) if (parents.has(parent)) visit(parent, path);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

/** The primary key's columns of a table, in key order (empty when it has none). */
async function primaryKey(db: SqlExecutor, table: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND c.relname = $1 AND n.nspname = current_schema() ORDER BY k.ord`,
    [table],
  );
  return rows.map((r) => r.name);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A table's rows as one JSON array text, in primary-key order (whole-row order for a table without one). */
export async function dumpTable(db: SqlExecutor, table: string): Promise<string> {
  const key = await primaryKey(db, table);
  const order = key.length > 0 ? key.map((c) => `t.${quoted(c)}`).join(', ') : 'to_json(t)::text';
  const rows = await db.query<{ rows: string }>(
    `SELECT coalesce(json_agg(to_json(t) ORDER BY ${order}), '[]'::json)::text AS rows FROM ${quoted(table)} t`,
  );
  return rows[0]?.rows ?? '[]';
}

/** Inserts rows given as a JSON array text (the shape dumpTable writes) into an empty table. */
export async function loadTable(db: SqlExecutor, table: string, rowsJson: string): Promise<void> {
  await db.query(
    `INSERT INTO ${quoted(table)} SELECT * FROM json_populate_recordset(null::${quoted(table)}, $1::json)`,
    [rowsJson],
  );
}

/** Sets every sequence that fills a column past the largest value loaded into it. */
export async function advanceSequences(db: SqlExecutor): Promise<void> {
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table_name: table, column_name: column } of columns) {
    await db.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quoted(column)}) FROM ${quoted(table)}), 0) + 1, false)`,
      [table, column],
    );
  }
}

/** The highest migration applied: the schema a state file was written by. */
export async function schemaVersion(db: SqlExecutor): Promise<number> {
  const rows = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

/** Whether the store holds any workspace (a state loads only into an empty store). */
export async function storeIsEmpty(db: SqlExecutor): Promise<boolean> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
  return Number(rows[0]?.n ?? 0) === 0;
}

/** The workspaces of the store, for the state file's summary and the changes an import records. */
export function listWorkspaceNames(db: SqlExecutor): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces ORDER BY created_time, id');
}
