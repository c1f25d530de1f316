// The portal's webhook screens in a real headless Chromium: an owner adds a pending subscription to a local
// receiver, the handshake arrives there, the pasted token makes it Active; a change through the API shows up
// in the deliveries (refreshed while the panel is open) with status 200, its payload and the signature the
// receiver got; "Resend" sends it again (attempt 2); "Pause" stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../packages/portal/scripts/chromium.mjs';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const missing = chromiumMissing();
if (missing) console.warn(`portal-webhooks-browser.test.ts: ${missing}`);
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];

describe.skipIf(missing !== null)('portal webhooks in Chromium', () => {
  let t: TestPlatform;
  let receiver: WebhookReceiver;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let hook: Locator;
  let pageId = '';

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const config = {
      ...TEST_CONFIG,
      webhooks: { aggregationWindowMs: 50, retryDelaysMs: [20, 20, 20, 20, 20, 20, 20], deliveryTimeoutMs: 2000 },
    };
    t = await startTestPlatform('pglite', undefined, config);
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(t.platform.signInUrl!);
    await page.getByRole('heading', { name: 'Getting started' }).waitFor();
    hook = page.getByRole('article', { name: `Webhook ${receiver.url}/hook` });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  it('adds a pending subscription; the handshake reaches the local receiver', async () => {
    await page.goto(`${t.baseUrl}/integrations/${IDS.full}`);
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhook subscriptions').waitFor();
    await section.getByRole('button', { name: 'Add subscription' }).click();
    await section.getByLabel('Webhook URL').fill(`${receiver.url}/hook`);
    await expect(section.getByLabel('API version').inputValue()).resolves.toBe('2025-09-03');
    await section.getByLabel('All event types').uncheck();
    await section.getByLabel('page.created').check();
    await section.getByLabel('page.deleted').check();
    await section.getByRole('button', { name: 'Create subscription' }).click();
    await hook.getByText('Pending verification').waitFor();
    await hook.getByText('page.created, page.deleted').waitFor();
    await receiver.until((all) => all.some((r) => r.path === '/hook'));
    expect(receiver.at('/hook')[0]!.body).toEqual({ verification_token: expect.stringMatching(/^secret_/) });
  });

  it('resends the token, and the pasted token makes it Active', async () => {
    await hook.getByRole('button', { name: 'Resend token' }).click();
    await hook.getByText('A new request with the token was sent to your URL.').waitFor();
    await receiver.until((all) => all.filter((r) => r.path === '/hook').length === 2);
    await hook.getByLabel('Verification token').fill('secret_wrong');
    await hook.getByRole('button', { name: 'Verify' }).click();
    await hook.getByText('That is not the verification token sent to this subscription.').waitFor();
    await hook.getByLabel('Verification token').fill(receiver.at('/hook')[0]!.body.verification_token);
    await hook.getByRole('button', { name: 'Verify' }).click();
    await hook.getByText('Active', { exact: true }).waitFor();
    await expect(hook.getByLabel('Verification token').count()).resolves.toBe(0);
  });

  it('shows a change made through the API in the deliveries, with status 200, payload and signature', async () => {
    await hook.getByRole('button', { name: 'Show deliveries' }).click();
    const deliveries = hook.getByRole('region', { name: 'Deliveries' });
    await deliveries.getByRole('button', { name: 'verification' }).first().waitFor();
    const created = await t.client(TOKENS.full).pages.create({
      parent: { page_id: IDS.child },
      properties: { title: { title: rt('Seen in the portal') } },
    });
    pageId = created.id;
    const got = await receiver.next('/hook', 'page.created');
    // No reload: the open panel asks again every 2 s.
    const row = deliveries.getByRole('row').filter({ hasText: 'page.created' });
    await row.getByText('200', { exact: true }).waitFor({ timeout: 6000 });
    await row.getByText('Delivered').waitFor();
    await row.getByRole('button', { name: 'page.created' }).click();
    const signature = await deliveries.getByTestId('delivery-signature').innerText();
    expect(signature).toBe(got.headers['x-notion-signature']);
    const payload = JSON.parse(await deliveries.getByTestId('delivery-payload').innerText());
    expect(payload).toEqual(got.body);
    expect(payload).toMatchObject({ type: 'page.created', entity: { id: pageId }, attempt_number: 1 });
  });

  it('resends a delivery: the receiver gets it again as attempt 2', async () => {
    const since = receiver.received.length;
    const deliveries = hook.getByRole('region', { name: 'Deliveries' });
    await deliveries.getByRole('button', { name: 'Resend', exact: true }).click();
    const again = await receiver.next('/hook', 'page.created', since);
    expect(again.body).toMatchObject({ entity: { id: pageId }, attempt_number: 2 });
    await deliveries.getByText('#2 at').waitFor({ timeout: 6000 });
    await expect(deliveries.getByTestId('delivery-signature').innerText()).resolves.toBe(
      again.headers['x-notion-signature'],
    );
  });

  it('pauses the subscription: no more events until it is resumed', async () => {
    await hook.getByRole('button', { name: 'Pause' }).click();
    await hook.getByText('Paused', { exact: true }).waitFor();
    const since = receiver.received.length;
    await t.client(TOKENS.full).pages.update({ page_id: pageId, archived: true });
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received.slice(since)).toEqual([]);
    await hook.getByRole('button', { name: 'Resume' }).click();
    await hook.getByText('Active', { exact: true }).waitFor();
  });
});
