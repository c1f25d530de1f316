// The one description of a committed change. Every service that writes does so inside `commitWrite`, which
// runs the writer in one store transaction, collects the changes it records, and tells the listeners of
// the ChangeFeed only after the transaction committed (a rolled-back write describes nothing). Whoever
// asked — the API, the portal, the admin API, the seed or a reset — the same writer records the same
// change, so something that hangs on the feed (webhook events, caches) sees every write exactly once.
import type { SqlExecutor, Store } from '../store/sql-store.js';

/** Who made a change: an integration through the API, a person in the portal, or the platform itself. */
export type Actor =
  | { readonly type: 'bot'; readonly id: string }
  | { readonly type: 'person'; readonly id: string }
  | { readonly type: 'system' };

/** What a change is about. */
export type EntityType =
  | 'page'
  | 'database'
  | 'data_source'
  | 'view'
  | 'block'
  | 'comment'
  | 'custom_emoji'
  | 'integration'
  | 'webhook'
  | 'file_upload'
  | 'workspace'
  | 'user';

/**
 * The kinds of change. Content kinds follow Notion's webhook event names (reference §11.4) so that events
 * map onto them one to one; the others describe what the platform's own screens and APIs change.
 */
export type ChangeKind =
  | 'page.created'
  | 'page.properties_updated'
  | 'page.content_updated'
  | 'page.moved'
  | 'page.deleted'
  | 'page.undeleted'
  | 'page.locked'
  | 'page.unlocked'
  | 'database.created'
  | 'database.schema_updated'
  | 'database.content_updated'
  | 'database.moved'
  | 'database.deleted'
  | 'database.undeleted'
  | 'data_source.created'
  | 'data_source.schema_updated'
  | 'data_source.content_updated'
  | 'data_source.deleted'
  | 'data_source.undeleted'
  | 'view.created'
  | 'view.updated'
  | 'view.deleted'
  | 'block.created'
  | 'block.updated'
  | 'block.deleted'
  | 'comment.created'
  | 'comment.updated'
  | 'comment.deleted'
  | 'custom_emoji.created'
  | 'integration.created'
  | 'integration.updated'
  | 'integration.deleted'
  | 'integration.token_rotated'
  | 'integration.rate_limit_updated'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'file_upload.created'
  | 'file_upload.completed'
  | 'file_upload.expired'
  | 'file_upload.upload_failed'
  | 'sharing.updated'
  | 'workspace.created'
  | 'workspace.reset'
  | 'user.created';

export interface Change {
  readonly kind: ChangeKind;
  readonly workspaceId: string;
  readonly entity: { readonly type: EntityType; readonly id: string };
  readonly actor: Actor;
  readonly at: Date;
  /** Where the entity lives after the change (pages, databases, blocks, comments). */
  readonly parent?: {
    readonly type: 'workspace' | 'page' | 'database' | 'data_source' | 'block';
    readonly id: string | null;
  };
  /** page.properties_updated / database.schema_updated: the ids of the properties that changed. */
  readonly updatedProperties?: readonly string[];
  /** Anything else a listener may want (names, not secrets: never a token). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type ChangeListener = (changes: readonly Change[]) => void;

/**
 * Runs inside the writer's transaction, after the writer and before the commit: what it writes commits or
 * rolls back with the change itself (the webhook outbox). It must not fail for a reason of its own: a throw
 * rolls the write back.
 */
export type TransactionalListener = (tx: SqlExecutor, changes: readonly Change[]) => Promise<void>;

/** Where committed changes are told. One per platform; listeners are called synchronously, after commit. */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly inTransaction = new Set<TransactionalListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds a listener that writes in the changing transaction itself; returns the function that removes it. */
  subscribeInTransaction(listener: TransactionalListener): () => void {
    this.inTransaction.add(listener);
    return () => this.inTransaction.delete(listener);
  }

  /** Runs the transactional listeners on what a writer recorded, in its transaction (commitWrite). */
  async beforeCommit(tx: SqlExecutor, changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    for (const listener of this.inTransaction) await listener(tx, changes);
  }

  /** Tells every listener; a listener that throws does not stop the others (nor undo the committed write). */
  publish(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch {
        // A listener's failure is its own: the change is committed whatever it does.
      }
    }
  }
}

/** What a writer gets inside commitWrite: the transaction, and where to record what it changed. */
export interface WriteScope {
  readonly tx: SqlExecutor;
  record(change: Change): void;
}

/**
 * Runs `write` in one transaction and publishes the changes it recorded once the transaction committed.
 * A transaction the driver retries (serialization failure) starts with an empty record each time.
 */
export async function commitWrite<T>(
  store: Store,
  feed: ChangeFeed,
  write: (scope: WriteScope) => Promise<T>,
): Promise<T> {
  let recorded: Change[] = [];
  const result = await store.transaction(async (tx) => {
    recorded = [];
    const written = await write({ tx, record: (change) => recorded.push(change) });
    await feed.beforeCommit(tx, recorded);
    return written;
  });
  feed.publish(recorded);
  return result;
}
