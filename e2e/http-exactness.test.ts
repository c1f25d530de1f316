// The wire, byte for byte, with raw HTTP (reference §0, §1.1, §5, §7.1, §12): versions, tokens, routes,
// JSON, path/query/body validation, size limits — and every error in Notion's one shape, whose
// request_id is the x-notion-request-id header and whose content type is application/json; charset=utf-8.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_TYPE = 'application/json; charset=utf-8';
const MISSING_VERSION =
  'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.';
const badVersion = (v: string) =>
  'Notion-Version header failed validation: Notion-Version header should be "2021-05-11", "2021-05-13", "2021-08-16", "2022-02-22", ' +
  `"2022-06-28", "2025-09-03", or "2026-03-11", instead was \`${JSON.stringify(v)}\`.`;

interface Res {
  status: number;
  body: any;
  headers: Headers;
}

/** Every error answer: Notion's envelope, in Notion's key order, tied to the response header. */
function expectError(res: Res, status: number, code: string, message?: string): void {
  expect({ status: res.status, code: res.body?.code, message: res.body?.message }).toEqual({
    status,
    code,
    message: message ?? res.body?.message,
  });
  // A 404 object_not_found names the calling integration (reference §5.1); t.raw calls as Full unless told.
  const named = code === 'object_not_found';
  expect(Object.keys(res.body)).toEqual(
    named
      ? ['object', 'status', 'code', 'message', 'additional_data', 'request_id']
      : ['object', 'status', 'code', 'message', 'request_id'],
  );
  if (named) expect(res.body.additional_data).toEqual({ integration_id: IDS.full });
  expect(res.body).toMatchObject({ object: 'error', status });
  expect(res.body.request_id).toMatch(UUID);
  expect(res.headers.get('x-notion-request-id')).toBe(res.body.request_id);
  expect(res.headers.get('content-type')).toBe(JSON_TYPE);
}

