// fast-check arbitraries of HTTP requests to the Notion API, for the fuzz suite (e2e/fuzz.test.ts short,
// bench/fuzz.mjs full size): methods, paths (route templates filled with ids, junk, encodings, `..`, double
// slashes), query strings, headers (versions, content types, auth forms) and bodies (valid-ish bodies of
// every route with one mutation: wrong types, huge and small numbers, deep nesting, unicode with lone
// surrogates and U+0000, long strings; or raw bytes: truncated JSON, invalid UTF-8, deep brackets). And the
// property every answer must have: no 5xx, every error in Notion's shape with a known code.
import { request, type Agent } from 'node:http';
import fc from 'fast-check';
import { ERROR_STATUS } from '@notion-local/server';
import { IDS, TOKENS } from './fixtures.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const ROUTES: readonly (readonly [string, string])[] = [
  ['GET', '/v1/users/me'],
  ['GET', '/v1/users'],
  ['GET', '/v1/users/:id'],
  ['POST', '/v1/pages'],
  ['GET', '/v1/pages/:id'],
  ['PATCH', '/v1/pages/:id'],
  ['GET', '/v1/pages/:id/properties/:prop'],
  ['POST', '/v1/databases'],
  ['GET', '/v1/databases'],
  ['GET', '/v1/databases/:id'],
  ['PATCH', '/v1/databases/:id'],
  ['POST', '/v1/databases/:id/query'],
  ['GET', '/v1/blocks/:id'],
  ['PATCH', '/v1/blocks/:id'],
  ['DELETE', '/v1/blocks/:id'],
  ['GET', '/v1/blocks/:id/children'],
  ['PATCH', '/v1/blocks/:id/children'],
  ['POST', '/v1/comments'],
  ['GET', '/v1/comments'],
  ['GET', '/v1/comments/:id'],
  ['POST', '/v1/search'],
];

const rt = (content: string) => [{ type: 'text', text: { content } }];

/** A valid-ish body per route family (the mutation then breaks it somewhere). */
const BODIES: readonly unknown[] = [
  { parent: { page_id: IDS.sharedRoot }, properties: { title: { title: rt('Fuzz') } } },
  {
    parent: { page_id: IDS.sharedRoot },
    properties: { title: { title: rt('Fuzz') } },
    children: [{ paragraph: { rich_text: rt('x') } }, { heading_1: { rich_text: rt('h') } }],
  },
  { properties: { title: { title: rt('Renamed') } }, icon: { emoji: '🔑' } },
  { in_trash: false, archived: false, cover: { external: { url: 'https://example.com/x.png' } } },
  {
    parent: { page_id: IDS.sharedRoot },
    title: rt('DB'),
    properties: { Name: { title: {} }, N: { number: { format: 'dollar' } }, S: { select: { options: [] } } },
  },
  { filter: { property: 'Name', title: { contains: 'a' } }, sorts: [{ property: 'Name', direction: 'ascending' }] },
  { filter: { and: [{ timestamp: 'created_time', created_time: { past_week: {} } }] }, page_size: 10 },
  { children: [{ paragraph: { rich_text: rt('x') } }], after: IDS.child },
  { paragraph: { rich_text: [{ type: 'mention', mention: { page: { id: IDS.child } } }] } },
  { to_do: { rich_text: rt('t'), checked: true } },
  { parent: { page_id: IDS.sharedRoot }, rich_text: rt('comment') },
  { discussion_id: IDS.missing, rich_text: rt('reply') },
  {
    query: 'Shared',
    filter: { property: 'object', value: 'page' },
    sort: { timestamp: 'last_edited_time', direction: 'ascending' },
  },
  { start_cursor: IDS.child, page_size: 2 },
  {},
];

const ids = fc.constantFrom<string>(...Object.values(IDS));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings that tend to break things: NUL, lone surrogates, astral, RTL, long, encoded. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\u202e', '\ufeff', '😀', 'a', '%', '"')) }),
  fc.integer({ min: 1000, max: 40_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('', ' ', 'null', 'undefined', '__proto__', '0', '-1', '1e999', '%00', '../..', IDS.sharedRoot),
);

const nastyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 + 1, -(2 ** 53) - 1, 1e308, -1e308, 5e-324, 101, 100, 1, 2 ** 31),
);

/** Nested arrays/objects of a depth up to `max`, built as text (JSON.stringify would recurse). */
function deepText(depth: number, kind: 'object' | 'array', leaf: string): string {
  return kind === 'array'
    ? '['.repeat(depth) + leaf + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], { __proto__: null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: ids },
  { weight: 1, arbitrary: ids.map((id) => ({ id, page_id: id, type: 'page_id' })) },
);

type Json = unknown;

