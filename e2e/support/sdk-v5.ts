// What the SDK v5 suites share: a client for a token (no retries, errors only), the error a call failed with,
// and a platform on a manual clock whose committed changes are collected (for suites that check timestamps and
// the change feed), on PGlite in memory or in a fresh PostgreSQL schema dropped on close.
import { APIResponseError, Client as ClientV5, LogLevel as LogLevelV5 } from 'notion-client-v5';
import { ManualClock, dropPostgresSchema, startPlatform, type Platform } from '@notion-local/server';
import type { Change } from '../../packages/server/src/services/changes.js';
import { testSeed } from './fixtures.js';
import { POSTGRES_URL, newSchemaName, type StoreKind } from './test-platform.js';

/** An SDK v5 client of the server at `baseUrl` (its default Notion-Version), which never retries. */
export function v5Client(baseUrl: string, token: string): ClientV5 {
  return new ClientV5({ auth: token, baseUrl, logLevel: LogLevelV5.ERROR, retry: false });
}

/** The error an SDK call failed with, as status, code and message. */
export async function failure(call: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof APIResponseError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call succeeded');
}

export interface ClockedPlatform {
  platform: Platform;
  /** Every change the platform committed since it started, in order. */
  changes: Change[];
  close(): Promise<void>;
}

/** The test seed served on `kind` with `clock` as the platform's time, without rate limits. */
export async function startClockedPlatform(kind: StoreKind, clock: ManualClock): Promise<ClockedPlatform> {
  const schema = kind === 'postgres' ? newSchemaName() : null;
  const platform = await startPlatform({
    store: schema ? { kind: 'postgres', url: POSTGRES_URL, schema } : { kind: 'memory' },
    port: 0,
    seed: testSeed(),
    clock,
    config: { rateLimit: { enabled: false } },
  });
  const changes: Change[] = [];
  platform.changes.subscribe((c) => changes.push(...c));
  return {
    platform,
    changes,
    async close() {
      await platform.close();
      if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
    },
  };
}
