// SQL for restoring a clone (services/restore.ts): rows built from API objects go into their tables as given —
// ids, parents, paths, positions and timestamps included — in one statement per table, the columns named by the
// rows' keys (the rest take their defaults).
import type { SqlExecutor } from './sql-store.js';

/** Tables a restore writes, in foreign-key order. */
export const RESTORE_TABLES = [
  'workspaces',
  'users',
  'integrations',
  'tokens',
  'blocks',
  'shares',
  'comments',
  'unique_id_counters',
  'views',
] as const;
export type RestoreTable = (typeof RESTORE_TABLES)[number];

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Inserts rows (objects keyed by column; every row with the same keys) into a table. */
export async function insertRestoredRows(db: SqlExecutor, table: RestoreTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as Record<string, unknown>)
    .map(quoted)
    .join(', ');
  await db.query(
    `INSERT INTO ${quoted(table)} (${columns})
     SELECT ${columns} FROM json_populate_recordset(null::${quoted(table)}, $1::json)`,
    [JSON.stringify(rows)],
  );
}

/** Whether the store holds any workspace (a clone restores into an empty store). */
export async function storeHoldsWorkspaces(db: SqlExecutor): Promise<boolean> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
  return Number(rows[0]?.n ?? 0) > 0;
}
