// SQL for the blocks table (pages, blocks and databases share it: a page is a block whose
// children are its content). Writers lock the parent row so concurrent appends never interleave.
// Rows come in as the services built them (normalised payloads); nothing here knows what a block type means.
import { BLOCK_COLUMNS, BLOCK_COLUMNS_FOR } from './columns.js';
import { type BlockFlags, type BlockRow, type PageTreeRow } from '../model/rows.js';
import { fixedPlan, type SqlExecutor } from './sql-store.js';
import { visibleSql } from './visibility-sql.js';

/**
 * A row by id. `lock` also locks it for the rest of the transaction, in the same statement (a parent about
 * to get children: concurrent appends never interleave); skipped where no other connection can write.
 */
export async function findBlock(
  db: SqlExecutor,
  id: string,
  flags: BlockFlags = 'all',
  lock = false,
): Promise<BlockRow | null> {
  const forUpdate = lock && !db.exclusive ? ' FOR UPDATE OF b' : '';
  const rows = await db.query<BlockRow>(
    fixedPlan(`SELECT ${BLOCK_COLUMNS_FOR[flags]} FROM blocks b WHERE b.id = $1${forUpdate}`),
    [id],
  );
  return rows[0] ?? null;
}

/**
 * A row by id if the integration can see it (store/visibility-sql.ts), else null: a missing id and an
 * existing one it cannot see run the same statement and both answer no row, so neither the answer nor the
 * work done on the way tells them apart. `flags` and `lock` as for findBlock.
 */
export async function findVisibleBlock(
  db: SqlExecutor,
  sharing: { workspaceId: string; sharedRootIds: Iterable<string> },
  id: string,
  flags: BlockFlags = 'all',
  lock = false,
): Promise<BlockRow | null> {
  const forUpdate = lock && !db.exclusive ? ' FOR UPDATE OF b' : '';
  const rows = await db.query<BlockRow>(
    fixedPlan(
      `SELECT ${BLOCK_COLUMNS_FOR[flags]} FROM blocks b WHERE b.id = $1 AND ${visibleSql('b', '$2', '$3')}${forUpdate}`,
    ),
    [id, sharing.workspaceId, [...sharing.sharedRootIds]],
  );
  return rows[0] ?? null;
}

