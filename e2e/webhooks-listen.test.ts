// `notion-local webhooks listen` (the real CLI) against a platform on port 0: it subscribes through the admin
// API, forwards each verified delivery byte for byte to the app, answers with the app's status (so the app's
// failures are retried), refuses an unsigned body, and deletes its subscription on SIGTERM. The toolkit's
// receiver handler is checked on the same deliveries.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from 'notion-client-v5';
import { notionWebhookHandler, type ReceivedWebhookEvent } from '@notion-local/toolkit';
import { IDS, TOKENS } from './support/fixtures.js';
import { BIN } from './support/spawn-serve.js';
import { startTestPlatform, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const ADMIN = 'admin_test_token';

describe('notion-local webhooks listen', () => {
  let t: TestPlatform;
  let app: WebhookReceiver;
  beforeAll(async () => {
    app = await WebhookReceiver.start();
    const config = {
      ...TEST_CONFIG,
      webhooks: { aggregationWindowMs: 0, retryDelaysMs: [10, 10, 10, 10, 10, 10, 10] },
    };
    t = await startTestPlatform('pglite', undefined, config);
  });
  afterAll(async () => {
    await t?.close();
    await app?.close();
  });

  it('forwards verified deliveries byte for byte and removes its subscription when stopped', async () => {
    const proc = spawn(
      process.execPath,
      [BIN, 'webhooks', 'listen', '--base-url', t.baseUrl, '--integration', IDS.full, '--forward-to', `${app.url}/app`],
      { env: { ...process.env, NOTION_LOCAL_ADMIN_TOKEN: ADMIN, NO_COLOR: '1' } },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
    await expect.poll(() => out, { timeout: 15_000 }).toContain('Verification token');
    const token = /Verification token[^:]*: (secret_\S+)/.exec(out)![1]!;
    const subscriptionId = /subscription ([0-9a-f-]{36})/.exec(out)![1]!;

    app.answer('/app', 500);
    const page = await t.raw('/v1/pages', {
      method: 'POST',
      token: TOKENS.full,
      body: { parent: { page_id: IDS.child }, properties: { title: { title: [{ text: { content: 'Heard' } }] } } },
    });
    expect(page.status).toBe(200);
    // The app's 500 goes back to notion-local, which retries: attempt 2 then arrives.
    await app.until((all) => all.filter((r) => r.body?.entity?.id === page.body.id).length >= 2);
    app.answer('/app', 200);
    const forwarded = app.at('/app').filter((r) => r.body?.entity?.id === page.body.id);
    expect(forwarded.map((r) => r.body.attempt_number).slice(0, 2)).toEqual([1, 2]);
    const signature = forwarded[0]!.headers['x-notion-signature'] as string;
    expect(await verifyWebhookSignature({ body: forwarded[0]!.raw, signature, verificationToken: token })).toBe(true);
    expect(forwarded[0]!.body).toMatchObject({ type: 'page.created', integration_id: IDS.full });
    await expect.poll(() => out).toMatch(/page\.created \S+ attempt 1 {2}→ 500/);

    // Something that is not signed with its token is refused and never forwarded.
    const listenUrl = await listenerUrl(subscriptionId);
    const forged = await fetch(listenUrl, { method: 'POST', body: '{"type":"page.created"}' });
    expect(forged.status).toBe(401);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(`subscription ${subscriptionId} deleted`);
    const left = await fetch(`${t.baseUrl}/__admin/webhooks/${subscriptionId}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(left.status).toBe(404);
  });

  it('tells in one line what to do without an admin token', async () => {
    const proc = spawn(
      process.execPath,
      [
        BIN,
        'webhooks',
        'listen',
        '--base-url',
        t.baseUrl,
        '--integration',
        'Full',
        '--forward-to',
        'http://127.0.0.1:9/x',
      ],
      { env: { ...process.env, NOTION_LOCAL_ADMIN_TOKEN: '' } },
    );
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    expect(code).toBe(2);
    expect(err).toBe('notion-local: no admin token: pass --admin-token or set NOTION_LOCAL_ADMIN_TOKEN\n');
  });

  it('the toolkit handler verifies, answers the handshake, and refuses forgeries', async () => {
    const events: ReceivedWebhookEvent[] = [];
    const handshakes: string[] = [];
    let token = '';
    const server = createServer(
      notionWebhookHandler({
        get verificationToken() {
          return token;
        },
        onEvent: (received) => void events.push(received),
        onVerification: (sent) => {
          token = sent;
          handshakes.push(sent);
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const admin = (path: string, body?: unknown) =>
        fetch(`${t.baseUrl}/__admin${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then((r) => r.json() as Promise<any>);
      const sub = await admin('/webhooks', { integration_id: IDS.full, url, event_types: ['page.created'] });
      expect(sub.state).toBe('pending_verification');
      await expect.poll(() => handshakes.length).toBe(1);
      expect((await admin(`/webhooks/${sub.id}/verify`, { verification_token: token })).state).toBe('active');
      const page = await t.raw('/v1/pages', {
        method: 'POST',
        token: TOKENS.full,
        body: { parent: { page_id: IDS.child }, properties: { title: { title: [{ text: { content: 'Typed' } }] } } },
      });
      await expect.poll(() => events.find((e) => e.event.entity.id === page.body.id)).toBeDefined();
      const forged = await fetch(url, {
        method: 'POST',
        headers: { 'x-notion-signature': `sha256=${'0'.repeat(64)}` },
        body: '{"type":"page.created"}',
      });
      expect(forged.status).toBe(401);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** The URL the listener subscribed with (read back through the admin API). */
  async function listenerUrl(subscriptionId: string): Promise<string> {
    const response = await fetch(`${t.baseUrl}/__admin/webhooks/${subscriptionId}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    return ((await response.json()) as { url: string }).url;
  }
});
