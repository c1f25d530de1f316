// The shape of one portal API route. Each resource module exports a table of these; mount-portal.ts
// registers them behind the same guards (signed in, CSRF, owner-only).
import type { Clock } from '../clock.js';
import { normalizeId } from '../ids.js';
import type { FaultInjector } from '../limits/fault-injector.js';
import type { RateLimitConfig } from '../limits/rate-limiter.js';
import type { RequestLog } from '../observability/request-log.js';
import type { Actor, ChangeFeed } from '../services/changes.js';
import type { Store } from '../store/sql-store.js';
import { portalErrors } from './portal-http.js';
import type { SignedIn } from './portal-session.js';

/** What the Monitoring screen reads and edits: the request log, fault rules, rate-limit budgets. */
export interface PortalMonitoring {
  requestLog: RequestLog;
  faults: FaultInjector;
  rateLimit: RateLimitConfig;
}

export interface PortalDeps {
  store: Store;
  clock: Clock;
  /** Where services describe committed writes (services/changes.ts). */
  changes: ChangeFeed;
  monitoring?: PortalMonitoring | undefined;
}

export interface PortalContext extends PortalDeps {
  session: SignedIn;
  params: Record<string, string>;
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

export interface PortalRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Under /portal/api. */
  path: string;
  /** Notion lets only workspace owners manage integrations and the workspace itself. */
  ownerOnly?: boolean;
  status?: number;
  handle(ctx: PortalContext): Promise<unknown>;
}

/** A path id, dashed and lowercase; anything that is not a UUID cannot name an object: 404. */
export function pathId(ctx: PortalContext, name: string, what: string): string {
  const id = normalizeId(ctx.params[name] ?? '');
  if (!id) throw portalErrors.notFound(what);
  return id;
}

/** The person signed in, as the author of the changes their request makes. */
export function personActor(ctx: PortalContext): Actor {
  return { type: 'person', id: ctx.session.user.id };
}
