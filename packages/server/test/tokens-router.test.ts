import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, hasValidChecksum, tokenHint } from '../src/auth/tokens.js';
import { bearerToken } from '../src/auth/authenticate.js';
import { Router } from '../src/http/router.js';
import { normalizeId } from '../src/ids.js';
import { toMinuteIso } from '../src/clock.js';

describe('tokens', () => {
  it('generates ntn_ and secret_ tokens with a checksum, unique each time', () => {
    const a = generateToken();
    const b = generateToken('secret_');
    expect(a).toMatch(/^ntn_[0-9A-Za-z]{43}$/);
    expect(b).toMatch(/^secret_[0-9A-Za-z]{43}$/);
    expect(a).not.toBe(generateToken());
    expect(hasValidChecksum(a)).toBe(true);
    expect(hasValidChecksum(b)).toBe(true);
    const typo = a.slice(0, 10) + (a[10] === 'x' ? 'y' : 'x') + a.slice(11);
    expect(hasValidChecksum(typo)).toBe(false);
  });

  it('stores only a SHA-256 hex digest and shows a short hint', () => {
    const t = generateToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t.slice(4, 20));
    expect(tokenHint(t)).toBe(`ntn_…${t.slice(-4)}`);
  });

  it('reads bearer tokens of any shape', () => {
    expect(bearerToken('Bearer secret_abc')).toBe('secret_abc');
    expect(bearerToken('bearer ntn_x')).toBe('ntn_x');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('router', () => {
  const router = new Router<string>();
  router.add({ method: 'GET', path: '/v1/users/me', handler: 'me' });
  router.add({ method: 'GET', path: '/v1/users/:user_id', handler: 'user' });
  router.add({ method: 'PATCH', path: '/v1/blocks/:block_id/children', handler: 'append' });

  it('matches static routes before params and extracts params', () => {
    expect(router.match('GET', '/v1/users/me')).toMatchObject({ route: { handler: 'me' } });
    expect(router.match('GET', '/v1/users/abc')).toMatchObject({
      route: { handler: 'user' },
      params: { user_id: 'abc' },
    });
  });

  it('tells an unknown method on a known path from an unknown path', () => {
    expect(router.match('GET', '/v1/blocks/x/children')).toEqual({ route: null, pathExists: true });
    expect(router.match('GET', '/v1/nothing')).toEqual({ route: null, pathExists: false });
  });
});

describe('ids and time', () => {
  it('normalises ids', () => {
    expect(normalizeId('0A0000000000400080000000000000C1')).toBe('0a000000-0000-4000-8000-0000000000c1');
    expect(normalizeId('0a000000-0000-4000-8000-0000000000c1')).toBe('0a000000-0000-4000-8000-0000000000c1');
    expect(normalizeId('12345')).toBeNull();
  });
  it('floors timestamps to the minute', () => {
    expect(toMinuteIso(new Date('2026-07-04T09:08:52.999Z'))).toBe('2026-07-04T09:08:00.000Z');
  });
});
