// Pages in query results and `pages.retrieve` carry at most 25 references per relation or people
// property (reference §9.2); the rest is only in the property item endpoint. Export and sync must see
// every reference — a truncated list would be exported short, and rewritten on every sync.
import { iteratePaginatedAPI, type PageObjectResponse } from '@notionhq/client';
import { sharedEndpoints, type NotionApi, type NotionClient } from '../api/notion-api.js';

/** How many references a page object carries at most per property. */
export const MAX_REFERENCES_IN_PAGE = 25;

type PageProperty = PageObjectResponse['properties'][string];

function isTruncated(value: PageProperty): boolean {
  if (value.type === 'relation')
    return (value as { has_more?: boolean }).has_more === true || value.relation.length > MAX_REFERENCES_IN_PAGE;
  // People carry no has_more: a full page of them may hide more.
  if (value.type === 'people') return value.people.length >= MAX_REFERENCES_IN_PAGE;
  return false;
}

/**
 * The page with every relation/people property complete (fetched through `pages.properties.retrieve` when
 * truncated).
 */
export async function completeReferences(
  source: NotionClient | NotionApi,
  page: PageObjectResponse,
): Promise<PageObjectResponse> {
  const client = sharedEndpoints(source);
  let properties: PageObjectResponse['properties'] | null = null;
  for (const [name, value] of Object.entries(page.properties)) {
    if (!isTruncated(value)) continue;
    const items: Record<string, unknown>[] = [];
    // The endpoint answers one item or a list, by type; for relation/people it is always the list the
    // paginator expects, which the SDK's union cannot show.
    const list = client.pages.properties.retrieve as unknown as Parameters<typeof iteratePaginatedAPI>[0];
    for await (const item of iteratePaginatedAPI(list, { page_id: page.id, property_id: value.id } as never))
      items.push(item as Record<string, unknown>);
    const full =
      value.type === 'relation'
        ? { ...value, relation: items.map((i) => i.relation as { id: string }), has_more: false }
        : { ...value, people: items.map((i) => i.people) };
    properties ??= { ...page.properties };
    properties[name] = full as PageProperty;
  }
  return properties ? { ...page, properties } : page;
}
