// SQL for search (reference §11.1, §1.3): pages and databases (2022-06-28) or pages and data sources
// (2025-09-03) an integration can see, matched on their title (a data source also on its database's).
import type { BlockRow } from '../model/rows.js';
import { BLOCK_COLUMNS } from './columns.js';
import type { SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';
import { singleSourceSql } from './database-repo.js';

/** What search lists of a row `alias` of the kinds `$2`: a single-source database, or any other kind. */
const listed = (alias: string) =>
  `${alias}.object = ANY ($2::text[]) AND (${alias}.object <> 'database' OR ${singleSourceSql(alias)})`;

/** A title match: the row's own title, or for a data source its database's too. */
const titleMatch = (alias: string, pattern: string) =>
  `(${alias}.title ILIKE '%' || ${pattern} || '%' OR (${alias}.object = 'data_source' AND EXISTS (
     SELECT 1 FROM blocks d WHERE d.id = ${alias}.parent_id AND d.title ILIKE '%' || ${pattern} || '%')))`;

export interface SearchRequest {
  workspaceId: string;
  /** The pages shared with the integration: it sees them and everything below them. */
  sharedRootIds: readonly string[];
  /** Which objects: 'page', 'database', 'data_source'. Databases with several data sources are never listed. */
  objects: readonly string[];
  /** A substring of the title (any case); '' matches every title. */
  titleContains: string;
  /** The id of the first row of the answer (a cursor), or null; an id the search does not list answers none. */
  startCursor: string | null;
  /** Newest edit first, or oldest first. */
  descending: boolean;
  limit: number;
}

/**
 * The visible pages, databases and data sources (as asked) whose title holds the text, leaving out those in the
 * trash or below a
 * trashed ancestor, in order of last edit (ties by id).
 */
export function searchVisible(db: SqlExecutor, request: SearchRequest): Promise<BlockRow[]> {
  const cmp = request.descending ? '<=' : '>=';
  const dir = request.descending ? 'DESC' : 'ASC';
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE ${visibleSql('b', '$1', '$3')} AND ${listed('b')}
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
       AND ($4::text = '' OR ${titleMatch('b', '$4')})
       AND ($5::uuid IS NULL OR (b.last_edited_time, b.id) ${cmp} (${cursorRow('$5')}))
     ORDER BY b.last_edited_time ${dir}, b.id ${dir} LIMIT $6`,
    [
      request.workspaceId,
      request.objects,
      [...request.sharedRootIds],
      escapeLike(request.titleContains),
      request.startCursor,
      request.limit,
    ],
  );
}

/**
 * The cursor's row, found only among what the search lists (same workspace, visible, of the kinds asked
 * for, not in the trash): any other id finds nothing, and the search answers the empty page of an unknown
 * id — one statement on every path.
 */
function cursorRow(cursor: string): string {
  return `SELECT c.last_edited_time, c.id FROM blocks c
    WHERE c.id = ${cursor} AND ${visibleSql('c', '$1', '$3')} AND ${listed('c')}
      AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (c.path) AND a.archived)`;
}

/** The text as a LIKE pattern matches it literally. */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
