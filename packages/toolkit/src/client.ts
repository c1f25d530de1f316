// A ready-made SDK client for the toolkit: the official `@notionhq/client` (v4, Notion-Version
// 2022-06-28) with the paced, retrying fetch plugged in. Nothing else about the SDK changes.
import { Client, LogLevel } from '@notionhq/client';
import type { Clock } from './clock.js';
import type { BudgetStore } from './limiter/budget-store.js';
import { RateLimiter, budgetKeyForToken } from './limiter/rate-limiter.js';
import { createNotionFetch, type NotionFetchHandle, type NotionFetchOptions } from './http/notion-fetch.js';

export const DEFAULT_BASE_URL = 'https://api.notion.com';
export const NOTION_VERSION = '2022-06-28';
/** The SDK's timeout covers every attempt and wait of one call; each attempt has its own (60 s). */
const SDK_TIMEOUT_MS = 30 * 60_000;

export interface ToolkitClientOptions extends Omit<NotionFetchOptions, 'limiter'> {
  readonly token: string;
  readonly baseUrl?: string;
  /** Average requests per second for this integration (default 3); 0 = no pacing. */
  readonly requestsPerSecond?: number;
  readonly burst?: number;
  /** Share the budget with other processes (PostgresBudgetStore, RedisBudgetStore). */
  readonly budgetStore?: BudgetStore;
  readonly clock?: Clock;
}

export interface ToolkitClient {
  readonly client: Client;
  readonly http: NotionFetchHandle;
  readonly baseUrl: string;
  readonly token: string;
}

export function createToolkitClient(options: ToolkitClientOptions): ToolkitClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const limiter = new RateLimiter({
    ...(options.requestsPerSecond !== undefined ? { requestsPerSecond: options.requestsPerSecond } : {}),
    ...(options.burst !== undefined ? { burst: options.burst } : {}),
    ...(options.budgetStore ? { store: options.budgetStore } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    key: budgetKeyForToken(options.token),
  });
  const http = createNotionFetch({ ...options, limiter });
  const client = new Client({
    auth: options.token,
    baseUrl,
    fetch: http.fetch,
    timeoutMs: SDK_TIMEOUT_MS,
    notionVersion: NOTION_VERSION,
    logLevel: LogLevel.ERROR,
  });
  return { client, http, baseUrl, token: options.token };
}