/** The body with one mutation at a random place: replace a value, add a key, delete a key, or wrap it deep. */
const mutatedBody: fc.Arbitrary<Json> = fc
  .record({
    base: fc.constantFrom(...BODIES),
    path: fc.array(fc.nat(), { maxLength: 6 }),
    how: fc.constantFrom('replace', 'add', 'delete', 'wrap', 'none'),
    value: weirdValue,
    key: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'id', 'page_id', 'children', ''),
      fc.string({ maxLength: 12 }),
    ),
  })
  .map(({ base, path, how, value, key }) => {
    const root = structuredClone(base) as Record<string, unknown>;
    let holder: Record<string, unknown> | unknown[] = root;
    let slot: string | number | undefined;
    for (const step of path) {
      const keys = Object.keys(holder);
      if (keys.length === 0) break;
      const k = Array.isArray(holder) ? step % holder.length : keys[step % keys.length]!;
      const child = (holder as Record<string, unknown>)[k];
      slot = k;
      if (child === null || typeof child !== 'object') break;
      holder = child as Record<string, unknown>;
      slot = undefined;
    }
    const target = holder as Record<string, unknown>;
    if (how === 'none') return root;
    if (how === 'add' || slot === undefined)
      Object.defineProperty(target, key, { value, enumerable: true, writable: true });
    else if (how === 'delete') delete target[slot];
    else if (how === 'wrap') target[slot] = [[{ [key]: target[slot] }]];
    else target[slot] = value;
    return root;
  });

/** Raw body bytes: JSON of a mutated body, or something that is not quite JSON. */
export const bodyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 12, arbitrary: mutatedBody.map((b) => Buffer.from(JSON.stringify(b) ?? 'null')) },
  {
    weight: 1,
    arbitrary: fc.tuple(mutatedBody, fc.nat()).map(([b, n]) => Buffer.from((JSON.stringify(b) ?? '').slice(0, n % 80))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        depth: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1000, max: 60_000 })),
        kind: fc.constantFrom<'object' | 'array'>('object', 'array'),
        leaf: fc.constantFrom('"\\u0000"', '"x"', '1e999', '"\\ud800"', 'null', '{"children":[]}', ''),
        wrapped: fc.boolean(),
      })
      .map(({ depth, kind, leaf, wrapped }) => {
        const deep = deepText(depth, kind, leaf);
        return Buffer.from(wrapped ? `{"children":${deep},"parent":{"page_id":"${IDS.sharedRoot}"}}` : deep);
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        'null',
        '"string"',
        '[]',
        '\ufeff{}',
        '{"a":1,"a":2}',
        '{"__proto__":{"polluted":true}}',
        '{"page_size": 1e999}',
        '{"page_size": -0}',
        '{"start_cursor": "\\u0000"}',
        '{"query": "\\ud800\\udfff\\udc00"}',
        '{,}',
        '{"a":1}garbage',
      )
      .map((s) => Buffer.from(s)),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])) },
);

const pathId = fc.oneof(
  { weight: 6, arbitrary: ids },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: ids.map((id) => id.replace(/-/g, '')) },
  { weight: 1, arbitrary: ids.map((id) => id.toUpperCase()) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '..',
      '%2e%2e',
      '.',
      '',
      'not-an-id',
      '%00',
      '%ZZ',
      '%E0%A4%A',
      '%F0%9F%98%80',
      'x'.repeat(600),
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent) },
);

const pathArb: fc.Arbitrary<{ method: string; path: string }> = fc
  .record({
    route: fc.constantFrom(...ROUTES),
    a: pathId,
    b: fc.oneof(
      fc.constantFrom('title', '%3A%3A', 'Name', 'xyz%'),
      fc.string({ maxLength: 8 }).map(encodeURIComponent),
    ),
    shape: fc.constantFrom(
      'plain',
      'plain',
      'plain',
      'plain',
      'double',
      'trailing',
      'dotdot',
      'prefix',
      'case',
      'junk',
    ),
    junk: fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  })
  .map(({ route, a, b, shape, junk }) => ({
    method: route[0],
    path: shapePath(route[1].replace(':id', a).replace(':prop', b), shape, junk),
  }));

function shapePath(path: string, shape: string, junk: string): string {
  switch (shape) {
    case 'double':
      return path.replace('/v1/', '/v1//');
    case 'trailing':
      return `${path}/`;
    case 'dotdot':
      return `/v1/../${path.slice(4)}`;
    case 'prefix':
      return `/${path}`;
    case 'case':
      return path.toUpperCase();
    case 'junk':
      return `/v1/${encodeURIComponent(junk)}`;
    default:
      return path;
  }
}

const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom(
            'page_size',
            'start_cursor',
            'block_id',
            'filter_properties',
            '__proto__',
            'x',
            'page_size[]',
          ),
          fc.oneof(
            ids,
            fc.constantFrom('-5', 'abc', '101', '0', '1.5', '1e3', '', '%ZZ', '%00', 'null', 'true'),
            fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?', '?&&==', '?%', '?a=%E0%A4%A', `?block_id=${'a'.repeat(5000)}`) },
);

