// `notion-local webhooks listen --forward-to URL`: like `stripe listen`. Subscribes an integration of a running
// notion-local to a receiver on a loopback port (through the admin API, with a verification token it makes and
// prints once), verifies every delivery's signature, forwards the exact bytes and headers to the app under
// development, answers notion-local with the app's status (so a failing app gets Notion's retries), prints one
// line per delivery, and deletes the subscription when it stops (SIGINT/SIGTERM).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRawBody, verifyNotionSignature } from '@notion-local/toolkit';
import { CliError, EXIT } from '../cli-error.js';

export interface ListenFlags {
  baseUrl?: string;
  adminToken?: string;
  integration: string;
  forwardTo: string;
  events?: string;
  apiVersion?: string;
  port?: string;
}

export interface ListenEnv {
  adminToken: string | undefined;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the listener should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<void>;
}

/** Headers forwarded as received (the signature among them); hop-by-hop ones are left to fetch. */
const FORWARDED = ['content-type', 'user-agent', 'x-notion-signature'];

function checkedUrl(value: string, flag: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString().replace(/\/$/, '');
  } catch {
    // falls through to the one-line error
  }
  throw new CliError(`${flag} must be an http:// or https:// URL, not "${value}"`, EXIT.usage);
}

async function admin(base: string, token: string, path: string, method: string, body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${base}/__admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${(error as Error).message}`, EXIT.failure);
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { message?: string }) : {};
  if (response.status === 401)
    throw new CliError('the admin token was refused: pass the "admin_token" of the server config', EXIT.failure);
  if (response.status === 404 && path === '/webhooks')
    throw new CliError(`${base} has no admin API: start it with "admin_token" in its --config`, EXIT.failure);
  if (!response.ok) throw new CliError(parsed.message ?? `admin API answered ${response.status}`, EXIT.failure);
  return parsed;
}

function defaultStop(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function webhooksListen(flags: ListenFlags, env: ListenEnv): Promise<void> {
  const base = checkedUrl(flags.baseUrl ?? 'http://127.0.0.1:3000', '--base-url');
  const forwardTo = checkedUrl(flags.forwardTo, '--forward-to');
  const adminToken = flags.adminToken ?? env.adminToken;
  if (!adminToken) throw new CliError('no admin token: pass --admin-token or set NOTION_LOCAL_ADMIN_TOKEN', EXIT.usage);
  const port = Number(flags.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be an integer from 0 to 65535, not "${flags.port}"`, EXIT.usage);
  const verificationToken = `secret_${randomBytes(32).toString('base64url')}`;
  const server = createServer((request, response) => {
    void relay(request, response, { forwardTo, verificationToken, out: env.stdout });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let subscription: { id: string };
  try {
    subscription = await admin(base, adminToken, '/webhooks', 'POST', {
      integration_id: flags.integration,
      url: `${listening}/`,
      ...(flags.events ? { event_types: flags.events.split(',').map((e) => e.trim()) } : {}),
      ...(flags.apiVersion ? { api_version: flags.apiVersion } : {}),
      verification_token: verificationToken,
    });
  } catch (error) {
    await close(server);
    throw error;
  }
  env.stdout.write(
    `Ready: forwarding webhooks of ${flags.integration} to ${forwardTo} (subscription ${subscription.id}).\n` +
      `Verification token (verify X-Notion-Signature with it): ${verificationToken}\n`,
  );
  await (env.stopSignal ?? defaultStop());
  await admin(base, adminToken, `/webhooks/${subscription.id}`, 'DELETE').catch(() => undefined);
  await close(server);
  env.stdout.write(`Stopped; subscription ${subscription.id} deleted.\n`);
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Verifies one delivery, forwards its exact bytes, answers with the app's status, and prints a line. */
async function relay(
  request: IncomingMessage,
  response: ServerResponse,
  context: { forwardTo: string; verificationToken: string; out: NodeJS.WritableStream },
): Promise<void> {
  const raw = await readRawBody(request);
  const signature = request.headers['x-notion-signature'];
  let event: { type?: string; entity?: { id?: string }; attempt_number?: number } = {};
  try {
    event = JSON.parse(raw.toString('utf8')) as typeof event;
  } catch {
    // Not JSON: refused below as unsigned or forwarded as it is.
  }
  const label = `${event.type ?? 'unknown'} ${event.entity?.id ?? ''} attempt ${event.attempt_number ?? '?'}`;
  if (!verifyNotionSignature(raw, typeof signature === 'string' ? signature : null, context.verificationToken)) {
    context.out.write(`${new Date().toISOString()}  ${label}  signature did not verify: refused (401)\n`);
    response.statusCode = 401;
    return void response.end();
  }
  const headers: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const started = performance.now();
  let status = 502;
  try {
    const forwarded = await fetch(context.forwardTo, { method: 'POST', headers, body: raw });
    await forwarded.arrayBuffer();
    status = forwarded.status;
  } catch (error) {
    context.out.write(
      `${new Date().toISOString()}  ${label}  → ${context.forwardTo} failed: ${(error as Error).message}\n`,
    );
  }
  const ms = Math.round(performance.now() - started);
  context.out.write(`${new Date().toISOString()}  ${label}  → ${status} (${ms} ms)\n`);
  response.statusCode = status;
  response.end();
}
