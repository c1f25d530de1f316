// Rate limits, fault injection, the request log and metrics over real HTTP, with the official SDKs:
// v4 surfaces `rate_limited`, v5 retries after Retry-After by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIResponseError, Client, LogLevel } from '@notionhq/client';
import { Client as ClientV5, LogLevel as LogLevelV5 } from 'notion-client-v5';
import { ManualClock, startPlatform, type Platform } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';

const ADMIN = 'admin_limits_token';
const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' });

describe('rate limits over HTTP', () => {
  let platform: Platform;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 20));
  beforeAll(async () => {
    platform = await startPlatform({
      store: { kind: 'memory' },
      port: 0,
      seed: testSeed(),
      clock,
      config: {
        rateLimit: { enabled: true, requestsPerMinute: 3, workspaceRequestsPerMinute: 100 },
        adminToken: ADMIN,
      },
    });
  });
  afterAll(async () => platform?.close());

  it('answers the request over budget with 429, an integer Retry-After and additional_data as Notion sends them', async () => {
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.readOnly) })).status).toBe(200);
    const res = await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.readOnly) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('40');
    const body = await res.json();
    expect(body).toEqual({
      object: 'error',
      status: 429,
      code: 'rate_limited',
      message: 'You have been rate limited. Please try again in a few minutes.',
      additional_data: { rate_limit_reason: 'public_api_request_rate_limit', retry_after: '40' },
      request_id: res.headers.get('x-notion-request-id'),
    });
    // Other integrations have their own budget.
    expect((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.noEmail) })).status).toBe(200);
    clock.advance(40_000);
    expect((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.readOnly) })).status).toBe(200);
  });

  it('SDK v4 surfaces rate_limited as an APIResponseError', async () => {
    const notion = new Client({ auth: TOKENS.commenter, baseUrl: platform.url, logLevel: LogLevel.ERROR });
    for (let i = 0; i < 3; i++) await notion.users.me({});
    const error = await notion.users.me({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIResponseError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it('a per-integration budget set through the admin API applies at once', async () => {
    const put = await fetch(`${platform.url}/__admin/integrations/${IDS.full}/rate_limit`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests_per_minute: 5 }),
    });
    expect(await put.json()).toEqual({ integration_id: IDS.full, rate_limit: { requests_per_minute: 5 } });
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.full) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('fault injection, request log and metrics', () => {
  let platform: Platform;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}/__admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const setFaults = async (rules: unknown[]) =>
    expect((await admin('/faults', { method: 'PUT', body: JSON.stringify({ rules }) })).status).toBe(200);
  beforeAll(async () => {
    platform = await startPlatform({
      store: { kind: 'memory' },
      port: 0,
      seed: testSeed(),
      config: { rateLimit: { enabled: false }, adminToken: ADMIN },
    });
  });
  afterAll(async () => platform?.close());

  const cases: [number, string, string, string | null][] = [
    [429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', '2'],
    [500, 'internal_server_error', 'Unexpected error occurred.', null],
    [502, 'bad_gateway', 'Bad Gateway', null],
    [503, 'service_unavailable', 'Notion is unavailable, please try again later.', '2'],
    [504, 'gateway_timeout', 'Gateway Timeout', null],
    [529, 'service_overload', 'Notion is overloaded, please try again later.', '2'],
  ];
  it.each(cases)('injects %i %s in Notion’s shape', async (status, code, message, retryAfter) => {
    await setFaults([{ integration: 'Full', route: 'GET /v1/pages/:page_id', status, retry_after: 2 }]);
    const res = await fetch(`${platform.url}/v1/pages/${IDS.sharedRoot}`, { headers: headers(TOKENS.full) });
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe(retryAfter);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      object: 'error',
      status,
      code,
      message,
      request_id: res.headers.get('x-notion-request-id'),
    });
    if (status === 429)
      expect(body.additional_data).toEqual({ retry_after: '2', rate_limit_reason: 'public_api_request_rate_limit' });
    // Other routes and other integrations are untouched.
    expect((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.full) })).status).toBe(200);
    expect(
      (await fetch(`${platform.url}/v1/pages/${IDS.sharedRoot}`, { headers: headers(TOKENS.readOnly) })).status,
    ).toBe(200);
  });

  it('fails N times, then succeeds; SDK v5 retries through it after Retry-After', async () => {
    await setFaults([{ integration: IDS.full, route: 'GET /v1/users/me', status: 429, count: 2, retry_after: 0 }]);
    const v5 = new ClientV5({
      auth: TOKENS.full,
      baseUrl: platform.url,
      notionVersion: '2022-06-28',
      logLevel: LogLevelV5.ERROR,
    });
    await expect(v5.users.me({})).resolves.toMatchObject({ id: IDS.full });
    const rules = ((await (await admin('/faults')).json()) as any).rules;
    expect(rules[0]).toMatchObject({ remaining: 0, matched: 2 });
  });

  it('after_commit: the write lands, the answer is lost', async () => {
    await setFaults([{ route: 'POST /v1/pages', status: 504, after_commit: true, count: 1 }]);
    const res = await fetch(`${platform.url}/v1/pages`, {
      method: 'POST',
      headers: { ...headers(TOKENS.full), 'content-type': 'application/json' },
      body: JSON.stringify({
        parent: { page_id: IDS.sharedRoot },
        properties: { title: [{ text: { content: 'Committed anyway' } }] },
      }),
    });
    expect(res.status).toBe(504);
    const notion = new Client({ auth: TOKENS.full, baseUrl: platform.url, logLevel: LogLevel.ERROR });
    const found = await notion.search({ query: 'Committed anyway' });
    expect(found.results).toHaveLength(1);
  });

  it('adds latency', async () => {
    await setFaults([{ route: 'GET /v1/users/me', latency_ms: 150 }]);
    const started = performance.now();
    expect((await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.full) })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    await setFaults([]);
  });

  it('logs every request with filters, says why a 404 happened, and never stores a token', async () => {
    await fetch(`${platform.url}/v1/pages/${IDS.privatePage}`, { headers: headers(TOKENS.readOnly) });
    await fetch(`${platform.url}/v1/pages/${IDS.missing}`, { headers: headers(TOKENS.readOnly) });
    await fetch(`${platform.url}/v1/users/me`, { headers: headers('ntn_wrong') });
    const res = await admin(`/requests?integration_id=${IDS.readOnly}&status=404`);
    const log = (await res.json()) as any;
    expect(log.results.map((r: { path: string; not_found_reason: string }) => [r.path, r.not_found_reason])).toEqual([
      [`/v1/pages/${IDS.missing}`, 'does not exist'],
      [
        `/v1/pages/${IDS.privatePage}`,
        'exists, but is not shared with "ReadOnly": share "Private" (or a page above it) through ••• → Connections',
      ],
    ]);
    expect(log.results[0]).toMatchObject({
      method: 'GET',
      route: '/v1/pages/:page_id',
      status: 404,
      code: 'object_not_found',
      integration_id: IDS.readOnly,
    });
    const unauthorized = (await (await admin('/requests?status=401')).json()) as any;
    expect(unauthorized.results[0]).toMatchObject({ status: 401, code: 'unauthorized', integration_id: null });
    const everything = JSON.stringify(await platform.store.query('SELECT * FROM request_log'));
    for (const token of Object.values(TOKENS)) expect(everything).not.toContain(token);
    expect(everything).not.toContain('ntn_wrong');
    const page = (await (await admin('/requests?page_size=2')).json()) as any;
    expect(page.results).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const next = (await (await admin(`/requests?page_size=2&start_cursor=${page.next_cursor}`)).json()) as any;
    expect(next.results[0].id).toBe(Number(page.next_cursor));
  });

  it('logs a refreshed (revoked) token’s 401 under its integration, while the answer stays a plain 401', async () => {
    await platform.store.query(`UPDATE tokens SET revoked_time = now() WHERE integration_id = $1`, [IDS.noEmail]);
    const res = await fetch(`${platform.url}/v1/users/me`, { headers: headers(TOKENS.noEmail) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthorized', message: 'API token is invalid.' });
    const log = (await (await admin(`/requests?integration_id=${IDS.noEmail}&status=401`)).json()) as any;
    expect(log.results[0]).toMatchObject({
      status: 401,
      code: 'unauthorized',
      integration_id: IDS.noEmail,
      workspace_id: IDS.acme,
    });
  });

  it('serves Prometheus metrics', async () => {
    const text = await (await fetch(`${platform.url}/metrics`)).text();
    expect(text).toMatch(
      /notion_local_requests_total\{method="GET",route="\/v1\/pages\/:page_id",status="404",integration="[0-9a-f-]+"\} \d+/,
    );
    expect(text).toContain('notion_local_request_duration_seconds_bucket');
    expect(text).toContain('notion_local_injected_faults_total');
  });

  it('refuses the admin API without its token', async () => {
    const res = await fetch(`${platform.url}/__admin/requests`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ object: 'error', code: 'unauthorized' });
  });
});
