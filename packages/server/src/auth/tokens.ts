// Integration tokens: `ntn_` (new) or `secret_` (legacy) + random base62 + a 4-character checksum so a
// mistyped token is told apart from a revoked one in logs of our own. Only SHA-256 hashes are stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 39;
const CHECKSUM_LENGTH = 4;

export type TokenPrefix = 'ntn_' | 'secret_';

function base62(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const byte = bytes[i % bytes.length] ?? 0;
    if (byte < 248) out += ALPHABET[byte % 62]; // 248 = 4·62: no modulo bias
    if (i >= bytes.length - 1 && out.length < length) bytes = randomBytes(64);
  }
  return out;
}

function checksum(body: string): string {
  const digest = createHash('sha256').update(body).digest();
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) out += ALPHABET[(digest[i] ?? 0) % 62];
  return out;
}

export function generateToken(prefix: TokenPrefix = 'ntn_'): string {
  const body = base62(randomBytes(64), BODY_LENGTH);
  return `${prefix}${body}${checksum(body)}`;
}

/** True when the token is one we generated and was not mistyped. Tokens of other shapes are still accepted. */
export function hasValidChecksum(token: string): boolean {
  const m = /^(?:ntn_|secret_)([0-9A-Za-z]+)$/.exec(token);
  if (!m?.[1] || m[1].length <= CHECKSUM_LENGTH) return false;
  const body = m[1].slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === m[1].slice(-CHECKSUM_LENGTH);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What we may show of a token after creation: its prefix and last four characters. */
export function tokenHint(token: string): string {
  const prefix = token.startsWith('secret_') ? 'secret_' : token.startsWith('ntn_') ? 'ntn_' : '';
  return `${prefix}…${token.slice(-4)}`;
}

/**
 * How a seed user's password is stored and checked (`sha256:<hex>`). One function for both sides, so the
 * seed loader and the portal's sign-in cannot drift apart.
 */
export function hashPassword(password: string): string {
  return `sha256:${createHash('sha256').update(password).digest('hex')}`;
}

/** Compares two secrets in constant time (for equal lengths), so timing does not tell how much matched. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
