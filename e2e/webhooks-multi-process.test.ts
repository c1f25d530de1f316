// Three `notion-local serve` processes on one PostgreSQL schema deliver each webhook attempt exactly once
// between them: pages created through all three (their events written in each writer's transaction) reach the
// receiver once each, whichever process claimed them (FOR UPDATE SKIP LOCKED and a lease).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { startCluster, type Cluster } from './support/serve-cluster.js';
import { POSTGRES_URL } from './support/test-platform.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const HOOK_TOKEN = 'secret_multiprocesswebhook000000000000000000000001';
const PAGES = 150;

describe.skipIf(!POSTGRES_URL)('webhooks from three server processes on one PostgreSQL', () => {
  let cluster: Cluster;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const seed = testSeed() as { workspaces: { integrations: Record<string, unknown>[] }[] };
    const full = seed.workspaces[0]!.integrations.find((i) => i.name === 'Full')!;
    full.webhooks = [{ url: `${receiver.url}/hook`, event_types: ['page.created'], verification_token: HOOK_TOKEN }];
    cluster = await startCluster({
      kind: 'postgres',
      processes: 3,
      seed,
      postgresUrl: POSTGRES_URL,
      config: { webhooks: { aggregation_window_ms: 0 } },
    });
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await receiver?.close();
  });

  it('delivers every event once, whichever process wrote it', async () => {
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: PAGES }, async (_, n) => {
        const url = cluster.urls[n % cluster.urls.length]!;
        const response = await fetch(`${url}/v1/pages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKENS.full}`,
            'notion-version': '2022-06-28',
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            parent: { page_id: IDS.child },
            properties: { title: { title: [{ text: { content: `p${n}` } }] } },
          }),
        });
        expect(response.status).toBe(200);
        ids.push(((await response.json()) as { id: string }).id);
      }),
    );
    const delivered = () => new Set(receiver.at('/hook').map((r) => r.body.entity.id));
    await receiver.until(() => ids.every((id) => delivered().has(id)), 30_000);
    // Long enough for a second claim of any event to have happened (the lease is 15 s; polls every 0.5 s).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const received = receiver.at('/hook');
    expect(received).toHaveLength(PAGES);
    expect(new Set(received.map((r) => r.body.id)).size).toBe(PAGES);
    expect(received.every((r) => r.body.attempt_number === 1)).toBe(true);
  }, 60_000);
});
