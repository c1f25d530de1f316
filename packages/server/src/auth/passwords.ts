// How people's passwords are stored and checked: scrypt (Node's crypto.scrypt, on the libuv thread pool so
// the event loop keeps serving) with a random 16-byte salt per hash and its parameters stored with it:
// `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`. Hashes of the older formula (`sha256:<hex>`,
// unsalted, written by seeds before scrypt) still verify; `verifyPassword` then hands back a scrypt hash to
// store instead (as it does for a scrypt hash made with weaker parameters than today's).
//
// Cost: N = 16384, r = 8, p = 1 (16 MiB, scrypt's interactive-login parameters) takes ~34 ms per hash on the
// machine that runs the e2e suites (`node -e` timing of 10 crypto.scryptSync calls, 2026, Node 20).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hashPassword as legacySha256Hash, sameSecret } from './tokens.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const PASSWORD_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 16384, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored parameters past these are refused rather than run (a hash is never allowed to cost seconds). */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

const SCRYPT_FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([\w-]{16,88})\$([\w-]{32,88})$/;
const LEGACY_FORMAT = /^(?:sha256:)?[0-9a-f]{64}$/;

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; allow twice that so Node's default 32 MiB cap does not refuse larger N.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** A new scrypt hash of the password, with a fresh random salt. */
export async function makePasswordHash(password: string, params: ScryptParams = PASSWORD_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedScrypt {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseScrypt(stored: string): ParsedScrypt | null {
  const m = SCRYPT_FORMAT.exec(stored);
  if (!m) return null;
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const powerOfTwo = params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.N > MAX_N || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P)
    return null;
  return { params, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

/** True for the unsalted SHA-256 hashes seeds stored before scrypt. */
export function isLegacyPasswordHash(stored: string): boolean {
  return LEGACY_FORMAT.test(stored);
}

export interface PasswordCheck {
  ok: boolean;
  /** When ok and the stored hash is of an older formula or weaker parameters: the hash to store instead. */
  upgrade: string | null;
}

let dummy: Promise<string> | null = null;
/** A hash no password is checked against for real: it makes "no such person" cost what a real check costs. */
function dummyHash(): Promise<string> {
  dummy ??= makePasswordHash(randomBytes(16).toString('hex'));
  return dummy;
}

/**
 * Checks a password against a stored hash in constant time for its length. `stored` null (no such person)
 * or unreadable still runs one scrypt, so the answer's timing does not tell which emails exist; a legacy
 * hash also runs one (making the hash that replaces it), so its timing does not tell its format either.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<PasswordCheck> {
  if (stored !== null && isLegacyPasswordHash(stored)) {
    const expected = stored.startsWith('sha256:') ? stored : `sha256:${stored}`;
    const ok = sameSecret(legacySha256Hash(password), expected);
    const upgrade = await makePasswordHash(password);
    return { ok, upgrade: ok ? upgrade : null };
  }
  const parsed = stored === null ? null : parseScrypt(stored);
  const target = parsed ?? parseScrypt(await dummyHash())!;
  const key = await derive(password, target.salt, target.params, target.key.length);
  const ok = parsed !== null && key.length === target.key.length && timingSafeEqual(key, target.key);
  if (!ok || !parsed) return { ok: false, upgrade: null };
  const weaker =
    parsed.params.N < PASSWORD_SCRYPT.N || parsed.params.r < PASSWORD_SCRYPT.r || parsed.params.p < PASSWORD_SCRYPT.p;
  return { ok: true, upgrade: weaker ? await makePasswordHash(password) : null };
}
