// Shapes shared by the e2e assertions: the request_id every object success body carries at its top level
// (a UUID, new per request), the key order of a 2022-06-28 page object, and the object_not_found body.
import { expect } from 'vitest';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The top-level request_id of a success body: a UUID. */
export const REQUEST_ID = expect.stringMatching(UUID_RE);

/** The keys of a page object, in the order the API writes them (request_id, on a top-level page, last). */
export const PAGE_KEYS = [
  'object',
  'id',
  'created_time',
  'last_edited_time',
  'created_by',
  'last_edited_by',
  'cover',
  'icon',
  'parent',
  'in_trash',
  'is_archived',
  'is_locked',
  'properties',
  'url',
  'public_url',
  'archived',
] as const;

/** A copy of an answer without its top-level request_id (to compare two answers of the same object). */
export function withoutRequestId<T extends object>(body: T): Omit<T, 'request_id'> {
  const { request_id: _dropped, ...rest } = body as T & { request_id?: unknown };
  return rest;
}

/** The 404 object_not_found body: additional_data names the caller's bot, then the request_id. */
export function notFoundBody(kind: string, id: string, integrationId: string) {
  return {
    object: 'error',
    status: 404,
    code: 'object_not_found',
    message: `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
    additional_data: { integration_id: integrationId },
    request_id: REQUEST_ID,
  };
}

/** The id of a database's (first) data source, read as Notion-Version 2025-09-03 answers it. */
export async function dataSourceIdOf(
  t: { raw(path: string, init?: { token?: string | null; version?: string | null }): Promise<{ body: any }> },
  databaseId: string,
  token?: string,
): Promise<string> {
  const res = await t.raw(`/v1/databases/${databaseId}`, { version: '2025-09-03', token });
  const id = res.body?.data_sources?.[0]?.id;
  if (typeof id !== 'string') throw new Error(`no data source for ${databaseId}: ${JSON.stringify(res.body)}`);
  return id;
}
