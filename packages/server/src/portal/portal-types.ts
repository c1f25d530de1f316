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
  /** `public`: an OAuth app (PortalOAuthClient); it has no token of its own. */
  type: 'internal' | 'public';
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

/** A webhook subscription's state, as Notion's UI names them: Active, Pending verification, Paused. */
export type PortalWebhookState = 'active' | 'pending_verification' | 'paused';

/** One webhook subscription of an integration; the verification token itself is never sent. */
export interface PortalWebhook {
  id: string;
  integration_id: string;
  url: string;
  /** The event types it receives; null: every type of its API version. */
  event_types: string[] | null;
  api_version: string;
  state: PortalWebhookState;
  /** The last characters of the verification token (`…abcd`). */
  verification_token_hint: string;
  created_time: string;
  verified_time: string | null;
}

/** An integration's subscriptions, with the API versions a subscription may use and each version's event types. */
export interface PortalWebhookList {
  subscriptions: PortalWebhook[];
  api_versions: string[];
  default_api_version: string;
  event_types: Record<string, string[]>;
}

export interface PortalWebhookAttempt {
  attempt_number: number;
  started_time: string;
  /** The receiver's HTTP status; null when it did not answer (`error` says why: `timeout`, `ECONNREFUSED`, …). */
  status: number | null;
  error: string | null;
  latency_ms: number;
}

/** One event sent (or to be sent) to a subscription, with every attempt to deliver it. */
export interface PortalWebhookDelivery {
  id: string;
  /** The event type, or `verification` for the handshake. */
  type: string;
  state: 'pending' | 'delivered' | 'failed';
  created_time: string;
  /** When the next attempt is due (a pending delivery); null once delivered or given up. */
  next_attempt_time: string | null;
  attempts: PortalWebhookAttempt[];
  /** The event's payload (the handshake's token cut down to its last characters). */
  payload: Record<string, unknown>;
  /** The raw body of the last attempt, exactly as sent; null before the first attempt and for the handshake. */
  body: string | null;
  /** The `X-Notion-Signature` header the last attempt carried; null with `body`. */
  signature: string | null;
}

/** One authorization of a public integration: a connection with its own bot user, token and shared pages. */
export interface PortalOAuthAuthorization {
  /** The connection's bot user id (`bot_id` of its token response). */
  id: string;
  workspace: { id: string; name: string };
  /** The person who allowed it (null once they are gone). */
  user: { id: string; name: string } | null;
  created_time: string;
  shared_pages: { id: string; title: string }[];
}

/** A public integration's OAuth client as its developer sees it; the secret itself is shown only when issued. */
export interface PortalOAuthClient {
  integration_id: string;
  client_id: string;
  /** Prefix and last four characters of the client secret. */
  client_secret_hint: string;
  client_secret_created_time: string;
  redirect_uris: string[];
  /** `/v1/oauth/authorize?…` for the first redirect URI, as an app would send a person there. */
  authorization_url: string | null;
  authorizations: PortalOAuthAuthorization[];
}

/** The answer to creating a public integration or rotating its client secret: the only time the secret is shown. */
export interface PortalIssuedClientSecret {
  client: PortalOAuthClient;
  client_secret: string;
}

/** What the consent screen shows: the app asking, what it may do, and where the answer goes. */
export interface PortalConsent {
  integration: { id: string; name: string; capabilities: PortalCapability[]; developer_workspace: string };
  redirect_uri: string;
  workspace: { id: string; name: string };
  user: { id: string; name: string; email: string | null };
}

/** Where the browser goes after Allow or Cancel on the consent screen. */
export interface PortalConsentResult {
  redirect_url: string;
}
