// Webhooks end to end (design.md "Webhooks", reference §11.4), on every store: seeded subscriptions (active with a
// token, or pending until the handshake's token is pasted back), every event type from SDK v5 writes, each body
// verified with the SDK's own verifyWebhookSignature, the subscription's API version deciding database and data
// source events, no event for what an integration cannot see or lacks the capability for, aggregation within
// the window, and retries with attempt_number 1…8 on a compressed schedule, then a replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client as ClientV5,
  LogLevel as LogLevelV5,
  verifyWebhookSignature,
  type DatabaseObjectResponse,
  type PageObjectResponse,
} from 'notion-client-v5';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { startTestPlatform, storeKinds, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { WebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver.js';

const FULL_ONLY = '0a000000-0000-4000-8000-0000000000d1';
const TOKEN = {
  full2025: 'secret_webhookfull2025000000000000000000000000001',
  full2022: 'secret_webhookfull2022000000000000000000000000002',
  readOnly: 'secret_webhookreadonly00000000000000000000000003',
  unshared: 'secret_webhookunshared00000000000000000000000004',
  other: 'secret_webhookother0000000000000000000000000000005',
  retry: 'secret_webhookretry0000000000000000000000000000006',
};
const WINDOW_MS = 150;
const PASSWORD = 'ada-password-1';
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];

function webhookSeed(receiver: WebhookReceiver) {
  const seed = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, any>[] };
  const [acme, other] = seed.workspaces as [Record<string, any>, Record<string, any>];
  const hook = (path: string, token?: string, extra: Record<string, unknown> = {}) => ({
    url: `${receiver.url}${path}`,
    ...(token ? { verification_token: token } : {}),
    ...extra,
  });
  const integration = (name: string) => acme.integrations.find((i: { name: string }) => i.name === name);
  integration('Full').webhooks = [
    hook('/full-2025', TOKEN.full2025),
    hook('/full-2022', TOKEN.full2022, { api_version: '2022-06-28' }),
  ];
  integration('ReadOnly').webhooks = [hook('/readonly', TOKEN.readOnly)];
  integration('Unshared').webhooks = [hook('/unshared', TOKEN.unshared)];
  integration('Commenter').webhooks = [hook('/pending', undefined, { event_types: ['comment.created'] })];
  other.integrations[0].webhooks = [hook('/other', TOKEN.other)];
  acme.pages.push({ id: FULL_ONLY, title: 'Full only', shared_with: ['Full'] });
  Object.assign(acme.users[0], { password: PASSWORD });
  return seed;
}

async function verified(received: ReceivedWebhook, token: string): Promise<boolean> {
  const signature = received.headers['x-notion-signature'];
  return verifyWebhookSignature({ body: received.raw, signature: signature as string, verificationToken: token });
}

