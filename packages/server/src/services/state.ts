// The state file (design.md: `notion-local export-state`, `serve --import`, `--export-on-exit`): everything the
// store holds — workspaces, people, integrations with their token hashes, sharing, pages, blocks, databases and
// data sources, comments, views, custom emojis, webhook subscriptions, file uploads with their bytes, the seeds a
// reset rebuilds from — as one versioned JSON document. Its top level is the seed's (`workspaces`, each with its
// id and name) extended with `tables`: every table's rows as the store keeps them, so a state loads back exactly,
// byte for byte, on either store. Loading is one transaction into an empty store, recorded as workspace.created.
import type { Store } from '../store/sql-store.js';
import {
  advanceSequences,
  dumpTable,
  listWorkspaceNames,
  loadTable,
  schemaVersion,
  stateTables,
  storeIsEmpty,
  useUtc,
} from '../store/state-repo.js';
import { commitWrite } from './changes.js';
import type { WorkspaceWriteDeps } from './workspace-pages.js';

/** The version of the state file's own layout (its tables follow `schema_version`, the store's migrations). */
export const STATE_FORMAT_VERSION = 1;

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

/** The whole store as a state file's text (the same data gives the same bytes on PGlite and PostgreSQL). */
export async function exportState(store: Store): Promise<string> {
  return store.transaction(async (tx) => {
    await useUtc(tx);
    const version = await schemaVersion(tx);
    const workspaces = await listWorkspaceNames(tx);
    const parts: string[] = [];
    for (const table of await stateTables(tx))
      parts.push(`    ${JSON.stringify(table)}: ${await dumpTable(tx, table)}`);
    return [
      '{',
      `  "notion_local_state": ${STATE_FORMAT_VERSION},`,
      `  "schema_version": ${version},`,
      `  "workspaces": ${JSON.stringify(workspaces)},`,
      '  "tables": {',
      parts.join(',\n'),
      '  }',
      '}',
      '',
    ].join('\n');
  });
}

interface StateDocument {
  notion_local_state: number;
  schema_version: number;
  workspaces: { id: string; name: string }[];
  tables: Record<string, unknown[]>;
}

/** Parses and checks a state file's text; what is wrong, said in one line. */
export function parseState(text: string, source = 'state file'): StateDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const state = doc as Partial<StateDocument> | null;
  if (!state || typeof state !== 'object' || state.notion_local_state === undefined)
    throw new StateFileError(`${source} is not a notion-local state file (no "notion_local_state")`);
  if (state.notion_local_state !== STATE_FORMAT_VERSION)
    throw new StateFileError(
      `${source} has state format ${String(state.notion_local_state)}; this notion-local reads ${STATE_FORMAT_VERSION}`,
    );
  if (typeof state.schema_version !== 'number' || !state.tables || typeof state.tables !== 'object')
    throw new StateFileError(`${source} has no "schema_version" or "tables"`);
  for (const [table, rows] of Object.entries(state.tables))
    if (!Array.isArray(rows)) throw new StateFileError(`${source}: tables.${table} should be an array of rows`);
  return state as StateDocument;
}

/**
 * Loads a state into an empty store, in one transaction (a bad file changes nothing). The file must come from the
 * same schema version; a table it lacks stays empty, a table the store lacks is an error.
 */
export async function importState(deps: WorkspaceWriteDeps, text: string, now: Date): Promise<string[]> {
  const state = parseState(text);
  return commitWrite(deps.store, deps.changes, async ({ tx, record }) => {
    await useUtc(tx);
    if (!(await storeIsEmpty(tx)))
      throw new StateFileError('the store already holds workspaces: import into an empty one');
    const version = await schemaVersion(tx);
    if (state.schema_version !== version)
      throw new StateFileError(
        `the state file was written by schema version ${state.schema_version}; this store is at ${version} ` +
          '(export it again with this notion-local version)',
      );
    const tables = await stateTables(tx);
    const unknown = Object.keys(state.tables).filter((table) => !tables.includes(table));
    if (unknown.length > 0)
      throw new StateFileError(`the state file has tables this store lacks: ${unknown.join(', ')}`);
    for (const table of tables) {
      const rows = state.tables[table];
      if (rows && rows.length > 0) await loadTable(tx, table, JSON.stringify(rows));
    }
    await advanceSequences(tx);
    const workspaces = await listWorkspaceNames(tx);
    for (const ws of workspaces) {
      record({
        kind: 'workspace.created',
        workspaceId: ws.id,
        entity: { type: 'workspace', id: ws.id },
        actor: { type: 'system' },
        at: now,
        details: { name: ws.name, imported: true },
      });
    }
    return workspaces.map((ws) => ws.id);
  });
}
