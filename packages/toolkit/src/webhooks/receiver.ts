// Receiving Notion webhooks: the signature check on the raw body (as the SDK's verifyWebhookSignature does:
// `X-Notion-Signature: sha256=<HMAC-SHA256 hex of the raw body keyed by the verification token>`, compared in
// constant time), and a small Node HTTP handler for tests and local servers that answers the handshake,
// refuses what is not signed, and hands each verified event to a typed callback. Works against real Notion and
// notion-local alike.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookPayload } from './payload.js';

/** `sha256=<hex>` for a raw body, as Notion signs it. */
export function signNotionWebhook(body: string | Uint8Array, verificationToken: string): string {
  return `sha256=${createHmac('sha256', verificationToken).update(body).digest('hex')}`;
}

/** True when `signature` is the one Notion would send for this raw body and token. */
export function verifyNotionSignature(
  body: string | Uint8Array,
  signature: string | null | undefined,
  verificationToken: string,
): boolean {
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signNotionWebhook(body, verificationToken));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** One verified delivery: the parsed event, and the exact bytes and headers it came with. */
export interface ReceivedWebhookEvent {
  event: WebhookPayload;
  raw: Buffer;
  headers: IncomingMessage['headers'];
}

export interface WebhookHandlerOptions {
  /** The subscription's verification token; without one only the handshake is accepted. */
  verificationToken?: string | undefined;
  /** A verified event; what it returns (or throws) decides the answer: 200, or 500 so Notion retries. */
  onEvent: (received: ReceivedWebhookEvent) => void | Promise<void>;
  /** The handshake `{"verification_token": "secret_…"}` (paste it into the subscription to activate it). */
  onVerification?: (token: string) => void | Promise<void>;
}

/** Reads a request's body as bytes. */
export function readRawBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A handler for `http.createServer`: 200 for a verified event (after `onEvent`), 200 for the handshake, 401 for
 * a body whose signature does not verify, 400 for one that is not JSON.
 */
export function notionWebhookHandler(
  options: WebhookHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const raw = await readRawBody(request);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(response, 400);
    }
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === 'verification_token' && typeof body.verification_token === 'string') {
      await options.onVerification?.(body.verification_token);
      return answer(response, 200);
    }
    const signature = request.headers['x-notion-signature'];
    const token = options.verificationToken;
    if (!token || !verifyNotionSignature(raw, typeof signature === 'string' ? signature : null, token))
      return answer(response, 401);
    try {
      // The body is trusted as Notion's payload once its signature verified (the SDK's types describe it).
      await options.onEvent({ event: body as unknown as WebhookPayload, raw, headers: request.headers });
    } catch {
      return answer(response, 500);
    }
    return answer(response, 200);
  };
}

function answer(response: ServerResponse, status: number): void {
  response.statusCode = status;
  response.end();
}
