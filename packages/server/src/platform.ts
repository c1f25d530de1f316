// Assembles the platform: store → migrations → seed (first start only) → HTTP app → listen.
// The CLI's `serve` and every end-to-end test start it through startPlatform.
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { ChangeFeed } from './services/changes.js';
import { exportState, importState } from './services/state.js';
import { WebhookDispatcher } from './services/webhook-dispatcher.js';
import { importsSettled } from './services/file-import.js';
import { sweepExpiredFileUploads } from './services/file-uploads.js';
import {
  attachWebhookOutbox,
  DEFAULT_WEBHOOKS,
  webhookSettingsProblem,
  type WebhookSettings,
} from './services/webhook-outbox.js';
import { issueOwnerSignInLink } from './services/portal-sessions.js';
import { DEFAULT_MAX_CURSORS_PER_INTEGRATION, limitQueryCursors } from './services/database-query.js';
import { resetWorkspace, seededWorkspaceIds, workspaceIds } from './services/workspaces.js';
import { buildApp, DEFAULT_SERVER_LIMITS, type ServerLimits } from './http/app.js';
import { mountPortal } from './portal/mount-portal.js';
import { lockForStore, openStore, type StoreOptions } from './store/open-store.js';
import { FaultInjector, type FaultRuleInput } from './limits/fault-injector.js';
import {
  DEFAULT_SIGN_IN_THROTTLE,
  signInThrottleProblem,
  type SignInThrottleConfig,
} from './limits/sign-in-throttle.js';
import { Metrics } from './observability/metrics.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from './limits/rate-limiter.js';
import { DEFAULT_REQUEST_LOG, RequestLog, type RequestLogConfig } from './observability/request-log.js';
import type { Store } from './store/sql-store.js';
import { loadSeed, type IssuedToken } from './seed/seed-loader.js';

export { SIGN_IN_TTL_MS } from './services/portal-sessions.js';

