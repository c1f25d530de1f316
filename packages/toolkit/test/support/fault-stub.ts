// A tiny stand-in for Notion that answers from a script (429 with Retry-After, 503, …) so the retry
// rules can be proven over real HTTP. It is a fault stub of Notion, not of our own parts.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface StubRequest {
  method: string;
  path: string;
  body: string;
}

export interface FaultStub {
  baseUrl: string;
  requests: StubRequest[];
  /** Replies used in order for each request; when the script runs out, `fallback` answers. */
  script(replies: StubReply[], fallback?: StubReply): void;
  close(): Promise<void>;
}

export const OK_BOT: StubReply = {
  status: 200,
  body: { object: 'user', id: 'bot-1', type: 'bot', name: 'Stub', avatar_url: null, bot: {} },
};

export function notionError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): StubReply {
  return {
    status,
    body: { object: 'error', status, code, message, request_id: '00000000-0000-4000-8000-000000000000', ...extra },
  };
}

export const RATE_LIMITED = (
  retryAfterSeconds: number | null,
  reason = 'public_api_request_rate_limit',
): StubReply => ({
  ...notionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
    additional_data: {
      rate_limit_reason: reason,
      ...(retryAfterSeconds === null ? {} : { retry_after: String(retryAfterSeconds) }),
    },
  }),
  headers: retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) },
});

export const UNAVAILABLE = notionError(503, 'service_unavailable', 'Notion is unavailable, please try again later.');
export const INTERNAL = notionError(500, 'internal_server_error', 'Unexpected error occurred.');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });
}

export async function startFaultStub(): Promise<FaultStub> {
  let queue: StubReply[] = [];
  let fallback: StubReply = OK_BOT;
  const requests: StubRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', body });
    const reply = queue.shift() ?? fallback;
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...(reply.headers ?? {}) });
    res.end(JSON.stringify(reply.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    script(replies, fb = OK_BOT) {
      queue = [...replies];
      fallback = fb;
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
