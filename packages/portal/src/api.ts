// The portal's one way to talk to the server: JSON over fetch to /portal/api, the session cookie sent by
// the browser, the CSRF token in a header on every state-changing call. Errors arrive as PortalApiError
// with the server's message, ready to show; a 401 tells the app the session is gone.
import type { PortalErrorBody } from '@notion-local/server';

export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PortalApiError';
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function onSessionLost(handler: () => void): void {
  onSignedOut = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function api<T>(
  method: Method,
  path: string,
  body?: unknown,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken || 'sign-in';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/portal/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new PortalApiError(
      0,
      'network',
      'The notion-local server did not answer. Is `notion-local serve` still running?',
    );
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const err = (parsed as PortalErrorBody | null)?.error;
    if (response.status === 401 && !opts.quiet401) onSignedOut();
    throw new PortalApiError(
      response.status,
      err?.code ?? 'unknown',
      err?.message ?? `The server answered ${response.status}.`,
    );
  }
  return parsed as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
