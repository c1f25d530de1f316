// The column lists that produce the rows of model/rows.ts.
import type { BlockFlags } from '../model/rows.js';

export const BLOCK_BASE_COLUMNS = `b.id, b.workspace_id, b.object, b.type, b.parent_type, b.parent_id, b.path, b.position,
  b.content, b.properties, b.props, b.icon, b.cover, b.title, b.archived, b.created_time, b.created_by, b.last_edited_time,
  b.last_edited_by`;

// Written as "the first live child in order" so that the (parent_id, position) index answers it whatever the
// statistics say: as EXISTS, a table where most rows share one parent (a 100,000-row database) made the
// planner expect thousands of children per row and scan the whole table once per row answered.
const HAS_CHILDREN =
  '(SELECT true FROM blocks c WHERE c.parent_id = b.id AND NOT c.archived ORDER BY c.position LIMIT 1) IS NOT NULL AS has_children';
const ANCESTOR_ARCHIVED =
  'EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.id <> b.id AND a.archived) AS ancestor_archived';

/** The two flags double the cost of a primary-key read (measured on PGlite); read them only where used. */
export const BLOCK_COLUMNS = `${BLOCK_BASE_COLUMNS},
  ${HAS_CHILDREN},
  ${ANCESTOR_ARCHIVED}`;

export const BLOCK_COLUMNS_FOR: Record<BlockFlags, string> = {
  all: BLOCK_COLUMNS,
  archived: `${BLOCK_BASE_COLUMNS}, false AS has_children, ${ANCESTOR_ARCHIVED}`,
  none: `${BLOCK_BASE_COLUMNS}, false AS has_children, false AS ancestor_archived`,
};

export const USER_COLUMNS = 'u.id, u.workspace_id, u.type, u.name, u.email, u.avatar_url, u.role, u.created_time';

export const COMMENT_COLUMNS =
  'c.id, c.workspace_id, c.discussion_id, c.parent_type, c.parent_id, c.rich_text, c.created_by, c.created_time, c.last_edited_time';