export interface PlatformOptions {
  store: StoreOptions;
  port?: number;
  host?: string;
  /** A parsed seed document, applied when the store holds no workspace yet. */
  seed?: unknown;
  /** A state file's text (services/state.ts) to load into the store, which must be empty; the seed is not applied. */
  importState?: string;
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
  /** Live query cursors kept per integration, the oldest dropped first (default 1,000). */
  queryCursors?: { maxPerIntegration?: number };
  /** Bearer token for the admin API; without one the admin API is off. */
  adminToken?: string | null;
  /** Timeouts for slow and idle clients and the connection cap (DEFAULT_SERVER_LIMITS for what is left out). */
  server?: Partial<ServerLimits>;
  /** The portal's limits on failed sign-ins (DEFAULT_SIGN_IN_THROTTLE for what is left out). */
  signInThrottle?: Partial<SignInThrottleConfig>;
  /** Host names served besides IP literals and localhost: DNS rebinding defence (http/host-check.ts). */
  allowedHosts?: readonly string[];
  /** Webhook aggregation, retry schedule and timeout (DEFAULT_WEBHOOKS for what is left out). */
  webhooks?: Partial<WebhookSettings>;
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
  /** Delivers webhook events (services/webhook-dispatcher.ts); `wake()` makes it look for due events now. */
  readonly webhooks: WebhookDispatcher;
  workspaceIds(): Promise<string[]>;
  /** The whole store as a state file's text (`notion-local export-state`). */
  exportState(): Promise<string>;
  /** Puts a workspace (default: every seeded one) back to its seed. */
  reset(workspaceId?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  // A config that cannot be used fails before the store is touched.
  signInThrottleOf(options.config ?? {});
  const webhookSettings = webhookSettingsOf(options.config ?? {});
  const clock = options.clock ?? systemClock;
  const unlock = lockForStore(options.store);
  const changes = new ChangeFeed();
  // Events are written with the change that causes them, whoever writes (seed writes make none).
  attachWebhookOutbox(changes, webhookSettings);
  let store: Store | undefined;
  try {
    store = await openStore(options.store);
    if (options.importState !== undefined) {
      await importState({ store, changes }, options.importState, clock.now());
      return await startServing(options, { store, clock, changes, unlock }, [], false);
    }
    const result =
      options.seed === undefined
        ? null
        : await loadSeed(store, options.seed, clock.now(), { onlyIfEmpty: true, changes });
    return await startServing(options, { store, clock, changes, unlock }, result?.issued ?? [], result !== null);
  } catch (error) {
    await store?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}

interface OpenedStore {
  store: Store;
  clock: Clock;
  changes: ChangeFeed;
  /** Releases the data directory's lock (PGlite on disk). */
  unlock: () => void;
}

/** Builds the limits, logs, HTTP app and portal over an opened (and seeded) store, and listens. */
async function startServing(
  options: PlatformOptions,
  opened: OpenedStore,
  issued: readonly IssuedToken[],
  seeded: boolean,
): Promise<Platform> {
  const { store, clock, changes, unlock } = opened;
  const config = options.config ?? {};
  const rateLimit = { ...DEFAULT_RATE_LIMIT, ...config.rateLimit };
  const limiter = new RateLimiter(store, clock, rateLimit);
  const faults = new FaultInjector(config.faults ?? [], config.faultSeed ?? 1);
  const requestLog = new RequestLog(store, clock, { ...DEFAULT_REQUEST_LOG, ...config.requestLog });
  limitQueryCursors(store, config.queryCursors?.maxPerIntegration ?? DEFAULT_MAX_CURSORS_PER_INTEGRATION);
  const metrics = new Metrics(() => store.poolStats?.() ?? null);
  const logger = options.logger ?? pino({ level: 'silent' });
  const adminToken = config.adminToken ?? null;
  const serverLimits = { ...DEFAULT_SERVER_LIMITS, ...config.server };
  const signInThrottle = signInThrottleOf(config);
  const app = await buildApp({
    store,
    clock,
    logger,
    limiter,
    faults,
    requestLog,
    metrics,
    changes,
    adminToken,
    serverLimits,
    allowedHosts: config.allowedHosts ?? [],
  });
  // The developer portal (issue 6): web UI at /, its JSON API under /portal/api, sign-in at /sign-in.
  mountPortal(app, {
    store,
    clock,
    changes,
    monitoring: { requestLog, faults, rateLimit },
    signInThrottle,
    ...(options.portalDir ? { staticDir: options.portalDir } : {}),
  });
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const background = startBackgroundWork(opened, config, metrics);
  const webhooks = background.webhooks;
  const bound = app.server.address();
  const port = bound && typeof bound === 'object' ? bound.port : 0;
  const url = `http://${formatHost(options.host ?? '127.0.0.1')}:${port}`;
  const signInSecret = await issueOwnerSignInLink(store, clock.now());
  const signInUrl = signInSecret ? `${url}/sign-in?token=${signInSecret}` : null;
  return {
    url,
    port,
    store,
    app,
    issuedTokens: issued,
    seeded,
    signInUrl,
    faults,
    limiter,
    requestLog,
    metrics,
    changes,
    webhooks,
    workspaceIds: () => workspaceIds(store),
    exportState: () => exportState(store),
    async reset(workspaceId) {
      const ids = workspaceId ? [workspaceId] : await seededWorkspaceIds(store);
      for (const id of ids) await resetWorkspace({ store, changes }, id, clock.now());
    },
    async close() {
      await background.stop();
      await app.close();
      await requestLog.close();
      await store.close();
      unlock();
    },
  };
}

/** What runs besides requests: webhook delivery, and the sweep of expired file uploads. */
function startBackgroundWork(opened: OpenedStore, config: PlatformConfig, metrics: Metrics) {
  const { store, clock, changes } = opened;
  const webhooks = new WebhookDispatcher(store, clock, {
    settings: webhookSettingsOf(config),
    onAttempt: (report) => metrics.webhookAttempt(report),
  });
  changes.subscribe(() => webhooks.wake());
  webhooks.start();
  // Unattached uploads past their hour are marked expired (and their bytes dropped) even when no one uploads.
  const sweep = setInterval(
    () => void sweepExpiredFileUploads(store, changes, clock, true).catch(() => undefined),
    60_000,
  );
  sweep.unref();
  return {
    webhooks,
    async stop() {
      clearInterval(sweep);
      await webhooks.stop();
      await importsSettled();
    },
  };
}

/** The sign-in throttle's configuration over its defaults, or an Error naming what cannot be used. */
function signInThrottleOf(config: PlatformConfig): SignInThrottleConfig {
  const throttle = { ...DEFAULT_SIGN_IN_THROTTLE, ...config.signInThrottle };
  const problem = signInThrottleProblem(throttle);
  if (problem) throw new Error(`sign-in throttle: ${problem}`);
  return throttle;
}

/** The webhook settings over their defaults, or an Error naming what cannot be used. */
function webhookSettingsOf(config: PlatformConfig): WebhookSettings {
  const settings = { ...DEFAULT_WEBHOOKS, ...config.webhooks };
  const problem = webhookSettingsProblem(settings);
  if (problem) throw new Error(`webhooks: ${problem}`);
  return settings;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
