// Malformed input: 10,000 generated bad requests (bad JSON, wrong types, huge and negative numbers,
// deep nesting, __proto__ keys, invalid UTF-8, wrong content types, bad ids and paths) must give
// 0 responses ≥ 500 and a Notion-shaped error body for every 4xx. Deterministic (seeded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, Agent } from 'node:http';
import { seededRandom } from '@notion-local/server';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const TOTAL = 10_000;
const CONCURRENCY = 8;

type Case = { method: string; path: string; headers: Record<string, string>; body?: Buffer };

function generator(seed: number) {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const weird: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    -1e308,
    1e308,
    2 ** 53 + 1,
    1.5,
    '',
    'x'.repeat(3000),
    '\u0000',
    '😀'.repeat(50),
    [],
    {},
    [[[]]],
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__":{"polluted":true}}'),
    { constructor: { prototype: { x: 1 } } },
    'DATABASE_ID',
    IDS.sharedRoot,
    IDS.privatePage,
    '12345',
    NaN,
    -0,
  ];
  const deep = (n: number): unknown => (n === 0 ? {} : { children: [deep(n - 1)] });
  const deepArr = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  const routes: [string, string][] = [
    ['POST', '/v1/pages'],
    ['PATCH', `/v1/pages/${IDS.sharedRoot}`],
    ['GET', `/v1/pages/${IDS.sharedRoot}`],
    ['PATCH', `/v1/blocks/${IDS.sharedRoot}/children`],
    ['PATCH', `/v1/blocks/${IDS.child}`],
    ['GET', `/v1/blocks/${IDS.child}/children`],
    ['POST', '/v1/search'],
    ['POST', '/v1/comments'],
    ['GET', '/v1/comments'],
    ['GET', '/v1/users'],
    ['DELETE', `/v1/blocks/${IDS.missing}`],
    ['GET', '/v1/pages/not-an-id'],
    ['GET', '/v1/nowhere'],
    ['PUT', '/v1/pages'],
    ['GET', `/v1/pages/${IDS.sharedRoot}/properties/%E0%A4%A`],
    ['POST', '/v1/databases'],
    ['GET', `/v1/users/${'f'.repeat(40)}`],
  ];
  const validish = (): unknown => {
    const base: Record<string, unknown> = pick([
      { parent: { page_id: IDS.sharedRoot }, properties: { title: [{ text: { content: 'x' } }] } },
      { children: [{ paragraph: { rich_text: [{ text: { content: 'x' } }] } }] },
      { rich_text: [{ text: { content: 'c' } }], parent: { page_id: IDS.sharedRoot } },
      { query: 'x', filter: { property: 'object', value: 'page' }, page_size: 10 },
      { paragraph: { rich_text: [] } },
      { archived: true },
    ]);
    // mutate one path to a weird value
    const keys = Object.keys(base);
    const key = pick(keys.length ? keys : ['x']);
    const mutated = structuredClone(base);
    const v = pick(weird);
    if (r() < 0.5) mutated[key] = v;
    else if (r() < 0.5) mutated[pick(['__proto__', 'constructor', 'prototype', 'extra', ''])] = v;
    else mutated[key] = { [pick(['page_id', 'text', 'rich_text', 'type', '__proto__'])]: v };
    return mutated;
  };
  return (): Case => {
    const [method, path] = pick(routes);
    const headers: Record<string, string> = {
      authorization: `Bearer ${pick([TOKENS.full, TOKENS.full, TOKENS.full, TOKENS.readOnly, 'ntn_bad', ''])}`,
    };
    if (r() < 0.95)
      headers['notion-version'] = pick([
        '2022-06-28',
        '2022-06-28',
        '2022-06-28',
        '1999-01-01',
        '',
        '2022-06-28\u00e9',
      ]);
    const kind = Math.floor(r() * 8);
    let body: Buffer | undefined;
    let contentType = 'application/json';
    switch (kind) {
      case 0:
        body = Buffer.from(JSON.stringify(validish()).slice(0, Math.floor(r() * 40)));
        break; // truncated JSON
      case 1:
        body = Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256)));
        break; // random bytes, invalid UTF-8
      case 2:
        body = Buffer.from(JSON.stringify(deep(20 + Math.floor(r() * 200))));
        break;
      case 3:
        body = Buffer.from(deepArr(1000 + Math.floor(r() * 20000)));
        break;
      case 4:
        body = Buffer.from(JSON.stringify(validish()));
        contentType = pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
        ]);
        break;
      case 5:
        body = Buffer.from(JSON.stringify(validish()));
        break;
      case 6:
        body = Buffer.from(JSON.stringify(pick(weird) ?? null));
        break;
      default:
        body = Buffer.from(
          `{"page_size": ${pick(['-1', '1e999', '101', '0', '"ten"', '1.5', '99999999999999999999'])}, "start_cursor": ${pick(['""', '"abc"', 'null', '1', `"${IDS.sharedRoot}"`])}}`,
        );
    }
    if (method === 'GET' && r() < 0.6) body = undefined;
    headers['content-type'] = contentType;
    if (body) headers['content-length'] = String(body.length);
    const query =
      r() < 0.3
        ? `?${pick(['page_size=-5', 'page_size=abc', 'page_size=101', 'start_cursor=zz', 'block_id=nope', 'block_id=' + IDS.sharedRoot, 'page_size=1&page_size=2', '__proto__=1', 'filter_properties=%ZZ'])}`
        : '';
    return { method, path: path + query, headers, ...(body ? { body } : {}) };
  };
}

function send(
  baseUrl: URL,
  agent: Agent,
  c: Case,
): Promise<{ status: number; body: string; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: baseUrl.hostname, port: baseUrl.port, method: c.method, path: c.path, headers: c.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            requestId: res.headers['x-notion-request-id'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

describe('malformed input fuzz', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => t?.close());

  it(`${TOTAL} generated bad requests: no 5xx, every error Notion-shaped`, async () => {
    const next = generator(20261127);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const base = new URL(t.baseUrl);
    const serverErrors: string[] = [];
    const misshapen: string[] = [];
    const statuses = new Map<number, number>();
    let done = 0;
    const worker = async () => {
      while (done < TOTAL) {
        done++;
        const c = next();
        const res = await send(base, agent, c).catch((e: Error) => {
          throw new Error(
            `${c.method} ${c.path} ${JSON.stringify(c.headers)} body=${c.body?.subarray(0, 80).toString('latin1')}: ${e.message}`,
          );
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500)
          serverErrors.push(
            `${c.method} ${c.path} ${c.body?.subarray(0, 160).toString('utf8')} → ${res.status} ${res.body.slice(0, 120)}`,
          );
        if (res.status >= 400) {
          let body: Record<string, unknown> | null = null;
          try {
            body = JSON.parse(res.body);
          } catch {
            // not JSON
          }
          const shaped =
            body !== null &&
            body.object === 'error' &&
            body.status === res.status &&
            typeof body.code === 'string' &&
            typeof body.message === 'string' &&
            body.request_id === res.requestId &&
            Object.keys(body).every((k) =>
              ['object', 'status', 'code', 'message', 'additional_data', 'request_id'].includes(k),
            );
          if (!shaped) misshapen.push(`${c.method} ${c.path} → ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    console.log(`fuzz: ${TOTAL} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect(misshapen.slice(0, 5)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
