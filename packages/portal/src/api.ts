// The portal's one way to talk to the server: JSON over fetch to /portal/api, the session cookie sent by
// the browser, the CSRF token in a header on every state-changing call. Errors arrive as PortalApiError
// with the server's message, ready to show; a 401 tells the app the session is gone.
import type { PortalErrorBody, PortalWebhook, PortalWebhookDelivery, PortalWebhookList } from '@notion-local/server';
import type {
  PortalConsent,
  PortalConsentResult,
  PortalIssuedClientSecret,
  PortalOAuthClient,
} from '@notion-local/server';

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

/** An integration's webhook subscriptions and their deliveries (server: portal/portal-webhooks.ts). */
export const webhooksApi = {
  list: (integrationId: string) => api<PortalWebhookList>('GET', `/integrations/${integrationId}/webhooks`),
  create: (
    integrationId: string,
    body: { url: string; api_version: string; event_types: string[] | null; verification_token?: string },
  ) => api<PortalWebhook>('POST', `/integrations/${integrationId}/webhooks`, body),
  update: (
    hook: PortalWebhook,
    edit: { url?: string; event_types?: string[] | null; api_version?: string; paused?: boolean },
  ) => api<PortalWebhook>('PATCH', `/integrations/${hook.integration_id}/webhooks/${hook.id}`, edit),
  verify: (hook: PortalWebhook, token: string) =>
    api<PortalWebhook>('POST', `/integrations/${hook.integration_id}/webhooks/${hook.id}/verify`, {
      verification_token: token,
    }),
  resendVerification: (hook: PortalWebhook) =>
    api<PortalWebhook>('POST', `/integrations/${hook.integration_id}/webhooks/${hook.id}/resend_verification`),
  remove: (hook: PortalWebhook) =>
    api<{ deleted: true }>('DELETE', `/integrations/${hook.integration_id}/webhooks/${hook.id}`),
  deliveries: (hook: PortalWebhook) =>
    api<{ results: PortalWebhookDelivery[] }>(
      'GET',
      `/integrations/${hook.integration_id}/webhooks/${hook.id}/deliveries?limit=50`,
    ),
  resendDelivery: (hook: PortalWebhook, deliveryId: string) =>
    api<{ id: string; requeued: true }>(
      'POST',
      `/integrations/${hook.integration_id}/webhooks/${hook.id}/deliveries/${deliveryId}/resend`,
    ),
};

// ---- public integrations (OAuth) ----------------------------------------------------------------------------

/** What the consent screen shows for an authorization request (checked as /v1/oauth/authorize checks it). */
export function consentFor(clientId: string, redirectUri: string): Promise<PortalConsent> {
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri });
  return api<PortalConsent>('GET', `/oauth/consent?${query.toString()}`);
}

/** Allow (with the pages picked) or Cancel; answers where to send the browser. */
export function answerConsent(
  answer: 'allow' | 'cancel',
  request: { client_id: string; redirect_uri: string; state?: string | undefined; page_ids?: string[] },
): Promise<PortalConsentResult> {
  return api<PortalConsentResult>('POST', answer === 'allow' ? '/oauth/consent' : '/oauth/consent/cancel', request);
}

export function oauthClient(integrationId: string): Promise<PortalOAuthClient> {
  return api<PortalOAuthClient>('GET', `/integrations/${integrationId}/oauth`);
}

export function rotateClientSecret(integrationId: string): Promise<PortalIssuedClientSecret> {
  return api<PortalIssuedClientSecret>('POST', `/integrations/${integrationId}/oauth/secret`);
}

export function setRedirectUris(integrationId: string, uris: string[]): Promise<PortalOAuthClient> {
  return api<PortalOAuthClient>('PUT', `/integrations/${integrationId}/oauth/redirect_uris`, { redirect_uris: uris });
}

export function revokeAuthorization(integrationId: string, connectionId: string): Promise<PortalOAuthClient> {
  return api<PortalOAuthClient>('DELETE', `/integrations/${integrationId}/oauth/authorizations/${connectionId}`);
}
