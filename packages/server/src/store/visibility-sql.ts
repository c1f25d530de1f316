// The sharing rule in SQL: the one place it is written. auth/access.ts `canSee` is the same rule as a pure
// function; test/access.test.ts runs its table against both, on both stores.
//
// An integration sees a row when the row is in its workspace and the row or one of its ancestors was
// shared with it. Each row stores `path` (its ancestors root first, ending with itself), so the test is
// one GIN-indexed array overlap.

/**
 * The rows of `alias` that an integration may see. `workspace` and `sharedRoots` are the placeholders of
 * the workspace id (uuid) and the shared root ids (uuid[]), e.g. `$1` and `$2`; casts are added here.
 * With `live`, rows in the trash are left out too (what queries, search and relations show).
 */
export function visibleSql(
  alias: string,
  workspace: string,
  sharedRoots: string,
  options: { live?: boolean } = {},
): string {
  const sql = `${alias}.workspace_id = ${workspace}::uuid AND ${alias}.path && ${sharedRoots}::uuid[]`;
  return options.live ? `${sql} AND NOT ${alias}.archived` : sql;
}
