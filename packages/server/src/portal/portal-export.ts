// The workspace as it is now, written as a seed file (design.md "Seed file"), so a sandbox state can be
// saved and started again with `notion-local serve --seed FILE`. What the seed format cannot carry is
// listed in `notes` rather than silently lost; the result is checked with the seed loader's own validator.
import { MAX_CHILDREN_PER_REQUEST, MAX_NESTING_DEPTH } from '../domain/block-types.js';
import { serializeBlock } from '../domain/serialize.js';
import { validateSeed } from '../seed/seed-loader.js';
import { BLOCK_COLUMNS } from '../store/columns.js';
import { type BlockRow } from '../model/rows.js';
import type { SqlExecutor } from '../store/sql-store.js';
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

export async function exportWorkspace(db: SqlExecutor, workspaceId: string, now: Date): Promise<PortalExportResult> {
  const ws = (
    await db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces WHERE id = $1', [workspaceId])
  )[0];
  if (!ws) throw new Error(`workspace ${workspaceId} does not exist`);
  const people = await db.query<{
    id: string;
    name: string;
    email: string | null;
    role: string | null;
    avatar_url: string | null;
    password_hash: string | null;
  }>(
    `SELECT id, name, email, role, avatar_url, password_hash FROM users WHERE workspace_id = $1 AND type = 'person' ORDER BY created_time, id`,
    [workspaceId],
  );
  const integrations = await db.query<{
    id: string;
    name: string;
    capabilities: string[];
    settings: Record<string, unknown>;
    owner: string | null;
  }>(
    `SELECT i.id, u.name, i.capabilities, i.settings, coalesce(o.email, o.name) AS owner
     FROM integrations i JOIN users u ON u.id = i.id LEFT JOIN users o ON o.id = i.owner_user_id
     WHERE i.workspace_id = $1 ORDER BY i.created_time, u.created_time, u.id`,
    [workspaceId],
  );
  const shares = await db.query<{ block_id: string; name: string }>(
    `SELECT s.block_id, u.name FROM shares s JOIN integrations i ON i.id = s.integration_id JOIN users u ON u.id = i.id
     WHERE i.workspace_id = $1 ORDER BY i.created_time, u.id`,
    [workspaceId],
  );
  const rows = await db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.workspace_id = $1 AND NOT b.archived
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
     ORDER BY b.position, b.created_time, b.id`,
    [workspaceId],
  );
  const byParent = new Map<string, BlockRow[]>();
  for (const row of rows) byParent.set(row.parent_id ?? '', [...(byParent.get(row.parent_id ?? '') ?? []), row]);
  const childrenOf = (id: string) => byParent.get(id) ?? [];
  const sharedWith = new Map<string, string[]>();
  for (const s of shares) sharedWith.set(s.block_id, [...(sharedWith.get(s.block_id) ?? []), s.name]);

  const counters: Counters = { tooDeep: 0, tooMany: 0 };
  let databases = 0;
  const pageOut = (row: BlockRow): SeedPageOut => {
    const kids = childrenOf(row.id);
    const blocks = blockList(kids, childrenOf, 1, counters);
    const children = kids.filter((k) => k.object === 'page').map(pageOut);
    databases += kids.filter((k) => k.object === 'database').length;
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
  databases += topLevel.filter((r) => r.object === 'database').length;

  const seed = {
    workspaces: [
      {
        id: ws.id,
        name: ws.name,
        users: people.map((u) => ({
          id: u.id,
          name: u.name,
          ...(u.email ? { email: u.email } : {}),
          role: u.role === 'owner' ? 'owner' : 'member',
          ...(u.avatar_url ? { avatar_url: u.avatar_url } : {}),
        })),
        integrations: integrations.map((i) => ({
          id: i.id,
          name: i.name,
          capabilities: i.capabilities,
          ...(i.owner ? { owner: i.owner } : {}),
          ...(i.settings && Object.keys(i.settings).length ? { settings: i.settings } : {}),
        })),
        pages: topLevel.filter((r) => r.object === 'page').map(pageOut),
      },
    ],
  };

  const notes = [
    'Tokens are stored only as SHA-256 hashes, so none are exported: starting from this file issues new tokens and prints them once.',
  ];
  if (people.some((u) => u.password_hash))
    notes.push(
      'Passwords are stored hashed and are not exported; add "password" to users who should sign in with one.',
    );
  if (databases > 0) notes.push(`${databases} database(s) were left out: the seed format has no databases yet.`);
  if (counters.tooDeep > 0)
    notes.push(
      `${counters.tooDeep} block(s) nested deeper than ${MAX_NESTING_DEPTH} levels were left out: a seed takes two levels, like one API request.`,
    );
  if (counters.tooMany > 0)
    notes.push(`${counters.tooMany} block(s) beyond ${MAX_CHILDREN_PER_REQUEST} under one parent were left out.`);
  notes.push('Trashed pages and blocks are not exported.');
  try {
    validateSeed(seed);
  } catch (error) {
    notes.push(`Warning: the exported file does not pass seed validation: ${(error as Error).message}`);
  }
  const day = now.toISOString().slice(0, 10);
  const slug =
    ws.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'workspace';
  return { file_name: `notion-local-${slug}-${day}.json`, seed, notes };
}
