// The OAuth flow of a public integration in a real headless Chromium, as a person installing an app goes through
// it: the app's authorization URL → the portal's sign-in → the consent screen (the app's name, what it may do, a
// page picker) → Allow → back to the app's redirect URI (a local receiver) with a code and the state → the app
// exchanges the code with SDK v5 and its token reaches exactly the page picked. Cancel goes back with
// error=access_denied.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../packages/portal/scripts/chromium.mjs';
import { IDS, testSeed } from './support/fixtures.js';
import { failure, v5Client } from './support/sdk-v5.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const missing = chromiumMissing();
if (missing) console.warn(`oauth-browser.test.ts: ${missing}`);

const CLIENT_ID = '0a000000-0000-4000-8000-0000000000e2';
const CLIENT_SECRET = 'secret_oauthbrowser00000000000000000000000000001';
const PASSWORD = 'grace-password-1';

/** The app's side: a local HTTP server that records each request's URL and answers a small page. */
class Receiver {
  private constructor(
    private readonly server: Server,
    readonly base: string,
    readonly urls: URL[],
  ) {}
  static async start(): Promise<Receiver> {
    const urls: URL[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (url.pathname !== '/favicon.ico') urls.push(url);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Back in the app</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, urls);
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe.skipIf(missing !== null)('OAuth consent in Chromium', () => {
  let t: TestPlatform;
  let receiver: Receiver;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let redirect = '';

  const authorizeUrl = (state: string) =>
    `${t.baseUrl}/v1/oauth/authorize?${new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      owner: 'user',
      redirect_uri: redirect,
      state,
    }).toString()}`;

  beforeAll(async () => {
    receiver = await Receiver.start();
    redirect = `${receiver.base}/callback`;
    const s = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, any>[] };
    const acme = s.workspaces[0]!;
    Object.assign(acme.users[1], { password: PASSWORD });
    acme.integrations.push({
      name: 'Connector',
      type: 'public',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirect],
      capabilities: ['read_content', 'read_comments'],
    });
    t = await startTestPlatform('pglite', s);
    browser = await launchChromium();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  it('signs in, picks a page, allows, and the app’s token reaches exactly that page', async () => {
    await page.goto(authorizeUrl('state-1'));
    await page.getByText('Sign in to choose what the integration may access.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/oauth/consent');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Connector wants to access Acme' }).waitFor();
    const capabilities = page.getByRole('list', { name: 'Capabilities' });
    expect(await capabilities.innerText()).toContain('Read content');
    expect(await capabilities.innerText()).toContain('Read comments');
    expect(await capabilities.innerText()).not.toContain('Insert content');
    await page.getByRole('checkbox', { name: /Private/ }).check();
    await page.getByRole('button', { name: 'Allow access' }).click();
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();

    const back = receiver.urls.at(-1)!;
    expect(back.pathname).toBe('/callback');
    expect(back.searchParams.get('state')).toBe('state-1');
    const code = back.searchParams.get('code')!;
    const token = await v5Client(t.baseUrl, 'unused').oauth.token({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
    });
    expect(token).toMatchObject({ workspace_id: IDS.acme, owner: { type: 'user', user: { id: IDS.grace } } });
    const api = v5Client(t.baseUrl, token.access_token);
    expect((await api.search({})).results.map((r) => r.id)).toEqual([IDS.privatePage]);
    expect(((await api.pages.retrieve({ page_id: IDS.privatePage })) as { id: string }).id).toBe(IDS.privatePage);
    expect((await failure(api.pages.retrieve({ page_id: IDS.sharedRoot }))).status).toBe(404);
  });

  it('goes straight to the consent screen once signed in; Cancel returns access_denied', async () => {
    await page.goto(authorizeUrl('state-2'));
    await page.getByRole('heading', { name: 'Connector wants to access Acme' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    const back = receiver.urls.at(-1)!;
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'state-2' });
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI', async () => {
    const count = receiver.urls.length;
    await page.goto(authorizeUrl('s').replace(encodeURIComponent(redirect), encodeURIComponent(`${redirect}/evil`)));
    await page.getByRole('heading', { name: 'This integration cannot be authorized' }).waitFor();
    expect(receiver.urls.length).toBe(count);
  });
});
