// The portal's webhook API (/portal/api/integrations/:id/webhooks…), on every store: list with each API version's
// event types, create pending (the handshake reaches the URL, its token never reaches the portal) or active,
// verify with the pasted token, resend the handshake, pause/resume/edit/delete, and the deliveries — body and
// X-Notion-Signature exactly as the receiver got them, every attempt — with a resend. Signed-out calls are 401,
// writes without the CSRF token 403, a member's writes 403, and another workspace's subscription 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from 'notion-client-v5';
import type { PortalWebhook, PortalWebhookDelivery, PortalWebhookList } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { startTestPlatform, storeKinds, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const PASSWORD = { ada: 'ada-password-1', grace: 'grace-password-1', olga: 'olga-password-1' };
const OTHER_TOKEN = 'secret_portalwebhookother000000000000000000000001';
const OWN_TOKEN = 'secret_portalwebhookown0000000000000000000000000002';
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];

function seed(receiver: WebhookReceiver) {
  const s = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, any>[] };
  const [acme, other] = s.workspaces as [Record<string, any>, Record<string, any>];
  Object.assign(acme.users[0], { password: PASSWORD.ada });
  Object.assign(acme.users[1], { password: PASSWORD.grace });
  Object.assign(other.users[0], { password: PASSWORD.olga });
  other.integrations[0].webhooks = [{ url: `${receiver.url}/other`, verification_token: OTHER_TOKEN }];
  return s;
}

