// The developer portal in a real headless Chromium (Debian's, driven by playwright-core), as an
// integration author uses it: sign in with the printed link, create an integration, copy its secret,
// share a page through Connections, then check with the official SDK what that token can reach.
import { APIResponseError } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../packages/portal/scripts/chromium.mjs';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const missing = chromiumMissing();
if (missing) console.warn(`portal-browser.test.ts: ${missing}`);

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof APIResponseError) return error.status;
    throw error;
  }
}

describe.skipIf(missing !== null)('portal in Chromium', () => {
  let t: TestPlatform;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let token = '';
  let integrationUrl = '';

  const sidebar = () => page.getByRole('navigation', { name: 'Portal' });
  const openPage = async (title: string) => {
    await page.goto(
      `${t.baseUrl}/pages/${title === 'Shared Root' ? IDS.sharedRoot : title === 'Child' ? IDS.child : IDS.privatePage}`,
    );
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  };
  const connections = async () => {
    await page.getByRole('button', { name: /^Connections/ }).click();
    const menu = page.getByRole('dialog', { name: /^Connections of/ });
    await menu.getByText('Add connections').waitFor();
    return menu;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows only the sign-in screen before sign-in, even on a page URL', async () => {
    await page.goto(`${t.baseUrl}/pages/${IDS.sharedRoot}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const text = await page.locator('body').innerText();
    for (const secret of ['Acme', 'Shared Root', 'Ada Lovelace']) expect(text).not.toContain(secret);
  });

  it('signs in with the one-time link printed by serve', async () => {
    await page.goto(t.platform.signInUrl!);
    await page.getByRole('heading', { name: 'Getting started' }).waitFor();
    await expect(sidebar().getByText('Acme', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(sidebar().getByText('Ada Lovelace').isVisible()).resolves.toBe(true);
    const cookies = await browser.context.cookies(t.baseUrl);
    expect(cookies.find((c) => c.name === 'nl_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('creates an integration with read + insert content and copies its secret', async () => {
    await sidebar().getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: 'New integration' }).click();
    await page.getByLabel('Name').fill('Browser Bot');
    await page.getByLabel('Update content').uncheck();
    await expect(page.getByLabel('Read content').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Insert content').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Create integration' }).click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    token = await secret.inputValue();
    expect(token).toMatch(/^ntn_[0-9A-Za-z]{43}$/);
    await page.getByText('stores only a SHA-256 hash').waitFor();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('button', { name: 'Copied ✓' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
    integrationUrl = page.url();
    const me = await t.client(token).users.me({});
    expect(me).toMatchObject({ type: 'bot', name: 'Browser Bot' });
  });

  it('shares a page through Connections: the SDK reads it and its child (200), an unshared page is 404', async () => {
    const notion = t.client(token);
    expect(await status(notion.pages.retrieve({ page_id: IDS.sharedRoot }))).toBe(404);
    await sidebar().getByRole('link', { name: 'Shared Root' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared Root' }).waitFor();
    await page.getByText('First paragraph').waitFor();
    const menu = await connections();
    await menu.getByRole('button', { name: 'Connect Browser Bot' }).click();
    await menu.getByRole('button', { name: 'Remove Browser Bot' }).waitFor();
    expect(await status(notion.pages.retrieve({ page_id: IDS.sharedRoot }))).toBe(200);
    expect(await status(notion.blocks.children.list({ block_id: IDS.sharedRoot }))).toBe(200);
    expect(await status(notion.pages.retrieve({ page_id: IDS.child }))).toBe(200);
    expect(await status(notion.pages.retrieve({ page_id: IDS.privatePage }))).toBe(404);
    // Capability enforcement matches the form: no update_content → 403 on update.
    expect(await status(notion.pages.update({ page_id: IDS.sharedRoot, archived: false }))).toBe(403);
    await page.keyboard.press('Escape');
    await openPage('Child');
    const childMenu = await connections();
    const row = childMenu.getByRole('listitem').filter({ hasText: 'Browser Bot' });
    await row.getByText('from').waitFor();
    await expect(row.getByRole('link', { name: 'Shared Root' }).isVisible()).resolves.toBe(true);
    await expect(row.getByRole('button', { name: /Remove/ }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });

  it('unshares the page: the SDK gets 404 again, for the child too', async () => {
    await openPage('Shared Root');
    const menu = await connections();
    await menu.getByRole('button', { name: 'Remove Browser Bot' }).click();
    await menu.getByRole('button', { name: 'Connect Browser Bot' }).waitFor();
    const notion = t.client(token);
    expect(await status(notion.pages.retrieve({ page_id: IDS.sharedRoot }))).toBe(404);
    expect(await status(notion.pages.retrieve({ page_id: IDS.child }))).toBe(404);
    await page.keyboard.press('Escape');
  });

  it('refreshes the secret: the old token gets 401, the new one works', async () => {
    await page.goto(integrationUrl);
    await page.getByRole('button', { name: 'Refresh secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refresh the secret?' });
    await dialog.getByText('401 unauthorized').waitFor();
    await dialog.getByRole('button', { name: 'Refresh secret' }).click();
    await page.getByText('A new secret was issued').waitFor();
    const fresh = await page.getByTestId('secret-value').inputValue();
    expect(fresh).not.toBe(token);
    await expect(t.client(token).users.me({})).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await t.client(fresh).users.me({})).toMatchObject({ name: 'Browser Bot' });
    token = fresh;
  });

  it('creates a top-level page and renames it from the keyboard', async () => {
    await sidebar().getByRole('button', { name: 'New top-level page' }).click();
    await page.keyboard.type('Keyboard page');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard page' }).waitFor();
    await page.getByRole('button', { name: 'Rename page' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Page title').fill('Renamed by keyboard');
    await page.keyboard.press('Enter');
    await sidebar().getByRole('link', { name: 'Renamed by keyboard' }).waitFor();
    const id = page.url().split('/pages/')[1]!;
    const tree = await t.platform.store.query<{ title: string; parent_type: string }>(
      'SELECT title, parent_type FROM blocks WHERE id = $1',
      [id],
    );
    expect(tree[0]).toEqual({ title: 'Renamed by keyboard', parent_type: 'workspace' });
  });

  it('the request log shows those calls, with why a page answered 404', async () => {
    await sidebar().getByRole('link', { name: 'Monitoring' }).click();
    const log = page.getByRole('region', { name: 'Request log' });
    await log.getByLabel('Integration').selectOption({ label: 'Browser Bot' });
    await log.getByLabel('Status').fill('404');
    await log.getByRole('button', { name: 'Filter', exact: true }).click();
    await log.getByRole('button', { name: new RegExp(`GET /v1/pages/${IDS.privatePage}`) }).click();
    await log.getByText(/exists, but is not shared with "Browser Bot"/).waitFor();
    await log.getByText('"code": "object_not_found"').waitFor();
    await log.getByLabel('Status').fill('');
    await log.getByRole('button', { name: 'Filter', exact: true }).click();
    await log.getByRole('button', { name: 'GET /v1/users/me' }).first().waitFor();
    const statuses = await log.locator('.status').allInnerTexts();
    // 401 is the refreshed token's call: the log files it under the integration it belonged to.
    expect(new Set(statuses)).toEqual(new Set(['200', '401', '403', '404']));
    expect(new Set(await log.locator('tbody tr td:nth-child(2)').allInnerTexts())).toEqual(new Set(['Browser Bot']));
  });

  it('signs out: the portal and its JSON API reveal nothing, the old session is dead', async () => {
    const sessionCookie = (await browser.context.cookies(t.baseUrl)).find((c) => c.name === 'nl_session')!;
    await sidebar().getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    expect((await browser.context.cookies(t.baseUrl)).find((c) => c.name === 'nl_session')).toBeUndefined();
    for (const path of ['/', '/integrations', `/pages/${IDS.sharedRoot}`, '/sandbox']) {
      await page.goto(`${t.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      const text = await page.locator('body').innerText();
      for (const secret of ['Acme', 'Shared Root', 'Browser Bot', 'Ada Lovelace'])
        expect(text, path).not.toContain(secret);
    }
    const answers = await page.evaluate(async () => {
      const paths = [
        '/session',
        '/integrations',
        '/pages',
        '/pages/0a000000-0000-4000-8000-0000000000c1',
        '/sandbox/export',
      ];
      return Promise.all(
        paths.map(async (p) => ({
          p,
          status: (await fetch(`/portal/api${p}`)).status,
          body: await (await fetch(`/portal/api${p}`)).text(),
        })),
      );
    });
    for (const a of answers) {
      expect(a.status, a.p).toBe(401);
      expect(a.body, a.p).not.toMatch(/Acme|Shared Root|Browser Bot/);
    }
    const replayed = await fetch(`${t.baseUrl}/portal/api/integrations`, {
      headers: { cookie: `nl_session=${sessionCookie.value}` },
    });
    expect(replayed.status).toBe(401);
    // The API itself is unaffected by the portal session: tokens keep working.
    expect(await status(t.client(TOKENS.full).pages.retrieve({ page_id: IDS.sharedRoot }))).toBe(200);
  });
});
