// Databases and data sources as wire objects (reference §8.2, §1.3, §11.8). A database row is a container;
// under 2022-06-28 it shows its single data source's schema, from 2025-09-03 the list of its data sources.
import type { ApiVersion } from '../api-version.js';
import { hasDataSources } from '../api-version.js';
import { toMinuteIso } from '../clock.js';
import { undashed } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import { parentOf, partialUser } from './serialize.js';

/** The stored payload of a database row (`content`): its title and description as rich text. */
export interface DatabaseContent {
  title: unknown[];
  description: unknown[];
  is_inline: boolean;
  /** 2025-09-03 `is_locked` (absent: false) */
  is_locked?: boolean;
}

/** The stored payload of a data source row (`content`). */
export interface DataSourceContent {
  title: unknown[];
  description: unknown[];
}

/** What a database shows besides its own fields: the schema (2022-06-28) or its data sources (2025-09-03). */
export type DatabaseShape =
  { readonly properties: Record<string, unknown> } | { readonly dataSources: readonly { id: string; name: string }[] };

const notionUrl = (id: string) => `https://www.notion.so/${undashed(id)}`;

/** A database (reference §8.2 under 2022-06-28, §1.3 container from 2025-09-03). */
export function serializeDatabase(row: BlockRow, version: ApiVersion, shape: DatabaseShape): Record<string, unknown> {
  // A database row's payload is written by services/databases.ts in the DatabaseContent shape.
  const content: Partial<DatabaseContent> = row.content;
  if (hasDataSources(version) && 'dataSources' in shape) {
    return {
      object: 'database',
      id: row.id,
      title: content.title ?? [],
      description: content.description ?? [],
      parent: parentOf(row, version),
      is_inline: content.is_inline ?? false,
      in_trash: row.archived,
      archived: row.archived,
      is_locked: content.is_locked ?? false,
      created_time: toMinuteIso(row.created_time),
      last_edited_time: toMinuteIso(row.last_edited_time),
      data_sources: shape.dataSources,
      icon: row.icon ?? null,
      cover: row.cover ?? null,
      url: notionUrl(row.id),
      public_url: null,
    };
  }
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
    properties: 'properties' in shape ? shape.properties : {},
    parent: parentOf(row, version),
    url: notionUrl(row.id),
    public_url: null,
    archived: row.archived,
    in_trash: row.archived,
    is_locked: content.is_locked ?? false,
  };
}

/** A data source (reference §11.8): its schema, its database, and that database's own parent. */
export function serializeDataSource(
  row: BlockRow,
  database: BlockRow | null,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  // A data source row's payload is written by services/data-sources.ts in the DataSourceContent shape.
  const content: Partial<DataSourceContent> = row.content;
  const container: Partial<DatabaseContent> = database?.content ?? {};
  return {
    object: 'data_source',
    id: row.id,
    cover: database?.cover ?? null,
    icon: row.icon ?? null,
    created_time: toMinuteIso(row.created_time),
    created_by: partialUser(row.created_by),
    last_edited_by: partialUser(row.last_edited_by),
    last_edited_time: toMinuteIso(row.last_edited_time),
    title: content.title ?? [],
    description: content.description ?? [],
    is_inline: container.is_inline ?? false,
    properties,
    parent: { type: 'database_id', database_id: row.parent_id },
    database_parent: database ? parentOf(database, '2025-09-03') : { type: 'workspace', workspace: true },
    url: notionUrl(row.id),
    public_url: null,
    archived: row.archived,
    in_trash: row.archived,
  };
}
