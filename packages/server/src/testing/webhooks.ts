// `nl.webhooks` of notion-local/testing: a receiver on a loopback port that this handle runs, subscriptions to it
// made through the admin API (active at once, each with its own verification token), and the events they
// delivered — each one's X-Notion-Signature checked against its token before it is kept. Works for a server in
// this process and for one started elsewhere alike (it only needs to reach this process's loopback port).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminClient } from './admin-client.js';

/** A delivered event, as Notion's payload (reference §11.4). */
export interface ReceivedEvent {
  id: string;
  timestamp: string;
  workspace_id: string;
  workspace_name: string;
  subscription_id: string;
  integration_id: string;
  type: string;
  authors: { id: string; type: string }[];
  attempt_number: number;
  api_version: string;
  entity: { id: string; type: string };
  data?: Record<string, unknown>;
}

export interface ListenOptions {
  /** The integration: its id, or its name in one of this handle's workspaces. */
  integration: string;
  /** Only these event types (default: every type of the API version). */
  event_types?: string[];
  /** The subscription's API version (default 2025-09-03). */
  api_version?: string;
}

export interface EventFilter {
  type?: string;
  entity_id?: string;
  integration_id?: string;
  workspace_id?: string;
}

export interface TestWebhooks {
  /** Subscribes an integration to this handle's receiver; returns the subscription id. */
  listen(options: ListenOptions): Promise<{ id: string }>;
  /** The verified events received so far, oldest first, filtered. */
  received(filter?: EventFilter): ReceivedEvent[];
  /** Resolves with the first received event matching `filter` (waiting up to `timeoutMs`, default 5 s). */
  waitFor(filter?: EventFilter, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Deliveries refused because their signature did not verify (should stay 0). */
  readonly unverified: number;
  clear(): void;
  /** Deletes this handle's subscriptions and stops the receiver. */
  close(): Promise<void>;
}

const matches = (event: ReceivedEvent, filter: EventFilter) =>
  (filter.type === undefined || event.type === filter.type) &&
  (filter.entity_id === undefined || event.entity.id === filter.entity_id) &&
  (filter.integration_id === undefined || event.integration_id === filter.integration_id) &&
  (filter.workspace_id === undefined || event.workspace_id === filter.workspace_id);

function verifies(raw: Buffer, signature: unknown, token: string): boolean {
  if (typeof signature !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', token).update(raw).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function testWebhooks(admin: AdminClient, resolveIntegration: (ref: string) => string): TestWebhooks {
  const events: ReceivedEvent[] = [];
  const tokens = new Map<string, string>();
  const subscriptions: string[] = [];
  const waiters = new Set<() => void>();
  let unverified = 0;
  let server: Server | null = null;
  let url = '';

  const start = async () => {
    if (server) return;
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const token = tokens.get((request.url ?? '').slice(1)) ?? '';
        const ok = verifies(raw, request.headers['x-notion-signature'], token);
        if (ok) events.push(JSON.parse(raw.toString('utf8')) as ReceivedEvent);
        else unverified += 1;
        response.statusCode = ok ? 200 : 401;
        response.end();
        for (const wake of waiters) wake();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  return {
    async listen(options) {
      await start();
      const path = randomBytes(8).toString('hex');
      const token = `secret_${randomBytes(24).toString('base64url')}`;
      tokens.set(path, token);
      const made = await admin.call<{ id: string }>('POST', '/__admin/webhooks', {
        integration_id: resolveIntegration(options.integration),
        url: `${url}/${path}`,
        verification_token: token,
        ...(options.event_types ? { event_types: options.event_types } : {}),
        ...(options.api_version ? { api_version: options.api_version } : {}),
      });
      subscriptions.push(made.id);
      return { id: made.id };
    },
    received: (filter = {}) => events.filter((event) => matches(event, filter)),
    waitFor(filter = {}, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((event) => matches(event, filter));
          if (!found) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`notion-local/testing: no webhook event ${JSON.stringify(filter)} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    get unverified() {
      return unverified;
    },
    clear() {
      events.length = 0;
    },
    async close() {
      for (const id of subscriptions.splice(0))
        await admin.call('DELETE', `/__admin/webhooks/${id}`).catch(() => undefined);
      if (!server) return;
      const running = server;
      server = null;
      running.closeAllConnections();
      await new Promise((resolve) => running.close(resolve));
    },
  };
}
