// Pagination through the SDK's own helpers, and bulk work with bounded concurrency. One failure never
// stops a batch: every item gets its own outcome.
import {
  isFullPage,
  iteratePaginatedAPI,
  type Client,
  type PageObjectResponse,
  type UpdatePageParameters,
} from '@notionhq/client';

type QueryDatabaseParameters = Parameters<Client['databases']['query']>[0];
export type QueryOptions = Omit<QueryDatabaseParameters, 'database_id' | 'start_cursor'>;

/** Every page of a database query, page after page (the SDK's `iteratePaginatedAPI`). */
export async function* iterateDatabase(
  client: Client,
  databaseId: string,
  query: QueryOptions = {},
): AsyncGenerator<PageObjectResponse> {
  for await (const item of iteratePaginatedAPI(client.databases.query, { ...query, database_id: databaseId })) {
    if (item.object === 'page' && isFullPage(item)) yield item;
  }
}

export async function queryAll(
  client: Client,
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
  client: Client,
  updates: readonly UpdatePageParameters[],
  concurrency = 4,
): Promise<Outcome<PageObjectResponse | { id: string }>[]> {
  return mapConcurrent(updates, concurrency, (update) => client.pages.update(update));
}
