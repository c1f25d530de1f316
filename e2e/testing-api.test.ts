// notion-local/testing (docs/testing.md): startNotionLocal in this process on each store, a fresh isolated
// workspace per test from a seed (its own integrations and tokens), resets, the request log and fault rules
// per workspace, the caller's SDK (v4 found from the working directory, v5 given), a second handle on the same
// server through the admin API as a test worker would use it, and the admin route those go through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIResponseError, type Client } from '@notionhq/client';
import { Client as ClientV5 } from 'notion-client-v5';
import { startNotionLocal, NotionLocalAdminError, type NotionLocal } from 'notion-local/testing';
import { dropPostgresSchema, type StoreOptions } from '@notion-local/server';
import { newSchemaName, POSTGRES_URL, storeKinds } from './support/test-platform.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = (content: string) => ({ rich_text: [{ text: { content } }] });
const notFound = (id: string) =>
  `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;

/** One workspace as a test would write it: an integration, a shared page with a child, a page not shared. */
const SEED = {
  name: 'Test workspace',
  users: [{ name: 'Ada', email: 'ada@example.com' }],
  integrations: [{ name: 'Bot' }, { name: 'Reader', capabilities: ['read_content'] }],
  pages: [
    {
      title: 'Home',
      shared_with: ['Bot', 'Reader'],
      blocks: [{ paragraph: text('hello') }],
      children: [{ title: 'Child' }],
    },
    { title: 'Secret' },
  ],
};

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIResponseError || error instanceof NotionLocalAdminError)
      return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe.each(storeKinds())('notion-local/testing (%s)', (kind) => {
  let nl: NotionLocal;
  let schema: string | null = null;

  beforeAll(async () => {
    schema = kind === 'postgres' ? newSchemaName() : null;
    const store: StoreOptions = schema ? { kind: 'postgres', url: POSTGRES_URL, schema } : { kind: 'memory' };
    nl = await startNotionLocal({ store });
  });
  afterAll(async () => {
    await nl?.close();
    if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
  });

  it('starts in this process with the demo workspace: its tokens and page ids by name', async () => {
    expect(nl.inProcess).toBe(true);
    expect(nl.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(nl.tokens)).toEqual(['Demo Integration', 'Read-only Reporter']);
    expect(Object.keys(nl.ids)).toEqual(['Getting Started', 'Roadmap', 'Private Notes']);
    const notion = nl.client<Client>();
    expect(await notion.users.me({})).toMatchObject({ object: 'user', type: 'bot', name: 'Demo Integration' });
    const page = await notion.pages.retrieve({ page_id: nl.ids['Getting Started']! });
    expect(page.id).toBe(nl.ids['Getting Started']);
    expect(await errorOf(notion.pages.retrieve({ page_id: nl.ids['Private Notes']! }))).toEqual({
      status: 404,
      code: 'object_not_found',
      message: notFound(nl.ids['Private Notes']!),
    });
  });

  it('makes a fresh workspace per call from one seed: own ids and tokens, nothing seen across', async () => {
    const [a, b] = await Promise.all([nl.workspace(SEED), nl.workspace(SEED)]);
    expect(a.id).toMatch(UUID);
    expect(a.id).not.toBe(b.id);
    expect(Object.keys(a.tokens)).toEqual(['Bot', 'Reader']);
    expect(a.tokens.Bot).toMatch(/^ntn_/);
    expect(a.tokens.Bot).not.toBe(b.tokens.Bot);
    expect(Object.keys(a.ids)).toEqual(['Home', 'Child', 'Secret']);
    expect(a.ids.Home).not.toBe(b.ids.Home);
    expect(Object.keys(a.users)).toEqual(['Ada']);
    const botA = nl.client<Client>({ auth: a.tokens.Bot });
    expect(await botA.users.me({})).toMatchObject({ id: a.integrations.Bot, name: 'Bot' });
    expect(await errorOf(botA.pages.retrieve({ page_id: b.ids.Home! }))).toEqual({
      status: 404,
      code: 'object_not_found',
      message: notFound(b.ids.Home!),
    });
    const found = await botA.search({ query: 'Home' });
    expect(found.results.map((r) => r.id)).toEqual([a.ids.Home]);
    const children = await botA.blocks.children.list({ block_id: a.ids.Home! });
    expect(children.results.map((block) => ('type' in block ? block.type : null))).toEqual(['paragraph', 'child_page']);
  });

  it('finds the integration by name for client(), and says which names it knows', async () => {
    const reader = nl.client<Client>({ integration: 'Read-only Reporter' });
    expect((await reader.users.me({})).name).toBe('Read-only Reporter');
    expect(() => nl.client({ integration: 'Nobody' })).toThrow(
      'notion-local/testing: no integration named "Nobody" (known: Demo Integration, Read-only Reporter)',
    );
  });

  it('gives the caller SDK v5 when it passes its Client', async () => {
    const ws = await nl.workspace(SEED);
    const notion = nl.client<ClientV5>({ Client: ClientV5, auth: ws.tokens.Bot });
    const page = await notion.pages.retrieve({ page_id: ws.ids.Child! });
    expect(page).toMatchObject({ object: 'page', id: ws.ids.Child });
  });

  it('resets its workspaces to their seed: same ids and tokens, later writes gone', async () => {
    const ws = await nl.workspace(SEED);
    const bot = nl.client<Client>({ auth: ws.tokens.Bot });
    const extra = await bot.pages.create({
      parent: { page_id: ws.ids.Home! },
      properties: { title: { title: [{ text: { content: 'Scratch' } }] } },
    });
    await nl.reset();
    expect(await errorOf(bot.pages.retrieve({ page_id: extra.id }))).toEqual({
      status: 404,
      code: 'object_not_found',
      message: notFound(extra.id),
    });
    const children = await bot.blocks.children.list({ block_id: ws.ids.Home! });
    expect(children.results.map((block) => block.id)).toEqual([expect.any(String), ws.ids.Child]);
  });

  it('lists the request log of one workspace, newest first', async () => {
    const [a, b] = await Promise.all([nl.workspace(SEED), nl.workspace(SEED)]);
    await nl.client<Client>({ auth: a.tokens.Bot }).users.me({});
    await nl.client<Client>({ auth: a.tokens.Reader }).pages.retrieve({ page_id: a.ids.Home! });
    await nl.client<Client>({ auth: b.tokens.Bot }).users.me({});
    const logged = await nl.requests({ workspace_id: a.id });
    expect(logged.map((r) => [r.method, r.route, r.status, r.integration_id])).toEqual([
      ['GET', '/v1/pages/:page_id', 200, a.integrations.Reader],
      ['GET', '/v1/users/me', 200, a.integrations.Bot],
    ]);
    expect(await nl.requests({ workspace_id: b.id, limit: 1 })).toHaveLength(1);
  });

  it('adds fault rules for one workspace and clears only its own', async () => {
    const [a, b] = await Promise.all([nl.workspace(SEED), nl.workspace(SEED)]);
    const rule = await nl.faults.add({
      integration: 'Bot',
      workspace_id: a.id,
      route: 'GET /v1/users/me',
      status: 503,
    });
    expect(rule).toMatchObject({ integration: a.integrations.Bot, status: 503, workspace_id: a.id });
    const botA = nl.client<Client>({ auth: a.tokens.Bot, logLevel: 'error' as never });
    expect((await errorOf(botA.users.me({}))).status).toBe(503);
    expect((await nl.client<Client>({ auth: b.tokens.Bot }).users.me({})).name).toBe('Bot');
    const other = await startNotionLocal({ url: nl.baseUrl, adminToken: nl.adminToken, seed: null });
    const kept = await other.faults.add({ integration: b.integrations.Bot!, route: 'GET /v1/users/me', status: 500 });
    await nl.faults.clear();
    expect((await botA.users.me({})).name).toBe('Bot');
    const left = await fetch(`${nl.baseUrl}/__admin/faults`, { headers: { authorization: `Bearer ${nl.adminToken}` } });
    expect(((await left.json()) as { rules: { id: string }[] }).rules.map((r) => r.id)).toEqual([kept.id]);
    await other.faults.clear();
  });

  it('shares the server with a handle made from its URL and admin token, which close() leaves running', async () => {
    const worker = await startNotionLocal({ url: nl.baseUrl, adminToken: nl.adminToken, seed: { workspaces: [SEED] } });
    expect(worker.inProcess).toBe(false);
    expect(worker.env).toEqual({ NOTION_LOCAL_URL: nl.baseUrl, NOTION_LOCAL_ADMIN_TOKEN: nl.adminToken });
    expect(Object.keys(worker.tokens)).toEqual(['Bot', 'Reader']);
    expect((await worker.client<Client>().users.me({})).name).toBe('Bot');
    await worker.close();
    expect((await nl.client<Client>().users.me({})).name).toBe('Demo Integration');
    await expect(startNotionLocal({ url: nl.baseUrl, adminToken: 'wrong', seed: null })).resolves.toMatchObject({
      inProcess: false,
    });
    await expect(startNotionLocal({ url: nl.baseUrl, adminToken: 'wrong' })).rejects.toThrow(
      'notion-local admin API: 401 unauthorized: API token is invalid.',
    );
  });

  it('receives the webhooks of a workspace’s integration, verified, and only that workspace’s', async () => {
    const [a, b] = await Promise.all([nl.workspace(SEED), nl.workspace(SEED)]);
    await nl.webhooks.listen({ integration: a.integrations.Bot!, event_types: ['page.created'] });
    const bot = nl.client<Client>({ auth: a.tokens.Bot });
    const other = nl.client<Client>({ auth: b.tokens.Bot });
    const title = (content: string) => ({ title: { title: [{ text: { content } }] } });
    await other.pages.create({ parent: { page_id: b.ids.Home! }, properties: title('Elsewhere') });
    const page = await bot.pages.create({ parent: { page_id: a.ids.Home! }, properties: title('Hooked') });
    const event = await nl.webhooks.waitFor({ type: 'page.created', entity_id: page.id });
    expect(event).toMatchObject({ workspace_id: a.id, integration_id: a.integrations.Bot, attempt_number: 1 });
    expect(event.data).toEqual({ parent: { id: a.ids.Home, type: 'page' } });
    expect(nl.webhooks.received({ workspace_id: b.id })).toEqual([]);
    expect(nl.webhooks.unverified).toBe(0);
  });

  it('refuses a seed the seed loader refuses, with its path; and ids or tokens already used', async () => {
    expect(await errorOf(nl.workspace({ name: 'W', pages: [{ title: 'P', shared_with: ['Nobody'] }] }))).toEqual({
      status: 400,
      code: 'validation_error',
      message:
        'notion-local admin API: 400 validation_error: seed failed validation: body.pages[0].shared_with[0] "Nobody" is not an integration of this workspace.',
    });
    const fixed = { name: 'Fixed', integrations: [{ name: 'Bot', token: `ntn_fixed_${kind}_0123456789abcdef` }] };
    await nl.workspace(fixed);
    expect(await errorOf(nl.workspace(fixed))).toEqual({
      status: 400,
      code: 'validation_error',
      message:
        'notion-local admin API: 400 validation_error: body failed validation: an id or token of this workspace is already used in the store; leave ids and tokens out to have them generated.',
    });
  });

  it('makes a workspace in milliseconds, and many at once without mixing them', async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await nl.workspace(SEED);
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    const p50 = times[10]!;
    console.log(`[testing] ${kind}: workspace(seed) p50 ${p50.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
    expect(p50).toBeLessThan(250);
    const many = await Promise.all(Array.from({ length: 8 }, () => nl.workspace(SEED)));
    const seen = await Promise.all(
      many.map(async (ws) => (await nl.client<Client>({ auth: ws.tokens.Bot }).search({})).results.map((r) => r.id)),
    );
    seen.forEach((ids, i) => expect(ids.sort()).toEqual([many[i]!.ids.Home, many[i]!.ids.Child].sort()));
  });
});

