// Block trees as the store receives them: validated block inputs normalised (rich text, mentions, defaults)
// into rows, parents before children. The repository only inserts what comes out of here.
import { newId } from '../ids.js';
import { BLOCK_TYPES, type BlockInput } from '../domain/block-types.js';
import type { MentionResolver } from '../domain/rich-text.js';
import { insertRows, type ParentRef, type RowInsert } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';

/**
 * The rows of a tree of validated block inputs under `parent`, parents before children, appended to `into`;
 * returns the ids of the first level in order. Positions of the first level start at `firstPosition`; nested
 * levels are numbered from 1.
 */
export async function blockTreeRows(
  into: RowInsert[],
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
    into.push({ parent, row: { id, object: 'block', type: block.type, content }, position: position++, actorId, now });
    ids.push(id);
    if (block.children.length > 0) {
      const childParent: ParentRef = {
        workspaceId: parent.workspaceId,
        id,
        type: 'block_id',
        path: [...parent.path, id],
      };
      await blockTreeRows(into, childParent, block.children, 1, actorId, now, resolver);
    }
  }
  return ids;
}

/** Inserts a tree of validated block inputs under `parent` (blockTreeRows) and returns the ids of its first level. */
export async function insertBlockTree(
  db: SqlExecutor,
  parent: ParentRef,
  blocks: readonly BlockInput[],
  firstPosition: number,
  actorId: string,
  now: Date,
  resolver: MentionResolver,
): Promise<string[]> {
  const rows: RowInsert[] = [];
  const ids = await blockTreeRows(rows, parent, blocks, firstPosition, actorId, now, resolver);
  await insertRows(db, rows);
  return ids;
}
