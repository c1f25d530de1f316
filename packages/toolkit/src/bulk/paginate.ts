// Pagination through the SDK's own helpers, and bulk work with bounded concurrency. One failure never
// stops a batch: every item gets its own outcome.
import type { PageObjectResponse, UpdatePageParameters } from '@notionhq/client';
import { notionApi, sharedEndpoints, type NotionApi, type NotionClient, type QueryOptions } from '../api/notion-api.js';

export type { QueryOptions } from '../api/notion-api.js';

/**
 * Every page of a database query, page after page (the SDK's `iteratePaginatedAPI`). With an SDK v5
 * client (2025-09-03) `databaseId` may be a database's id (its one data source is queried) or a data
 * source's.
 */
export async function* iterateDatabase(
  client: NotionClient | NotionApi,
  databaseId: string,
  query: QueryOptions = {},
): AsyncGenerator<PageObjectResponse> {
  yield* notionApi(client).iterate(databaseId, query);
}

export async function queryAll(
  client: NotionClient | NotionApi,
  databaseId: string,
  query: QueryOptions = {},
): Promise<PageObjectResponse[]> {
  const pages: PageObjectResponse[] = [];
  for await (const page of iterateDatabase(client, databaseId, query)) pages.push(page);
  return pages;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `fn` over `items` with at most `concurrency` at a time; results keep the input order. */
export async function mapConcurrent<I, O>(
  items: readonly I[],
  concurrency: number,
  fn: (item: I, index: number) => Promise<O>,
): Promise<Outcome<O>[]> {
  const results: Outcome<O>[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      try {
        results[index] = { ok: true, value: await fn(items[index]!, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  });
  await Promise.all(workers);
  return results;
}

/** Updates many pages, `concurrency` at a time (the paced fetch keeps the request rate in budget). */
export function updateMany(
  client: NotionClient | NotionApi,
  updates: readonly UpdatePageParameters[],
  concurrency = 4,
): Promise<Outcome<PageObjectResponse | { id: string }>[]> {
  const pages = sharedEndpoints(client).pages;
  return mapConcurrent(updates, concurrency, (update) => pages.update(update));
}
