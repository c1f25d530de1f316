// A database in the portal, in a real headless Chromium (Debian's, driven by playwright-core): a database
// with two data sources (the second made with POST /v1/data_sources under Notion-Version 2025-09-03) shows
// both, each with its own id apart from the database's and a copy button that says which id it copies, and
// its rows, a page at a time; a row opens as a page with its values and its data source and database ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../packages/portal/scripts/chromium.mjs';
import { IDS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const missing = chromiumMissing();
if (missing) console.warn(`portal-databases-browser.test.ts: ${missing}`);

const text = (content: string) => [{ type: 'text', text: { content } }];

describe.skipIf(missing !== null)('portal in Chromium: a database with two data sources', () => {
  let t: TestPlatform;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let databaseId = '';
  let tasksId = '';
  let archiveId = '';
  let rowId = '';

  const api = async (path: string, body: unknown) => {
    const res = await t.raw(path, { method: 'POST', body, version: '2025-09-03' });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestPlatform();
    const db = await api('/v1/databases', {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text('Roadmap'),
      initial_data_source: {
        properties: { Name: { title: {} }, Stage: { select: { options: [{ name: 'Next' }] } } },
      },
    });
    databaseId = db.id;
    tasksId = db.data_sources[0].id;
    archiveId = (
      await api('/v1/data_sources', {
        parent: { type: 'database_id', database_id: databaseId },
        title: text('Shipped'),
        properties: { Title: { title: {} } },
      })
    ).id;
    rowId = (
      await api('/v1/pages', {
        parent: { type: 'data_source_id', data_source_id: tasksId },
        properties: { Name: { title: text('Dark mode') }, Stage: { select: { name: 'Next' } } },
      })
    ).id;
    // 25 newer rows: the oldest, 'Dark mode', is on the second page of rows.
    for (let i = 1; i <= 25; i++)
      await api('/v1/pages', {
        parent: { type: 'data_source_id', data_source_id: tasksId },
        properties: { Name: { title: text(`Later idea ${i}`) } },
      });
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

  it('opens the database from its page: both data sources, their ids apart from the database id, a row', async () => {
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Shared Root' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shared Root' }).waitFor();
    await page.locator('.page-body').getByRole('link', { name: 'Roadmap' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roadmap' }).waitFor();
    const first = page.getByRole('region', { name: /Roadmap data source/ });
    const second = page.getByRole('region', { name: /Shipped data source/ });
    await first.waitFor();
    await second.waitFor();
    await expect(first.locator('code').first().innerText()).resolves.toBe(tasksId);
    await expect(second.locator('code').first().innerText()).resolves.toBe(archiveId);
    await page.getByText(databaseId, { exact: true }).waitFor();
    const rows = first.getByRole('table', { name: 'Rows of Roadmap' });
    await expect(rows.getByRole('columnheader').allTextContents()).resolves.toEqual(['Name', 'Stage']);
    await first.getByText('Showing 25 of 26 rows, newest first.').waitFor();
    await expect(rows.locator('tbody tr').count()).resolves.toBe(25);
    await first.getByRole('button', { name: 'Load more rows' }).click();
    await rows.getByRole('row', { name: /Dark mode\s+Next/ }).waitFor();
    await first.getByText('Showing 26 of 26 rows, newest first.').waitFor();
    await expect(first.getByRole('button', { name: 'Load more rows' }).count()).resolves.toBe(0);
    await second.getByText('No rows yet').waitFor();
    await second.getByRole('button', { name: 'Copy data source id' }).click();
    await second.getByRole('button', { name: 'Copied ✓' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(archiveId);
    await page.getByRole('button', { name: 'Copy database id' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(databaseId);
  });

  it('opens a row as a page: its values and the ids of its data source and database', async () => {
    await page.getByRole('link', { name: 'Dark mode' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dark mode' }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/pages/${rowId}`);
    const row = page.getByRole('region', { name: 'Database row' });
    await row.getByRole('row', { name: /Stage\s+select\s+Next/ }).waitFor();
    await row.getByText(tasksId, { exact: true }).waitFor();
    await row.getByText(databaseId, { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Rename page' }).count()).resolves.toBe(0);
    // The breadcrumb's data source opens its database.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Roadmap' }).last().click();
    await page.getByRole('region', { name: /Shipped data source/ }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/pages/${tasksId}`);
  });
});