const latin1 = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
    .map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const headersArb: fc.Arbitrary<Record<string, string | undefined>> = fc.record({
  authorization: fc.oneof(
    { weight: 10, arbitrary: fc.constant(`Bearer ${TOKENS.full}`) },
    { weight: 3, arbitrary: fc.constantFrom(...Object.values(TOKENS)).map((t) => `Bearer ${t}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        'Bearer ',
        'Bearer',
        `bearer ${TOKENS.full}`,
        `Bearer  ${TOKENS.full}`,
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        `Bearer ${TOKENS.full}x`,
        `Bearer ${TOKENS.full.slice(0, -1)}`,
        'Bearer ntn_' + 'a'.repeat(5000),
      ),
    },
    { weight: 1, arbitrary: latin1.map((s) => `Bearer ${s}`) },
  ),
  'notion-version': fc.oneof(
    { weight: 10, arbitrary: fc.constant('2022-06-28') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        '2025-09-03',
        '1999-01-01',
        '2022-06-28, 2022-06-28',
        ' 2022-06-28',
        'latest',
      ),
    },
    { weight: 1, arbitrary: latin1 },
  ),
  'content-type': fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        undefined,
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json;;',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/vnd.api+json',
        '*/*',
      ),
    },
    { weight: 1, arbitrary: latin1 },
  ),
  accept: fc.constantFrom(undefined, '*/*', 'text/html', 'application/json'),
});

/** One request: mostly a route's method and path with a mutated body; sometimes any method and junk. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    path: pathArb,
    query: queryArb,
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'PROPFIND', 'FOO'),
      },
    ),
    headers: headersArb,
    body: bodyBytes,
    bodyless: fc.nat(9),
  })
  .map(({ path, query, method, headers, body, bodyless }) => {
    const m = method ?? path.method;
    const sent: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) sent[k] = v;
    // GET, DELETE and HEAD mostly without a body (a body there is refused: tried 2 in 10 times).
    const keep = !['GET', 'DELETE', 'HEAD', 'OPTIONS'].includes(m) || bodyless < 2;
    return { method: m, path: `${path.path}${query}`, headers: sent, body: keep ? body : undefined };
  });

/** Sends one request over `agent`; a transport failure (reset, timeout) is an answer with status 0. */
export function sendRaw(base: URL, agent: Agent, req: FuzzRequest, timeoutMs = 20_000): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const headers = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    let r: ReturnType<typeof request>;
    try {
      r = request(
        {
          host: base.hostname,
          port: base.port,
          method: req.method,
          path: req.path,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (e) => resolve({ status: 0, headers: {}, body: `response error: ${e.message}` }));
        },
      );
    } catch (e) {
      // The client refused to send it (not a server finding): answer as "not sent".
      resolve({ status: -1, headers: {}, body: (e as Error).message });
      return;
    }
    r.on('timeout', () => r.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    r.on('error', (e) => resolve({ status: 0, headers: {}, body: `transport error: ${e.message}` }));
    r.end(req.body);
  });
}

const ERROR_KEYS = new Set(['object', 'status', 'code', 'message', 'additional_data', 'request_id']);
const KNOWN = ERROR_STATUS as Record<string, number>;

/** What is wrong with an answer (null: nothing): a 5xx, a dropped connection, or an error not in Notion's shape. */
export function problemWith(req: FuzzRequest, res: FuzzResponse): string | null {
  if (res.status === -1) return null;
  if (res.status === 0) return res.body;
  if (res.status >= 500) return `status ${res.status}`;
  if (res.status < 400 || req.method === 'HEAD') return null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body) as Record<string, unknown>;
  } catch {
    return 'error body is not JSON';
  }
  if (body === null || typeof body !== 'object') return 'error body is not an object';
  if (body.object !== 'error') return 'object is not "error"';
  if (body.status !== res.status) return `body status ${String(body.status)} ≠ HTTP ${res.status}`;
  if (typeof body.code !== 'string' || KNOWN[body.code] === undefined) return `unknown code ${String(body.code)}`;
  if (KNOWN[body.code] !== res.status) return `code ${body.code} with status ${res.status}`;
  if (typeof body.message !== 'string' || body.message === '') return 'no message';
  if (typeof body.request_id !== 'string') return 'no request_id';
  const header = res.headers['x-notion-request-id'];
  if (header !== undefined && header !== body.request_id) return 'request_id ≠ x-notion-request-id';
  const extra = Object.keys(body).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length > 0) return `extra keys ${extra.join(',')}`;
  return null;
}

/** A request as one line of text (for a counterexample), bodies cut at `max` characters. */
export function describeRequest(req: FuzzRequest, max = 400): string {
  const body = req.body ? req.body.subarray(0, max).toString('latin1') : '';
  const more = req.body && req.body.length > max ? `… (${req.body.length} bytes)` : '';
  return `${req.method} ${req.path.slice(0, max)} ${JSON.stringify(req.headers).slice(0, max)} ${JSON.stringify(body)}${more}`;
}
