// Public integrations and OAuth 2.0 (reference §2), on every store: the authorize endpoint (to the consent screen,
// or an error page without a redirect for an unknown client or an unregistered redirect URI), the consent step
// through the portal's JSON API (Allow → code and state; Cancel → access_denied), the token exchange with SDK v5's
// `oauth.token`, refresh, introspection and revocation, and every refusal in RFC 6749's shape: a reused code, a
// wrong secret, a wrong redirect URI, a missing field. Each authorization is a connection that sees only the pages
// picked, in the authorizing person's own workspace; a revoked token answers 401 at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PortalConsent,
  PortalIntegration,
  PortalIssuedClientSecret,
  PortalOAuthClient,
} from '@notion-local/server';
import { validateSeed } from '@notion-local/server';
import { IDS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { v5Client, failure } from './support/sdk-v5.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const PUBLIC_ID = '0a000000-0000-4000-8000-0000000000e1';
const CLIENT_ID = '0a000000-0000-4000-8000-0000000000e2';
const CLIENT_SECRET = 'secret_oauthclient000000000000000000000000000001';
const REDIRECT = 'http://127.0.0.1:9/callback';
const OTHER_REDIRECT = 'http://127.0.0.1:9/other';
const PASSWORD = { ada: 'ada-password-1', grace: 'grace-password-1', olga: 'olga-password-1' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function seed() {
  const s = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, any>[] };
  const [acme, other] = s.workspaces as [Record<string, any>, Record<string, any>];
  Object.assign(acme.users[0], { password: PASSWORD.ada });
  Object.assign(acme.users[1], { password: PASSWORD.grace });
  Object.assign(other.users[0], { password: PASSWORD.olga });
  acme.integrations.push({
    id: PUBLIC_ID,
    name: 'Connector',
    type: 'public',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT, OTHER_REDIRECT],
    capabilities: ['read_content', 'update_content', 'insert_content', 'read_user_with_email'],
  });
  return s;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe.each(storeKinds())('public integrations and OAuth (%s)', (kind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  let grace: PortalVisitor;
  let olga: PortalVisitor;

  /** POSTs to an OAuth endpoint with Basic client auth (the SDK's own shape); answers status and body. */
  const oauth = async (path: string, body: unknown, auth = basic(CLIENT_ID, CLIENT_SECRET)) => {
    const res = await fetch(`${t.baseUrl}/v1/oauth/${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json', 'notion-version': '2025-09-03' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Allows the authorization as `who`, sharing `pages`; answers the code from the redirect. */
  const authorize = async (who: PortalVisitor, pages: string[], redirect = REDIRECT, state = 'xyz') => {
    const body = { client_id: CLIENT_ID, redirect_uri: redirect, state, page_ids: pages };
    const res = await who.call<{ redirect_url: string }>('POST', '/portal/api/oauth/consent', body);
    expect(res.status).toBe(200);
    const url = new URL(res.body.redirect_url);
    expect(`${url.origin}${url.pathname}`).toBe(redirect);
    expect(url.searchParams.get('state')).toBe(state);
    return url.searchParams.get('code')!;
  };
  const exchange = (code: string, redirect = REDIRECT) =>
    v5Client(t.baseUrl, 'unused').oauth.token({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
    });

  beforeAll(async () => {
    t = await startTestPlatform(kind, seed());
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD.ada);
    grace = await new PortalVisitor(t.baseUrl).signIn('grace@example.com', PASSWORD.grace);
    olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', PASSWORD.olga);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends the browser from /v1/oauth/authorize to the consent screen with the request', async () => {
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      owner: 'user',
      redirect_uri: OTHER_REDIRECT,
      state: 's 1',
    });
    const res = await fetch(`${t.baseUrl}/v1/oauth/authorize?${query.toString()}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!, t.baseUrl);
    expect(location.pathname).toBe('/oauth/consent');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: OTHER_REDIRECT,
      state: 's 1',
    });
  });

  it('refuses an unknown client or an unregistered redirect URI with an error page and no redirect', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ client_id: 'nope', redirect_uri: REDIRECT }, 'No public integration has the client_id &quot;nope&quot;.'],
      [
        { client_id: CLIENT_ID, redirect_uri: 'http://evil.example/cb' },
        'The redirect_uri &quot;http://evil.example/cb&quot; is not one of the integration&#39;s redirect URIs.',
      ],
      [{ client_id: CLIENT_ID }, 'This authorization link has no redirect_uri'],
      [{ redirect_uri: REDIRECT }, 'This authorization link has no client_id.'],
    ];
    for (const [params, message] of cases) {
      const query = new URLSearchParams({ response_type: 'code', owner: 'user', ...params });
      const res = await fetch(`${t.baseUrl}/v1/oauth/authorize?${query.toString()}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain(message);
    }
    // The consent API checks the same, so the screen never redirects anywhere unregistered.
    const bad = await ada.call('POST', '/portal/api/oauth/consent/cancel', {
      client_id: CLIENT_ID,
      redirect_uri: 'http://evil.example/cb',
    });
    expect(bad.status).toBe(400);
  });

  it('sends a wrong response_type back to the app as an error', async () => {
    const query = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'token', redirect_uri: REDIRECT });
    const res = await fetch(`${t.baseUrl}/v1/oauth/authorize?${query.toString()}&state=abc`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('abc');
  });

  it('shows the consent screen the integration, its capabilities and who is signing in', async () => {
    const res = await grace.call<PortalConsent>(
      'GET',
      `/portal/api/oauth/consent?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      integration: {
        id: PUBLIC_ID,
        name: 'Connector',
        capabilities: ['read_content', 'update_content', 'insert_content', 'read_user_with_email'],
        developer_workspace: 'Acme',
      },
      redirect_uri: REDIRECT,
      workspace: { id: IDS.acme, name: 'Acme' },
      user: { id: IDS.grace, name: 'Grace Hopper', email: 'grace@example.com' },
    });
    const signedOut = await new PortalVisitor(t.baseUrl).call(
      'GET',
      `/portal/api/oauth/consent?client_id=${CLIENT_ID}`,
    );
    expect(signedOut.status).toBe(401);
  });

  it('Cancel sends the browser back with error=access_denied and the state', async () => {
    const res = await ada.call<{ redirect_url: string }>('POST', '/portal/api/oauth/consent/cancel', {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      state: 'st',
    });
    expect(res.status).toBe(200);
    expect(res.body.redirect_url).toBe(`${REDIRECT}?error=access_denied&state=st`);
  });

  it('exchanges a code for a connection that sees only the pages picked', async () => {
    const code = await authorize(grace, [IDS.privatePage]);
    const token = await exchange(code);
    expect(Object.keys(token)).toEqual([
      'access_token',
      'token_type',
      'refresh_token',
      'bot_id',
      'workspace_icon',
      'workspace_name',
      'workspace_id',
      'owner',
      'duplicated_template_id',
      'request_id',
    ]);
    expect(token).toMatchObject({
      token_type: 'bearer',
      workspace_icon: null,
      workspace_name: 'Acme',
      workspace_id: IDS.acme,
      owner: {
        type: 'user',
        user: {
          object: 'user',
          id: IDS.grace,
          name: 'Grace Hopper',
          avatar_url: null,
          type: 'person',
          person: { email: 'grace@example.com' },
        },
      },
      duplicated_template_id: null,
    });
    expect(token.bot_id).toMatch(UUID);
    expect(token.bot_id).not.toBe(PUBLIC_ID);
    expect(token.access_token).toMatch(/^ntn_/);
    const api = v5Client(t.baseUrl, token.access_token);
    const me = (await api.users.me({})) as any;
    expect(me).toMatchObject({ id: token.bot_id, name: 'Connector', type: 'bot' });
    // A connection is owned by the person who authorized it, as the token response said.
    expect(me.bot.owner).toEqual(token.owner);
    expect(((await api.pages.retrieve({ page_id: IDS.privatePage })) as any).id).toBe(IDS.privatePage);
    expect(await failure(api.pages.retrieve({ page_id: IDS.sharedRoot }))).toMatchObject({
      status: 404,
      code: 'object_not_found',
    });
    const search = await api.search({});
    expect(search.results.map((r) => r.id)).toEqual([IDS.privatePage]);
  });

  it('connects a person of another workspace to their own pages only', async () => {
    const code = await authorize(olga, [IDS.otherRoot]);
    const token = await exchange(code);
    expect(token).toMatchObject({ workspace_id: IDS.other, workspace_name: 'Other Co' });
    const api = v5Client(t.baseUrl, token.access_token);
    expect(((await api.pages.retrieve({ page_id: IDS.otherRoot })) as any).id).toBe(IDS.otherRoot);
    expect((await failure(api.pages.retrieve({ page_id: IDS.privatePage }))).status).toBe(404);
    // A page of another workspace cannot be picked.
    const res = await olga.call('POST', '/portal/api/oauth/consent', {
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      page_ids: [IDS.privatePage],
    });
    expect(res).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: `The page ${IDS.privatePage} was not found in this workspace.` } },
    });
  });

  it('a public integration’s webhook hears through its connections, naming them in accessible_by', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const made = await fetch(`${t.baseUrl}/__admin/webhooks`, {
        method: 'POST',
        headers: { authorization: 'Bearer admin_test_token', 'content-type': 'application/json' },
        body: JSON.stringify({
          integration_id: PUBLIC_ID,
          url: `${receiver.url}/public`,
          event_types: ['page.created'],
          verification_token: 'secret_publichook',
        }),
      });
      expect(made.status).toBe(200);
      const token = await exchange(await authorize(olga, [IDS.otherRoot]));
      const page = (await v5Client(t.baseUrl, token.access_token).pages.create({
        parent: { page_id: IDS.otherRoot },
        properties: { title: { title: [{ text: { content: 'Heard by the public app' } }] } },
      })) as { id: string };
      const event = await receiver.next('/public', 'page.created');
      expect(event.body).toMatchObject({
        workspace_id: IDS.other,
        workspace_name: 'Other Co',
        integration_id: PUBLIC_ID,
        authors: [{ id: token.bot_id, type: 'bot' }],
        // Every connection here that can see the page (an earlier test connected Olga to the same root).
        accessible_by: expect.arrayContaining([{ id: token.bot_id, type: 'bot' }]),
        entity: { id: page.id, type: 'page' },
      });
      expect(Object.keys(event.body).indexOf('accessible_by')).toBe(Object.keys(event.body).indexOf('authors') + 1);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a reused code, a wrong redirect URI and a missing one, in RFC 6749 shape', async () => {
    const code = await authorize(ada, [IDS.sharedRoot]);
    const wrongRedirect = await oauth('token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: OTHER_REDIRECT,
    });
    expect(wrongRedirect).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'Invalid redirect_uri: it does not match the redirect_uri of the authorization request.',
        request_id: expect.stringMatching(UUID),
      },
    });
    const missing = await oauth('token', { grant_type: 'authorization_code', code });
    expect(missing).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'body failed validation: body.redirect_uri should be defined, instead was `undefined`.',
        request_id: expect.stringMatching(UUID),
      },
    });
    // Refusals leave the code usable once.
    expect((await exchange(code)).access_token).toMatch(/^ntn_/);
    const reused = await oauth('token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(reused).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'Invalid code: this code has been revoked.',
        request_id: expect.stringMatching(UUID),
      },
    });
    const unknown = await oauth('token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT });
    expect(unknown.body.error_description).toBe('Invalid code: this code has been revoked.');
  });

  it('refuses a wrong client secret or no client authentication with 401 invalid_client', async () => {
    const code = await authorize(ada, [IDS.sharedRoot]);
    const body = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    for (const auth of [basic(CLIENT_ID, 'secret_wrong'), basic('nope', CLIENT_SECRET), 'Bearer x', '']) {
      const res = await oauth('token', body, auth);
      expect(res).toEqual({ status: 401, body: { error: 'invalid_client', request_id: expect.stringMatching(UUID) } });
    }
    // The SDK surfaces it as an unknown error code, as with Notion (reference §0.7).
    const sdk = v5Client(t.baseUrl, 'unused').oauth.token({
      client_id: CLIENT_ID,
      client_secret: 'secret_wrong',
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    await expect(sdk).rejects.toMatchObject({ status: 401 });
    expect((await exchange(code)).access_token).toMatch(/^ntn_/);
  });

  it('validates the token request body', async () => {
    expect(await oauth('token', {})).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'body failed validation: body.grant_type should be defined, instead was `undefined`.',
      },
    });
    expect((await oauth('token', '{nope')).body).toMatchObject({
      error: 'invalid_request',
      error_description: 'Error parsing JSON body.',
    });
    expect((await oauth('introspect', {})).body).toMatchObject({
      error: 'invalid_request',
      error_description: 'body failed validation: body.token should be defined, instead was `undefined`.',
    });
  });

  it('refreshes: a new pair, the old access token and refresh token stop working', async () => {
    const first = await exchange(await authorize(ada, [IDS.sharedRoot]));
    const refreshed = await v5Client(t.baseUrl, 'unused').oauth.token({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    expect(refreshed).toMatchObject({ token_type: 'bearer', bot_id: first.bot_id, workspace_id: IDS.acme });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect((await failure(v5Client(t.baseUrl, first.access_token).users.me({}))).status).toBe(401);
    expect(((await v5Client(t.baseUrl, refreshed.access_token).users.me({})) as any).id).toBe(first.bot_id);
    const again = await oauth('token', { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(again).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'Invalid refresh_token: this token has been revoked.',
        request_id: expect.stringMatching(UUID),
      },
    });
  });

  it('introspects and revokes: a revoked token answers 401 at once', async () => {
    const token = await exchange(await authorize(ada, [IDS.sharedRoot]));
    const sdk = v5Client(t.baseUrl, 'unused');
    const auth = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const live = await sdk.oauth.introspect({ ...auth, token: token.access_token });
    expect(live).toEqual({
      active: true,
      scope: 'read_content insert_content update_content read_user_with_email',
      iat: expect.any(Number),
      request_id: expect.stringMatching(UUID),
    });
    expect(Math.abs(live.iat! - Date.now())).toBeLessThan(60_000);
    expect((await sdk.oauth.introspect({ ...auth, token: token.refresh_token! })).active).toBe(true);
    expect(await sdk.oauth.introspect({ ...auth, token: 'ntn_nope' })).toEqual({
      active: false,
      request_id: expect.stringMatching(UUID),
    });
    const api = v5Client(t.baseUrl, token.access_token);
    expect(((await api.users.me({})) as any).id).toBe(token.bot_id);
    expect(await sdk.oauth.revoke({ ...auth, token: token.access_token })).toEqual({
      request_id: expect.stringMatching(UUID),
    });
    expect(await failure(api.users.me({}))).toEqual({
      status: 401,
      code: 'unauthorized',
      message: 'API token is invalid.',
    });
    expect((await sdk.oauth.introspect({ ...auth, token: token.access_token })).active).toBe(false);
    expect((await sdk.oauth.introspect({ ...auth, token: token.refresh_token! })).active).toBe(false);
    // Revoking again, or an unknown token, is answered the same and changes nothing.
    expect((await oauth('revoke', { token: token.access_token })).status).toBe(200);
  });

  it('shows the developer the client and its authorizations; rotates the secret; revokes one', async () => {
    const list = await ada.call<PortalIntegration[]>('GET', '/portal/api/integrations');
    const connector = list.body.find((i) => i.id === PUBLIC_ID);
    expect(connector).toMatchObject({ type: 'public', name: 'Connector', token_hint: null });
    // Connections are authorizations of the public integration, not integrations of their own in the list.
    expect(list.body.filter((i) => i.name === 'Connector')).toHaveLength(1);

    const token = await exchange(await authorize(grace, [IDS.child]));
    const client = await grace.call<PortalOAuthClient>('GET', `/portal/api/integrations/${PUBLIC_ID}/oauth`);
    expect(client.status).toBe(200);
    expect(client.body).toMatchObject({
      integration_id: PUBLIC_ID,
      client_id: CLIENT_ID,
      client_secret_hint: 'secret_…0001',
      redirect_uris: [REDIRECT, OTHER_REDIRECT],
    });
    expect(client.body.authorization_url).toContain(`/v1/oauth/authorize?client_id=${CLIENT_ID}&response_type=code`);
    const mine = client.body.authorizations.find((a) => a.id === token.bot_id);
    expect(mine).toMatchObject({
      workspace: { id: IDS.acme, name: 'Acme' },
      user: { id: IDS.grace, name: 'Grace Hopper' },
      shared_pages: [{ id: IDS.child, title: 'Child' }],
    });
    expect((await grace.call('POST', `/portal/api/integrations/${PUBLIC_ID}/oauth/secret`)).status).toBe(403);
    // A public integration has no token of its own to refresh.
    const ownToken = await ada.call('POST', `/portal/api/integrations/${PUBLIC_ID}/token`);
    expect(ownToken.status).toBe(409);
    expect(ownToken.body.error.message).toBe(
      'A public integration has no token of its own: its users get tokens by authorizing it (OAuth).',
    );

    const rotated = await ada.call<PortalIssuedClientSecret>(
      'POST',
      `/portal/api/integrations/${PUBLIC_ID}/oauth/secret`,
    );
    expect(rotated.status).toBe(200);
    const secret = rotated.body.client_secret;
    expect(rotated.body.client.client_secret_hint).toBe(`secret_…${secret.slice(-4)}`);
    const body = { token: token.access_token };
    expect((await oauth('introspect', body)).status).toBe(401);
    expect((await oauth('introspect', body, basic(CLIENT_ID, secret))).body.active).toBe(true);

    const api = v5Client(t.baseUrl, token.access_token);
    const revoked = await ada.call<PortalOAuthClient>(
      'DELETE',
      `/portal/api/integrations/${PUBLIC_ID}/oauth/authorizations/${token.bot_id}`,
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.authorizations.some((a) => a.id === token.bot_id)).toBe(false);
    expect((await failure(api.users.me({}))).status).toBe(401);
    // An internal integration has no OAuth client.
    expect((await ada.call('GET', `/portal/api/integrations/${IDS.full}/oauth`)).status).toBe(404);
  });

  it('creates a public integration in the portal (owners only) and edits its redirect URIs', async () => {
    const path = '/portal/api/oauth/public-integrations';
    const res = await ada.call<PortalIssuedClientSecret>('POST', path, {
      name: 'Portal App',
      redirect_uris: ['http://localhost:5000/cb'],
    });
    expect(res.status).toBe(201);
    const { client, client_secret: secret } = res.body;
    expect(client).toMatchObject({ redirect_uris: ['http://localhost:5000/cb'], authorizations: [] });
    expect(client.client_id).toMatch(UUID);
    expect(secret).toMatch(/^secret_/);
    const auth = basic(client.client_id, secret);
    expect((await oauth('introspect', { token: 'ntn_x' }, auth)).body).toMatchObject({ active: false });
    const uris = `/portal/api/integrations/${client.integration_id}/oauth/redirect_uris`;
    expect(await ada.call('PUT', uris, { redirect_uris: ['ftp://x'] })).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: '"ftp://x" should be an http:// or https:// URL without a #fragment.',
        },
      },
    });
    const two = ['http://localhost:5000/a', 'http://localhost:5000/b'];
    expect(await ada.call('PUT', uris, { redirect_uris: two })).toMatchObject({
      status: 200,
      body: { redirect_uris: two },
    });
    const taken = await ada.call('POST', path, { name: 'Connector', redirect_uris: two });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect((await grace.call('POST', path, { name: 'Nope', redirect_uris: two })).status).toBe(403);
    const listed = await ada.call<PortalIntegration>('GET', `/portal/api/integrations/${client.integration_id}`);
    expect(listed.body).toMatchObject({ name: 'Portal App', type: 'public', token_hint: null });
  });

  it('forgets authorizations on a reset; the seed’s client and secret stay', async () => {
    await t.platform.reset(); // the test before rotated the secret
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD.ada);
    const token = await exchange(await authorize(ada, [IDS.sharedRoot]));
    await t.platform.reset();
    expect((await failure(v5Client(t.baseUrl, token.access_token).users.me({}))).status).toBe(401);
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD.ada);
    const client = await ada.call<PortalOAuthClient>('GET', `/portal/api/integrations/${PUBLIC_ID}/oauth`);
    expect(client.body).toMatchObject({ client_id: CLIENT_ID, client_secret_hint: 'secret_…0001', authorizations: [] });
    expect((await exchange(await authorize(ada, [IDS.sharedRoot]))).access_token).toMatch(/^ntn_/);
  });
});

describe('public integrations in a seed', () => {
  const withIntegration = (integration: Record<string, unknown>) => ({
    workspaces: [{ name: 'W', users: [{ name: 'U' }], integrations: [{ name: 'App', ...integration }] }],
  });
  it('refuses a token on a public integration, a missing redirect URI, or a client on an internal one', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { type: 'public', token: 'ntn_x', redirect_uris: ['http://localhost/cb'] },
        'seed failed validation: seed.workspaces[0].integrations[0].token should be absent: a public integration gets its tokens through OAuth.',
      ],
      [
        { type: 'public' },
        'seed failed validation: seed.workspaces[0].integrations[0].redirect_uris should list at least one URI for a public integration.',
      ],
      [
        { client_id: 'abc' },
        'seed failed validation: seed.workspaces[0].integrations[0].client_id is only for integrations of "type": "public".',
      ],
    ];
    for (const [integration, message] of cases)
      expect(() => validateSeed(withIntegration(integration))).toThrow(message);
    expect(() =>
      validateSeed(withIntegration({ type: 'public', redirect_uris: ['http://localhost/cb'] })),
    ).not.toThrow();
  });
});
