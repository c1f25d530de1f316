// SQL for the blocks table (pages, blocks and databases share it: a page is a block whose
// children are its content). Writers lock the parent row so concurrent appends never interleave.
import { newId } from '../ids.js';
import type { BlockInput } from '../domain/block-types.js';
import { BLOCK_TYPES } from '../domain/block-types.js';
import type { MentionResolver } from '../domain/rich-text.js';
import { BLOCK_COLUMNS, BLOCK_COLUMNS_FOR, type BlockFlags, type BlockRow } from './rows.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';

/**
 * A row by id. `lock` also locks it for the rest of the transaction, in the same statement (a parent about
 * to get children: concurrent appends never interleave); skipped where no other connection can write.
 */
export async function findBlock(db: SqlExecutor, id: string, flags: BlockFlags = 'all', lock = false): Promise<BlockRow | null> {
  const forUpdate = lock && !db.exclusive ? ' FOR UPDATE OF b' : '';
  const rows = await db.query<BlockRow>(fixedPlan(`SELECT ${BLOCK_COLUMNS_FOR[flags]} FROM blocks b WHERE b.id = $1${forUpdate}`), [id]);
  return rows[0] ?? null;
}

export async function findBlocks(db: SqlExecutor, ids: readonly string[]): Promise<BlockRow[]> {
  if (ids.length === 0) return [];
  return db.query<BlockRow>(fixedPlan(`SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.id = ANY ($1::uuid[])`), [ids]);
}

/** Reads a row and locks it for the rest of the transaction, in one statement (writers into a database). */
export function findBlockForUpdate(db: SqlExecutor, id: string): Promise<BlockRow | null> {
  return findBlock(db, id, 'all', true);
}

/** Locks a parent row for the rest of the transaction (skipped where no other connection can write: PGlite). */
export async function lockBlock(db: SqlExecutor, id: string): Promise<void> {
  if (db.exclusive) return;
  await db.query('SELECT id FROM blocks WHERE id = $1 FOR UPDATE', [id]);
}

export interface ParentRef {
  workspaceId: string;
  /** null for workspace-level pages */
  id: string | null;
  type: BlockRow['parent_type'];
  path: readonly string[];
}

export interface NewRow {
  id: string;
  object: BlockRow['object'];
  type: string;
  content: Record<string, unknown>;
  properties?: Record<string, unknown> | null;
  /** Database rows: the filterable projection of their values (see migration 3). */
  props?: Record<string, unknown> | null;
  icon?: unknown;
  cover?: unknown;
  title?: string;
}

/** Makes room after `afterId` (or at the end) for `count` siblings and returns the first free position. */
export async function reservePositions(db: SqlExecutor, parent: ParentRef, count: number, afterId?: string): Promise<number> {
  const sameParent = parent.id === null ? 'parent_id IS NULL AND workspace_id = $1' : 'parent_id = $1';
  const key = parent.id ?? parent.workspaceId;
  if (afterId) {
    const rows = await db.query<{ position: string }>(`SELECT position FROM blocks WHERE id = $2 AND ${sameParent}`, [key, afterId]);
    const after = Number(rows[0]?.position ?? 0);
    await db.query(`UPDATE blocks SET position = position + $2 WHERE ${sameParent} AND position > $3`, [key, count, after]);
    return after + 1;
  }
  const rows = await db.query<{ max: string | null }>(`SELECT MAX(position) AS max FROM blocks WHERE ${sameParent}`, [key]);
  return Number(rows[0]?.max ?? 0) + 1;
}

// $8 is the position, or null for after the last sibling (the subquery runs only then: COALESCE stops early).
const LAST_UNDER_PARENT = 'COALESCE($8::bigint, (SELECT MAX(s.position) FROM blocks s WHERE s.parent_id = $6) + 1, 1)';
const LAST_AT_WORKSPACE = 'COALESCE($8::bigint, (SELECT MAX(s.position) FROM blocks s WHERE s.parent_id IS NULL AND s.workspace_id = $2) + 1, 1)';

/**
 * Inserts one row and returns it as stored (a new row has no children yet and was checked for trashed ancestors).
 * `position: 'last'` places it after its siblings within the same statement (the parent must be locked, as for
 * reservePositions).
 */
export async function insertRow(
  db: SqlExecutor,
  parent: ParentRef,
  row: NewRow,
  position: number | 'last',
  actorId: string,
  now: Date,
): Promise<BlockRow> {
  const path = [...parent.path, row.id];
  const json = (value: unknown) => (value ? JSON.stringify(value) : null);
  const content = JSON.stringify(row.content);
  const [properties, icon, cover, props] = [json(row.properties), json(row.icon), json(row.cover), json(row.props)];
  const title = row.title ?? '';
  // Only the position comes back: decoding every column again costs more than the INSERT's own work (PGlite).
  const inserted = await db.query<{ position: BlockRow['position'] }>(
    fixedPlan(`INSERT INTO blocks AS b (id, workspace_id, object, type, parent_type, parent_id, path, position, content, properties,
       icon, cover, title, archived, created_time, created_by, last_edited_time, last_edited_by, props)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], ${parent.id === null ? LAST_AT_WORKSPACE : LAST_UNDER_PARENT}, $9, $10, $11, $12, $13, false, $14, $15, $14, $15, $16)
     RETURNING b.position`),
    [
      row.id, parent.workspaceId, row.object, row.type, parent.type, parent.id, path, position === 'last' ? null : position,
      content, properties, icon, cover, title, now, actorId, props,
    ],
  );
  // The row as a read would give it: the json columns parsed from the very text stored.
  const parse = (text: string | null) => (text === null ? null : JSON.parse(text));
  return {
    id: row.id, workspace_id: parent.workspaceId, object: row.object, type: row.type, parent_type: parent.type, parent_id: parent.id,
    path, position: inserted[0]!.position, content: JSON.parse(content), properties: parse(properties), props: parse(props),
    icon: parse(icon), cover: parse(cover), title, archived: false, created_time: now, created_by: actorId,
    last_edited_time: now, last_edited_by: actorId, has_children: false, ancestor_archived: false,
  };
}

/**
 * Inserts a tree of validated block inputs under `parent` and returns the ids of the first level in order.
 * Positions of the first level start at `firstPosition`; nested levels are numbered from 1.
 */
export async function insertBlockTree(
  db: SqlExecutor,
  parent: ParentRef,
  blocks: readonly BlockInput[],
  firstPosition: number,
  actorId: string,
  now: Date,
  resolver: MentionResolver,
): Promise<string[]> {
  const ids: string[] = [];
  let position = firstPosition;
  for (const block of blocks) {
    const def = BLOCK_TYPES[block.type];
    if (!def) continue; // unreachable: inputs are validated against the same table
    const id = newId();
    const content = await def.normalize(block.payload, resolver);
    await insertRow(db, parent, { id, object: 'block', type: block.type, content }, position++, actorId, now);
    ids.push(id);
    if (block.children.length > 0) {
      const childParent: ParentRef = { workspaceId: parent.workspaceId, id, type: 'block_id', path: [...parent.path, id] };
      await insertBlockTree(db, childParent, block.children, 1, actorId, now, resolver);
    }
  }
  return ids;
}

export async function touch(db: SqlExecutor, id: string, actorId: string, now: Date): Promise<void> {
  await db.query(fixedPlan('UPDATE blocks SET last_edited_time = $2, last_edited_by = $3 WHERE id = $1'), [id, now, actorId]);
}
