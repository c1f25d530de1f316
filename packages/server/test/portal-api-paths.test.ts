// The web UI answers every GET the API does not route, except paths that look like the API: `/v1` in any
// case. `/V1/…` reaches the web UI's catch-all (the API's routes are case-sensitive) and must get the API's
// 400 `invalid_request_url` in Notion's shape — not the web UI's index page, nor its plain-text 404 for a path
// with a file extension (found by the fuzz suite: `GET /V1/PAGES/<id>/PROPERTIES/.0`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../src/platform.js';

const PAGE = '0e000000-0000-4000-8000-0000000000d1';
const TOKEN = 'secret_portal_paths_test';
const INDEX_HTML = '<!doctype html><title>portal</title>';
const seed = {
  workspaces: [
    {
      name: 'W',
      users: [{ name: 'O', role: 'owner' }],
      integrations: [{ name: 'Bot', token: TOKEN, capabilities: ['read_content'] }],
      pages: [{ id: PAGE, title: 'P' }],
    },
  ],
};

describe('paths that look like the API never get the web UI', () => {
  let platform: Platform;
  let portalDir = '';
  beforeAll(async () => {
    portalDir = mkdtempSync(join(tmpdir(), 'nl-portal-'));
    writeFileSync(join(portalDir, 'index.html'), INDEX_HTML);
    platform = await startPlatform({ store: { kind: 'memory' }, port: 0, seed, portalDir });
  });
  afterAll(async () => {
    await platform?.close();
    if (portalDir) rmSync(portalDir, { recursive: true, force: true });
  });

  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'notion-version': '2022-06-28' },
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  it.each([
    '/V1/users/me',
    '/V1',
    '/V1/',
    '/v1/USERS/ME',
    `/V1/PAGES/${PAGE}/PROPERTIES/.0`,
    '/V1/pages?x=1',
    '//V1//users/me',
    '/v1x',
  ])('GET %s answers 400 invalid_request_url in Notion’s shape', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.text)).toEqual({
      object: 'error',
      status: 400,
      code: 'invalid_request_url',
      message: 'Invalid request URL.',
      request_id: expect.any(String),
    });
  });

  it('a POST to /V1/… is the API’s 400 too; /v1/… in lower case is the API itself', async () => {
    expect(JSON.parse((await get('/V1/pages', 'POST')).text)).toMatchObject({ code: 'invalid_request_url' });
    const me = await get('/v1/users/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ object: 'user', type: 'bot' });
  });

  it('other paths still get the web UI: its index, or its 404 for a missing file', async () => {
    for (const path of ['/', '/integrations', '/v2/pages', '/V2', '/api/v1']) {
      const answer = await get(path);
      expect([path, answer.status, answer.type, answer.text]).toEqual([
        path,
        200,
        'text/html; charset=utf-8',
        INDEX_HTML,
      ]);
    }
    const missing = await get('/nope.js');
    expect([missing.status, missing.text]).toEqual([404, 'Not found']);
  });
});
