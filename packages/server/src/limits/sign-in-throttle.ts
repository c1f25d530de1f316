// The portal's sign-in throttle: password sign-ins are counted per account (the email asked for, whether
// or not a person has it, so the answer never tells which emails exist) and per client address; one-time
// link sign-ins per address. Each key has a window that starts at its first counted attempt; once a window
// holds its limit, every sign-in on that key is refused — the right password included — until the window
// ends (`retryAfterSeconds`). A successful sign-in forgets the account's attempts and takes its own back from
// the address's count, so a person who signs in often is never throttled, and one good account does not
// reset an address that guesses at others.
//
// Attempts are counted before the password is checked (a conditional upsert in the store), so concurrent
// guesses, from one process or several on one PostgreSQL, never get past the limit. Time is the injected
// clock's.
import { isIPv6 } from 'node:net';
import type { Clock } from '../clock.js';
import {
  clearAttempts,
  deleteAttemptsBefore,
  findAttemptWindow,
  returnAttempt,
  takeAttempt,
  type AttemptWindow,
} from '../store/sign-in-attempt-repo.js';
import type { Store } from '../store/sql-store.js';

export interface SignInThrottleConfig {
  readonly enabled: boolean;
  /** Failed sign-ins per account per window. */
  readonly accountAttempts: number;
  /** Failed sign-ins (password or link) per client address per window. */
  readonly addressAttempts: number;
  readonly windowSeconds: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleConfig = Object.freeze({
  enabled: true,
  accountAttempts: 5,
  addressAttempts: 20,
  windowSeconds: 15 * 60,
});

/**
 * Why a configuration cannot be used, or null: limits are whole numbers from 1, the window 1 s to a day.
 * Names are the config file's (`sign_in_throttle.account_attempts`), as serverLimitsProblem's are.
 */
export function signInThrottleProblem(config: SignInThrottleConfig): string | null {
  if (typeof config.enabled !== 'boolean') return `enabled must be true or false, not ${String(config.enabled)}`;
  const rules: [string, number, number][] = [
    ['account_attempts', config.accountAttempts, 1_000_000],
    ['address_attempts', config.addressAttempts, 1_000_000],
    ['window_seconds', config.windowSeconds, 86_400],
  ];
  for (const [name, value, max] of rules) {
    if (!Number.isInteger(value) || value < 1 || value > max)
      return `${name} must be an integer from 1 to ${max}, not ${value}`;
  }
  return null;
}

/** Who is signing in: the email asked for (password sign-in) and the client's address. */
export interface SignInAttempt {
  account?: string | undefined;
  address: string;
}

/** The counted attempts of an admitted sign-in, to take back when it succeeds. */
export interface SignInTicket {
  accountKey: string | null;
  address: { key: string; windowStart: number } | null;
}

export type SignInAdmission =
  | { allowed: true; ticket: SignInTicket }
  | { allowed: false; retryAfterSeconds: number; limitedBy: 'account' | 'address' };

class Refused extends Error {
  constructor(
    readonly key: string,
    readonly limitedBy: 'account' | 'address',
  ) {
    super('sign-in throttled');
  }
}

const PRUNE_EVERY_MS = 60_000;

export class SignInThrottle {
  private lastPruneMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: SignInThrottleConfig = DEFAULT_SIGN_IN_THROTTLE,
  ) {
    const problem = signInThrottleProblem(config);
    if (problem) throw new Error(`sign-in throttle: ${problem}`);
  }

  /** Counts the attempt on its keys, or refuses it (counting nothing) when one of them is full. */
  async admit(attempt: SignInAttempt): Promise<SignInAdmission> {
    if (!this.config.enabled) return { allowed: true, ticket: { accountKey: null, address: null } };
    const nowMs = this.clock.now().getTime();
    const windowMs = this.config.windowSeconds * 1000;
    await this.prune(nowMs, windowMs);
    const accountKey = attempt.account ? accountKeyOf(attempt.account) : null;
    const addressKey = `ip:${addressKeyOf(attempt.address)}`;
    try {
      return await this.store.transaction(async (tx) => {
        if (accountKey && !(await takeAttempt(tx, accountKey, nowMs, this.config.accountAttempts, windowMs)))
          throw new Refused(accountKey, 'account');
        const taken = await takeAttempt(tx, addressKey, nowMs, this.config.addressAttempts, windowMs);
        if (!taken) throw new Refused(addressKey, 'address');
        return { allowed: true, ticket: { accountKey, address: { key: addressKey, windowStart: taken.windowStart } } };
      });
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const window = await findAttemptWindow(this.store, error.key);
      return { allowed: false, limitedBy: error.limitedBy, retryAfterSeconds: secondsLeft(window, nowMs, windowMs) };
    }
  }

  /** The sign-in succeeded: its account starts afresh, and its address gets its attempt back. */
  async succeeded(ticket: SignInTicket): Promise<void> {
    if (ticket.accountKey) await clearAttempts(this.store, ticket.accountKey);
    if (ticket.address) await returnAttempt(this.store, ticket.address.key, ticket.address.windowStart);
  }

  private async prune(nowMs: number, windowMs: number): Promise<void> {
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = nowMs;
    await deleteAttemptsBefore(this.store, nowMs - windowMs);
  }
}

function secondsLeft(window: AttemptWindow | null, nowMs: number, windowMs: number): number {
  const endMs = (window?.windowStart ?? nowMs) + windowMs;
  return Math.max(1, Math.ceil((endMs - nowMs) / 1000));
}

function accountKeyOf(email: string): string {
  return `a:${email.trim().toLowerCase()}`;
}

/**
 * One key per IPv4 address; IPv6 addresses by their /64 (one host usually holds a whole /64, so counting
 * its addresses one by one would throttle nothing). IPv4-mapped IPv6 addresses count as IPv4.
 */
export function addressKeyOf(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
