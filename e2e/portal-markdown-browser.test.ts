// A page's Markdown and a database's views in the portal, in a real headless Chromium (Debian's, driven by
// playwright-core): the Markdown tab of a page shows what GET /v1/pages/{id}/markdown answers, and its copy
// button copies exactly that; a database shows the views over each data source, with their type, their id
// (copyable) and what their filter and sorts say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../packages/portal/scripts/chromium.mjs';
import { IDS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const missing = chromiumMissing();
if (missing) console.warn(`portal-markdown-browser.test.ts: ${missing}`);

const text = (content: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: { content }, ...extra });

describe.skipIf(missing !== null)('portal in Chromium: a page as Markdown, a database’s views', () => {
  let t: TestPlatform;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let pageId = '';
  let databaseId = '';
  let viewId = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.raw(path, { method, body, version: '2025-09-03' });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    pageId = (
      await api('POST', '/v1/pages', {
        parent: { page_id: IDS.sharedRoot },
        properties: { title: { title: [text('Release notes')] } },
      })
    ).id;
    await api('PATCH', `/v1/blocks/${pageId}/children`, {
      children: [
        { heading_2: { rich_text: [text('Version 2')] } },
        { bulleted_list_item: { rich_text: [text('Faster '), text('search', { annotations: { bold: true } })] } },
        { to_do: { rich_text: [text('Ship it')], checked: false } },
      ],
    });
    const db = await api('POST', '/v1/databases', {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: [text('Bugs')],
      initial_data_source: {
        properties: { Name: { title: {} }, Severity: { number: {} } },
      },
    });
    databaseId = db.id;
    viewId = (
      await api('POST', '/v1/views', {
        database_id: databaseId,
        data_source_id: db.data_sources[0].id,
        name: 'Severe first',
        type: 'table',
        filter: { property: 'Severity', number: { greater_than: 2 } },
        sorts: [{ property: 'Severity', direction: 'descending' }],
      })
    ).id;
    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    page = await browser.context.newPage();
    await page.goto(t.platform.signInUrl!);
    await page.getByRole('heading', { name: 'Getting started' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens a page’s Markdown tab: the API’s Markdown, and a copy button that copies it', async () => {
    const expected = (await api('GET', `/v1/pages/${pageId}/markdown`)).markdown as string;
    expect(expected).toBe('## Version 2\n- Faster **search**\n- [ ] Ship it');
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Shared Root' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared Root' }).waitFor();
    await page.locator('.page-body').getByRole('link', { name: 'Release notes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Release notes' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Show the page as' });
    await expect(tabs.getByRole('tab', { name: 'Blocks' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('heading', { level: 3, name: 'Version 2' }).waitFor();
    await tabs.getByRole('tab', { name: 'Markdown' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Markdown' });
    const source = panel.getByLabel('Markdown source');
    await source.waitFor();
    await expect(source.innerText()).resolves.toBe(expected);
    await expect(page.getByRole('heading', { level: 3, name: 'Version 2' }).count()).resolves.toBe(0);
    await panel.getByRole('button', { name: 'Copy Markdown' }).click();
    await panel.getByRole('button', { name: 'Copied ✓' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(expected);
    await tabs.getByRole('tab', { name: 'Blocks' }).click();
    await page.getByRole('heading', { level: 3, name: 'Version 2' }).waitFor();
  });

  it('opens a database: each data source lists its views with type, id and filter and sorts', async () => {
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Shared Root' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared Root' }).waitFor();
    await page.locator('.page-body').getByRole('link', { name: 'Bugs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bugs' }).waitFor();
    await expect(page.getByRole('tablist').count()).resolves.toBe(0);
    const views = page.getByRole('region', { name: 'Views of Bugs' });
    await views.getByRole('heading', { name: '2 views' }).waitFor();
    const items = views.getByRole('listitem').filter({ has: page.locator('.view-head') });
    await expect(items.locator('.view-head strong').allTextContents()).resolves.toEqual([
      'Default view',
      'Severe first',
    ]);
    const severe = views.getByRole('listitem', { name: 'View Severe first' });
    await severe.getByText(viewId, { exact: true }).waitFor();
    await severe.getByText('table', { exact: true }).waitFor();
    await severe.getByText('Severity > 2', { exact: true }).waitFor();
    await severe.getByText('Severity descending', { exact: true }).waitFor();
    await views
      .getByRole('listitem', { name: 'View Default view' })
      .getByText('No filter, no sorts: every row, in the API’s default order.')
      .waitFor();
    await severe.getByRole('button', { name: 'Copy view id' }).click();
    await severe.getByRole('button', { name: 'Copied ✓' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(viewId);
  });
});
