// Passwords: salted scrypt hashes with their parameters, the older unsalted SHA-256 hashes still accepted and
// replaced on the next successful sign-in (in the users table and in the resolved seed a reset re-applies),
// and a wrong password refused the same way whatever the stored format. Store cases run on every store.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLegacyPasswordHash, makePasswordHash, PASSWORD_SCRYPT, verifyPassword } from '../src/auth/passwords.js';
import { hashPassword as legacyHash } from '../src/auth/tokens.js';
import { ChangeFeed } from '../src/services/changes.js';
import { checkPassword } from '../src/services/portal-sessions.js';
import { resetWorkspace } from '../src/services/workspaces.js';
import { loadSeed } from '../src/seed/seed-loader.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import type { Store } from '../src/store/sql-store.js';

const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';
const SCRYPT_HASH = /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/;

describe('password hashes', () => {
  it('are scrypt with their parameters and a salt of their own: one password, two different hashes', async () => {
    const [a, b] = await Promise.all([makePasswordHash('correct horse'), makePasswordHash('correct horse')]);
    expect(a).toMatch(SCRYPT_HASH);
    expect(b).toMatch(SCRYPT_HASH);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword(a, 'correct horse')).toEqual({ ok: true, upgrade: null });
    expect(await verifyPassword(b, 'correct horse')).toEqual({ ok: true, upgrade: null });
  });

  it('accept an old unsalted SHA-256 hash and hand back a scrypt hash to store instead', async () => {
    const old = legacyHash('correct horse');
    expect(old).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(isLegacyPasswordHash(old)).toBe(true);
    const check = await verifyPassword(old, 'correct horse');
    expect(check.ok).toBe(true);
    expect(check.upgrade).toMatch(SCRYPT_HASH);
    expect(await verifyPassword(check.upgrade, 'correct horse')).toEqual({ ok: true, upgrade: null });
  });

  it('refuse a wrong password the same way for both formats, for no person and for an unreadable hash', async () => {
    const refused = { ok: false, upgrade: null };
    expect(await verifyPassword(await makePasswordHash('right'), 'wrong')).toEqual(refused);
    expect(await verifyPassword(legacyHash('right'), 'wrong')).toEqual(refused);
    expect(await verifyPassword(null, 'right')).toEqual(refused);
    expect(
      await verifyPassword('scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x'),
    ).toEqual(refused);
    expect(await verifyPassword('', '')).toEqual(refused);
  });

  it('are upgraded when made with weaker parameters than today', async () => {
    const weak = await makePasswordHash('pw', { N: 1024, r: 8, p: 1 });
    const check = await verifyPassword(weak, 'pw');
    expect(check.ok).toBe(true);
    expect(check.upgrade).toMatch(SCRYPT_HASH);
    expect(PASSWORD_SCRYPT).toEqual({ N: 16384, r: 8, p: 1 });
  });

  it('cost tens of milliseconds, not seconds (the e2e suites sign in often)', async () => {
    const hash = await makePasswordHash('timing');
    const started = performance.now();
    for (let i = 0; i < 5; i++) await verifyPassword(hash, 'timing');
    expect((performance.now() - started) / 5).toBeLessThan(250);
  });
});

const kinds = PG_URL ? ['pglite', 'postgres'] : ['pglite'];

describe.each(kinds)('signing in with an old SHA-256 password hash on %s', (kind) => {
  let store: Store;
  const schema = `nl_pw_${process.pid}_${randomBytes(3).toString('hex')}`;
  const changes = new ChangeFeed();
  let workspaceId = '';
  let userId = '';
  beforeAll(async () => {
    store = kind === 'postgres' ? await openPostgres({ url: PG_URL, schema }) : await openStore({ kind: 'memory' });
    const seed = {
      workspaces: [{ name: 'Acme', users: [{ name: 'Ada', email: 'ada@example.com', password: 'old-password' }] }],
    };
    const result = await loadSeed(store, seed, new Date(), { changes });
    workspaceId = result!.workspaceIds[0]!;
    // Make the person and the kept seed look as a store written before scrypt does.
    const [user] = await store.query<{ id: string }>("SELECT id FROM users WHERE type = 'person'");
    userId = user!.id;
    await store.query('UPDATE users SET password_hash = $1 WHERE id = $2', [legacyHash('old-password'), userId]);
    await store.query(
      `UPDATE seeds SET seed = jsonb_set(seed, '{users,0,password_hash}', to_jsonb($1::text)) WHERE workspace_id = $2`,
      [legacyHash('old-password'), workspaceId],
    );
  });
  afterAll(async () => {
    await store?.close();
    if (kind === 'postgres') await dropPostgresSchema(PG_URL, schema);
  });

  const storedHashes = async () => {
    const [user] = await store.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      userId,
    ]);
    const [kept] = await store.query<{ seed: { users: { password_hash: string }[] } }>(
      'SELECT seed FROM seeds WHERE workspace_id = $1',
      [workspaceId],
    );
    return { user: user!.password_hash, seed: kept!.seed.users[0]!.password_hash };
  };

  it('refuses a wrong password and leaves the old hash as it was', async () => {
    expect(await checkPassword(store, 'ada@example.com', 'wrong')).toBeNull();
    expect(await checkPassword(store, 'nobody@example.com', 'old-password')).toBeNull();
    expect(await storedHashes()).toEqual({ user: legacyHash('old-password'), seed: legacyHash('old-password') });
  });

  it('signs in, replaces the hash by a scrypt one in users and in the seed, and a reset keeps it', async () => {
    expect(await checkPassword(store, 'ADA@example.com', 'old-password')).toBe(userId);
    const upgraded = await storedHashes();
    expect(upgraded.user).toMatch(SCRYPT_HASH);
    expect(upgraded.seed).toBe(upgraded.user);
    // The next sign-in checks the scrypt hash and changes nothing.
    expect(await checkPassword(store, 'ada@example.com', 'old-password')).toBe(userId);
    expect(await checkPassword(store, 'ada@example.com', 'wrong')).toBeNull();
    expect(await storedHashes()).toEqual(upgraded);
    await resetWorkspace({ store, changes }, workspaceId, new Date());
    expect(await storedHashes()).toEqual(upgraded);
    expect(await checkPassword(store, 'ada@example.com', 'old-password')).toBe(userId);
  });
});
