// Assembles the platform: store → migrations → seed (first start only) → HTTP app → listen.
// The CLI's `serve` and every end-to-end test start it through startPlatform.
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { hashToken } from './auth/tokens.js';
import { systemClock, type Clock } from './clock.js';
import { ChangeFeed } from './services/changes.js';
import { buildApp } from './http/app.js';
import { mountPortal } from './portal/mount-portal.js';
import { openStore, type StoreOptions } from './store/open-store.js';
import { FaultInjector, type FaultRuleInput } from './limits/fault-injector.js';
import { Metrics } from './observability/metrics.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from './limits/rate-limiter.js';
import { DEFAULT_REQUEST_LOG, RequestLog, type RequestLogConfig } from './observability/request-log.js';
import { lockDataDir } from './store/data-dir-lock.js';
import type { Store } from './store/sql-store.js';
import { loadSeed, resetWorkspace, type IssuedToken } from './seed/seed-loader.js';

export interface PlatformOptions {
  store: StoreOptions;
  port?: number;
  host?: string;
  /** A parsed seed document, applied when the store holds no workspace yet. */
  seed?: unknown;
  clock?: Clock;
  logger?: Logger;
  /** Limits and diagnostics; every field has Notion's default. */
  config?: PlatformConfig;
  /** The built portal web UI to serve at / (default: packages/portal/dist). */
  portalDir?: string;
}

export interface PlatformConfig {
  rateLimit?: Partial<RateLimitConfig>;
  faults?: readonly FaultRuleInput[];
  /** Seed of the fault-injection random sequence, so a run can be repeated. */
  faultSeed?: number;
  requestLog?: Partial<RequestLogConfig>;
  /** Bearer token for the admin API; without one the admin API is off. */
  adminToken?: string | null;
}

export interface Platform {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Tokens generated while seeding (shown once; only their hashes are stored). */
  readonly issuedTokens: readonly IssuedToken[];
  readonly seeded: boolean;
  /** One-time sign-in URL for the first workspace's owner, or null when there is no owner. */
  readonly signInUrl: string | null;
  readonly faults: FaultInjector;
  readonly limiter: RateLimiter;
  readonly requestLog: RequestLog;
  readonly metrics: Metrics;
  /** Every committed write, described once (services/changes.ts), whoever made it. */
  readonly changes: ChangeFeed;
  workspaceIds(): Promise<string[]>;
  /** Puts a workspace (default: every seeded one) back to its seed. */
  reset(workspaceId?: string): Promise<void>;
  close(): Promise<void>;
}

export const SIGN_IN_TTL_MS = 24 * 60 * 60 * 1000;

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const unlock = options.store.kind === 'pglite' ? lockDataDir(options.store.dataDir) : () => undefined;
  const changes = new ChangeFeed();
  let store: Store | undefined;
  try {
    store = await openStore(options.store);
    const result =
      options.seed === undefined ? null : await loadSeed(store, options.seed, clock.now(), { onlyIfEmpty: true });
    const issued: IssuedToken[] = result?.issued ?? [];
    const seeded = result !== null;
    const config = options.config ?? {};
    const limiter = new RateLimiter(store, clock, { ...DEFAULT_RATE_LIMIT, ...config.rateLimit });
    const faults = new FaultInjector(config.faults ?? [], config.faultSeed ?? 1);
    const requestLog = new RequestLog(store, clock, { ...DEFAULT_REQUEST_LOG, ...config.requestLog });
    const opened = store;
    const metrics = new Metrics(() => opened.poolStats?.() ?? null);
    const app = await buildApp({
      store,
      clock,
      logger,
      limiter,
      faults,
      requestLog,
      metrics,
      changes,
      adminToken: config.adminToken ?? null,
    });
    // The developer portal (issue 6): web UI at /, its JSON API under /portal/api, sign-in at /sign-in.
    mountPortal(app, {
      store,
      clock,
      changes,
      monitoring: { requestLog, faults, rateLimit: { ...DEFAULT_RATE_LIMIT, ...config.rateLimit } },
      ...(options.portalDir ? { staticDir: options.portalDir } : {}),
    });
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
    const bound = app.server.address();
    const port = bound && typeof bound === 'object' ? bound.port : 0;
    const url = `http://${formatHost(options.host ?? '127.0.0.1')}:${port}`;
    const signInUrl = await createSignInLink(store, clock, url);
    const s = store;
    return {
      url,
      port,
      store: s,
      app,
      issuedTokens: issued,
      seeded,
      signInUrl,
      faults,
      limiter,
      requestLog,
      metrics,
      changes,
      async workspaceIds() {
        return (await s.query<{ id: string }>('SELECT id FROM workspaces ORDER BY created_time, id')).map((r) => r.id);
      },
      async reset(workspaceId) {
        const ids = workspaceId
          ? [workspaceId]
          : (await s.query<{ workspace_id: string }>('SELECT workspace_id FROM seeds')).map((r) => r.workspace_id);
        for (const id of ids) await resetWorkspace(s, id, clock.now());
      },
      async close() {
        await app.close();
        await requestLog.close();
        await s.close();
        unlock();
      },
    };
  } catch (error) {
    await store?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function createSignInLink(store: Store, clock: Clock, baseUrl: string): Promise<string | null> {
  const owners = await store.query<{ id: string }>(
    `SELECT u.id FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.role = 'owner' ORDER BY w.created_time, w.id, u.created_time LIMIT 1`,
  );
  const owner = owners[0];
  if (!owner) return null;
  const secret = randomBytes(24).toString('base64url');
  const now = clock.now();
  await store.query(
    `INSERT INTO sessions (id, user_id, kind, created_time, expires_time) VALUES ($1, $2, 'sign_in_link', $3, $4)`,
    [hashToken(secret), owner.id, now, new Date(now.getTime() + SIGN_IN_TTL_MS)],
  );
  return `${baseUrl}/sign-in?token=${secret}`;
}
