// A rate budget shared through Redis: one hash per budget, updated by one Lua script (scripts run
// atomically), with a PEXPIRE so idle budgets disappear.
import { createClient } from 'redis';
import { burstToleranceMs, intervalMs, type PaceSpec, type Reservation } from './pacing.js';
import type { BudgetStore } from './budget-store.js';

/** The same rule as pacing.ts → reserveSlot. Numbers travel as strings: Redis truncates Lua numbers to integers. */
const RESERVE_SCRIPT = `
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local base = math.max(now, paused)
local t = math.max(tat, base)
local start = math.max(base, t - tolerance)
local newTat = t + interval
redis.call('HSET', KEYS[1], 'tat', tostring(newTat))
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(newTat, paused) - now) + 60000)
return {tostring(start - now), tostring(paused)}
`;

const PAUSE_SCRIPT = `
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > paused then redis.call('HSET', KEYS[1], 'paused', tostring(untilMs)) end
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(untilMs - tonumber(ARGV[2]), 0)) + 60000)
return 1
`;

export interface RedisBudgetStoreOptions {
  readonly url: string;
  /** Prefix of every key this store writes; default `notion-local:budget:`. */
  readonly keyPrefix?: string;
}

type RedisClient = ReturnType<typeof createClient>;

export class RedisBudgetStore implements BudgetStore {
  private readonly client: RedisClient;
  private readonly prefix: string;
  private connected: Promise<unknown> | null = null;
  private lastError: Error | null = null;

  constructor(options: RedisBudgetStoreOptions) {
    this.client = createClient({ url: options.url });
    // Without a listener a connection error would crash the process; surface it on the next call instead.
    this.client.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.prefix = options.keyPrefix ?? 'notion-local:budget:';
  }

  private async ready(): Promise<RedisClient> {
    this.connected ??= this.client.connect();
    await this.connected;
    return this.client;
  }

  async reserve(key: string, nowMs: number, spec: PaceSpec): Promise<Reservation> {
    const client = await this.ready();
    const reply = await client.eval(RESERVE_SCRIPT, {
      keys: [this.prefix + key],
      arguments: [String(nowMs), String(intervalMs(spec)), String(burstToleranceMs(spec))],
    });
    if (!Array.isArray(reply) || reply.length !== 2)
      throw new Error(
        `unexpected reply from Redis: ${String(reply)}${this.lastError ? ` (${this.lastError.message})` : ''}`,
      );
    return { waitMs: Number(reply[0]), pausedUntilMs: Number(reply[1]) };
  }

  async pause(key: string, untilMs: number, nowMs: number): Promise<void> {
    const client = await this.ready();
    await client.eval(PAUSE_SCRIPT, { keys: [this.prefix + key], arguments: [String(untilMs), String(nowMs)] });
  }

  async close(): Promise<void> {
    if (this.connected) {
      await this.connected.catch(() => undefined);
      if (this.client.isOpen) await this.client.quit();
    }
  }
}
