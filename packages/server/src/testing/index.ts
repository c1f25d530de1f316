// notion-local/testing: notion-local from a test suite. `startNotionLocal()` starts the platform in this
// process (in-memory PGlite, port 0), or — when NOTION_LOCAL_URL is set or `url` given — uses a server started
// elsewhere, through its admin API and admin token, so the workers of a test run can share one server. Either
// way everything goes through the admin API (admin-client.ts): a fresh workspace per test from a seed,
// resets, the request log and fault rules. This module loads the platform only for an in-process start.
import { randomBytes } from 'node:crypto';
import type { Client } from '@notionhq/client';
import type { FaultRuleInput, PlatformConfig, StoreOptions } from '../index.js';
import { adminClient, NotionLocalAdminError, type AdminClient } from './admin-client.js';
import { callerClientClass, type NotionClientClass } from './sdk.js';
import { testWebhooks, type TestWebhooks } from './webhooks.js';

export type { EventFilter, ListenOptions, ReceivedEvent, TestWebhooks } from './webhooks.js';

export { NotionLocalAdminError };
export type { NotionClientClass };

export interface StartNotionLocalOptions {
  /**
   * A seed document (`{ workspaces: [...] }`, design.md "Seed file"); each of its workspaces is made afresh
   * for this handle. Default: the demo workspace of `notion-local serve`; `null` for none.
   */
  seed?: unknown;
  /** In-process only: the platform's config (rate limits are off unless this turns them on). */
  config?: PlatformConfig;
  /** In-process only: where the data lives (default: in memory). */
  store?: StoreOptions;
  /** A server started elsewhere (default: $NOTION_LOCAL_URL); without one the server starts in this process. */
  url?: string;
  /** The admin token of that server (default: $NOTION_LOCAL_ADMIN_TOKEN). */
  adminToken?: string;
}

/** A workspace made from a seed: its id and, by name or title, the ids and tokens a test needs. */
export interface TestWorkspace {
  id: string;
  name: string;
  /** Integration name → token. */
  tokens: Record<string, string>;
  /** Page title → page id (a title used twice names its first page in seed order). */
  ids: Record<string, string>;
  /** Integration name → integration (bot user) id. */
  integrations: Record<string, string>;
  /** User name → user id. */
  users: Record<string, string>;
}

/** Options of `client()`: which integration speaks, and anything else the SDK's Client takes. */
export interface TestClientOptions<C = Client> {
  /** The integration whose token to use (a name of `tokens`); default: the first one. */
  integration?: string;
  /** A token to use as is (wins over `integration`). */
  auth?: string;
  /** The SDK's Client class (default: @notionhq/client as the working directory's project resolves it). */
  Client?: NotionClientClass<C>;
  [option: string]: unknown;
}

/** Which requests of the log to list (admin API `GET /__admin/requests`), newest first. */
export interface RequestFilter {
  workspace_id?: string;
  integration_id?: string;
  status?: number;
  code?: string;
  route?: string;
  method?: string;
  /** At most this many (default 100). */
  limit?: number;
}

export interface LoggedRequest {
  id: number;
  time: string;
  request_id: string;
  workspace_id: string | null;
  integration_id: string | null;
  method: string;
  route: string | null;
  path: string;
  status: number;
  code: string | null;
  message: string | null;
  duration_ms: number;
  not_found_reason: string | null;
}

export type FaultRule = FaultRuleInput & { id: string; workspace_id?: string };

