// One mapper per resource from store rows to Notion's 2022-06-28 wire objects (reference §8).
import { DEFAULT_VERSION, hasDataSources, type ApiVersion } from '../api-version.js';
import { toMinuteIso } from '../clock.js';
import { undashed } from '../ids.js';
import type { BlockRow, CommentRow, UserRow } from '../model/rows.js';

/**
 * How much of a user an integration may read (the user-information capabilities, auth/capabilities.ts):
 * nothing but the id, everything but the email, or everything.
 */
export type UserVisibility = 'none' | 'without_email' | 'with_email';

export const partialUser = (id: string) => ({ object: 'user' as const, id });

export function notionUrl(id: string, title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `https://www.notion.so/${slug ? `${slug}-` : ''}${undashed(id)}`;
}

/**
 * A row's parent in the request's version. A database row's parent is its data source: from 2025-09-03
 * `{type:"data_source_id", data_source_id, database_id}`, before that its database (reference §11.8). The
 * database is the data source's parent, read from the row's path (…, database, data source, row).
 */
export function parentOf(
  row: Pick<BlockRow, 'parent_type' | 'parent_id' | 'path'>,
  version: ApiVersion = DEFAULT_VERSION,
): Record<string, unknown> {
  if (row.parent_type === 'workspace' || row.parent_id === null) return { type: 'workspace', workspace: true };
  if (row.parent_type === 'data_source_id') {
    const databaseId = row.path[row.path.length - 3] ?? null;
    return hasDataSources(version)
      ? { type: 'data_source_id', data_source_id: row.parent_id, database_id: databaseId }
      : { type: 'database_id', database_id: databaseId };
  }
  return { type: row.parent_type, [row.parent_type]: row.parent_id };
}

/** A page in the key order of Notion's 2026 answers (reference §8.1); the ⁺ keys in every version. */
export function serializePage(row: BlockRow, version: ApiVersion): Record<string, unknown> {
  return {
    object: 'page',
    id: row.id,
    created_time: toMinuteIso(row.created_time),
    last_edited_time: toMinuteIso(row.last_edited_time),
    created_by: partialUser(row.created_by),
    last_edited_by: partialUser(row.last_edited_by),
    cover: row.cover ?? null,
    icon: row.icon ?? null,
    parent: parentOf(row, version),
    in_trash: row.archived,
    is_archived: false,
    is_locked: row.content?.is_locked === true,
    properties: row.properties ?? {},
    url: notionUrl(row.id, row.title),
    public_url: null,
    archived: row.archived,
  };
}

/** A block; a database row read as a block shows its parent in the request's version (parentOf). */
export function serializeBlock(row: BlockRow, version: ApiVersion = DEFAULT_VERSION): Record<string, unknown> {
  const type = row.object === 'page' ? 'child_page' : row.object === 'database' ? 'child_database' : row.type;
  const stored = row.object === 'block' ? row.content : { title: row.title };
  // A paragraph answers `icon` between rich_text and color, null unless set, as Notion's do (reference §8.3).
  const content = type === 'paragraph' ? { rich_text: stored.rich_text, icon: null, ...stored } : stored;
  return {
    object: 'block',
    id: row.id,
    parent: parentOf(row, version),
    created_time: toMinuteIso(row.created_time),
    last_edited_time: toMinuteIso(row.last_edited_time),
    created_by: partialUser(row.created_by),
    last_edited_by: partialUser(row.last_edited_by),
    // A database's rows are not its block children (Notion answers has_children false for child_database).
    has_children: row.object === 'database' ? false : row.has_children,
    archived: row.archived,
    in_trash: row.archived,
    type,
    [type]: content,
  };
}

/**
 * A bot's `owner` (reference §2, §8.4): the person who authorized a public integration's connection, else the
 * workspace (internal integrations).
 */
export function botOwner(
  user: Pick<UserRow, 'id' | 'name' | 'avatar_url' | 'email'> | null,
): { type: 'user'; user: Record<string, unknown> } | { type: 'workspace'; workspace: true } {
  if (!user) return { type: 'workspace', workspace: true };
  const person = user.email ? { email: user.email } : {};
  return {
    type: 'user',
    user: { object: 'user', id: user.id, name: user.name, avatar_url: user.avatar_url, type: 'person', person },
  };
}

/** A user (reference §8.4); `bot` is what only the calling bot sees of itself (users/me, itself in users.list). */
export function serializeUser(
  row: UserRow,
  visibility: UserVisibility,
  bot?: {
    workspaceName: string;
    workspaceId: string;
    /** The person who authorized a public integration's connection; absent for an internal integration. */
    ownerUser?: Pick<UserRow, 'id' | 'name' | 'avatar_url' | 'email'> | null;
    self: boolean;
    maxFileUploadSizeInBytes: number;
  },
): Record<string, unknown> {
  if (visibility === 'none' && !bot?.self) return partialUser(row.id);
  const base = { object: 'user', id: row.id, name: row.name, avatar_url: row.avatar_url, type: row.type };
  if (row.type === 'person') {
    // Every email a workspace holds is taken as verified (Notion answers `email_verified` next to the email).
    const person = visibility === 'with_email' && row.email ? { email: row.email, email_verified: true } : {};
    return { ...base, person };
  }
  if (!bot?.self) return { ...base, bot: {} };
  return {
    ...base,
    bot: {
      owner: botOwner(bot.ownerUser ?? null),
      workspace_name: bot.workspaceName,
      workspace_id: bot.workspaceId,
      workspace_limits: { max_file_upload_size_in_bytes: bot.maxFileUploadSizeInBytes },
    },
  };
}

/**
 * A comment (reference §8.9, §19.1). `author` is its creator as a user row, or null when that user no longer
 * exists (an integration deleted since); comments are written through the API, so such an author was a bot.
 */
export function serializeComment(
  row: CommentRow,
  author: Pick<UserRow, 'type' | 'name'> | null,
): Record<string, unknown> {
  return {
    object: 'comment',
    id: row.id,
    parent: { type: row.parent_type, [row.parent_type]: row.parent_id },
    discussion_id: row.discussion_id,
    created_time: toMinuteIso(row.created_time),
    last_edited_time: toMinuteIso(row.last_edited_time),
    created_by: partialUser(row.created_by),
    rich_text: row.rich_text,
    display_name: {
      type: author?.type === 'person' ? 'user' : 'integration',
      resolved_name: author?.name ?? null,
    },
  };
}
