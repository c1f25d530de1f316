// Sharing, as pure functions. An integration sees an object when the object is in its workspace and
// the object or one of its ancestors was shared with it (reference §4: access is inherited by every
// descendant). Everything else — missing, other workspace, unshared — is indistinguishable: 404.
import type { Capability } from './capabilities.js';
import type { IntegrationRateLimit } from '../model/limits.js';

export interface Principal {
  readonly integrationId: string;
  readonly integrationName: string;
  readonly workspaceId: string;
  readonly workspaceName: string;
  readonly ownerUserId: string | null;
  readonly capabilities: ReadonlySet<Capability>;
  /** Ids of the pages/databases shared with the integration (the roots of what it can see). */
  readonly sharedRootIds: ReadonlySet<string>;
  /** Per-integration rate-limit override (seed `settings.rate_limit`, admin API, portal). */
  readonly rateLimit?: IntegrationRateLimit | undefined;
}

export interface Reachable {
  readonly workspaceId: string;
  /** The object's ancestors, root first, ending with the object itself. */
  readonly path: readonly string[];
}

export function canSee(principal: Principal, object: Reachable): boolean {
  if (object.workspaceId !== principal.workspaceId) return false;
  return object.path.some((id) => principal.sharedRootIds.has(id));
}
