// Takes the screenshots in docs/screenshots/ of the portal's main screens, on the demo workspace in
// memory. Run after `npm run build`: node packages/portal/scripts/screenshots.mjs
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startPlatform, demoSeed } from '@notion-local/server';
import { chromiumMissing, launchChromium } from './chromium.mjs';

const OUT = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const missing = chromiumMissing();
if (missing) {
  console.log(missing);
  process.exit(0);
}
await mkdir(OUT, { recursive: true });
const platform = await startPlatform({
  store: { kind: 'memory' },
  port: 0,
  seed: demoSeed(),
  config: { rateLimit: { enabled: false } },
});
const token = platform.issuedTokens[0]?.token;
const notion = (path, method, body) =>
  fetch(`${platform.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'notion-version': '2022-06-28', 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  }).then((r) => r.json());
const t = (content, extra = {}) => ({ rich_text: [{ text: { content }, ...extra }] });
// A richer page for the block renderer, made through the API as an integration would.
const root = (await notion('/search', 'POST', { query: 'Getting Started' })).results[0];
await notion('/pages', 'POST', {
  parent: { page_id: root.id },
  icon: { emoji: '🧭' },
  properties: { title: [{ text: { content: 'Design notes' } }] },
  children: [
    { heading_2: t('How sharing works') },
    {
      paragraph: {
        rich_text: [
          { text: { content: 'An integration sees a page when the page ' } },
          { text: { content: 'or one of its ancestors' }, annotations: { bold: true } },
          { text: { content: ' is shared with it.' } },
        ],
      },
    },
    { numbered_list_item: t('Share the top page') },
    { numbered_list_item: t('Every page below inherits access') },
    { quote: t('Unshared pages answer 404, never 403.') },
    {
      image: {
        external: { url: `${platform.url}/favicon.svg` },
        caption: [{ text: { content: 'Images render by URL' } }],
      },
    },
    {
      table: {
        table_width: 2,
        has_column_header: true,
        children: [
          { table_row: { cells: [[{ text: { content: 'Status' } }], [{ text: { content: 'Meaning' } }]] } },
          {
            table_row: { cells: [[{ text: { content: '401' } }], [{ text: { content: 'unknown or revoked token' } }]] },
          },
          { table_row: { cells: [[{ text: { content: '404' } }], [{ text: { content: 'missing or not shared' } }]] } },
        ],
      },
    },
  ],
});

const browser = await launchChromium({ viewport: { width: 1280, height: 820 } });
const page = await browser.context.newPage();
const shot = async (name) => {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
};
try {
  await page.goto(`${platform.url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot('sign-in');
  await page.goto(platform.signInUrl);
  await page.getByRole('heading', { name: 'Getting started' }).waitFor();
  await shot('getting-started');
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  await shot('integrations');
  await page.getByRole('link', { name: 'New integration' }).click();
  await page.getByLabel('Name').fill('Importer');
  await page.getByLabel('Update content').uncheck();
  await shot('integration-new');
  await page.getByRole('button', { name: 'Create integration' }).click();
  await page.getByTestId('secret-value').waitFor();
  await shot('integration-secret');
  await page.getByRole('link', { name: 'Getting Started', exact: true }).click();
  await page.getByRole('button', { name: 'Expand Getting Started' }).click();
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Design notes' }).click();
  await page.getByRole('heading', { name: 'How sharing works' }).waitFor();
  await page.getByRole('button', { name: /^Connections/ }).click();
  await page.getByRole('dialog').getByText('Add connections').waitFor();
  await shot('page-connections');
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'Sandbox' }).click();
  await page.getByRole('button', { name: 'Export seed file' }).click();
  await page.getByText('Downloaded').waitFor();
  await shot('sandbox');
  // Some traffic for the request log: reads, a 404 for the unshared page, a validation error.
  const privateNotes = (await notion('/search', 'POST', { query: 'Private' })).results.length;
  for (let i = 0; i < 6; i++) await notion('/users/me', 'GET');
  await notion(`/blocks/${root.id}/children`, 'GET');
  const hidden = await platform.store.query("SELECT id FROM blocks WHERE title = 'Private Notes'");
  await notion(`/pages/${hidden[0].id}`, 'GET');
  await notion('/pages', 'POST', { parent: { page_id: root.id }, properties: { title: 'not rich text' } });
  void privateNotes;
  await page.getByRole('link', { name: 'Monitoring' }).click();
  const log = page.getByRole('region', { name: 'Request log' });
  await log.getByRole('button', { name: new RegExp(`GET /v1/pages/${hidden[0].id}`) }).click();
  await log.getByText('Why 404').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${OUT}monitoring.png`, fullPage: true });
  console.log('docs/screenshots/monitoring.png');
} finally {
  await browser.close();
  await platform.close();
}
