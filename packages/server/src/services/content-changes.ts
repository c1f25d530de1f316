// The Changes that content writes record (services/changes.ts), built in one place so that the same write
// describes itself the same way whoever made it: an integration through the API, a person in the portal, or
// the platform (seed, reset).
import type { BlockRow } from '../model/rows.js';
import type { Actor, Change, ChangeKind, EntityType } from './changes.js';

type Row = Pick<BlockRow, 'id' | 'workspace_id' | 'object' | 'parent_type' | 'parent_id'>;

const PARENT_TYPES = {
  workspace: 'workspace',
  page_id: 'page',
  database_id: 'database',
  data_source_id: 'data_source',
  block_id: 'block',
} as const satisfies Record<BlockRow['parent_type'], NonNullable<Change['parent']>['type']>;

/** Where a row lives, as a Change says it. */
export function changeParent(row: Pick<BlockRow, 'parent_type' | 'parent_id'>): NonNullable<Change['parent']> {
  return { type: PARENT_TYPES[row.parent_type], id: row.parent_type === 'workspace' ? null : row.parent_id };
}

/** A change to a row of the blocks table: a page, a database or a block. */
export function contentChange(
  kind: ChangeKind,
  row: Row,
  actor: Actor,
  at: Date,
  extra: Pick<Change, 'updatedProperties' | 'details'> = {},
): Change {
  const entity: { type: EntityType; id: string } = { type: row.object, id: row.id };
  return { kind, workspaceId: row.workspace_id, entity, actor, at, parent: changeParent(row), ...extra };
}

/** A new page, database or block. */
export function createdChange(row: Row, actor: Actor, at: Date): Change {
  return contentChange(`${row.object}.created`, row, actor, at);
}

/**
 * A row moved to the trash or restored from it. Blocks have no "undeleted" kind (Notion's events have none):
 * a restored block is an updated one that is no longer in the trash.
 */
export function trashChange(row: Row, inTrash: boolean, actor: Actor, at: Date): Change {
  if (row.object === 'block') {
    return inTrash
      ? contentChange('block.deleted', row, actor, at)
      : contentChange('block.updated', row, actor, at, { details: { in_trash: false } });
  }
  return contentChange(`${row.object}.${inTrash ? 'deleted' : 'undeleted'}`, row, actor, at);
}

/** The actor of an integration's write through the API. */
export function botActor(integrationId: string): Actor {
  return { type: 'bot', id: integrationId };
}
