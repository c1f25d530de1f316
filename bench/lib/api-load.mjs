// The API calls shared by the reliability commands (bench/soak.mjs, bench/durability.mjs): a fetch with
// the fixtures' token, the workload's fixtures (a pool of pages and a database with typed properties) and
// the mixed request cycle that autocannon drives (retrieve, create, row, append, query, search, comments).
import { NOTION_VERSION } from './common.mjs';

/** `call(method, path, body)` → {status, body}; never throws on a status, only on a network failure. */
export function apiCaller(baseUrl, token, { timeoutMs = 30_000 } = {}) {
  return async (method, path, body) => {
    const headers = { authorization: `Bearer ${token}`, 'notion-version': NOTION_VERSION };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { raw: text.slice(0, 300) };
    }
    return { status: res.status, body: parsed };
  };
}

/** Throws unless the answer is 2xx; returns its body. */
export async function must(call, method, path, body) {
  const res = await call(method, path, body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

export const rich = (content) => [{ type: 'text', text: { content } }];

export const titleProps = (content) => ({ title: { title: rich(content) } });

/** A database row's property values: every property of DATABASE_PROPERTIES set. */
export function rowProps(name, n) {
  return {
    Name: { title: rich(name) },
    Score: { number: n },
    Tag: { select: { name: `t${n % 5}` } },
    Note: { rich_text: rich(`note ${name}`) },
    Done: { checkbox: n % 2 === 0 },
  };
}

export const DATABASE_PROPERTIES = {
  Name: { title: {} },
  Score: { number: {} },
  Tag: { select: { options: [0, 1, 2, 3, 4].map((i) => ({ name: `t${i}` })) } },
  Note: { rich_text: {} },
  Done: { checkbox: {} },
};

/** Creates a database with typed properties under `parentId`; returns its id. */
export async function createDatabase(call, parentId, title) {
  const db = await must(call, 'POST', '/v1/databases', {
    parent: { type: 'page_id', page_id: parentId },
    title: rich(title),
    properties: DATABASE_PROPERTIES,
  });
  return db.id;
}

/** The soak's fixtures under `rootId`: `pages` pool pages (with one paragraph each) and a database of `rows`. */
export async function createLoadFixtures(call, rootId, { pages = 20, rows = 30 } = {}) {
  const pool = [];
  for (let i = 0; i < pages; i++) {
    const page = await must(call, 'POST', '/v1/pages', {
      parent: { page_id: rootId },
      properties: titleProps(`Soak pool ${i}`),
      children: [{ paragraph: { rich_text: rich(`pool paragraph ${i}`) } }],
    });
    pool.push(page.id);
  }
  const databaseId = await createDatabase(call, rootId, 'Soak database');
  for (let i = 0; i < rows; i++)
    await must(call, 'POST', '/v1/pages', { parent: { database_id: databaseId }, properties: rowProps(`row ${i}`, i) });
  return { pool, databaseId };
}

/** The names of the mixed cycle's requests, in order (one autocannon connection walks them round and round). */
export const MIX = [
  'retrieve page',
  'create page',
  'create row',
  'append block',
  'query database',
  'search',
  'create comment',
  'list comments',
];

/**
 * autocannon `requests` for the mixed cycle over the fixtures. Targets rotate through the pool so that
 * no one page collects every append and comment; the query asks for 5 rows of more, so it saves a cursor.
 */
export function mixedRequests({ pool, databaseId }, token) {
  let n = 0;
  const base = { authorization: `Bearer ${token}`, 'notion-version': NOTION_VERSION };
  const withBody = { ...base, 'content-type': 'application/json' };
  const pick = () => pool[n++ % pool.length];
  const json = (method, path, body) => ({ method, path, body: JSON.stringify(body) });
  const steps = {
    'retrieve page': () => ({ method: 'GET', path: `/v1/pages/${pick()}` }),
    'create page': () =>
      json('POST', '/v1/pages', { parent: { page_id: pick() }, properties: titleProps(`soak ${n}`) }),
    'create row': () =>
      json('POST', '/v1/pages', { parent: { database_id: databaseId }, properties: rowProps(`soak row ${n}`, n) }),
    'append block': () =>
      json('PATCH', `/v1/blocks/${pick()}/children`, {
        children: [{ paragraph: { rich_text: rich(`soak append ${n}`) } }],
      }),
    'query database': () =>
      json('POST', `/v1/databases/${databaseId}/query`, {
        page_size: 5,
        filter: { property: 'Score', number: { greater_than_or_equal_to: 0 } },
      }),
    search: () => json('POST', '/v1/search', { query: 'Soak pool', page_size: 10 }),
    'create comment': () =>
      json('POST', '/v1/comments', { parent: { page_id: pick() }, rich_text: rich(`soak comment ${n}`) }),
    'list comments': () => ({ method: 'GET', path: `/v1/comments?block_id=${pick()}&page_size=10` }),
  };
  return MIX.map((name) => ({
    setupRequest: (req) => {
      const step = steps[name]();
      return { ...req, ...step, headers: step.body === undefined ? base : withBody };
    },
  }));
}
