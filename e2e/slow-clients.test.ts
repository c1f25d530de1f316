// What a slow, silent, greedy or hostile client gets, and that everyone else keeps being served meanwhile:
// the server's timeouts (headers, whole request, keep-alive, idle) and its connection cap, configured small
// here so each case takes about a second (defaults and the full-size run: bench/slow-clients.mjs); and bodies
// nested thousands of levels deep, with or without U+0000, which answer 400 and never 5xx.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';

const LIMITS = { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 300, idleTimeoutMs: 700 };
const TIMEOUT_MESSAGE =
  'Request timed out: the headers must arrive within 500 ms and the whole request within 1000 ms.';
const AUTH = `Authorization: Bearer ${TOKENS.full}\r\nNotion-Version: 2022-06-28\r\n`;
const GET_ME = `GET /v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n${AUTH}\r\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection: what it received, and when the server closed it (ms after connecting). */
interface Raw {
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
}

async function open(port: number): Promise<Raw> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  const started = Date.now();
  socket.on('data', (chunk) => (data += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => data, closed };
}

/** Writes `text` one byte every `everyMs` until it is all sent or the connection closes. */
async function trickle(raw: Raw, text: string, everyMs: number): Promise<void> {
  for (const byte of text) {
    if (raw.socket.destroyed || raw.socket.writableEnded) return;
    raw.socket.write(byte);
    await sleep(everyMs);
  }
}

/** The one HTTP answer a raw connection received: status, headers (lower-case), parsed body. */
function parseAnswer(text: string): { status: number; headers: Record<string, string>; body: any } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

function expectNotionError(body: any, status: number, code: string, message: string): void {
  expect(body).toEqual({ object: 'error', status, code, message, request_id: expect.any(String) });
}

describe('slow and idle clients (timeouts configured at 500 ms headers, 1 s request)', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('pglite', undefined, {
      ...TEST_CONFIG,
      server: LIMITS,
      faults: [{ route: 'GET /v1/users/:user_id', latency_ms: 1500 }],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Normal requests, one after another, for `ms`: every one answers 200. */
  async function normalTraffic(ms: number): Promise<number[]> {
    const statuses: number[] = [];
    const end = Date.now() + ms;
    while (Date.now() < end) statuses.push((await t.raw('/v1/users/me')).status);
    return statuses;
  }

  it('a body sent at 1 byte per 100 ms is cut off at the request timeout with a 408 in Notion’s shape', async () => {
    const raw = await open(t.platform.port);
    const body = JSON.stringify({ query: 'x'.repeat(200) });
    const head = `POST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\n${AUTH}Content-Type: application/json\r\n`;
    raw.socket.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
    void trickle(raw, body, 100);
    const [closedAfter, traffic] = await Promise.all([raw.closed, normalTraffic(1200)]);
    // Node checks both limits from the request's first byte; on a loaded machine, headers it has not read yet when
    // it checks count as late, so only the headers timeout is a safe lower bound.
    expect(closedAfter).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs);
    expect(closedAfter).toBeLessThan(4000);
    const answer = parseAnswer(raw.received());
    expect(answer.status).toBe(408);
    expect(answer.headers.connection).toBe('close');
    expectNotionError(answer.body, 408, 'invalid_request', TIMEOUT_MESSAGE);
    expect(traffic.length).toBeGreaterThan(0);
    expect(new Set(traffic)).toEqual(new Set([200]));
  });

  it('headers sent at 1 byte per 50 ms, or none at all, are cut off at the headers timeout', async () => {
    const slow = await open(t.platform.port);
    const silent = await open(t.platform.port);
    void trickle(slow, GET_ME, 50);
    for (const raw of [slow, silent]) {
      const closedAfter = await raw.closed;
      expect(closedAfter).toBeGreaterThanOrEqual(500);
      expect(closedAfter).toBeLessThan(4000);
      expectNotionError(parseAnswer(raw.received()).body, 408, 'invalid_request', TIMEOUT_MESSAGE);
    }
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout; a busy one is kept', async () => {
    const raw = await open(t.platform.port);
    raw.socket.write(GET_ME);
    await sleep(200);
    raw.socket.write(GET_ME); // within 300 ms: the same connection answers again
    const closedAfter = await raw.closed;
    expect(raw.received().match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    // Node closes an idle keep-alive socket after the timeout plus up to its 1 s safety margin.
    expect(closedAfter).toBeLessThan(4000);
  });

  it('a connection with no byte either way for the idle timeout is closed, even mid-request', async () => {
    const raw = await open(t.platform.port);
    raw.socket.write(`GET /v1/users/${IDS.ada} HTTP/1.1\r\nHost: 127.0.0.1\r\n${AUTH}\r\n`); // held 1.5 s by a fault
    const closedAfter = await raw.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(700);
    expect(raw.received()).toBe('');
  });
});

describe('the connection cap (max_connections 5)', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('pglite', undefined, {
      ...TEST_CONFIG,
      server: { headersTimeoutMs: 3000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 3000, maxConnections: 5 },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('connections over the cap get 503 service_unavailable and are closed; those inside keep working', async () => {
    const client = await open(t.platform.port); // a client already connected, keeping its connection alive
    client.socket.write(GET_ME);
    const held = await Promise.all(Array.from({ length: 4 }, () => open(t.platform.port)));
    await sleep(50);
    const refused = await Promise.all(Array.from({ length: 10 }, () => open(t.platform.port)));
    for (const raw of refused) raw.socket.write(GET_ME);
    for (const raw of refused) {
      await raw.closed;
      const answer = parseAnswer(raw.received());
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expectNotionError(answer.body, 503, 'service_unavailable', 'Notion is unavailable, please try again later.');
    }
    // fetch over a new connection gets the same answer (Node's own cap would leave it waiting forever).
    const fetched = await t.raw('/v1/users/me');
    expect(fetched.status).toBe(503);
    expect(fetched.body.code).toBe('service_unavailable');
    client.socket.write(GET_ME);
    await sleep(100);
    expect(client.received().match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    for (const raw of [...held, client]) raw.socket.destroy();
    await Promise.all(held.map((raw) => raw.closed));
    await sleep(50);
    expect((await t.raw('/v1/users/me')).status).toBe(200);
  });
});

for (const kind of storeKinds()) {
  describe(`deeply nested bodies on ${kind}`, () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await startTestPlatform(kind);
    });
    afterAll(async () => {
      await t?.close();
    });
    const nulPath = (levels: number) => `body.children${'[0]'.repeat(levels)}`;
    const appendDeep = (levels: number, leaf: string) =>
      t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        body: `{"children":${'['.repeat(levels)}${leaf}${']'.repeat(levels)}}`,
      });

    it('10,000 levels with U+0000 at the bottom: 400 validation_error naming where', async () => {
      const res = await appendDeep(10_000, '"\\u0000"');
      expect(res.status).toBe(400);
      expectNotionError(
        res.body,
        400,
        'validation_error',
        `body failed validation: ${nulPath(10_000)} should not contain the character U+0000, instead was \`"\\u0000"\`.`,
      );
    });

    it('200 KB of nesting with U+0000 at the bottom: 400 validation_error, answered quickly', async () => {
      const levels = 99_990; // two bytes a level
      const started = Date.now();
      const res = await appendDeep(levels, '"\\u0000"');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.message).toBe(
        `body failed validation: ${nulPath(levels)} should not contain the character U+0000, instead was \`"\\u0000"\`.`,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('deep nesting without U+0000 is a 400 too (never a 5xx), in bodies of every route shape', async () => {
      const deepObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
      const cases: [string, string, string][] = [
        ['PATCH', `/v1/blocks/${IDS.sharedRoot}/children`, `{"children":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
        ['POST', '/v1/pages', `{"parent":{"page_id":"${IDS.sharedRoot}"},"properties":${deepObject}}`],
        ['POST', '/v1/search', `{"filter":${deepObject}}`],
        ['POST', '/v1/comments', `{"parent":{"page_id":"${IDS.sharedRoot}"},"rich_text":${deepObject}}`],
        ['PATCH', `/v1/pages/${IDS.sharedRoot}`, `{"properties":{"title":${deepObject}}}`],
      ];
      for (const [method, path, body] of cases) {
        const res = await t.raw(path, { method, body });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.body.code, `${method} ${path}`).toBe('validation_error');
      }
    });
  });
}
