// DNS rebinding defence (http/host-check.ts): a request whose Host is a name other than localhost, an IP
// literal or one of allowed_hosts is refused before anything is read — the API and the portal alike.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostName, isAllowedHost } from '../packages/server/src/http/host-check.js';
import { startTestPlatform, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';
import { testSeed, TOKENS } from './support/fixtures.js';

/** GET with an explicit Host header (fetch would send the URL's). */
function get(baseUrl: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        headers: { host, authorization: `Bearer ${TOKENS.full}`, 'notion-version': '2022-06-28' },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('host names', () => {
  it.each([
    ['127.0.0.1:3000', true],
    ['[::1]:3000', true],
    ['localhost:3000', true],
    ['portal.localhost', true],
    ['192.168.1.20', true],
    ['LOCALHOST', true],
    ['evil.example:3000', false],
    ['notion.local', false],
    ['127.0.0.1.nip.io', false],
  ])('%s is served without configuration: %s', (host, served) => {
    expect(isAllowedHost(host, [])).toBe(served);
  });

  it('serves the names the config allows, and every name with "*"', () => {
    expect(isAllowedHost('notion.local:8080', ['Notion.Local'])).toBe(true);
    expect(isAllowedHost('evil.example', ['*'])).toBe(true);
    expect(hostName('[::1]:80')).toBe('::1');
  });
});

describe('a rebound host name', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('pglite', testSeed(), { ...TEST_CONFIG, allowedHosts: ['notion.local'] });
  });
  afterAll(async () => t?.close());

  it('is refused on the API and the portal with a 403 naming the config key', async () => {
    for (const path of ['/v1/users/me', '/', '/portal/api/session']) {
      const answer = await get(t.baseUrl, path, 'evil.example:1234');
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({
        object: 'error',
        status: 403,
        code: 'restricted_resource',
        message: 'Host "evil.example" is not allowed: add it to allowed_hosts in the server\'s config to serve it.',
      });
    }
  });

  it('is served when the config allows it, as are localhost and IP literals', async () => {
    for (const host of ['notion.local:9', 'localhost', '127.0.0.1']) {
      const answer = await get(t.baseUrl, '/v1/users/me', host);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).object).toBe('user');
    }
  });
});
