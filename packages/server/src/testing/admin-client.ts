// The admin API (`/__admin/…`, http/admin-routes.ts) over HTTP: what `notion-local/testing` does to a server,
// whether it started the server itself or was pointed at one started elsewhere. One code path for both, so
// an in-process run tests what a shared server does.

/** An answer of the admin API other than 2xx: Notion's error shape, kept whole. */
export class NotionLocalAdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`notion-local admin API: ${status} ${code}: ${message}`);
    this.name = 'NotionLocalAdminError';
  }
}

export interface AdminClient {
  readonly baseUrl: string;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function adminClient(baseUrl: string, adminToken: string): AdminClient {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: root,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${root}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { code: 'invalid_json', message: text.slice(0, 200) };
      }
      if (!response.ok) {
        const error = (parsed ?? {}) as { code?: string; message?: string };
        throw new NotionLocalAdminError(response.status, error.code ?? 'unknown', error.message ?? text.slice(0, 200));
      }
      return parsed as T;
    },
  };
}