describe.each(storeKinds())('HTTP exactness (%s)', (kind) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** node:http, because fetch refuses a body on GET/DELETE. */
  const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<Res>((resolve, reject) => {
      const all: Record<string, string> = {
        authorization: `Bearer ${TOKENS.full}`,
        'notion-version': '2022-06-28',
        ...headers,
      };
      if (body !== undefined)
        Object.assign(all, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      const req = httpRequest(`${t.baseUrl}${path}`, { method, headers: all }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: h });
        });
      });
      req.on('error', reject);
      req.end(body);
    });

  describe('Notion-Version', () => {
    it('missing → 400 missing_version with the exact message', async () => {
      expectError(await t.raw('/v1/users/me', { version: null }), 400, 'missing_version', MISSING_VERSION);
      expectError(
        await t.raw('/v1/search', { method: 'POST', version: null, body: {} }),
        400,
        'missing_version',
        MISSING_VERSION,
      );
    });

    it('unknown value → 400 with the message that enumerates the accepted versions', async () => {
      for (const v of ['2099-01-01', '2022-06-29', 'latest', ''])
        expectError(await t.raw('/v1/users/me', { version: v }), 400, 'validation_error', badVersion(v));
    });

    it('every accepted version is accepted', async () => {
      for (const v of ['2021-05-11', '2021-08-16', '2022-02-22', '2022-06-28'])
        expect((await t.raw('/v1/users/me', { version: v })).status).toBe(200);
    });
  });

  describe('tokens', () => {
    it('bad, missing or non-Bearer token → 401 unauthorized "API token is invalid."', async () => {
      const cases: (string | null)[] = ['secret_nope', 'ntn_wrong', TOKENS.full.slice(0, -1), null];
      for (const token of cases)
        expectError(await t.raw('/v1/users/me', { token }), 401, 'unauthorized', 'API token is invalid.');
      expectError(
        await t.raw('/v1/users/me', { token: null, headers: { authorization: `Basic ${TOKENS.full}` } }),
        401,
        'unauthorized',
        'API token is invalid.',
      );
      expectError(
        await t.raw('/v1/users/me', { token: null, headers: { authorization: 'Bearer' } }),
        401,
        'unauthorized',
        'API token is invalid.',
      );
      expect(
        (await t.raw('/v1/users/me', { token: null, headers: { authorization: `bearer ${TOKENS.full}` } })).status,
      ).toBe(200);
    });

    it("check order (⚠ reference §15, recorded as this server's fixture): token, then version, then route", async () => {
      expectError(await t.raw('/v1/users/me', { token: 'bad', version: null }), 401, 'unauthorized');
      expectError(await t.raw('/v1/nowhere', { token: 'bad' }), 401, 'unauthorized');
      expectError(await t.raw('/v1/nowhere', { version: null }), 400, 'missing_version');
      expectError(await t.raw('/v1/pages/12345', { token: TOKENS.insertOnly }), 403, 'restricted_resource');
    });
  });

  describe('routes', () => {
    it('unknown routes → 400 invalid_request_url "Invalid request URL."', async () => {
      for (const path of [
        '/v1/invalid',
        '/v1',
        '/v1/pages/x/y/z',
        '/v1/databasez',
        '/v1/users/me/extra',
        '/v1/pages/',
      ]) {
        expectError(await t.raw(path), 400, 'invalid_request_url', 'Invalid request URL.');
      }
    });

    it('a known path with the wrong method → 400 invalid_request_url', async () => {
      const cases: [string, string][] = [
        ['DELETE', `/v1/pages/${IDS.sharedRoot}`],
        ['POST', '/v1/users'],
        ['GET', '/v1/pages'],
        ['PUT', `/v1/blocks/${IDS.sharedRoot}`],
        ['GET', '/v1/search'],
        ['POST', `/v1/blocks/${IDS.sharedRoot}/children`],
        ['PATCH', '/v1/comments'],
      ];
      for (const [method, path] of cases)
        expectError(await t.raw(path, { method }), 400, 'invalid_request_url', 'Invalid request URL.');
    });
  });

  describe('bodies', () => {
    it('malformed JSON → 400 invalid_json "Error parsing JSON body."', async () => {
      for (const body of ['{"query":', '{bad}', "{'a':1}", 'nul'])
        expectError(
          await t.raw('/v1/search', { method: 'POST', body }),
          400,
          'invalid_json',
          'Error parsing JSON body.',
        );
      expectError(
        await t.raw(`/v1/pages/${IDS.sharedRoot}`, { method: 'PATCH', body: '{"icon":' }),
        400,
        'invalid_json',
        'Error parsing JSON body.',
      );
    });

    it('U+0000 in any string of a body → 400 validation_error naming where (text cannot store it), nothing written', async () => {
      const page = { parent: { page_id: IDS.sharedRoot }, properties: { title: [{ text: { content: 'a\u0000b' } }] } };
      expectError(
        await t.raw('/v1/pages', { method: 'POST', body: page }),
        400,
        'validation_error',
        'body failed validation: body.properties.title[0].text.content should not contain the character U+0000, instead was `"a\\u0000b"`.',
      );
      const children = {
        children: [
          { paragraph: { rich_text: [{ text: { content: 'ok' } }] } },
          { paragraph: { rich_text: [{ text: { content: '\u0000' } }] } },
        ],
      };
      expectError(
        await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, { method: 'PATCH', body: children }),
        400,
        'validation_error',
        'body failed validation: body.children[1].paragraph.rich_text[0].text.content should not contain the character U+0000, instead was `"\\u0000"`.',
      );
      // A backslash followed by "u0000" is just text.
      const literal = await t.raw('/v1/pages', {
        method: 'POST',
        body: { ...page, properties: { title: [{ text: { content: 'a\\u0000b' } }] } },
      });
      expect(literal.status).toBe(200);
    });

    it('an unknown top-level key → body.<key> should be not present', async () => {
      const res = await t.raw('/v1/pages', {
        method: 'POST',
        body: { parent: { page_id: IDS.sharedRoot }, properties: {}, foo: 1 },
      });
      expectError(
        res,
        400,
        'validation_error',
        'body failed validation: body.foo should be not present, instead was `1`.',
      );
      expectError(
        await t.raw('/v1/search', { method: 'POST', body: { an_incorrect_key: 'value' } }),
        400,
        'validation_error',
        'body failed validation: body.an_incorrect_key should be not present, instead was `"value"`.',
      );
    });

    it('a body on a DELETE is validated', async () => {
      expectError(
        await send('DELETE', `/v1/blocks/${IDS.grandchild}`, '{"archived":true}'),
        400,
        'validation_error',
        'body failed validation: body.archived should be not present, instead was `true`.',
      );
      expectError(
        await send('DELETE', `/v1/blocks/${IDS.grandchild}`, '{"x":'),
        400,
        'invalid_json',
        'Error parsing JSON body.',
      );
      expect((await send('GET', `/v1/pages/${IDS.grandchild}`)).body).toMatchObject({
        object: 'page',
        archived: false,
      });
    });

    // Server bug (packages/server/src/http/app.ts): Fastify never reads a GET body (GET is "bodyless"), so
    // checkNoBody never sees it and the request succeeds. Flip to `it` once app.ts reads GET bodies.
    it('a body on a GET is validated too (reference §5.4)', async () => {
      expectError(
        await send('GET', '/v1/users/me', '{"x":1}'),
        400,
        'validation_error',
        'body failed validation: body.x should be not present, instead was `1`.',
      );
      expectError(
        await send('GET', `/v1/blocks/${IDS.sharedRoot}/children`, JSON.stringify({ start_cursor: IDS.child })),
        400,
        'validation_error',
        `body failed validation: body.start_cursor should be not present, instead was \`"${IDS.child}"\`.`,
      );
    });

    it('POST with an empty body or {} is fine (the SDK sends {})', async () => {
      expect((await t.raw('/v1/search', { method: 'POST' })).status).toBe(200);
      expect((await t.raw('/v1/search', { method: 'POST', body: {} })).status).toBe(200);
    });

    it('a 600 KB body → a Notion-shaped 400, never a 5xx', async () => {
      const res = await t.raw('/v1/search', { method: 'POST', body: { query: 'x'.repeat(600_000) } });
      expectError(res, 400, 'validation_error');
      const created = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        body: {
          children: Array.from({ length: 100 }, () => ({
            paragraph: { rich_text: Array.from({ length: 4 }, () => ({ text: { content: 'y'.repeat(2000) } })) },
          })),
        },
      });
      expectError(created, 400, 'validation_error'); // ~830 KB of valid blocks: over the 500 KB payload limit
      expect((await t.raw('/v1/users/me')).status).toBe(200); // the server is still serving
    });
  });

  describe('path and query validation', () => {
    it('a malformed path id → path.<param> should be a valid uuid', async () => {
      expectError(
        await t.raw('/v1/pages/12345'),
        400,
        'validation_error',
        'path failed validation: path.page_id should be a valid uuid, instead was `"12345"`.',
      );
      expectError(
        await t.raw('/v1/blocks/not-an-id/children'),
        400,
        'validation_error',
        'path failed validation: path.block_id should be a valid uuid, instead was `"not-an-id"`.',
      );
      expectError(
        await t.raw(`/v1/pages/${IDS.sharedRoot}x`, { method: 'PATCH', body: {} }),
        400,
        'validation_error',
        `path failed validation: path.page_id should be a valid uuid, instead was \`"${IDS.sharedRoot}x"\`.`,
      );
      expectError(
        await t.raw('/v1/comments/abc'),
        400,
        'validation_error',
        'path failed validation: path.comment_id should be a valid uuid, instead was `"abc"`.',
      );
    });

    it('page_size above 100 → 400, in the query and in the body', async () => {
      expectError(
        await t.raw(`/v1/blocks/${IDS.sharedRoot}/children?page_size=101`),
        400,
        'validation_error',
        'query failed validation: query.page_size should be ≤ `100` or `undefined`, instead was `101`.',
      );
      expectError(
        await t.raw('/v1/users?page_size=101'),
        400,
        'validation_error',
        'query failed validation: query.page_size should be ≤ `100` or `undefined`, instead was `101`.',
      );
      expectError(
        await t.raw('/v1/search', { method: 'POST', body: { page_size: 101 } }),
        400,
        'validation_error',
        'body failed validation: body.page_size should be ≤ `100` or `undefined`, instead was `101`.',
      );
      expectError(
        await t.raw('/v1/search', { method: 'POST', body: { page_size: 'ten' } }),
        400,
        'validation_error',
        'body failed validation: body.page_size should be a number or `undefined`, instead was `"ten"`.',
      );
      expect((await t.raw(`/v1/blocks/${IDS.sharedRoot}/children?page_size=100`)).status).toBe(200);
    });

    it('bad cursors and unknown query parameters → 400', async () => {
      expectError(
        await t.raw(`/v1/blocks/${IDS.sharedRoot}/children?start_cursor=abc`),
        400,
        'validation_error',
        'query failed validation: query.start_cursor should be a valid uuid or `undefined`, instead was `"abc"`.',
      );
      expectError(
        await t.raw('/v1/search', { method: 'POST', body: { start_cursor: '' } }),
        400,
        'validation_error',
        'body failed validation: body.start_cursor should be a valid uuid or `undefined`, instead was `""`.',
      );
      expectError(
        await t.raw('/v1/users?foo=1'),
        400,
        'validation_error',
        'query failed validation: query.foo should be not present, instead was `"1"`.',
      );
    });
  });

  describe('successes', () => {
    it('carry the JSON content type and a fresh x-notion-request-id each', async () => {
      const seen = new Set<string>();
      for (const path of [
        '/v1/users/me',
        `/v1/pages/${IDS.sharedRoot}`,
        `/v1/blocks/${IDS.sharedRoot}/children`,
        '/v1/users',
      ]) {
        const res = await t.raw(path);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(JSON_TYPE);
        const id = res.headers.get('x-notion-request-id')!;
        expect(id).toMatch(UUID);
        seen.add(id);
      }
      expect(seen.size).toBe(4);
    });

    it('echo ids dashed and lowercase whatever form the path used', async () => {
      const res = await t.raw(`/v1/pages/${IDS.child.replace(/-/g, '').toUpperCase()}`);
      expect(res.body).toMatchObject({ object: 'page', id: IDS.child, parent: { page_id: IDS.sharedRoot } });
      const missing = await t.raw(`/v1/blocks/${IDS.missing.replace(/-/g, '')}`);
      expectError(
        missing,
        404,
        'object_not_found',
        `Could not find block with ID: ${IDS.missing}. Make sure the relevant pages and databases are shared with your integration.`,
      );
    });
  });
});