export interface NotionLocal {
  /** The API's base URL (give it to the SDK as `baseUrl`). */
  readonly baseUrl: string;
  readonly adminToken: string;
  /** True when this handle started the server and `close()` stops it. */
  readonly inProcess: boolean;
  /** The variables that point another process (a test worker) at this server. */
  readonly env: { NOTION_LOCAL_URL: string; NOTION_LOCAL_ADMIN_TOKEN: string };
  /** Integration name → token, over the seed's workspaces. */
  readonly tokens: Record<string, string>;
  /** Page title → id, over the seed's workspaces. */
  readonly ids: Record<string, string>;
  /** The seed's workspaces, as made for this handle. */
  readonly workspaces: readonly TestWorkspace[];
  client<C = Client>(options?: TestClientOptions<C>): C;
  /** One workspace in the seed format (ids and tokens left out are generated) → a new, isolated workspace. */
  workspace(seed: unknown): Promise<TestWorkspace>;
  /** Puts every workspace of this handle (the seed's and those from `workspace()`) back to its seed. */
  reset(): Promise<void>;
  requests(filter?: RequestFilter): Promise<LoggedRequest[]>;
  faults: {
    /** Adds a rule (admin API `POST /__admin/faults`); an `integration` name is looked up in `workspace_id`. */
    add(rule: FaultRuleInput & { workspace_id?: string }): Promise<FaultRule>;
    /** Removes the rules this handle added (other handles' rules on a shared server stay). */
    clear(): Promise<void>;
  };
  /** A webhook receiver of this handle: `listen()` subscribes an integration, `received()` lists what came. */
  webhooks: TestWebhooks;
  /** Stops the server when this handle started it; otherwise only forgets it. */
  close(): Promise<void>;
}

/** Starts notion-local in this process, or connects to the one at `url` / $NOTION_LOCAL_URL. */
export async function startNotionLocal(options: StartNotionLocalOptions = {}): Promise<NotionLocal> {
  const url = options.url ?? process.env.NOTION_LOCAL_URL;
  if (url) {
    const adminToken = options.adminToken ?? process.env.NOTION_LOCAL_ADMIN_TOKEN;
    if (!adminToken)
      throw new Error(
        'notion-local/testing: a server URL needs its admin token (adminToken or NOTION_LOCAL_ADMIN_TOKEN)',
      );
    const admin = adminClient(url, adminToken);
    const seed = options.seed === undefined ? (await import('../seed/demo-seed.js')).demoSeed() : options.seed;
    return handle(admin, adminToken, await seedWorkspaces(admin, seed), null);
  }
  return startInProcess(options);
}

async function startInProcess(options: StartNotionLocalOptions): Promise<NotionLocal> {
  const { startPlatform, demoSeed } = await import('../index.js');
  const adminToken = options.config?.adminToken ?? `nl_admin_${randomBytes(16).toString('hex')}`;
  // Webhooks arrive within ~0.1 s (a 100 ms aggregation window) and retry within seconds, not hours.
  const webhooks = { aggregationWindowMs: 100, retryDelaysMs: [100, 200, 400, 800, 1600, 3200, 6400] };
  const config: PlatformConfig = { rateLimit: { enabled: false }, webhooks, ...options.config, adminToken };
  const platform = await startPlatform({ store: options.store ?? { kind: 'memory' }, port: 0, config });
  try {
    const admin = adminClient(platform.url, adminToken);
    const seed = options.seed === undefined ? demoSeed() : options.seed;
    // A store that already holds workspaces (a data directory, a database) keeps them as they are.
    const fresh =
      (options.store ?? { kind: 'memory' }).kind === 'memory' || (await platform.workspaceIds()).length === 0;
    const workspaces = fresh ? await seedWorkspaces(admin, seed) : [];
    return handle(admin, adminToken, workspaces, () => platform.close());
  } catch (error) {
    await platform.close().catch(() => undefined);
    throw error;
  }
}

/** Makes each workspace of a seed document, one admin call each. */
async function seedWorkspaces(admin: AdminClient, seed: unknown): Promise<TestWorkspace[]> {
  if (seed === null) return [];
  const list = (seed as { workspaces?: unknown } | undefined)?.workspaces;
  if (!Array.isArray(list)) throw new Error('notion-local/testing: seed should be { workspaces: [...] } or null');
  const made: TestWorkspace[] = [];
  for (const ws of list) made.push(await createWorkspace(admin, ws));
  return made;
}

