// A clone bundle: what `notion-local clone` read through the API, as the API answered it (Notion-Version
// 2025-09-03), plus the order of things the objects alone do not say (children, rows) and what could not be read.
// The server turns a bundle into a local workspace (services/restore.ts); the toolkit never needs the server.

/** An API object as answered (page, block, database, data source, comment, user, property item). */
export type ApiObject = Record<string, unknown> & { id: string };

/** Something the crawl could not read, and why (the API's answer, or what the API cannot give). */
export interface Unreadable {
  id: string;
  kind: 'page' | 'database' | 'data_source' | 'block' | 'comments' | 'users' | 'property' | 'file';
  reason: string;
}

export interface CloneBundle {
  clone_bundle: 1;
  /** the API the clone read, e.g. https://api.notion.com */
  source: string;
  /** the cloning integration's bot user (users/me) */
  me: ApiObject;
  /** every user users.list answered (people and bots) */
  users: ApiObject[];
  pages: ApiObject[];
  databases: ApiObject[];
  data_sources: ApiObject[];
  /** blocks that are neither pages nor databases */
  blocks: ApiObject[];
  /** a page's or block's children (blocks, child pages, child databases) in order, by parent id */
  children: Record<string, string[]>;
  /** a data source's rows, in the order its query answered them */
  rows: Record<string, string[]>;
  /** page id → property id → every referenced id, for relation and people values past what a page object holds */
  references: Record<string, Record<string, string[]>>;
  comments: ApiObject[];
  /** the ids search answered, in its order (last edited first), when the crawl started from search */
  search: string[];
  /** the same under Notion-Version 2022-06-28, where databases stand in for their data sources */
  search_databases: string[];
  /** whether comments were read (--include-comments), and whether users.list was allowed */
  read_comments: boolean;
  read_users: boolean;
  unreadable: Unreadable[];
}

export function emptyBundle(source: string, me: ApiObject): CloneBundle {
  return {
    clone_bundle: 1,
    source,
    me,
    users: [],
    pages: [],
    databases: [],
    data_sources: [],
    blocks: [],
    children: {},
    rows: {},
    references: {},
    comments: [],
    search: [],
    search_databases: [],
    read_comments: false,
    read_users: false,
    unreadable: [],
  };
}

/** How many objects a bundle holds (pages, databases, data sources, blocks, comments, users). */
export function bundleSize(bundle: CloneBundle): number {
  return (
    bundle.pages.length +
    bundle.databases.length +
    bundle.data_sources.length +
    bundle.blocks.length +
    bundle.comments.length +
    bundle.users.length
  );
}
