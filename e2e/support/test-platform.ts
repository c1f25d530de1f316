// Starts the real platform on port 0 for a test file, on in-memory PGlite or on PostgreSQL. Suites run on
// every store `storeKinds()` names: PGlite always, PostgreSQL too when NOTION_LOCAL_TEST_DATABASE_URL is set.
// Each PostgreSQL run gets its own schema, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { Client, LogLevel } from '@notionhq/client';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  dropPostgresSchema,
  startPlatform,
  type Platform,
  type PlatformConfig,
  type StoreOptions,
} from '@notion-local/server';
import { testSeed, TOKENS } from './fixtures.js';

export const POSTGRES_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';

export type StoreKind = 'pglite' | 'postgres';

/** The stores a suite should run on: PGlite always, PostgreSQL when its URL is set. */
export function storeKinds(): StoreKind[] {
  return POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function skipMessageForPostgres(): string | null {
  return POSTGRES_URL
    ? null
    : 'PostgreSQL tests skipped: set NOTION_LOCAL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them';
}

export interface TestPlatform {
  platform: Platform;
  baseUrl: string;
  client(token: string): Client;
  /** fetch against the API with the usual headers; override or drop any with `headers`. */
  raw(
    path: string,
    init?: {
      method?: string;
      token?: string | null;
      version?: string | null;
      body?: unknown;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export function newSchemaName(): string {
  return `nl_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Test platforms run without rate limits unless a test asks for them (limits have their own suites). */
export const TEST_CONFIG: PlatformConfig = { rateLimit: { enabled: false }, adminToken: 'admin_test_token' };

export async function startTestPlatform(
  kind: StoreKind = 'pglite',
  seed: unknown = testSeed(),
  config: PlatformConfig = TEST_CONFIG,
): Promise<TestPlatform> {
  const schema = kind === 'postgres' ? newSchemaName() : null;
  const store: StoreOptions =
    kind === 'postgres' ? { kind: 'postgres', url: POSTGRES_URL, schema: schema! } : { kind: 'memory' };
  const platform = await startPlatform({ store, port: 0, seed, config });
  const baseUrl = platform.url;
  return {
    platform,
    baseUrl,
    client: (token: string) => new Client({ auth: token, baseUrl, logLevel: LogLevel.ERROR }),
    async raw(path, init = {}) {
      const headers: Record<string, string> = {};
      const token = init.token === undefined ? TOKENS.full : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const version = init.version === undefined ? '2022-06-28' : init.version;
      if (version !== null) headers['notion-version'] = version;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] = 'application/json';
      }
      Object.assign(headers, init.headers ?? {});
      const res = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await platform.close();
      if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
    },
  };
}

/**
 * Registers the usual lifecycle for a describe block: one platform for the block (on `kind`), closed
 * after it, and reset to the seed before each test unless `reset: false`. `ready` receives the platform.
 */
export function useTestPlatform(
  kind: StoreKind,
  ready: (t: TestPlatform) => void,
  options: { reset?: boolean } = {},
): void {
  let platform: TestPlatform | undefined;
  beforeAll(async () => {
    platform = await startTestPlatform(kind);
    ready(platform);
  });
  afterAll(async () => {
    await platform?.close();
  });
  if (options.reset ?? true) {
    beforeEach(async () => {
      await platform?.platform.reset();
    });
  }
}