describe.each(storeKinds())('portal webhooks API (%s)', (kind) => {
  let t: TestPlatform;
  let receiver: WebhookReceiver;
  let ada: PortalVisitor;
  let grace: PortalVisitor;
  let olgaHook: PortalWebhook;
  const base = `/portal/api/integrations/${IDS.full}/webhooks`;
  const deliveries = async (id: string) =>
    (await ada.call<{ results: PortalWebhookDelivery[] }>('GET', `${base}/${id}/deliveries`)).body.results;
  const create = (body: Record<string, unknown>) => ada.call<PortalWebhook>('POST', base, body);
  /** Waits until the subscription's deliveries pass `test` (the dispatcher records attempts after the POST). */
  const deliveriesWhen = async (id: string, test: (d: PortalWebhookDelivery[]) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const list = await deliveries(id);
      if (test(list)) return list;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`deliveries of ${id} never matched: ${JSON.stringify(await deliveries(id))}`);
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const config = {
      ...TEST_CONFIG,
      webhooks: { aggregationWindowMs: 50, retryDelaysMs: [20, 20, 20, 20, 20, 20, 20], deliveryTimeoutMs: 2000 },
    };
    t = await startTestPlatform(kind, seed(receiver), config);
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD.ada);
    grace = await new PortalVisitor(t.baseUrl).signIn('grace@example.com', PASSWORD.grace);
    const olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', PASSWORD.olga);
    const theirs = await olga.call<PortalWebhookList>('GET', `/portal/api/integrations/${IDS.otherBot}/webhooks`);
    expect(theirs.body.subscriptions).toHaveLength(1);
    olgaHook = theirs.body.subscriptions[0]!;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('lists an integration’s subscriptions with the API versions and each version’s event types', async () => {
    const res = await ada.call<PortalWebhookList>('GET', base);
    expect(res.status).toBe(200);
    expect(res.body.subscriptions).toEqual([]);
    expect(res.body.api_versions).toEqual(['2022-06-28', '2025-09-03', '2026-03-11']);
    expect(res.body.default_api_version).toBe('2025-09-03');
    expect(res.body.event_types['2022-06-28']).toContain('database.schema_updated');
    expect(res.body.event_types['2022-06-28']).not.toContain('data_source.created');
    expect(res.body.event_types['2025-09-03']).toContain('data_source.created');
    expect(res.body.event_types['2025-09-03']).toContain('page.created');
    expect(olgaHook).toMatchObject({ integration_id: IDS.otherBot, state: 'active', verification_token_hint: '…0001' });
  });

  it('is signed-in only, and its writes need the session’s CSRF token from this origin', async () => {
    const anon = new PortalVisitor(t.baseUrl);
    const signedOut = {
      status: 401,
      body: {
        error: {
          code: 'unauthorized',
          message:
            'You are signed out. Sign in with the link `notion-local serve` printed, or with your email and password.',
        },
      },
    };
    expect(await anon.call('GET', base)).toMatchObject(signedOut);
    expect(await anon.call('GET', `${base}/${olgaHook.id}/deliveries`)).toMatchObject(signedOut);
    const missing = { status: 403, body: { error: { code: 'csrf_failed' } } };
    const url = `${receiver.url}/forged`;
    expect(await ada.call('POST', base, { url }, { 'x-csrf-token': '' })).toMatchObject(missing);
    expect(await ada.call('POST', base, { url }, { 'x-csrf-token': 'forged' })).toMatchObject(missing);
    expect(await ada.call('POST', base, { url }, { origin: 'http://evil.example' })).toMatchObject(missing);
    expect((await ada.call<PortalWebhookList>('GET', base)).body.subscriptions).toEqual([]);
    expect(receiver.at('/forged')).toEqual([]);
  });

  it('refuses a member’s writes (owners only) but shows them the subscriptions', async () => {
    const res = await grace.call('POST', base, { url: `${receiver.url}/member` });
    expect(res).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: 'Only workspace owners can do this.' } },
    });
    expect((await grace.call('GET', base)).status).toBe(200);
  });

  it('refuses bad input with 400 and the reason', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'url should be a string.'],
      [{ url: ' ' }, 'Give the subscription a URL.'],
      [{ url: 'ftp://example.com/x' }, 'The URL should be an http:// or https:// URL.'],
      [{ url: 'not a url' }, 'The URL should be an http:// or https:// URL.'],
      [
        { url: `${receiver.url}/x`, api_version: '2024-01-01' },
        'api_version should be one of 2022-06-28, 2025-09-03, 2026-03-11.',
      ],
      [
        { url: `${receiver.url}/x`, api_version: '2022-06-28', event_types: ['data_source.created'] },
        '"data_source.created" is not an event type of API version 2022-06-28.',
      ],
      [
        { url: `${receiver.url}/x`, event_types: ['page.nope'] },
        '"page.nope" is not an event type of API version 2025-09-03.',
      ],
      [{ url: `${receiver.url}/x`, event_types: [] }, 'Choose at least one event type.'],
      [
        { url: `${receiver.url}/x`, event_types: 'page.created' },
        'event_types should be a list of event type names, or null for all of them.',
      ],
      [{ url: `${receiver.url}/x`, verification_token: 7 }, 'verification_token should be a string.'],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_request', message } },
      });
    }
    const notJson = await ada.call('POST', base, undefined, { 'content-type': 'application/json' });
    // An empty body is `{}`: refused for its missing URL.
    expect(notJson).toMatchObject({ status: 400, body: { error: { message: 'url should be a string.' } } });
    expect((await ada.call<PortalWebhookList>('GET', base)).body.subscriptions).toEqual([]);
  });

  it('creates a pending subscription: the handshake reaches the URL, the portal never shows its token', async () => {
    const res = await create({ url: `${receiver.url}/pending`, event_types: ['page.created'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      integration_id: IDS.full,
      url: `${receiver.url}/pending`,
      event_types: ['page.created'],
      api_version: '2025-09-03',
      state: 'pending_verification',
      verified_time: null,
    });
    await receiver.until((all) => all.some((r) => r.path === '/pending'));
    const token = receiver.at('/pending')[0]!.body.verification_token as string;
    expect(token).toMatch(/^secret_/);
    expect(res.body.verification_token_hint).toBe(`…${token.slice(-4)}`);
    const list = await deliveriesWhen(res.body.id, (d) => d[0]?.attempts.length === 1);
    expect(list).toEqual([
      {
        id: expect.any(String),
        type: 'verification',
        state: 'delivered',
        created_time: expect.any(String),
        next_attempt_time: null,
        attempts: [
          {
            attempt_number: 1,
            started_time: expect.any(String),
            status: 200,
            error: null,
            latency_ms: expect.any(Number),
          },
        ],
        payload: { verification_token: `secret_…${token.slice(-4)}` },
        body: null,
        signature: null,
      },
    ]);
    const everything = JSON.stringify([await ada.call('GET', base), await ada.call('GET', `${base}/${res.body.id}`)]);
    expect(everything).not.toContain(token);
  });

  it('verifies with the pasted token (a wrong one is 400), then refuses to verify or resend again (409)', async () => {
    const [pending] = (await ada.call<PortalWebhookList>('GET', base)).body.subscriptions;
    const token = receiver.at('/pending')[0]!.body.verification_token as string;
    const path = `${base}/${pending!.id}`;
    const wrong = await ada.call('POST', `${path}/verify`, { verification_token: 'secret_nope' });
    expect(wrong).toMatchObject({
      status: 400,
      body: {
        error: { code: 'invalid_request', message: 'That is not the verification token sent to this subscription.' },
      },
    });
    const empty = await ada.call('POST', `${path}/verify`, { verification_token: '  ' });
    expect(empty).toMatchObject({
      status: 400,
      body: { error: { message: 'Paste the verification token your URL received.' } },
    });
    const pause = await ada.call('PATCH', path, { paused: true });
    expect(pause).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: 'This subscription is waiting for its verification token.' } },
    });
    const right = await ada.call<PortalWebhook>('POST', `${path}/verify`, { verification_token: ` ${token} ` });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ state: 'active', verified_time: expect.any(String) });
    const already = {
      status: 409,
      body: { error: { code: 'conflict', message: 'This subscription is already verified.' } },
    };
    expect(await ada.call('POST', `${path}/verify`, { verification_token: token })).toMatchObject(already);
    expect(await ada.call('POST', `${path}/resend_verification`)).toMatchObject(already);
  });

  it('resends the handshake of a pending subscription; its URL can change until it is verified', async () => {
    const made = await create({ url: `${receiver.url}/first`, api_version: '2022-06-28' });
    const path = `${base}/${made.body.id}`;
    await receiver.until((all) => all.some((r) => r.path === '/first'));
    const moved = await ada.call<PortalWebhook>('PATCH', path, { url: `${receiver.url}/second` });
    expect(moved.body).toMatchObject({ url: `${receiver.url}/second`, state: 'pending_verification' });
    const resent = await ada.call<PortalWebhook>('POST', `${path}/resend_verification`);
    expect(resent).toMatchObject({ status: 200, body: { id: made.body.id, state: 'pending_verification' } });
    await receiver.until((all) => all.some((r) => r.path === '/second'));
    const [first, second] = [receiver.at('/first')[0]!, receiver.at('/second')[0]!];
    expect(second.body).toEqual(first.body);
    expect(await deliveriesWhen(made.body.id, (d) => d.length === 2 && d.every((x) => x.state === 'delivered')));
    const verified = await ada.call<PortalWebhook>('POST', `${path}/verify`, {
      verification_token: second.body.verification_token,
    });
    expect(verified.body.state).toBe('active');
    const locked = await ada.call('PATCH', path, { url: `${receiver.url}/third` });
    expect(locked).toMatchObject({
      status: 409,
      body: {
        error: { code: 'conflict', message: 'The URL can only be changed before the subscription is verified.' },
      },
    });
    expect((await ada.call('DELETE', path)).body).toEqual({ deleted: true });
  });

  it('shows each delivery with the body and signature the receiver got, and resends one', async () => {
    const made = await create({ url: `${receiver.url}/own`, verification_token: OWN_TOKEN });
    expect(made.body).toMatchObject({ state: 'active', event_types: null, verification_token_hint: '…0002' });
    const page = await t.client(TOKENS.full).pages.create({
      parent: { page_id: IDS.child },
      properties: { title: { title: rt('Hooked from the portal test') } },
    });
    const got = await receiver.next('/own', 'page.created');
    expect(got.body.entity.id).toBe(page.id);
    const [delivery] = await deliveriesWhen(made.body.id, (d) => d[0]?.attempts.length === 1);
    expect(delivery).toMatchObject({
      id: got.body.id,
      type: 'page.created',
      state: 'delivered',
      next_attempt_time: null,
      attempts: [{ attempt_number: 1, status: 200, error: null }],
      body: got.raw,
      signature: got.headers['x-notion-signature'],
    });
    expect(delivery!.payload).toMatchObject({ type: 'page.created', entity: { id: page.id, type: 'page' } });
    expect(
      await verifyWebhookSignature({
        body: delivery!.body!,
        signature: delivery!.signature!,
        verificationToken: OWN_TOKEN,
      }),
    ).toBe(true);

    const since = receiver.received.length;
    const resend = await ada.call('POST', `${base}/${made.body.id}/deliveries/${delivery!.id}/resend`);
    expect(resend).toMatchObject({ status: 200, body: { id: delivery!.id, requeued: true } });
    const again = await receiver.next('/own', 'page.created', since);
    expect(again.body).toMatchObject({ id: delivery!.id, attempt_number: 2 });
    const [after] = await deliveriesWhen(made.body.id, (d) => d[0]?.attempts.length === 2);
    expect(after!.attempts.map((a) => [a.attempt_number, a.status])).toEqual([
      [1, 200],
      [2, 200],
    ]);
    expect(after).toMatchObject({ body: again.raw, signature: again.headers['x-notion-signature'] });
  });

  it('pauses (no events), resumes, and edits the event types', async () => {
    const [own] = (await ada.call<PortalWebhookList>('GET', base)).body.subscriptions.filter((w) =>
      w.url.endsWith('/own'),
    );
    const path = `${base}/${own!.id}`;
    expect((await ada.call<PortalWebhook>('PATCH', path, { paused: true })).body.state).toBe('paused');
    const before = (await deliveries(own!.id)).length;
    await t
      .client(TOKENS.full)
      .pages.create({ parent: { page_id: IDS.child }, properties: { title: { title: rt('P') } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await deliveries(own!.id)).toHaveLength(before);
    expect((await ada.call<PortalWebhook>('PATCH', path, { paused: false })).body.state).toBe('active');
    const edited = await ada.call<PortalWebhook>('PATCH', path, { event_types: ['page.deleted', 'page.created'] });
    expect(edited).toMatchObject({
      status: 200,
      body: { event_types: ['page.deleted', 'page.created'], state: 'active' },
    });
    const older = await ada.call('PATCH', path, { api_version: '2022-06-28', event_types: ['data_source.created'] });
    expect(older).toMatchObject({
      status: 400,
      body: { error: { message: '"data_source.created" is not an event type of API version 2022-06-28.' } },
    });
    const withDs = await ada.call('PATCH', path, { event_types: ['data_source.created'] });
    expect(withDs.status).toBe(200);
    const keep = await ada.call('PATCH', path, { api_version: '2022-06-28' });
    expect(keep).toMatchObject({
      status: 400,
      body: { error: { message: '"data_source.created" is not an event type of API version 2022-06-28.' } },
    });
    expect(await ada.call('PATCH', path, { paused: 'yes' })).toMatchObject({
      status: 400,
      body: { error: { message: 'paused should be true or false.' } },
    });
    const all = await ada.call<PortalWebhook>('PATCH', path, { event_types: null, api_version: '2026-03-11' });
    expect(all.body).toMatchObject({ event_types: null, api_version: '2026-03-11' });
  });

  it('answers 404 for another workspace’s integration, subscription or delivery, and across integrations', async () => {
    const notFound = (what: string) => ({
      status: 404,
      body: { error: { code: 'not_found', message: `${what} was not found in this workspace.` } },
    });
    const theirs = `${base}/${olgaHook.id}`;
    expect(await ada.call('GET', `/portal/api/integrations/${IDS.otherBot}/webhooks`)).toMatchObject(
      notFound('This integration'),
    );
    expect(await ada.call('GET', `/portal/api/integrations/${IDS.otherBot}/webhooks/${olgaHook.id}`)).toMatchObject(
      notFound('This integration'),
    );
    const subscription = notFound('This webhook subscription');
    expect(await ada.call('GET', theirs)).toMatchObject(subscription);
    expect(await ada.call('GET', `${theirs}/deliveries`)).toMatchObject(subscription);
    expect(await ada.call('PATCH', theirs, { paused: true })).toMatchObject(subscription);
    expect(await ada.call('POST', `${theirs}/verify`, { verification_token: OTHER_TOKEN })).toMatchObject(subscription);
    expect(await ada.call('POST', `${theirs}/resend_verification`)).toMatchObject(subscription);
    expect(await ada.call('DELETE', theirs)).toMatchObject(subscription);
    expect(await ada.call('GET', `${base}/not-a-uuid`)).toMatchObject(subscription);
    expect(await ada.call('GET', `/portal/api/integrations/${IDS.missing}/webhooks`)).toMatchObject(
      notFound('This integration'),
    );
    // Ada's own subscription through another of her integrations' paths.
    const [own] = (await ada.call<PortalWebhookList>('GET', base)).body.subscriptions;
    expect(await ada.call('GET', `/portal/api/integrations/${IDS.readOnly}/webhooks/${own!.id}`)).toMatchObject(
      subscription,
    );
    // A delivery of another subscription (Olga's), through Ada's subscription.
    await t.client(TOKENS.otherBot).pages.create({
      parent: { page_id: IDS.otherRoot },
      properties: { title: { title: rt('Other') } },
    });
    const otherEvent = await receiver.next('/other', 'page.created');
    const delivery = notFound('This webhook delivery');
    expect(await ada.call('POST', `${base}/${own!.id}/deliveries/${otherEvent.body.id}/resend`)).toMatchObject(
      delivery,
    );
    expect(await ada.call('POST', `${base}/${own!.id}/deliveries/${IDS.missing}/resend`)).toMatchObject(delivery);
    expect(await ada.call('GET', `${base}/${own!.id}/deliveries?limit=0`)).toMatchObject({
      status: 400,
      body: { error: { message: 'limit should be a whole number from 1 to 1000.' } },
    });
  });

  it('deletes subscriptions: each is gone (404) and the list is empty', async () => {
    const list = (await ada.call<PortalWebhookList>('GET', base)).body.subscriptions;
    for (const hook of list) {
      const res = await ada.call('DELETE', `${base}/${hook.id}`);
      expect(res).toMatchObject({ status: 200, body: { deleted: true } });
      expect((await ada.call('GET', `${base}/${hook.id}`)).status).toBe(404);
    }
    expect((await ada.call<PortalWebhookList>('GET', base)).body.subscriptions).toEqual([]);
  });
});