describe.each(storeKinds())('webhooks (%s)', (kind) => {
  let t: TestPlatform;
  let receiver: WebhookReceiver;
  let notion: ClientV5;
  const admin = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${t.baseUrl}/__admin${path}`, {
      method,
      headers: { authorization: 'Bearer admin_test_token', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** The events of `type` about `id` that `path` received. */
  const about = (path: string, type: string, id: string) =>
    receiver.at(path).filter((r) => r.body?.type === type && r.body.entity.id === id);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const config = {
      ...TEST_CONFIG,
      webhooks: {
        aggregationWindowMs: WINDOW_MS,
        retryDelaysMs: [20, 20, 20, 20, 20, 20, 20],
        deliveryTimeoutMs: 2000,
      },
    };
    t = await startTestPlatform(kind, webhookSeed(receiver), config);
    notion = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR, retry: false });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('sends a signed handshake to a pending subscription; the pasted token activates it', async () => {
    await receiver.until((all) => all.some((r) => r.path === '/pending'));
    const [handshake] = receiver.at('/pending');
    const token = handshake!.body.verification_token as string;
    expect(Object.keys(handshake!.body)).toEqual(['verification_token']);
    expect(token).toMatch(/^secret_[0-9A-Za-z]+$/);
    expect(await verified(handshake!, token)).toBe(true);
    const list = await admin(`/webhooks?workspace_id=${IDS.acme}`);
    const pending = list.body.results.find((w: { url: string }) => w.url.endsWith('/pending'));
    expect(pending.state).toBe('pending_verification');
    expect(JSON.stringify(list.body)).not.toContain(token);
    const wrong = await admin(`/webhooks/${pending.id}/verify`, 'POST', { verification_token: 'secret_nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('validation_error');
    const right = await admin(`/webhooks/${pending.id}/verify`, 'POST', { verification_token: token });
    expect(right.body.state).toBe('active');
  });

  it('page events carry Notion’s payload, signed with the subscription’s token', async () => {
    const page = (await notion.pages.create({
      parent: { page_id: IDS.child },
      properties: { title: { title: rt('Hooked') } },
    })) as PageObjectResponse;
    const created = await receiver.next('/full-2025', 'page.created');
    expect(await verified(created, TOKEN.full2025)).toBe(true);
    expect(created.headers['content-type']).toBe('application/json');
    const list = await admin(`/webhooks?workspace_id=${IDS.acme}`);
    const sub = list.body.results.find((w: { url: string }) => w.url.endsWith('/full-2025'));
    expect(created.body).toEqual({
      id: expect.any(String),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      workspace_id: IDS.acme,
      workspace_name: 'Acme',
      subscription_id: sub.id,
      integration_id: IDS.full,
      type: 'page.created',
      authors: [{ id: IDS.full, type: 'bot' }],
      attempt_number: 1,
      api_version: '2025-09-03',
      entity: { id: page.id, type: 'page' },
      data: { parent: { id: IDS.child, type: 'page' } },
    });
    expect(Object.keys(created.body)).toEqual(Object.keys(created.body).sort((a, b) => order(a) - order(b)));
    const old = await receiver.next('/full-2022', 'page.created');
    expect(await verified(old, TOKEN.full2022)).toBe(true);
    expect(old.body.api_version).toBe('2022-06-28');
    expect((await receiver.next('/readonly', 'page.created')).body.entity.id).toBe(page.id);

    await notion.pages.update({ page_id: page.id, properties: { title: { title: rt('Renamed') } } });
    const updated = await receiver.next('/full-2025', 'page.properties_updated');
    expect(updated.body.data).toEqual({ parent: { id: IDS.child, type: 'page' }, updated_properties: ['title'] });

    const appended = await notion.blocks.children.append({
      block_id: page.id,
      children: [{ paragraph: { rich_text: rt('hello') } }],
    });
    const content = await receiver.next('/full-2025', 'page.content_updated');
    expect(content.body.entity).toEqual({ id: page.id, type: 'page' });
    expect(content.body.data.updated_blocks).toEqual([{ id: appended.results[0]!.id, type: 'block' }]);

    await notion.pages.update({ page_id: page.id, is_locked: true });
    expect((await receiver.next('/full-2025', 'page.locked')).body.entity.id).toBe(page.id);
    await notion.pages.update({ page_id: page.id, is_locked: false });
    expect((await receiver.next('/full-2025', 'page.unlocked')).body.entity.id).toBe(page.id);

    await notion.pages.move({ page_id: page.id, parent: { page_id: IDS.sharedRoot } });
    const moved = await receiver.next('/full-2025', 'page.moved');
    expect(moved.body.data.parent).toEqual({ id: IDS.sharedRoot, type: 'page' });

    await notion.pages.update({ page_id: page.id, in_trash: true });
    expect((await receiver.next('/full-2025', 'page.deleted')).body.entity.id).toBe(page.id);
    await notion.pages.update({ page_id: page.id, in_trash: false });
    expect((await receiver.next('/full-2025', 'page.undeleted')).body.entity.id).toBe(page.id);
  });

  it('changes of one entity within the window are one event; a new page absorbs its first edits', async () => {
    const page = (await notion.pages.create({
      parent: { page_id: IDS.child },
      properties: { title: { title: rt('Busy') } },
    })) as PageObjectResponse;
    await notion.pages.update({ page_id: page.id, properties: { title: { title: rt('Busy 2') } } });
    await receiver.next('/full-2025', 'page.created');
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 2));
    const edit = (title: string) =>
      notion.pages.update({ page_id: page.id, properties: { title: { title: rt(title) } } });
    await edit('Busy 3');
    await edit('Busy 4');
    await receiver.until(() => about('/full-2025', 'page.properties_updated', page.id).length > 0);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 3));
    expect(about('/full-2025', 'page.created', page.id)).toHaveLength(1);
    const updates = about('/full-2025', 'page.properties_updated', page.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body.data.updated_properties).toEqual(['title']);
  });

  it('databases and data sources answer in the subscription’s API version', async () => {
    const db = (await notion.databases.create({
      parent: { type: 'page_id', page_id: IDS.child },
      title: rt('Hooked DB'),
      initial_data_source: { properties: { Name: { title: {} } } },
    })) as DatabaseObjectResponse;
    const ds = db.data_sources[0]!.id;
    await receiver.until(
      () =>
        about('/full-2025', 'database.created', db.id).length === 1 &&
        about('/full-2025', 'data_source.created', ds).length === 1 &&
        about('/full-2022', 'database.created', db.id).length === 1,
    );
    expect(about('/full-2025', 'data_source.created', ds)[0]!.body.data.parent).toEqual({
      id: db.id,
      type: 'database',
    });
    await notion.dataSources.update({ data_source_id: ds, properties: { Score: { number: {} } } });
    const schema = await receiver.next('/full-2025', 'data_source.schema_updated');
    expect(schema.body.entity).toEqual({ id: ds, type: 'data_source' });
    expect(schema.body.data.updated_properties).toEqual([{ id: expect.any(String), name: 'Score', action: 'created' }]);
    const oldSchema = await receiver.next('/full-2022', 'database.schema_updated');
    expect(oldSchema.body.entity).toEqual({ id: db.id, type: 'database' });

    const row = (await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: rt('Row') } },
    })) as PageObjectResponse;
    await receiver.until(() => about('/full-2025', 'page.created', row.id).length === 1);
    expect(about('/full-2025', 'page.created', row.id)[0]!.body.data.parent).toEqual({
      id: db.id,
      type: 'database',
      data_source_id: ds,
    });
    await receiver.until(
      () =>
        about('/full-2025', 'data_source.content_updated', ds).length === 1 &&
        about('/full-2022', 'database.content_updated', db.id).length === 1 &&
        about('/full-2022', 'page.created', row.id).length === 1,
    );
    expect(about('/full-2022', 'page.created', row.id)[0]!.body.data.parent).toEqual({ id: db.id, type: 'database' });
    expect(about('/full-2025', 'data_source.content_updated', ds)[0]!.body.data.updated_blocks).toEqual([
      { id: row.id, type: 'page' },
    ]);
    expect(receiver.at('/full-2022').some((r) => String(r.body?.type).startsWith('data_source.'))).toBe(false);
    expect(receiver.at('/full-2025').some((r) => r.body?.type === 'database.schema_updated')).toBe(false);
  });

  it('trashing and restoring a database and a data source; views; file uploads', async () => {
    const db = (await notion.databases.create({
      parent: { type: 'page_id', page_id: IDS.child },
      title: rt('Trash me'),
      initial_data_source: { properties: { Name: { title: {} } } },
    })) as DatabaseObjectResponse;
    const ds = db.data_sources[0]!.id;
    await receiver.until(() => about('/full-2025', 'database.created', db.id).length === 1);
    await notion.dataSources.update({ data_source_id: ds, in_trash: true });
    await receiver.until(() => about('/full-2025', 'data_source.deleted', ds).length === 1);
    await notion.dataSources.update({ data_source_id: ds, in_trash: false });
    await receiver.until(() => about('/full-2025', 'data_source.undeleted', ds).length === 1);
    await notion.databases.update({ database_id: db.id, in_trash: true });
    await receiver.until(
      () =>
        about('/full-2025', 'database.deleted', db.id).length === 1 &&
        about('/full-2022', 'database.deleted', db.id).length === 1,
    );
    await notion.databases.update({ database_id: db.id, in_trash: false });
    await receiver.until(() => about('/full-2025', 'database.undeleted', db.id).length === 1);
    expect(about('/full-2025', 'database.undeleted', db.id)[0]!.body.data.parent).toEqual({
      id: IDS.child,
      type: 'page',
    });

    const view = await notion.views.create({ database_id: db.id, data_source_id: ds, name: 'List', type: 'list' });
    const created = await receiver.next('/full-2025', 'view.created');
    expect(created.body.entity).toEqual({ id: view.id, type: 'view' });
    expect(created.body.data).toEqual({ parent: { id: db.id, type: 'database' }, view_type: 'list' });
    expect(receiver.at('/full-2022').some((r) => String(r.body?.type).startsWith('view.'))).toBe(false);

    const upload = await notion.fileUploads.create({ filename: 'a.txt', content_type: 'text/plain' });
    await notion.fileUploads.send({ file_upload_id: upload.id, file: { data: new Blob(['hello']) } });
    await receiver.until(
      () =>
        about('/full-2025', 'file_upload.created', upload.id).length === 1 &&
        about('/full-2025', 'file_upload.completed', upload.id).length === 1,
    );
    expect(about('/full-2025', 'file_upload.created', upload.id)[0]!.body.entity).toEqual({
      id: upload.id,
      type: 'file_upload',
    });
    // Another integration's upload is not theirs to hear of.
    expect(receiver.at('/readonly').some((r) => r.body?.entity?.id === upload.id)).toBe(false);
  });

  it('a change made in the portal fires the same event, by a person', async () => {
    const ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD);
    const res = await ada.call('POST', '/portal/api/pages', { title: 'From the portal', parent_id: IDS.child });
    expect(res.status).toBe(201);
    const id = (res.body as { id: string }).id;
    await receiver.until(() => about('/full-2025', 'page.created', id).length === 1);
    const event = about('/full-2025', 'page.created', id)[0]!;
    expect(event.body.authors).toEqual([{ id: IDS.ada, type: 'person' }]);
    expect(event.body.data).toEqual({ parent: { id: IDS.child, type: 'page' } });
  });

  it('comment events go only to integrations that can read comments', async () => {
    const comment = await notion.comments.create({ parent: { page_id: IDS.child }, rich_text: rt('Look') });
    const created = await receiver.next('/full-2025', 'comment.created');
    expect(created.body.entity).toEqual({ id: comment.id, type: 'comment' });
    expect(created.body.data).toEqual({ page_id: IDS.child, parent: { id: IDS.child, type: 'page' } });
    const commenter = await receiver.next('/pending', 'comment.created');
    expect(commenter.body.entity.id).toBe(comment.id);
    await notion.comments.update({ comment_id: comment.id, rich_text: rt('Look again') });
    await receiver.next('/full-2025', 'comment.updated');
    await notion.comments.delete({ comment_id: comment.id });
    await receiver.next('/full-2025', 'comment.deleted');
    expect(receiver.at('/readonly').some((r) => String(r.body?.type).startsWith('comment.'))).toBe(false);
    // The Commenter subscription asked for comment.created only.
    expect(
      receiver
        .at('/pending')
        .filter((r) => r.body?.type)
        .map((r) => r.body.type),
    ).toEqual(['comment.created']);
  });

  it('no event reaches an integration that cannot see the object', async () => {
    const page = (await notion.pages.create({
      parent: { page_id: FULL_ONLY },
      properties: { title: { title: rt('Secret child') } },
    })) as PageObjectResponse;
    await receiver.until(() => about('/full-2025', 'page.created', page.id).length === 1);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 2));
    expect(receiver.at('/readonly').some((r) => r.body?.entity?.id === page.id)).toBe(false);
    expect(receiver.at('/unshared')).toEqual([]);
    expect(receiver.at('/other')).toEqual([]);
  });

  it('retries with attempt_number 1…8, gives up, and a replay sends the same event again', async () => {
    receiver.answer('/retry', 500);
    const sub = await admin('/webhooks', 'POST', {
      integration_id: IDS.full,
      url: `${receiver.url}/retry`,
      event_types: ['page.created'],
      verification_token: TOKEN.retry,
    });
    expect(sub.body.state).toBe('active');
    const page = (await notion.pages.create({
      parent: { page_id: IDS.child },
      properties: { title: { title: rt('Unlucky') } },
    })) as PageObjectResponse;
    await receiver.until(() => receiver.at('/retry').length === 8);
    const attempts = receiver.at('/retry');
    expect(attempts.map((r) => r.body.attempt_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(attempts.map((r) => r.body.id)).size).toBe(1);
    expect(attempts.every((r) => r.body.entity.id === page.id)).toBe(true);
    for (const attempt of attempts) expect(await verified(attempt, TOKEN.retry)).toBe(true);
    const failed = async () => (await admin(`/webhooks/${sub.body.id}/deliveries`)).body.results[0];
    await expect.poll(async () => (await failed()).state).toBe('failed');
    const delivery = await failed();
    expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual(Array(8).fill(500));
    expect(delivery.next_attempt_time).toBeNull();

    // Pausing and resuming by the admin API (no URL in the edit).
    expect((await admin(`/webhooks/${sub.body.id}`, 'PATCH', { paused: true })).body.state).toBe('paused');
    expect((await admin(`/webhooks/${sub.body.id}`, 'PATCH', { paused: false })).body.state).toBe('active');
    receiver.answer('/retry', 200);
    expect((await admin(`/webhook_deliveries/${delivery.id}/resend`, 'POST')).status).toBe(200);
    await receiver.until(() => receiver.at('/retry').length === 9);
    expect(receiver.at('/retry')[8]!.body).toMatchObject({ id: delivery.payload.id, attempt_number: 9 });
    await expect.poll(async () => (await failed()).state).toBe('delivered');
    const metrics = await (
      await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer admin_test_token' } })
    ).text();
    expect(metrics).toMatch(/notion_local_webhook_attempts_total\{outcome="failed"\} \d+/);
  });

  it('refuses bad subscriptions with Notion-shaped errors', async () => {
    const bad = await admin('/webhooks', 'POST', { integration_id: IDS.full, url: 'ftp://x', event_types: [] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ object: 'error', code: 'validation_error' });
    const unknownType = await admin('/webhooks', 'POST', {
      integration_id: IDS.full,
      url: `${receiver.url}/x`,
      event_types: ['page.exploded'],
    });
    expect(unknownType.status).toBe(400);
    const missing = await admin(`/webhooks/${IDS.missing}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('object_not_found');
  });
});

const KEY_ORDER = [
  'id',
  'timestamp',
  'workspace_id',
  'workspace_name',
  'subscription_id',
  'integration_id',
  'type',
  'authors',
  'attempt_number',
  'api_version',
  'entity',
  'data',
];
const order = (key: string) => KEY_ORDER.indexOf(key);
