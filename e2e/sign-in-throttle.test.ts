// The portal's sign-in throttle over HTTP, on every store: failed password sign-ins per account (5 per
// 15 minutes) and per client address (20), failed one-time links per address, each refused with 429,
// the portal's error shape and Retry-After until the window frees — the right password and a real link
// included. Time is a ManualClock (no sleeps); client addresses are loopback addresses (127.0.0.x) bound as
// the connection's source. On PostgreSQL, guesses sent at once to two servers on one schema stay within
// the limit. The limits and the window are the platform config's `signInThrottle` (`sign_in_throttle` in
// the serve config file): other values take effect, and values that cannot be used stop the start.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropPostgresSchema,
  ManualClock,
  startPlatform,
  type Platform,
  type SignInThrottleConfig,
} from '@notion-local/server';
import { testSeed } from './support/fixtures.js';
import { newSchemaName, POSTGRES_URL, storeKinds, TEST_CONFIG, type StoreKind } from './support/test-platform.js';

const PASSWORD = 'ada-password-1';
const WINDOW_S = 15 * 60;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One request to the platform from a chosen loopback source address. */
function send(base: string, from: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { 'x-csrf-token': 'sign-in' };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: from },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const signIn = (base: string, from: string, email: string, password: string) =>
  send(base, from, 'POST', '/portal/api/session', { email, password });

function expectThrottled(answer: Answer, retryAfter: number, by: 'account' | 'address'): void {
  expect(answer.status).toBe(429);
  expect(answer.headers['retry-after']).toBe(String(retryAfter));
  expect(answer.headers['set-cookie']).toBeUndefined();
  expect(answer.body.error.code).toBe('rate_limited');
  expect(answer.body.error.message).toContain(by === 'account' ? 'for this account' : 'from this address');
  expect(answer.body.error.message).toContain('even with the right password');
}

describe.each(storeKinds())('sign-in throttle on %s', (kind: StoreKind) => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const schema = kind === 'postgres' ? newSchemaName() : '';
  let platform: Platform;
  let base = '';
  beforeAll(async () => {
    const seed = testSeed();
    Object.assign(seed.workspaces[0]!.users[0]!, { password: PASSWORD });
    const store =
      kind === 'postgres' ? { kind: 'postgres' as const, url: POSTGRES_URL, schema } : { kind: 'memory' as const };
    platform = await startPlatform({ store, port: 0, seed, config: TEST_CONFIG, clock });
    base = platform.url;
  });
  afterAll(async () => {
    await platform?.close();
    if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
  });

  it('200 wrong passwords: 401 five times, then 429 with Retry-After, the right one too, until the window frees', async () => {
    const from = '127.0.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = await signIn(base, from, 'ada@example.com', `guess-${i}`);
      statuses.push(answer.status);
      if (i === 5) expectThrottled(answer, WINDOW_S, 'account');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    expectThrottled(await signIn(base, from, 'ada@example.com', PASSWORD), WINDOW_S, 'account');
    // Another address is no way around an account's limit, and the email's case changes nothing.
    expectThrottled(await signIn(base, '127.0.0.9', 'ADA@example.com', PASSWORD), WINDOW_S, 'account');
    clock.advance((WINDOW_S - 1) * 1000 + 1);
    expectThrottled(await signIn(base, from, 'ada@example.com', PASSWORD), 1, 'account');
    clock.advance(999);
    const right = await signIn(base, from, 'ada@example.com', PASSWORD);
    expect(right.status).toBe(200);
    expect(right.headers['set-cookie']).toBeDefined();
  });

  it('a successful sign-in starts the account afresh', async () => {
    const from = '127.0.0.1';
    clock.advance(WINDOW_S * 1000);
    for (let i = 0; i < 4; i++) expect((await signIn(base, from, 'ada@example.com', 'wrong')).status).toBe(401);
    expect((await signIn(base, from, 'ada@example.com', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(base, from, 'ada@example.com', 'wrong')).status).toBe(401);
    expect((await signIn(base, from, 'ada@example.com', PASSWORD)).status).toBe(200);
  });

  it('20 failures from one address, across accounts, throttle that address only', async () => {
    clock.advance(WINDOW_S * 1000);
    const from = '127.0.0.2';
    for (let i = 0; i < 20; i++) {
      // One try per account (most do not exist): no account reaches its own limit.
      expect((await signIn(base, from, `person-${i}@example.com`, 'wrong')).status).toBe(401);
      clock.advance(1000);
    }
    expectThrottled(await signIn(base, from, 'someone-else@example.com', 'wrong'), WINDOW_S - 20, 'address');
    expectThrottled(await signIn(base, from, 'ada@example.com', PASSWORD), WINDOW_S - 20, 'address');
    expect((await signIn(base, '127.0.0.3', 'ada@example.com', PASSWORD)).status).toBe(200);
    clock.advance((WINDOW_S - 20) * 1000);
    expect((await signIn(base, from, 'ada@example.com', PASSWORD)).status).toBe(200);
  });

  it('one-time links: 20 wrong ones from an address, then 429; the real link is not used up until it may be', async () => {
    const from = '127.0.0.4';
    const link = new URL(platform.signInUrl!);
    // No token at all is no attempt.
    for (let i = 0; i < 25; i++) expect((await send(base, from, 'GET', '/sign-in')).status).toBe(303);
    for (let i = 0; i < 20; i++) {
      const wrong = await send(base, from, 'GET', `/sign-in?token=guess-${i}`);
      expect(wrong.status).toBe(303);
      expect(wrong.headers.location).toBe('/?sign_in=invalid');
    }
    expectThrottled(await send(base, from, 'GET', '/sign-in?token=guess-20'), WINDOW_S, 'address');
    expectThrottled(await send(base, from, 'GET', link.pathname + link.search), WINDOW_S, 'address');
    clock.advance(WINDOW_S * 1000);
    const real = await send(base, from, 'GET', link.pathname + link.search);
    expect(real.status).toBe(303);
    expect(real.headers.location).toBe('/');
    expect(String(real.headers['set-cookie'])).toMatch(/^nl_session=/);
  });

  it('guesses sent all at once never get past the account limit', async () => {
    clock.advance(WINDOW_S * 1000);
    const servers = [base];
    let second: Platform | undefined;
    if (kind === 'postgres') {
      // A second server on the same schema: the counters are the store's, shared by both.
      second = await startPlatform({ store: { kind: 'postgres', url: POSTGRES_URL, schema }, port: 0, clock });
      servers.push(second.url);
    }
    try {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          signIn(servers[i % servers.length]!, `127.0.0.${10 + (i % 5)}`, 'ada@example.com', `guess-${i}`),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    } finally {
      await second?.close();
    }
  });
});

