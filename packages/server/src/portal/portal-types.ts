// The portal's JSON API, as types shared by the server (packages/server/src/portal) and the web UI
// (packages/portal imports them type-only). Wire fields are snake_case like the Notion API's.
import type { RequestLogEntryView } from '../observability/request-log-query.js';

export type PortalCapability =
  | 'read_content'
  | 'update_content'
  | 'insert_content'
  | 'read_comments'
  | 'insert_comments'
  | 'read_user_without_email'
  | 'read_user_with_email';

/** Every error of the portal API: `{ error: { code, message } }` with an HTTP status. */
export interface PortalErrorBody {
  error: { code: PortalErrorCode; message: string };
}

/** `rate_limited` is the sign-in throttle's 429 (with `Retry-After`). */
export type PortalErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'invalid_request'
  | 'conflict'
  | 'not_seeded'
  | 'rate_limited';

export interface PortalSession {
  user: { id: string; name: string; email: string | null; role: 'owner' | 'member' };
  workspace: { id: string; name: string; seeded: boolean };
  /** Sent back in the `x-csrf-token` header on every state-changing call. */
  csrf_token: string;
}

export interface PortalIntegration {
  id: string;
  name: string;
  type: 'internal';
  capabilities: PortalCapability[];
  /** Prefix and last four characters of the live token; the token itself is stored only as SHA-256. */
  token_hint: string | null;
  token_created_time: string | null;
  created_time: string;
  owner: { id: string; name: string } | null;
  shared_pages: { id: string; title: string }[];
}

/** The answer to creating an integration or refreshing its token: the only time the secret is shown. */
export interface PortalIssuedSecret {
  integration: PortalIntegration;
  token: string;
}

export interface PortalTreeNode {
  id: string;
  object: 'page' | 'database';
  parent_id: string | null;
  title: string;
  icon: PortalIcon | null;
}

export type PortalIcon = { type: 'emoji'; emoji: string } | { type: 'external'; external: { url: string } };

export interface PortalBlock {
  id: string;
  /** A Notion block type (`paragraph`, `to_do`, `child_page`, …). */
  type: string;
  /** The type's payload as the API returns it (`block[type]`). */
  content: Record<string, unknown>;
  children: PortalBlock[];
}

export interface PortalPage {
  id: string;
  object: 'page' | 'database';
  title: string;
  icon: PortalIcon | null;
  archived: boolean;
  created_time: string;
  last_edited_time: string;
  /**
   * Ancestors, root first, without the page itself. A database row's ancestors include its database and its
   * data source (`object` says which; opening a data source's id shows its database).
   */
  ancestors: PortalAncestor[];
  blocks: PortalBlock[];
  /** True when the page had more blocks than the portal renders at once. */
  truncated: boolean;
  /** A database (`object: 'database'`): its live data sources, oldest first, each with its first rows. */
  data_sources?: PortalDataSource[];
  /** A database row: where it lives and its property values. */
  row?: PortalRowOf;
}

export interface PortalAncestor {
  id: string;
  title: string;
  object: 'page' | 'database' | 'data_source';
}

/** A property of a data source's schema. */
export interface PortalPropertyDef {
  id: string;
  name: string;
  /** A Notion property type (`title`, `select`, `relation`, …). */
  type: string;
}

/** A row's value of one property, as text to read. */
export interface PortalPropertyValue extends PortalPropertyDef {
  /** The value as plain text ('' when empty); null for formulas and rollups, which the API computes on read. */
  text: string | null;
}

export interface PortalDataSourceRow {
  /** The row's page id (what `pages.retrieve` and `pages.update` take). */
  id: string;
  title: string;
  icon: PortalIcon | null;
  created_time: string;
  /** The first few properties after the title, in schema order (`PortalDataSource.columns`). */
  values: PortalPropertyValue[];
}

/** One page of a data source's rows, newest first (the API's default query order). */
export interface PortalDataSourceRows {
  results: PortalDataSourceRow[];
  /** The cursor for `GET /data-sources/{id}/rows?start_cursor=`, or null on the last page. */
  next_cursor: string | null;
  has_more: boolean;
}

