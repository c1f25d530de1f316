// A ready-made SDK client for the toolkit with the paced, retrying fetch plugged in: the official
// `@notionhq/client` v4 for Notion-Version 2022-06-28 (the default), v5 for 2025-09-03 (databases of
// data sources), with the SDK's own retries off so only the fetch retries. Nothing else about the SDK
// changes; `api` is the toolkit's one view over the two shapes of databases (api/notion-api.ts).
import { Client, LogLevel } from '@notionhq/client';
import { Client as ClientV5, LogLevel as LogLevelV5 } from 'notion-client-v5';
import type { Clock } from './clock.js';
import type { BudgetStore } from './limiter/budget-store.js';
import { RateLimiter, budgetKeyForToken } from './limiter/rate-limiter.js';
import { createNotionFetch, type NotionFetchHandle, type NotionFetchOptions } from './http/notion-fetch.js';
import {
  DEFAULT_NOTION_VERSION,
  notionApi,
  type NotionApi,
  type NotionClient,
  type NotionVersion,
} from './api/notion-api.js';

export const DEFAULT_BASE_URL = 'https://api.notion.com';
/** The default Notion-Version (kept for callers of earlier releases). */
export const NOTION_VERSION = DEFAULT_NOTION_VERSION;
/** The SDK's timeout covers every attempt and wait of one call; each attempt has its own (60 s). */
const SDK_TIMEOUT_MS = 30 * 60_000;

export interface ToolkitClientOptions extends Omit<NotionFetchOptions, 'limiter'> {
  readonly token: string;
  readonly baseUrl?: string;
  /** `2022-06-28` (SDK v4, the default) or `2025-09-03` (SDK v5: data sources). */
  readonly notionVersion?: NotionVersion;
  /** Average requests per second for this integration (default 3); 0 = no pacing. */
  readonly requestsPerSecond?: number;
  readonly burst?: number;
  /** Share the budget with other processes (PostgresBudgetStore, RedisBudgetStore). */
  readonly budgetStore?: BudgetStore;
  readonly clock?: Clock;
}

export interface ToolkitClient<C extends NotionClient = Client> {
  /** The SDK client: v4 under 2022-06-28, v5 under 2025-09-03. */
  readonly client: C;
  /** The same client seen through the toolkit's adapter over the two API shapes. */
  readonly api: NotionApi;
  readonly notionVersion: NotionVersion;
  readonly http: NotionFetchHandle;
  readonly baseUrl: string;
  readonly token: string;
}

export function createToolkitClient(
  options: ToolkitClientOptions & { notionVersion: '2025-09-03' },
): ToolkitClient<ClientV5>;
export function createToolkitClient(
  options: ToolkitClientOptions & { notionVersion: '2022-06-28' },
): ToolkitClient<Client>;
export function createToolkitClient(
  options: ToolkitClientOptions & { notionVersion: NotionVersion },
): ToolkitClient<NotionClient>;
// Last, so that `ReturnType<typeof createToolkitClient>` stays the SDK v4 client of earlier releases.
export function createToolkitClient(
  options: ToolkitClientOptions & { notionVersion?: '2022-06-28' },
): ToolkitClient<Client>;
export function createToolkitClient(options: ToolkitClientOptions): ToolkitClient<NotionClient> {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const limiter = new RateLimiter({
    ...(options.requestsPerSecond !== undefined ? { requestsPerSecond: options.requestsPerSecond } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
    ...(options.budgetStore ? { store: options.budgetStore } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    key: budgetKeyForToken(options.token),
  });
  const http = createNotionFetch({ ...options, limiter });
  const notionVersion = options.notionVersion ?? DEFAULT_NOTION_VERSION;
  const common = { auth: options.token, baseUrl, fetch: http.fetch, timeoutMs: SDK_TIMEOUT_MS, notionVersion };
  const client: NotionClient =
    notionVersion === '2025-09-03'
      ? new ClientV5({ ...common, logLevel: LogLevelV5.ERROR, retry: false })
      : new Client({ ...common, logLevel: LogLevel.ERROR });
  return { client, api: notionApi(client), notionVersion, http, baseUrl, token: options.token };
}