/** Rows by id, in no particular order; `flags` and `lock` as for findBlock (rows are locked in id order). */
export async function findBlocks(
  db: SqlExecutor,
  ids: readonly string[],
  flags: BlockFlags = 'all',
  lock = false,
): Promise<BlockRow[]> {
  if (ids.length === 0) return [];
  const forUpdate = lock && !db.exclusive ? ' ORDER BY b.id FOR UPDATE OF b' : '';
  return db.query<BlockRow>(
    fixedPlan(`SELECT ${BLOCK_COLUMNS_FOR[flags]} FROM blocks b WHERE b.id = ANY ($1::uuid[])${forUpdate}`),
    [ids],
  );
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
export async function reservePositions(
  db: SqlExecutor,
  parent: ParentRef,
  count: number,
  afterId?: string,
): Promise<number> {
  const sameParent = parent.id === null ? 'parent_id IS NULL AND workspace_id = $1' : 'parent_id = $1';
  const key = parent.id ?? parent.workspaceId;
  if (afterId) {
    const rows = await db.query<{ position: string }>(`SELECT position FROM blocks WHERE id = $2 AND ${sameParent}`, [
      key,
      afterId,
    ]);
    const after = Number(rows[0]?.position ?? 0);
    await db.query(`UPDATE blocks SET position = position + $2 WHERE ${sameParent} AND position > $3`, [
      key,
      count,
      after,
    ]);
    return after + 1;
  }
  const rows = await db.query<{ max: string | null }>(`SELECT MAX(position) AS max FROM blocks WHERE ${sameParent}`, [
    key,
  ]);
  return Number(rows[0]?.max ?? 0) + 1;
}

/** One row to insert: where it goes, and who wrote it when. */
export interface RowInsert {
  parent: ParentRef;
  row: NewRow;
  /**
   * A position, or 'last': after the siblings already stored, computed inside the INSERT (the parent must be
   * locked, as for reservePositions). Several 'last' rows under one parent keep their order. Under any one
   * parent, give either positions or 'last', not both: a 'last' row does not see the rows of its own call.
   */
  position: number | 'last';
  actorId: string;
  now: Date;
}

/** A row's parameters: its 17 values in column order, the json columns as the text stored. */
const PARAMS_PER_ROW = 17;

/**
 * One VALUES row of a multi-row INSERT; its parameters start after `base`. The position is $8 when given, else
 * the last sibling's plus $17, the row's rank among this statement's 'last' rows under the same parent (the
 * subquery sees the table as the statement found it, so rows of one statement cannot see each other).
 */
function valuesRow(base: number, atWorkspace: boolean): string {
  const p = (n: number) => `$${base + n}`;
  const siblings = atWorkspace ? `s.parent_id IS NULL AND s.workspace_id = ${p(2)}` : `s.parent_id = ${p(6)}`;
  return `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::uuid, ${p(7)}::uuid[],
    COALESCE(${p(8)}::bigint, (SELECT MAX(s.position) FROM blocks s WHERE ${siblings}) + ${p(17)}::bigint, ${p(17)}::bigint),
    ${p(9)}::json, ${p(10)}::json, ${p(11)}::json, ${p(12)}::json, ${p(13)}, false, ${p(14)}::timestamptz, ${p(15)}::uuid,
    ${p(14)}::timestamptz, ${p(15)}::uuid, ${p(16)}::jsonb)`;
}

/**
 * Rows per statement, largest first: a batch of n rows goes as the binary digits of n (13 = 8 + 4 + 1), so a
 * handful of prepared statements (fixedPlan) serve every size, each planned once.
 */
const CHUNK_SIZES = [64, 32, 16, 8, 4, 2, 1];

const insertSql = new Map<string, string>();
/** The INSERT for rows whose parents are (1) or are not (0) the workspace, in order: '0100' → 4 rows. */
function insertStatement(shape: string): string {
  let sql = insertSql.get(shape);
  if (!sql) {
    const values = [...shape].map((w, i) => valuesRow(i * PARAMS_PER_ROW, w === '1'));
    sql =
      fixedPlan(`INSERT INTO blocks AS b (id, workspace_id, object, type, parent_type, parent_id, path, position, content,
       properties, icon, cover, title, archived, created_time, created_by, last_edited_time, last_edited_by, props)
     VALUES ${values.join(',\n')}
     RETURNING b.id, b.position`);
    insertSql.set(shape, sql);
  }
  return sql;
}

const json = (value: unknown) => (value ? JSON.stringify(value) : null);
const parse = (text: string | null) => (text === null ? null : JSON.parse(text));

/**
 * Inserts rows, as few statements as their number allows (CHUNK_SIZES), and returns them as a read would give
 * them: the json columns parsed from the very text stored, no children yet, no trashed ancestor (writers check).
 * Only the positions come back from the store: decoding every column again costs more than the INSERT (PGlite).
 */
export async function insertRows(db: SqlExecutor, rows: readonly RowInsert[]): Promise<BlockRow[]> {
  const stored: BlockRow[] = [];
  let at = 0;
  for (const size of CHUNK_SIZES) {
    while (rows.length - at >= size) {
      const chunk = rows.slice(at, at + size);
      at += size;
      const params: unknown[] = [];
      const ranks = new Map<string, number>();
      let shape = '';
      const texts = chunk.map(({ parent, row, position, actorId, now }) => {
        const key = parent.id ?? `workspace ${parent.workspaceId}`;
        const rank = position === 'last' ? (ranks.get(key) ?? 0) + 1 : 1;
        if (position === 'last') ranks.set(key, rank);
        shape += parent.id === null ? '1' : '0';
        const text = {
          content: JSON.stringify(row.content),
          properties: json(row.properties),
          icon: json(row.icon),
          cover: json(row.cover),
          props: json(row.props),
        };
        params.push(
          row.id,
          parent.workspaceId,
          row.object,
          row.type,
          parent.type,
          parent.id,
          [...parent.path, row.id],
          position === 'last' ? null : position,
          text.content,
          text.properties,
          text.icon,
          text.cover,
          row.title ?? '',
          now,
          actorId,
          text.props,
          rank,
        );
        return text;
      });
      const returned = await db.query<{ id: string; position: BlockRow['position'] }>(insertStatement(shape), params);
      const positions = new Map(returned.map((r) => [r.id, r.position])); // RETURNING's order is not promised
      chunk.forEach(({ parent, row, actorId, now }, i) => {
        const text = texts[i]!;
        stored.push({
          id: row.id,
          workspace_id: parent.workspaceId,
          object: row.object,
          type: row.type,
          parent_type: parent.type,
          parent_id: parent.id,
          path: [...parent.path, row.id],
          position: positions.get(row.id)!,
          content: JSON.parse(text.content),
          properties: parse(text.properties),
          props: parse(text.props),
          icon: parse(text.icon),
          cover: parse(text.cover),
          title: row.title ?? '',
          archived: false,
          created_time: now,
          created_by: actorId,
          last_edited_time: now,
          last_edited_by: actorId,
          has_children: false,
          ancestor_archived: false,
        });
      });
    }
  }
  return stored;
}

/** Inserts one row and returns it as stored (see insertRows). */
export async function insertRow(
  db: SqlExecutor,
  parent: ParentRef,
  row: NewRow,
  position: number | 'last',
  actorId: string,
  now: Date,
): Promise<BlockRow> {
  return (await insertRows(db, [{ parent, row, position, actorId, now }]))[0]!;
}

/** Marks a row as edited by `actorId` at `now`. */
export async function touch(db: SqlExecutor, id: string, actorId: string, now: Date): Promise<void> {
  await db.query(fixedPlan('UPDATE blocks SET last_edited_time = $2, last_edited_by = $3 WHERE id = $1'), [
    id,
    now,
    actorId,
  ]);
}

/** The columns an edit may change; those left out keep their values. null clears a json column. */
export interface BlockEdit {
  content?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  /** The plain-text title (what search matches and URLs are made of). */
  title?: string;
  icon?: unknown;
  cover?: unknown;
  /** In the trash or not. */
  archived?: boolean;
}

const EDIT_JSON_COLUMNS = ['content', 'properties', 'icon', 'cover'] as const;

/** Edits a row and marks it as edited by `actorId` at `now`, in one statement. */
export async function editBlock(
  db: SqlExecutor,
  id: string,
  edit: BlockEdit,
  actorId: string,
  now: Date,
): Promise<void> {
  const params: unknown[] = [id, now, actorId];
  const sets: string[] = [];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`, ${column} = $${params.length}`);
  };
  for (const column of EDIT_JSON_COLUMNS) {
    const value = edit[column];
    if (value !== undefined) set(column, value === null ? null : JSON.stringify(value));
  }
  if (edit.title !== undefined) set('title', edit.title);
  if (edit.archived !== undefined) set('archived', edit.archived);
  await db.query(`UPDATE blocks SET last_edited_time = $2, last_edited_by = $3${sets.join('')} WHERE id = $1`, params);
}

