// The clone's one request, sent with the toolkit's paced, retrying fetch (client.ts `http.fetch`): JSON in, JSON
// out, Notion-Version 2025-09-03 unless the read asks for another (search under 2022-06-28 gives the order of
// databases). A refusal (4xx) becomes a CloneReadError the crawl notes; 429 and 5xx were retried by the fetch.
import type { NotionFetch } from '../http/notion-fetch.js';
import { CloneReadError, type RequestFn } from './reader.js';

export function fetchTransport(fetch: NotionFetch, baseUrl: string, token: string): RequestFn {
  const root = baseUrl.replace(/\/+$/, '');
  return async ({ path, method, query, body, version }) => {
    const search = new URLSearchParams(
      Object.entries(query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    const response = await fetch(`${root}/v1/${path}${search ? `?${search}` : ''}`, {
      method: method.toUpperCase(),
      headers: {
        authorization: `Bearer ${token}`,
        'notion-version': version ?? '2025-09-03',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`${method.toUpperCase()} /v1/${path} answered ${response.status} with no JSON`);
    }
    if (response.ok) return json;
    const code = typeof json.code === 'string' ? json.code : 'error';
    const message = typeof json.message === 'string' ? json.message : text;
    if (response.status >= 400 && response.status < 500 && response.status !== 429)
      throw new CloneReadError(response.status, code, message);
    throw new Error(`${method.toUpperCase()} /v1/${path} failed: ${response.status} ${code}: ${message}`);
  };
}