describe('the admin route behind workspace()', () => {
  let nl: NotionLocal;
  beforeAll(async () => {
    nl = await startNotionLocal({ seed: null });
  });
  afterAll(() => nl?.close());

  it('answers 401 without the admin token, and the made workspace with its duration', async () => {
    const post = (token: string) =>
      fetch(`${nl.baseUrl}/__admin/workspaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(SEED),
      });
    const refused = await post('nope');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ object: 'error', code: 'unauthorized' });
    const made = await post(nl.adminToken);
    expect(made.status).toBe(200);
    expect(await made.json()).toEqual({
      object: 'workspace',
      id: expect.stringMatching(UUID),
      name: 'Test workspace',
      tokens: { Bot: expect.stringMatching(/^ntn_/), Reader: expect.stringMatching(/^ntn_/) },
      integrations: { Bot: expect.stringMatching(UUID), Reader: expect.stringMatching(UUID) },
      users: { Ada: expect.stringMatching(UUID) },
      ids: {
        Home: expect.stringMatching(UUID),
        Child: expect.stringMatching(UUID),
        Secret: expect.stringMatching(UUID),
      },
      duration_ms: expect.any(Number),
    });
  });

  it('starts empty with seed: null', () => {
    expect(nl.tokens).toEqual({});
    expect(() => nl.client()).toThrow(
      'notion-local/testing: no integration token: give { auth } or seed a workspace with an integration',
    );
  });
});