describe('sign-in throttle configured by PlatformConfig.signInThrottle', () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const seed = () => {
    const s = testSeed();
    Object.assign(s.workspaces[0]!.users[0]!, { password: PASSWORD });
    return s;
  };
  const start = (signInThrottle: Partial<SignInThrottleConfig>) =>
    startPlatform({
      store: { kind: 'memory' },
      port: 0,
      seed: seed(),
      config: { ...TEST_CONFIG, signInThrottle },
      clock,
    });

  it('lower limits and a shorter window throttle sooner and free sooner', async () => {
    const platform = await start({ accountAttempts: 2, addressAttempts: 3, windowSeconds: 60 });
    try {
      const base = platform.url;
      expect((await signIn(base, '127.0.0.1', 'ada@example.com', 'wrong')).status).toBe(401);
      expect((await signIn(base, '127.0.0.1', 'ada@example.com', 'wrong')).status).toBe(401);
      expectThrottled(await signIn(base, '127.0.0.1', 'ada@example.com', PASSWORD), 60, 'account');
      for (let i = 0; i < 3; i++) expect((await signIn(base, '127.0.0.5', `p${i}@example.com`, 'x')).status).toBe(401);
      expectThrottled(await signIn(base, '127.0.0.5', 'q@example.com', 'x'), 60, 'address');
      clock.advance(60_000);
      expect((await signIn(base, '127.0.0.1', 'ada@example.com', PASSWORD)).status).toBe(200);
    } finally {
      await platform.close();
    }
  });

  it('enabled: false throttles nothing', async () => {
    const platform = await start({ enabled: false });
    try {
      for (let i = 0; i < 30; i++)
        expect((await signIn(platform.url, '127.0.0.6', 'ada@example.com', `guess-${i}`)).status).toBe(401);
      expect((await signIn(platform.url, '127.0.0.6', 'ada@example.com', PASSWORD)).status).toBe(200);
    } finally {
      await platform.close();
    }
  });

  it('a limit that cannot be used stops the start with a message naming it', async () => {
    await expect(start({ accountAttempts: 0 })).rejects.toThrow(
      'sign-in throttle: account_attempts must be an integer from 1 to 1000000, not 0',
    );
    await expect(start({ windowSeconds: 86_401 })).rejects.toThrow(
      'sign-in throttle: window_seconds must be an integer from 1 to 86400, not 86401',
    );
  });
});
