// One mapper per resource from store rows to Notion's 2022-06-28 wire objects (reference §8).
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

export function parentOf(row: Pick<BlockRow, 'parent_type' | 'parent_id'>): Record<string, unknown> {
  if (row.parent_type === 'workspace' || row.parent_id === null) return { type: 'workspace', workspace: true };
  return { type: row.parent_type, [row.parent_type]: row.parent_id };
}

export function serializePage(row: BlockRow): Record<string, unknown> {
  return {
    object: 'page',
    id: row.id,
    created_time: toMinuteIso(row.created_time),
    last_edited_time: toMinuteIso(row.last_edited_time),
    created_by: partialUser(row.created_by),
    last_edited_by: partialUser(row.last_edited_by),
    cover: row.cover ?? null,
    icon: row.icon ?? null,
    parent: parentOf(row),
    archived: row.archived,
    in_trash: row.archived,
    properties: row.properties ?? {},
    url: notionUrl(row.id, row.title),
    public_url: null,
  };
}

/** The stored payload of a database row (`content`): its title and description as rich text. */
export interface DatabaseContent {
  title: unknown[];
  description: unknown[];
  is_inline: boolean;
}

/** A database (reference §8.2); `properties` is its schema in wire form. */
export function serializeDatabase(row: BlockRow, properties: Record<string, unknown>): Record<string, unknown> {
  // A database row's payload is written by services/databases.ts in the DatabaseContent shape.
  const content: Partial<DatabaseContent> = row.content;
  return {
    object: 'database',
    id: row.id,
    cover: row.cover ?? null,
    icon: row.icon ?? null,
    created_time: toMinuteIso(row.created_time),
    created_by: partialUser(row.created_by),
    last_edited_by: partialUser(row.last_edited_by),
    last_edited_time: toMinuteIso(row.last_edited_time),
    title: content.title ?? [],
    description: content.description ?? [],
    is_inline: content.is_inline ?? false,
    properties,
    parent: parentOf(row),
    url: `https://www.notion.so/${undashed(row.id)}`,
    public_url: null,
    archived: row.archived,
    in_trash: row.archived,
  };
}

export function serializeBlock(row: BlockRow): Record<string, unknown> {
  const type = row.object === 'page' ? 'child_page' : row.object === 'database' ? 'child_database' : row.type;
  const content = row.object === 'block' ? row.content : { title: row.title };
  return {
    object: 'block',
    id: row.id,
    parent: parentOf(row),
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

export function serializeUser(
  row: UserRow,
  visibility: UserVisibility,
  bot?: { workspaceName: string; ownerIsWorkspace: boolean; self: boolean },
): Record<string, unknown> {
  if (visibility === 'none' && !bot?.self) return partialUser(row.id);
  const base = { object: 'user', id: row.id, name: row.name, avatar_url: row.avatar_url, type: row.type };
  if (row.type === 'person') {
    return { ...base, person: visibility === 'with_email' && row.email ? { email: row.email } : {} };
  }
  if (!bot?.self) return { ...base, bot: {} };
  return {
    ...base,
    bot: { owner: { type: 'workspace', workspace: true }, workspace_name: bot.workspaceName },
  };
}

export function serializeComment(row: CommentRow): Record<string, unknown> {
  return {
    object: 'comment',
    id: row.id,
    parent: { type: row.parent_type, [row.parent_type]: row.parent_id },
    discussion_id: row.discussion_id,
    created_time: toMinuteIso(row.created_time),
    last_edited_time: toMinuteIso(row.last_edited_time),
    created_by: partialUser(row.created_by),
    rich_text: row.rich_text,
  };
}
