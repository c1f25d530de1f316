// The workspace as it is now, written as a seed file (design.md "Seed file"), so a sandbox state can be
// saved and started again with `notion-local serve --seed FILE`. What the seed format cannot carry is
// listed in `notes` rather than silently lost; the result is checked with the seed loader's own validator.
import { MAX_CHILDREN_PER_REQUEST, MAX_NESTING_DEPTH } from '../domain/block-types.js';
import { serializeBlock } from '../domain/serialize.js';
import type { BlockRow } from '../model/rows.js';
import { validateSeed } from '../seed/seed-loader.js';
import { readWorkspaceExport, type WorkspaceExport } from '../services/workspaces.js';
import type { Store } from '../store/sql-store.js';
import type { PortalExportResult } from './portal-types.js';

interface SeedPageOut {
  id: string;
  title: string;
  icon?: unknown;
  shared_with?: string[];
  blocks?: unknown[];
  children?: SeedPageOut[];
}

interface Counters {
  tooDeep: number;
  tooMany: number;
}

/** A stored block as block input: `{ [type]: { ...payload, children? } }` (the API accepts its own output). */
function blockInput(row: BlockRow, childrenOf: (id: string) => BlockRow[], depth: number, counters: Counters): unknown {
  const wire = serializeBlock(row);
  const type = String(wire.type);
  const payload: Record<string, unknown> = { ...((wire[type] ?? {}) as Record<string, unknown>) };
  const children = childrenOf(row.id).filter((c) => c.object === 'block');
  if (children.length > 0) {
    if (depth >= MAX_NESTING_DEPTH) counters.tooDeep += children.length;
    else payload.children = blockList(children, childrenOf, depth + 1, counters);
  }
  return { [type]: payload };
}

function blockList(
  rows: BlockRow[],
  childrenOf: (id: string) => BlockRow[],
  depth: number,
  counters: Counters,
): unknown[] {
  const blocks = rows.filter((r) => r.object === 'block');
  if (blocks.length > MAX_CHILDREN_PER_REQUEST) counters.tooMany += blocks.length - MAX_CHILDREN_PER_REQUEST;
  return blocks.slice(0, MAX_CHILDREN_PER_REQUEST).map((r) => blockInput(r, childrenOf, depth, counters));
}

/** What an export leaves out, counted while the seed file is written. */
interface Omissions extends Counters {
  databases: number;
  /** The data sources of the databases left out, and their rows (pages whose parent is a data source). */
  dataSources: number;
  rows: number;
}

/** Counts the databases left out among `rows`, with their data sources and those data sources' rows. */
function omitDatabases(rows: readonly BlockRow[], childrenOf: (id: string) => BlockRow[], omissions: Omissions) {
  for (const database of rows.filter((r) => r.object === 'database')) {
    omissions.databases += 1;
    for (const source of childrenOf(database.id).filter((c) => c.object === 'data_source')) {
      omissions.dataSources += 1;
      omissions.rows += childrenOf(source.id).filter((c) => c.parent_type === 'data_source_id').length;
    }
  }
}

/** Live rows by parent id ('' for the top of the workspace), siblings in order. */
function childrenIndex(rows: readonly BlockRow[]): (id: string) => BlockRow[] {
  const byParent = new Map<string, BlockRow[]>();
  for (const row of rows) byParent.set(row.parent_id ?? '', [...(byParent.get(row.parent_id ?? '') ?? []), row]);
  return (id) => byParent.get(id) ?? [];
}

/** The workspace's pages as seed pages: each with its blocks, shares and child pages. */
function seedPages(data: WorkspaceExport, omissions: Omissions): SeedPageOut[] {
  const childrenOf = childrenIndex(data.blocks);
  const sharedWith = new Map<string, string[]>();
  for (const s of data.shares) sharedWith.set(s.block_id, [...(sharedWith.get(s.block_id) ?? []), s.name]);
  const pageOut = (row: BlockRow): SeedPageOut => {
    const kids = childrenOf(row.id);
    const blocks = blockList(kids, childrenOf, 1, omissions);
    const children = kids.filter((k) => k.object === 'page').map(pageOut);
    omitDatabases(kids, childrenOf, omissions);
    return {
      id: row.id,
      title: row.title,
      ...(row.icon ? { icon: row.icon } : {}),
      ...(sharedWith.get(row.id)?.length ? { shared_with: sharedWith.get(row.id) } : {}),
      ...(blocks.length ? { blocks } : {}),
      ...(children.length ? { children } : {}),
    };
  };
  const topLevel = childrenOf('').filter((r) => r.parent_type === 'workspace');
  omitDatabases(topLevel, childrenOf, omissions);
  return topLevel.filter((r) => r.object === 'page').map(pageOut);
}

/** The workspace as a seed file (design.md "Seed file"). */
function seedFile(data: WorkspaceExport, omissions: Omissions): PortalExportResult['seed'] {
  return {
    workspaces: [
      {
        id: data.workspace.id,
        name: data.workspace.name,
        users: data.people.map((u) => ({
          id: u.id,
          name: u.name,
          ...(u.email ? { email: u.email } : {}),
          role: u.role === 'owner' ? 'owner' : 'member',
          ...(u.avatar_url ? { avatar_url: u.avatar_url } : {}),
        })),
        integrations: data.integrations.map((i) => ({
          id: i.id,
          name: i.name,
          capabilities: i.capabilities,
          ...(i.owner ? { owner: i.owner } : {}),
          ...(i.settings && Object.keys(i.settings).length ? { settings: i.settings } : {}),
        })),
        pages: seedPages(data, omissions),
      },
    ],
  };
}

/** What the seed format could not carry, said rather than silently lost; and whether the file validates. */
function exportNotes(data: WorkspaceExport, omissions: Omissions, seed: unknown): string[] {
  const notes = [
    'Tokens are stored only as SHA-256 hashes, so none are exported: starting from this file issues new tokens and prints them once.',
  ];
  if (data.people.some((u) => u.password_hash))
    notes.push(
      'Passwords are stored hashed and are not exported; add "password" to users who should sign in with one.',
    );
  if (omissions.databases > 0)
    notes.push(
      `${omissions.databases} database(s) (${omissions.dataSources} data sources, ${omissions.rows} rows) were left out: the seed format has no databases yet.`,
    );
  if (omissions.tooDeep > 0)
    notes.push(
      `${omissions.tooDeep} block(s) nested deeper than ${MAX_NESTING_DEPTH} levels were left out: a seed takes two levels, like one API request.`,
    );
  if (omissions.tooMany > 0)
    notes.push(`${omissions.tooMany} block(s) beyond ${MAX_CHILDREN_PER_REQUEST} under one parent were left out.`);
  notes.push('Trashed pages and blocks are not exported.');
  try {
    validateSeed(seed);
  } catch (error) {
    notes.push(`Warning: the exported file does not pass seed validation: ${(error as Error).message}`);
  }
  return notes;
}

export async function exportWorkspace(store: Store, workspaceId: string, now: Date): Promise<PortalExportResult> {
  const data = await readWorkspaceExport(store, workspaceId);
  if (!data) throw new Error(`workspace ${workspaceId} does not exist`);
  const omissions: Omissions = { tooDeep: 0, tooMany: 0, databases: 0, dataSources: 0, rows: 0 };
  const seed = seedFile(data, omissions);
  const notes = exportNotes(data, omissions, seed);
  const day = now.toISOString().slice(0, 10);
  const slug =
    data.workspace.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'workspace';
  return { file_name: `notion-local-${slug}-${day}.json`, seed, notes };
}
