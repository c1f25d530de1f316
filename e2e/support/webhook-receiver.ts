// A webhook receiver on a loopback port for tests: keeps every request's path, headers and raw body, answers
// with the status a test sets per path (default 200), and lets a test wait for the requests it expects.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as sent (what the signature covers). */
  raw: string;
  body: any;
  at: number;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses = new Map<string, number>();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver!.take(request.url ?? '/', request.headers, Buffer.concat(chunks), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
  }

  private take(
    path: string,
    headers: IncomingHttpHeaders,
    bytes: Buffer,
    response: import('node:http').ServerResponse,
  ): void {
    const raw = bytes.toString('utf8');
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    this.received.push({ path, headers, raw, body, at: Date.now() });
    response.statusCode = this.statuses.get(path) ?? 200;
    response.end();
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** The status `path` answers from now on. */
  answer(path: string, status: number): void {
    this.statuses.set(path, status);
  }

  /** What `path` received, oldest first. */
  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Waits until `test` holds for what was received (rejects after `timeoutMs`, saying what it has). */
  async until(test: (received: readonly ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (test(this.received)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.received.map((r) => `${r.path} ${r.body?.type ?? 'verification'}`).join(', ');
        reject(new Error(`webhooks not received within ${timeoutMs} ms; got: ${got}`));
      }, timeoutMs);
      this.waiters.push({
        test: () => test(this.received),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Waits for the first event of `type` at `path` received after `since` requests, and returns it. */
  async next(path: string, type: string, since = 0, timeoutMs = 10_000): Promise<ReceivedWebhook> {
    const find = () => this.received.slice(since).find((r) => r.path === path && r.body?.type === type);
    await this.until(() => find() !== undefined, timeoutMs);
    return find()!;
  }

  clear(): void {
    this.received.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