export interface PortalDataSource {
  /** The data source id (Notion-Version 2025-09-03: `POST /v1/data_sources/{id}/query`, parents of new rows). */
  id: string;
  /** The database it belongs to. */
  database_id: string;
  name: string;
  icon: PortalIcon | null;
  /** Its whole schema, in order. */
  properties: PortalPropertyDef[];
  /** The properties the rows list shows next to the title. */
  columns: PortalPropertyDef[];
  /** Live rows in all. */
  row_count: number;
  rows: PortalDataSourceRows;
  /** The views over this data source, in their database's tab order. */
  views: PortalView[];
}

/** A database view over one data source (Notion-Version 2025-09-03: `GET /v1/views/{id}`). */
export interface PortalView {
  id: string;
  name: string;
  /** `table`, `board`, `list`, `calendar`, `timeline`, `gallery`, … */
  type: string;
  /** The saved filter, sorts and quick filters as the API answers them (null: none). */
  filter: unknown;
  sorts: unknown;
  quick_filters: unknown;
  /** Each as one line of text (properties by their current names), or null when the view has none. */
  filter_summary: string | null;
  sorts_summary: string | null;
  quick_filters_summary: string | null;
}

/** A page's content as enhanced Markdown, as `GET /v1/pages/{id}/markdown` answers it (less `object`). */
export interface PortalPageMarkdown {
  id: string;
  markdown: string;
  /** Only the first 20,000 blocks were rendered. */
  truncated: boolean;
  /** Blocks Markdown has no form for, written as `<unknown …/>` tags. */
  unknown_block_ids: string[];
}

/** Where a database row lives, and all its values in schema order. */
export interface PortalRowOf {
  database_id: string;
  database_title: string;
  data_source_id: string;
  data_source_name: string;
  properties: PortalPropertyValue[];
}

export type PortalAccess = 'direct' | 'inherited' | 'none';

export interface PortalConnection {
  integration: { id: string; name: string; capabilities: PortalCapability[] };
  /** What the API enforces for this integration on this page (auth/access.ts canSee). */
  access: PortalAccess;
  /** Ancestors shared with the integration, root first: where inherited access comes from. */
  via: { id: string; title: string }[];
}

export interface PortalConnections {
  page_id: string;
  connections: PortalConnection[];
}

export interface PortalExportResult {
  file_name: string;
  /** A seed document (design.md "Seed file") of the workspace as it is now. */
  seed: unknown;
  /** What the seed cannot carry (tokens are stored hashed, so none are exported), and validation problems. */
  notes: string[];
}

/**
 * One API request as the request log keeps it, never a token or a body: the admin API's shape, less the
 * workspace (the portal shows its own).
 */
export type PortalRequestEntry = Omit<RequestLogEntryView, 'workspace_id'>;

export interface PortalRequestPage {
  results: PortalRequestEntry[];
  next_cursor: string | null;
  has_more: boolean;
}

export interface PortalRequestSummary {
  since: string;
  minutes: number;
  per_minute: { minute: string; ok: number; client_errors: number; rate_limited: number; server_errors: number }[];
  per_integration: {
    integration_id: string | null;
    total: number;
    errors: number;
    rate_limited: number;
    p50_ms: number;
    p95_ms: number;
  }[];
  total: { total: number; errors: number; rate_limited: number; p50_ms: number | null; p95_ms: number | null };
}

export interface PortalFaultRule {
  id: string;
  integration_id: string;
  route: string | null;
  status: number | null;
  probability: number | null;
  count: number | null;
  remaining: number | null;
  matched: number;
  latency_ms: number | null;
  after_commit: boolean;
}

export interface PortalLimits {
  rate_limit: {
    enabled: boolean;
    mode: 'window' | 'classic';
    requests_per_minute: number;
    workspace_requests_per_minute: number;
    requests_per_second: number;
  };
  integrations: { id: string; name: string; requests_per_minute: number | null }[];
  faults: PortalFaultRule[];
  /** Server-wide rules (config file, admin API) that reach this workspace's integrations (not editable here). */
  global_fault_count: number;
}