async function createWorkspace(admin: AdminClient, seed: unknown): Promise<TestWorkspace> {
  let ws = seed as Record<string, unknown> | null;
  const inner = (ws as { workspaces?: unknown } | null)?.workspaces;
  if (Array.isArray(inner) && inner.length === 1) ws = inner[0] as Record<string, unknown>;
  const body = ws && typeof ws === 'object' && ws.name === undefined ? { name: 'Test workspace', ...ws } : ws;
  const made = await admin.call<TestWorkspace & { object: string; duration_ms: number }>(
    'POST',
    '/__admin/workspaces',
    body,
  );
  return {
    id: made.id,
    name: made.name,
    tokens: made.tokens,
    ids: made.ids,
    integrations: made.integrations,
    users: made.users,
  };
}

function handle(
  admin: AdminClient,
  adminToken: string,
  seeded: TestWorkspace[],
  /** Stops the server this process started; null for a server started elsewhere. */
  stop: (() => Promise<void>) | null,
): NotionLocal {
  const own = [...seeded];
  const ruleIds: string[] = [];
  const tokens = Object.assign({}, ...seeded.map((w) => w.tokens)) as Record<string, string>;
  const ids = Object.assign({}, ...seeded.map((w) => w.ids)) as Record<string, string>;
  // An integration named in one of this handle's workspaces (the newest first), else taken as an id.
  const integrationId = (ref: string) =>
    [...own].reverse().find((ws) => ws.integrations[ref] !== undefined)?.integrations[ref] ?? ref;
  const webhooks = testWebhooks(admin, integrationId);
  return {
    baseUrl: admin.baseUrl,
    adminToken,
    inProcess: stop !== null,
    env: { NOTION_LOCAL_URL: admin.baseUrl, NOTION_LOCAL_ADMIN_TOKEN: adminToken },
    tokens,
    ids,
    workspaces: seeded,
    client: (options = {}) => makeClient(admin.baseUrl, tokens, options),
    async workspace(seed) {
      const made = await createWorkspace(admin, seed);
      own.push(made);
      return made;
    },
    async reset() {
      for (const ws of own) await admin.call('POST', `/__admin/workspaces/${ws.id}/reset`);
    },
    requests: (filter = {}) => listRequests(admin, filter),
    faults: {
      async add(rule) {
        const added = await admin.call<FaultRule>('POST', '/__admin/faults', rule);
        ruleIds.push(added.id);
        return added;
      },
      async clear() {
        while (ruleIds.length > 0) {
          const id = ruleIds.pop()!;
          await admin.call('DELETE', `/__admin/faults/${encodeURIComponent(id)}`).catch((error: unknown) => {
            if (!(error instanceof NotionLocalAdminError && error.status === 400)) throw error; // already gone
          });
        }
      },
    },
    webhooks,
    close: async () => {
      await webhooks.close();
      await stop?.();
    },
  };
}

function makeClient<C>(baseUrl: string, tokens: Record<string, string>, options: TestClientOptions<C>): C {
  const { integration, auth, Client: given, ...rest } = options;
  const names = Object.keys(tokens);
  const token = auth ?? tokens[integration ?? names[0] ?? ''];
  if (!token)
    throw new Error(
      integration === undefined
        ? 'notion-local/testing: no integration token: give { auth } or seed a workspace with an integration'
        : `notion-local/testing: no integration named ${JSON.stringify(integration)} (known: ${names.join(', ')})`,
    );
  const ClientClass = (given ?? callerClientClass()) as NotionClientClass<C>;
  return new ClientClass({ ...rest, auth: token, baseUrl });
}

async function listRequests(admin: AdminClient, filter: RequestFilter): Promise<LoggedRequest[]> {
  const { limit = 100, ...query } = filter;
  const found: LoggedRequest[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    params.set('page_size', String(Math.min(100, limit - found.length)));
    if (cursor) params.set('start_cursor', cursor);
    const page = await admin.call<{ results: LoggedRequest[]; next_cursor: string | null }>(
      'GET',
      `/__admin/requests?${params.toString()}`,
    );
    found.push(...page.results);
    cursor = page.next_cursor;
  } while (cursor && found.length < limit);
  return found;
}
