// The portal's JSON API and static serving, over plain HTTP: sessions and their cookie, CSRF defences,
// owner-only routes, workspace scoping, Connections that match what the API enforces, sandbox reset and
// export, and that nothing is revealed while signed out. The browser flow is in portal-browser.test.ts.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSeed } from '@notion-local/server';
import type {
  PortalConnections,
  PortalExportResult,
  PortalIntegration,
  PortalIssuedSecret,
  PortalLimits,
  PortalRequestPage,
  PortalRequestSummary,
  PortalTreeNode,
} from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { startTestPlatform, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';

const PASSWORDS = { ada: 'ada-password-1', grace: 'grace-password-2', olga: 'olga-password-3' };

function portalSeed() {
  const seed = testSeed();
  const [acme, other] = seed.workspaces;
  Object.assign(acme!.users[0]!, { password: PASSWORDS.ada });
  Object.assign(acme!.users[1]!, { password: PASSWORDS.grace });
  Object.assign(other!.users[0]!, { password: PASSWORDS.olga });
  return seed;
}

describe('portal API', () => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  beforeAll(async () => {
    // Rate limiting on (Notion's budgets): the test's own calls stay far below them.
    t = await startTestPlatform('pglite', portalSeed(), { ...TEST_CONFIG, rateLimit: { enabled: true } });
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORDS.ada);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('turns the one-time link into an HttpOnly SameSite=Strict session cookie, once', async () => {
    const link = t.platform.signInUrl!;
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^nl_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const visitor = new PortalVisitor(t.baseUrl);
    visitor.cookie = cookie.split(';')[0]!;
    const session = await visitor.call('GET', '/portal/api/session');
    expect(session.body).toMatchObject({
      user: { name: 'Ada Lovelace', role: 'owner' },
      workspace: { id: IDS.acme, name: 'Acme', seeded: true },
    });
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/?sign_in=invalid');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('signs in with a seed password; a wrong one or a missing CSRF header is refused', async () => {
    const v = new PortalVisitor(t.baseUrl);
    const wrong = await v.call(
      'POST',
      '/portal/api/session',
      { email: 'ada@example.com', password: 'nope' },
      { 'x-csrf-token': 'sign-in' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const noHeader = await v.call('POST', '/portal/api/session', { email: 'ada@example.com', password: PASSWORDS.ada });
    expect(noHeader).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    const crossSite = await v.call(
      'POST',
      '/portal/api/session',
      { email: 'ada@example.com', password: PASSWORDS.ada },
      { 'x-csrf-token': 'sign-in', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
  });

  it('signs in a person whose stored hash is the old unsalted SHA-256, and stores a salted scrypt hash instead', async () => {
    const store = t.platform.store;
    const old = `sha256:${createHash('sha256').update(PASSWORDS.grace).digest('hex')}`;
    const [grace] = await store.query<{ id: string }>("SELECT id FROM users WHERE email = 'grace@example.com'");
    await store.query('UPDATE users SET password_hash = $1 WHERE id = $2', [old, grace!.id]);
    await store.query(
      `UPDATE seeds SET seed = jsonb_set(seed, '{users,1,password_hash}', to_jsonb($1::text)) WHERE workspace_id = $2`,
      [old, IDS.acme],
    );
    const hashes = async () => {
      const [user] = await store.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
        grace!.id,
      ]);
      const [kept] = await store.query<{ seed: any }>('SELECT seed FROM seeds WHERE workspace_id = $1', [IDS.acme]);
      return [user!.password_hash, kept!.seed.users[1].password_hash as string];
    };
    const wrong = await new PortalVisitor(t.baseUrl).call(
      'POST',
      '/portal/api/session',
      { email: 'grace@example.com', password: 'nope' },
      { 'x-csrf-token': 'sign-in' },
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await hashes()).toEqual([old, old]);
    await new PortalVisitor(t.baseUrl).signIn('grace@example.com', PASSWORDS.grace);
    const [user, kept] = await hashes();
    expect(user).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(kept).toBe(user);
    await new PortalVisitor(t.baseUrl).signIn('grace@example.com', PASSWORDS.grace);
  });

  it('refuses state changes without the session CSRF token, from another origin, or from another site', async () => {
    const attempts: Record<string, string>[] = [
      { 'x-csrf-token': '' },
      { 'x-csrf-token': 'sign-in' },
      { 'x-csrf-token': 'forged-token-forged-token-forged-token-1234' },
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await ada.call('POST', '/portal/api/integrations', { name: 'Forged' }, headers);
      expect(res, JSON.stringify(headers)).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    }
    const list = await ada.call<PortalIntegration[]>('GET', '/portal/api/integrations');
    expect(list.body.map((i) => i.name)).not.toContain('Forged');
  });

  it('creates an integration whose secret is shown once, stored hashed, and works with the SDK', async () => {
    const created = await ada.call<PortalIssuedSecret>('POST', '/portal/api/integrations', {
      name: 'Portal Bot',
      capabilities: ['read_content', 'insert_content'],
    });
    expect(created.status).toBe(201);
    const { integration, token } = created.body;
    expect(integration).toMatchObject({
      name: 'Portal Bot',
      type: 'internal',
      capabilities: ['read_content', 'insert_content'],
      shared_pages: [],
    });
    expect(integration.token_hint).toBe(`ntn_…${token.slice(-4)}`);
    const listed = await ada.call('GET', `/portal/api/integrations/${integration.id}`);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const stored = await t.platform.store.query<{ token_hash: string }>(
      'SELECT token_hash FROM tokens WHERE integration_id = $1',
      [integration.id],
    );
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    expect(await t.client(token).users.me({})).toMatchObject({ id: integration.id, name: 'Portal Bot', type: 'bot' });
    const duplicate = await ada.call('POST', '/portal/api/integrations', { name: 'Portal Bot' });
    expect(duplicate).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const twoLevels = await ada.call('POST', '/portal/api/integrations', {
      name: 'Both',
      capabilities: ['read_user_with_email', 'read_user_without_email'],
    });
    expect(twoLevels.status).toBe(400);
  });

  it('shows on each page exactly the access the API enforces, for every integration', async () => {
    const bot = (
      await ada.call<PortalIssuedSecret>('POST', '/portal/api/integrations', {
        name: 'Matrix Bot',
        capabilities: ['read_content'],
      })
    ).body;
    await ada.call('PUT', `/portal/api/pages/${IDS.child}/connections/${bot.integration.id}`);
    const tokens: Record<string, string> = {
      [IDS.full]: TOKENS.full,
      [IDS.readOnly]: TOKENS.readOnly,
      [IDS.noEmail]: TOKENS.noEmail,
      [IDS.unshared]: TOKENS.unshared,
      [bot.integration.id]: bot.token,
    };
    const pages = (await ada.call<PortalTreeNode[]>('GET', '/portal/api/pages')).body;
    expect(pages.map((p) => p.id)).toEqual(
      expect.arrayContaining([IDS.sharedRoot, IDS.child, IDS.grandchild, IDS.privatePage]),
    );
    expect(pages.map((p) => p.id)).not.toContain(IDS.otherRoot);
    for (const page of pages) {
      const { body } = await ada.call<PortalConnections>('GET', `/portal/api/pages/${page.id}/connections`);
      for (const c of body.connections) {
        const token = tokens[c.integration.id];
        if (!token) continue;
        const api = await t.raw(`/v1/pages/${page.id}`, { token });
        expect(
          api.status === 200,
          `${c.integration.name} on ${page.title}: portal says ${c.access}, API ${api.status}`,
        ).toBe(c.access !== 'none');
      }
    }
    const grandchild = (await ada.call<PortalConnections>('GET', `/portal/api/pages/${IDS.grandchild}/connections`))
      .body;
    expect(grandchild.connections.find((c) => c.integration.id === bot.integration.id)).toMatchObject({
      access: 'inherited',
      via: [{ id: IDS.child, title: 'Child' }],
    });
    expect(grandchild.connections.find((c) => c.integration.id === IDS.full)).toMatchObject({
      access: 'inherited',
      via: [{ id: IDS.sharedRoot }],
    });
    await ada.call('DELETE', `/portal/api/pages/${IDS.child}/connections/${bot.integration.id}`);
    expect((await t.raw(`/v1/pages/${IDS.grandchild}`, { token: bot.token })).status).toBe(404);
  });

  it('creates and renames pages; the API sees the new title', async () => {
    const created = await ada.call<PortalTreeNode>('POST', '/portal/api/pages', { title: 'Launch plan' });
    expect(created).toMatchObject({ status: 201, body: { title: 'Launch plan', parent_id: null } });
    const renamed = await ada.call('PATCH', `/portal/api/pages/${created.body.id}`, { title: 'Launch plan v2' });
    expect(renamed.status).toBe(200);
    const full = (await ada.call<PortalIntegration[]>('GET', '/portal/api/integrations')).body.find(
      (i) => i.name === 'Full',
    )!;
    await ada.call('PUT', `/portal/api/pages/${created.body.id}/connections/${full.id}`);
    const page: any = await t.client(TOKENS.full).pages.retrieve({ page_id: created.body.id });
    expect(page.parent).toEqual({ type: 'workspace', workspace: true });
    expect(page.properties.title.title[0].plain_text).toBe('Launch plan v2');
    const view = await ada.call('GET', `/portal/api/pages/${IDS.sharedRoot}`);
    expect(view.body.blocks.map((b: { type: string }) => b.type).sort()).toEqual(['child_page', 'paragraph', 'to_do']);
  });

  it('shows the request log of the workspace, with 404 reasons, and per-minute and per-integration summaries', async () => {
    const bot = (
      await ada.call<PortalIssuedSecret>('POST', '/portal/api/integrations', {
        name: 'Logged Bot',
        capabilities: ['read_content'],
      })
    ).body;
    await ada.call('PUT', `/portal/api/pages/${IDS.sharedRoot}/connections/${bot.integration.id}`);
    expect((await t.raw(`/v1/pages/${IDS.child}`, { token: bot.token })).status).toBe(200);
    expect((await t.raw(`/v1/pages/${IDS.privatePage}`, { token: bot.token })).status).toBe(404);
    const log = await ada.call<PortalRequestPage>('GET', `/portal/api/requests?integration_id=${bot.integration.id}`);
    expect(log.body.results.map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/v1/pages/:page_id', 404],
      ['GET', '/v1/pages/:page_id', 200],
    ]);
    expect(log.body.results[0]).toMatchObject({ code: 'object_not_found', path: `/v1/pages/${IDS.privatePage}` });
    expect(log.body.results[0]!.not_found_reason).toMatch(/exists, but is not shared with "Logged Bot"/);
    expect(JSON.stringify(log.body)).not.toContain(bot.token);
    const only404 = await ada.call<PortalRequestPage>(
      'GET',
      `/portal/api/requests?status=404&code=object_not_found&integration_id=${bot.integration.id}`,
    );
    expect(only404.body.results).toHaveLength(1);
    const summary = await ada.call<PortalRequestSummary>('GET', '/portal/api/requests/summary?minutes=15');
    const mine = summary.body.per_integration.find((p) => p.integration_id === bot.integration.id);
    expect(mine).toMatchObject({ total: 2, errors: 1, rate_limited: 0 });
    expect(summary.body.per_minute.reduce((n, m) => n + m.ok + m.client_errors, 0)).toBeGreaterThanOrEqual(2);
    const olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', PASSWORDS.olga);
    expect(
      (await olga.call<PortalRequestPage>('GET', `/portal/api/requests?integration_id=${bot.integration.id}`)).body
        .results,
    ).toEqual([]);
  });

  it('sets a per-integration rate limit and fault rules that the API obeys at once', async () => {
    const bot = (
      await ada.call<PortalIssuedSecret>('POST', '/portal/api/integrations', {
        name: 'Limited Bot',
        capabilities: ['read_content'],
      })
    ).body;
    const set = await ada.call<PortalLimits>('PUT', `/portal/api/integrations/${bot.integration.id}/rate_limit`, {
      requests_per_minute: 1,
    });
    expect(set.body.integrations.find((i) => i.id === bot.integration.id)).toMatchObject({ requests_per_minute: 1 });
    // One request per 60-second window: within three calls at least one is refused, whatever the clock.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.raw('/v1/users/me', { token: bot.token })).status);
    expect(statuses).toContain(429);
    await ada.call('PUT', `/portal/api/integrations/${bot.integration.id}/rate_limit`, { requests_per_minute: null });
    expect(
      (await ada.call('PUT', `/portal/api/integrations/${bot.integration.id}/rate_limit`, { requests_per_minute: 0 }))
        .status,
    ).toBe(400);
    const full = IDS.full;
    const withRule = await ada.call<PortalLimits>('POST', '/portal/api/faults', {
      integration_id: full,
      route: 'GET /v1/users/me',
      status: 503,
      count: 1,
    });
    expect(withRule.body.faults).toHaveLength(1);
    expect((await t.raw('/v1/users/me', { token: TOKENS.full })).status).toBe(503);
    expect((await t.raw('/v1/users/me', { token: TOKENS.full })).status).toBe(200);
    expect((await ada.call('POST', '/portal/api/faults', { integration_id: IDS.otherBot, status: 500 })).status).toBe(
      400,
    );
    const removed = await ada.call<PortalLimits>('DELETE', `/portal/api/faults/${withRule.body.faults[0]!.id}`);
    expect(removed.body.faults).toEqual([]);
  });

  it('keeps each person to their own workspace, and members away from owner-only routes', async () => {
    const olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', PASSWORDS.olga);
    expect((await olga.call('GET', `/portal/api/pages/${IDS.sharedRoot}`)).status).toBe(404);
    expect((await olga.call('PUT', `/portal/api/pages/${IDS.otherRoot}/connections/${IDS.full}`)).status).toBe(404);
    expect((await olga.call<PortalIntegration[]>('GET', '/portal/api/integrations')).body.map((i) => i.name)).toEqual([
      'OtherBot',
    ]);
    const grace = await new PortalVisitor(t.baseUrl).signIn('grace@example.com', PASSWORDS.grace);
    expect((await grace.call('POST', '/portal/api/integrations', { name: 'By a member' })).status).toBe(403);
    expect((await grace.call('POST', '/portal/api/sandbox/reset')).status).toBe(403);
    expect((await grace.call('GET', '/portal/api/requests')).status).toBe(403);
    expect((await grace.call('GET', '/portal/api/pages')).status).toBe(200);
  });

  it('exports the state as a valid seed that starts the same workspace again', async () => {
    const { body } = await ada.call<PortalExportResult>('GET', '/portal/api/sandbox/export');
    expect(body.file_name).toMatch(/^notion-local-acme-\d{4}-\d{2}-\d{2}\.json$/);
    expect(() => validateSeed(body.seed)).not.toThrow();
    expect(body.notes.join(' ')).toMatch(/Tokens are stored only as SHA-256 hashes/);
    const ws = (body.seed as any).workspaces[0];
    expect(ws.integrations.map((i: { name: string }) => i.name)).toContain('Portal Bot');
    const root = ws.pages.find((p: { id: string }) => p.id === IDS.sharedRoot);
    expect(root.shared_with).toEqual(['Full', 'ReadOnly', 'InsertOnly', 'NoEmail', 'Commenter', 'Logged Bot']);
    expect(root.children[0]).toMatchObject({ id: IDS.child, title: 'Child', children: [{ id: IDS.grandchild }] });
    expect(root.blocks[1]).toMatchObject({ to_do: { checked: false, rich_text: [{ plain_text: 'A task' }] } });
  });

  it('resets the workspace to its seed and keeps the signed-in session', async () => {
    expect((await ada.call('POST', '/portal/api/sandbox/reset')).status).toBe(200);
    const names = (await ada.call<PortalIntegration[]>('GET', '/portal/api/integrations')).body.map((i) => i.name);
    expect(names).toEqual(['Full', 'ReadOnly', 'InsertOnly', 'NoEmail', 'Commenter', 'Unshared']);
    expect((await ada.call<PortalTreeNode[]>('GET', '/portal/api/pages')).body.map((p) => p.title)).not.toContain(
      'Launch plan v2',
    );
    expect((await t.raw(`/v1/pages/${IDS.sharedRoot}`, { token: TOKENS.full })).status).toBe(200);
  });

  it('signed out: no portal endpoint or page reveals workspace data, and nothing changes', async () => {
    const signedOut = new PortalVisitor(t.baseUrl);
    const reads = [
      '/session',
      '/integrations',
      `/integrations/${IDS.full}`,
      '/pages',
      `/pages/${IDS.sharedRoot}`,
      `/pages/${IDS.sharedRoot}/connections`,
      '/sandbox/export',
    ];
    const writes: [string, string][] = [
      ['POST', '/integrations'],
      ['PATCH', `/integrations/${IDS.full}`],
      ['POST', `/integrations/${IDS.full}/token`],
      ['DELETE', `/integrations/${IDS.full}`],
      ['POST', '/pages'],
      ['PATCH', `/pages/${IDS.sharedRoot}`],
      ['PUT', `/pages/${IDS.privatePage}/connections/${IDS.full}`],
      ['DELETE', `/pages/${IDS.sharedRoot}/connections/${IDS.full}`],
      ['POST', '/sandbox/reset'],
      ['PUT', `/integrations/${IDS.full}/rate_limit`],
      ['POST', '/faults'],
      ['DELETE', '/faults/fault_1'],
    ];
    const secrets = ['Acme', 'Ada', 'ada@example.com', 'Shared Root', 'Full', IDS.acme];
    const forged = new PortalVisitor(t.baseUrl);
    forged.cookie = 'nl_session=not-a-session';
    for (const who of [signedOut, forged]) {
      for (const path of reads) {
        const res = await who.call('GET', `/portal/api${path}`);
        expect(res.status, path).toBe(401);
        for (const s of secrets) expect(JSON.stringify(res.body), path).not.toContain(s);
      }
      for (const [method, path] of writes) {
        const res = await who.call(
          method,
          `/portal/api${path}`,
          { name: 'x', title: 'x' },
          { 'x-csrf-token': 'guess' },
        );
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    }
    for (const path of ['/', '/integrations', `/pages/${IDS.sharedRoot}`, '/sandbox', '/sign-in']) {
      const res = await signedOut.call('GET', path);
      for (const s of secrets) expect(String(res.body), path).not.toContain(s);
    }
    expect((await t.raw(`/v1/pages/${IDS.privatePage}`, { token: TOKENS.full })).status).toBe(404);
    expect((await t.raw(`/v1/pages/${IDS.sharedRoot}`, { token: TOKENS.full })).status).toBe(200);
  });

  it('signs out: the session cookie is cleared and the old session id no longer works', async () => {
    const v = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORDS.ada);
    const out = await v.call('DELETE', '/portal/api/session');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^nl_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
    expect((await v.call('GET', '/portal/api/integrations')).status).toBe(401);
  });

  it('serves the built portal with a strict policy, long-cached hashed assets and an SPA fallback', async () => {
    const index = await fetch(`${t.baseUrl}/integrations/whatever`, { headers: { 'accept-encoding': 'gzip' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, 'the portal must be built (npm run build)').toBeDefined();
    const js = await fetch(`${t.baseUrl}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${t.baseUrl}/nope.js`)).status).toBe(404);
    const api = await t.raw('/v1x', {});
    expect(api.body).toMatchObject({ object: 'error', code: 'invalid_request_url' });
    expect((await new PortalVisitor(t.baseUrl).call('GET', '/portal/api/nothing-here')).status).toBe(404);
  });
});
