// What every service call gets: the store, the clock, the calling integration and the feed its writes report to.
import type { ApiVersion } from '../api-version.js';
import type { Clock } from '../clock.js';
import type { Principal } from '../auth/access.js';
import { canSee } from '../auth/access.js';
import { errors, ApiError, MESSAGES, type ObjectKind } from '../errors.js';
import { findVisibleBlock } from '../store/block-repo.js';
import type { BlockFlags, BlockRow } from '../model/rows.js';
import type { SqlExecutor, Store } from '../store/sql-store.js';
import type { ChangeFeed } from './changes.js';

export interface ServiceContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly principal: Principal;
  /** The request's Notion-Version (api-version.ts): which shapes and rules it gets. */
  readonly version: ApiVersion;
  /** Where committed writes are described (services/changes.ts). */
  readonly changes: ChangeFeed;
  /** `http://host:port` as the client called it, for URLs in answers (property items' `next_url`). */
  readonly baseUrl?: string;
}

export interface LoadOptions {
  /** The computed flags the caller uses (model/rows.ts); default both. */
  flags?: BlockFlags;
  /** Also lock the row for the rest of the transaction, in the same statement (a parent about to get children). */
  lock?: boolean;
}

/**
 * Loads an object the integration can see, or throws the 404 that Notion gives for missing and unshared alike.
 * Visibility is tested in the statement itself (and again by `canSee`), so both paths run the same query and
 * read no row.
 */
export async function loadVisible(
  db: SqlExecutor,
  principal: Principal,
  id: string,
  kind: ObjectKind,
  options: LoadOptions = {},
): Promise<BlockRow> {
  return visible(principal, await findVisibleBlock(db, principal, id, options.flags, options.lock), id, kind);
}

/** A row read for `id` if the integration can see it, else the 404 of a missing object (see loadVisible). */
export function visible(
  principal: Principal,
  row: BlockRow | null | undefined,
  id: string,
  kind: ObjectKind,
): BlockRow {
  if (!row || !canSee(principal, { workspaceId: row.workspace_id, path: row.path })) throw errors.notFound(kind, id);
  // A data source is not a block (it has no place among a page's children): the blocks API does not find it.
  if (kind === 'block' && row.object === 'data_source') throw errors.notFound(kind, id);
  return row;
}

// Asking for the wrong kind of a visible object is a 400 that says what it is (reference §4); invisible
// objects stay the one 404 whatever their kind.
export const wrongKind = {
  pageNotDatabase: (id: string) =>
    new ApiError(
      'validation_error',
      `Provided database_id ${id} is a page, not a database. Use the pages API instead, or pass the ID of the database itself.`,
    ),
  databaseNotPage: (id: string) =>
    new ApiError(
      'validation_error',
      `Provided ID ${id} is a database, not a page. Use the retrieve database API instead.`,
    ),
};

/** A database the integration can see; a visible page answers the wrong-kind 400, anything else 404. */
export async function loadVisibleDatabase(
  db: SqlExecutor,
  principal: Principal,
  id: string,
  options: LoadOptions = {},
): Promise<BlockRow> {
  const row = await loadVisible(db, principal, id, 'database', options);
  if (row.object === 'page') throw wrongKind.pageNotDatabase(id);
  if (row.object !== 'database') throw errors.notFound('database', id);
  return row;
}

/** A page the integration can see; a visible database answers the wrong-kind 400, a block 404. */
export async function loadVisiblePage(
  db: SqlExecutor,
  principal: Principal,
  id: string,
  options: LoadOptions = {},
): Promise<BlockRow> {
  return visiblePage(principal, await findVisibleBlock(db, principal, id, options.flags, options.lock), id);
}

/** A row read for `id` if it is a page the integration can see (see loadVisiblePage). */
export function visiblePage(principal: Principal, row: BlockRow | null | undefined, id: string): BlockRow {
  const page = visible(principal, row, id, 'page');
  if (page.object === 'database') throw wrongKind.databaseNotPage(id);
  if (page.object !== 'page') throw errors.notFound('page', id);
  return page;
}

/**
 * Trash (true), restore (false) or neither (undefined) as an update body asks: `in_trash`, or its older name
 * `archived`; when both are given they must agree.
 */
export function requestedTrash(input: { in_trash?: boolean; archived?: boolean }): boolean | undefined {
  if (input.in_trash !== undefined && input.archived !== undefined && input.in_trash !== input.archived) {
    throw errors.validation(
      'body failed validation: body.in_trash and body.archived should match when both are present.',
    );
  }
  return input.in_trash ?? input.archived;
}

/** Writes to a trashed object, or below a trashed ancestor, are refused as Notion refuses them. */
export function assertEditable(row: BlockRow): void {
  if (row.object === 'page') {
    if (row.archived) throw new ApiError('validation_error', MESSAGES.pageArchived);
    if (row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.ancestorArchived);
    return;
  }
  if (row.archived || row.ancestor_archived) throw new ApiError('validation_error', MESSAGES.blockArchived);
}

// Mentions as an integration writes them (a re-export: the resolvers live in mention-resolvers.ts).
export { mentionResolver } from './mention-resolvers.js';
