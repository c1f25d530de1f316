// A visitor of the developer portal's JSON API over plain HTTP: a cookie jar of one cookie and the CSRF
// token, as the web UI keeps them. Signs in with a seed password.
import { expect } from 'vitest';

export class PortalVisitor {
  cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}

  async call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: h,
      redirect: 'manual',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async signIn(email: string, password: string): Promise<this> {
    const res = await this.call('POST', '/portal/api/session', { email, password }, { 'x-csrf-token': 'sign-in' });
    expect(res.status).toBe(200);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    this.csrf = res.body.csrf_token;
    return this;
  }
}