/**
 * A block's children that are not in the trash, in order, from the cursor's child on (a cursor is a child's
 * id); at most `limit` rows. Siblings are ordered by (position, id): positions can tie (seeded child pages),
 * and a cursor compared on position alone would then repeat items and never end.
 */
export function listLiveChildren(
  db: SqlExecutor,
  parentId: string,
  startCursor: string | null,
  limit: number,
): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM blocks b
     WHERE b.parent_id = $1 AND NOT b.archived AND b.object <> 'data_source'
       AND ($2::uuid IS NULL OR (b.position, b.id) >= (SELECT position, id FROM blocks WHERE id = $2 AND parent_id = $1))
     ORDER BY b.position, b.id LIMIT $3`,
    [parentId, startCursor, limit],
  );
}

/**
 * The workspace's pages and databases that are not in the trash (nor below a trashed page), leaving out
 * database rows: parents before children, siblings in order.
 */
export function listPageTree(db: SqlExecutor, workspaceId: string): Promise<PageTreeRow[]> {
  return db.query<PageTreeRow>(
    `SELECT b.id, b.object, b.parent_id, b.title, b.icon FROM blocks b
     WHERE b.workspace_id = $1 AND b.object IN ('page', 'database') AND b.parent_type IN ('workspace', 'page_id')
       AND NOT EXISTS (SELECT 1 FROM blocks a WHERE a.id = ANY (b.path) AND a.archived)
     ORDER BY array_length(b.path, 1), b.position, b.created_time, b.id`,
    [workspaceId],
  );
}

/**
 * The content of a page: every live block below it down to (not into) child pages and databases, which are
 * included themselves; at most `limit` rows, in sibling order.
 */
export function listPageContent(db: SqlExecutor, pageId: string, limit: number): Promise<BlockRow[]> {
  return db.query<BlockRow>(
    `WITH RECURSIVE t (id, object) AS (
       SELECT id, object FROM blocks WHERE parent_id = $1 AND NOT archived
       UNION ALL
       SELECT c.id, c.object FROM blocks c JOIN t ON c.parent_id = t.id WHERE t.object = 'block' AND NOT c.archived
     )
     SELECT ${BLOCK_COLUMNS} FROM blocks b WHERE b.id IN (SELECT id FROM t LIMIT $2)
     ORDER BY b.position, b.created_time, b.id`,
    [pageId, limit],
  );
}

/** The titles of rows by id, in no particular order. */
export async function findTitles(db: SqlExecutor, ids: readonly string[]): Promise<{ id: string; title: string }[]> {
  if (ids.length === 0) return [];
  return db.query<{ id: string; title: string }>('SELECT id, title FROM blocks WHERE id = ANY ($1::uuid[])', [ids]);
}

/** What the request log says about a 404's id (observability/not-found-reason.ts). */
export interface NotFoundFacts {
  /** The workspace of the page, block or database with this id, or null. */
  block_workspace_id: string | null;
  /** The title of that row's root page (what to share), or null. */
  root_title: string | null;
  /** The workspace of a user, comment or discussion with this id, or null. */
  other_workspace_id: string | null;
}

/**
 * Everything the 404 reason needs, in one statement that does the same lookups whatever the id is (missing,
 * of another workspace, unshared): the work after a 404 must not tell them apart either.
 */
export async function findNotFoundFacts(db: SqlExecutor, id: string): Promise<NotFoundFacts> {
  const rows = await db.query<NotFoundFacts>(
    fixedPlan(
      `SELECT b.workspace_id AS block_workspace_id, r.title AS root_title,
         (SELECT workspace_id FROM users WHERE id = $1
          UNION ALL SELECT workspace_id FROM comments WHERE id = $1 OR discussion_id = $1 LIMIT 1) AS other_workspace_id
       FROM (SELECT 1) one LEFT JOIN blocks b ON b.id = $1 LEFT JOIN blocks r ON r.id = b.path[1]`,
    ),
    [id],
  );
  return rows[0] ?? { block_workspace_id: null, root_title: null, other_workspace_id: null };
}

/** What a moved row becomes under its new parent: its values there (a database row's, or a page's title). */
export interface MovedRow {
  position: number;
  properties: Record<string, unknown>;
  /** comparable values for a data source's filters; null under a page */
  props: Record<string, unknown> | null;
}

/**
 * Moves a row and everything below it under `parent` (its path, and those of its descendants, start with the
 * parent's path), with the values it has there; marks it edited by `actorId` at `now`.
 */
export async function moveRow(
  db: SqlExecutor,
  id: string,
  parent: ParentRef,
  moved: MovedRow,
  actorId: string,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE blocks b SET path = $2::uuid[] || b.path[array_position(b.path, $1::uuid):] WHERE $1::uuid = ANY (b.path)`,
    [id, [...parent.path]],
  );
  await db.query(
    `UPDATE blocks SET parent_type = $2, parent_id = $3, position = $4, properties = $5, props = $6,
       last_edited_time = $7, last_edited_by = $8 WHERE id = $1`,
    [
      id,
      parent.type,
      parent.id,
      moved.position,
      JSON.stringify(moved.properties),
      moved.props === null ? null : JSON.stringify(moved.props),
      now,
      actorId,
    ],
  );
}
