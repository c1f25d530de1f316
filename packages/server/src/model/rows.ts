// The store's data model: the shapes of rows as the store returns them. Both the store (which produces
// them) and the layers above (which read them) import this module; the SQL column lists are in store/columns.ts.

export interface BlockRow {
  id: string;
  workspace_id: string;
  /**
   * A database is a container (title, description, its place in a page); its data sources (migration 6) hold a
   * schema each, and its rows are pages whose parent is a data source.
   */
  object: 'page' | 'block' | 'database' | 'data_source';
  type: string;
  parent_type: 'workspace' | 'page_id' | 'block_id' | 'database_id' | 'data_source_id';
  parent_id: string | null;
  path: string[];
  position: string;
  content: Record<string, unknown>;
  properties: Record<string, unknown> | null;
  /** Data source rows only: values keyed by property id in the form filters compare (migration 3). */
  props: Record<string, unknown> | null;
  icon: unknown;
  cover: unknown;
  title: string;
  archived: boolean;
  created_time: Date;
  created_by: string;
  last_edited_time: Date;
  last_edited_by: string;
  has_children: boolean;
  ancestor_archived: boolean;
}

/**
 * Which computed flags a read needs: both; only `ancestor_archived` (a parent about to get a child: is it
 * editable?); or neither (answers that carry neither, e.g. page objects). A flag not read is false.
 */
export type BlockFlags = 'all' | 'archived' | 'none';

/** A page or database as a navigation tree shows it. */
export interface PageTreeRow {
  id: string;
  object: 'page' | 'database';
  parent_id: string | null;
  title: string;
  icon: unknown;
}

export interface UserRow {
  id: string;
  workspace_id: string;
  type: 'person' | 'bot';
  name: string;
  email: string | null;
  avatar_url: string | null;
  role: 'owner' | 'member' | null;
  created_time: Date;
}

export interface CommentRow {
  id: string;
  workspace_id: string;
  discussion_id: string;
  parent_type: 'page_id' | 'block_id';
  parent_id: string;
  rich_text: unknown[];
  created_by: string;
  created_time: Date;
  last_edited_time: Date;
}
