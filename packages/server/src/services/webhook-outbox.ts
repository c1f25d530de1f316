// The webhook outbox: inside the transaction of every write (ChangeFeed.subscribeInTransaction), the changes
// it recorded become events of the workspace's active subscriptions — only for integrations that can see the
// object at that moment and have the capability its events need — written to webhook_events with the change
// itself. A rolled-back write leaves no event; a committed one cannot lose its events, whatever happens to the
// process afterwards (services/webhook-dispatcher.ts delivers them).
import { canSee, type Principal } from '../auth/access.js';
import { workspacePrincipals } from '../auth/authenticate.js';
import {
  eventsForChange,
  isAggregated,
  mergeEventPayload,
  type EntityFacts,
  type WebhookApiVersion,
  type WebhookEventDraft,
  type WebhookParent,
} from '../domain/webhook-events.js';
import { newId } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import { findBlock, findBlocks } from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import {
  findAggregatingEvent,
  insertWebhookEvents,
  listActiveWebhookSubscriptions,
  updateEventPayload,
  type WebhookEventInsert,
  type WebhookSubscriptionRow,
} from '../store/webhook-repo.js';
import { findWorkspace } from '../store/workspace-repo.js';
import type { Change, ChangeFeed } from './changes.js';

export interface WebhookSettings {
  /** How long an event waits for more changes of the same entity before it is sent (Notion: under a minute). */
  aggregationWindowMs: number;
  /** The wait before attempts 2…8 (seven numbers). */
  retryDelaysMs: readonly number[];
  /** How long a receiver has to answer one attempt. */
  deliveryTimeoutMs: number;
}

/** Notion's pace: 8 attempts, the last about 22 hours after the first; one second of aggregation. */
export const DEFAULT_WEBHOOKS: WebhookSettings = {
  aggregationWindowMs: 1_000,
  retryDelaysMs: [60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000],
  deliveryTimeoutMs: 10_000,
};

/** What is wrong with webhook settings, or null. */
export function webhookSettingsProblem(settings: WebhookSettings): string | null {
  if (!Number.isInteger(settings.aggregationWindowMs) || settings.aggregationWindowMs < 0)
    return 'aggregation_window_ms must be a whole number ≥ 0';
  if (settings.retryDelaysMs.length !== 7 || settings.retryDelaysMs.some((d) => !Number.isInteger(d) || d < 0))
    return 'retry_delays_ms must be 7 whole numbers ≥ 0 (the waits before attempts 2 to 8)';
  if (!Number.isInteger(settings.deliveryTimeoutMs) || settings.deliveryTimeoutMs < 1)
    return 'delivery_timeout_ms must be a whole number ≥ 1';
  return null;
}

/** Kinds that are content events (everything else — integrations, sharing, workspaces — is the platform's). */
const EVENT_FAMILIES = new Set(['page', 'block', 'database', 'data_source', 'comment', 'view', 'file_upload']);

/** Writes the events of every committed change from now on; returns the function that stops it. */
export function attachWebhookOutbox(feed: ChangeFeed, settings: WebhookSettings): () => void {
  // Whether a workspace has active subscriptions, known without a statement where this process is the store's
  // only writer (PGlite): every change to subscriptions, integrations or workspaces clears it, in the
  // transaction that makes it. Elsewhere (PostgreSQL) another process may add one at any time: always asked.
  const active = new Map<string, boolean>();
  const subscriptionsOf = async (tx: SqlExecutor, workspaceId: string) => {
    if (tx.exclusive && active.get(workspaceId) === false) return [];
    const found = await listActiveWebhookSubscriptions(tx, workspaceId);
    if (tx.exclusive) active.set(workspaceId, found.length > 0);
    return found;
  };
  return feed.subscribeInTransaction(async (tx, changes) => {
    if (changes.some((c) => PLATFORM_FAMILIES.has(c.kind.split('.')[0] ?? ''))) active.clear();
    await writeEvents(tx, changes, settings, subscriptionsOf);
  });
}

/** Changes that may add, remove, activate or pause subscriptions. */
const PLATFORM_FAMILIES = new Set(['webhook', 'integration', 'workspace']);

async function writeEvents(
  tx: SqlExecutor,
  changes: readonly Change[],
  settings: WebhookSettings,
  subscriptionsOf: (tx: SqlExecutor, workspaceId: string) => Promise<WebhookSubscriptionRow[]>,
): Promise<void> {
  // The seed and resets build a state; they are not changes anyone subscribed to.
  const content = changes.filter((c) => c.actor.type !== 'system' && EVENT_FAMILIES.has(c.kind.split('.')[0] ?? ''));
  if (content.length === 0) return;
  const byWorkspace = new Map<string, Change[]>();
  for (const change of content)
    byWorkspace.set(change.workspaceId, [...(byWorkspace.get(change.workspaceId) ?? []), change]);
  for (const [workspaceId, list] of byWorkspace) {
    const subscriptions = await subscriptionsOf(tx, workspaceId);
    if (subscriptions.length === 0) continue;
    const context = await outboxContext(tx, workspaceId, subscriptions, settings);
    for (const change of list) await writeChangeEvents(context, change);
    await insertWebhookEvents(tx, context.inserts);
  }
}

interface OutboxContext {
  tx: SqlExecutor;
  settings: WebhookSettings;
  workspaceId: string;
  workspaceName: string;
  subscriptions: readonly WebhookSubscriptionRow[];
  principals: Map<string, Principal>;
  rows: Map<string, BlockRow | null>;
  /** New events of this write, inserted together at its end. */
  inserts: WebhookEventInsert[];
}

async function outboxContext(
  tx: SqlExecutor,
  workspaceId: string,
  subscriptions: readonly WebhookSubscriptionRow[],
  settings: WebhookSettings,
): Promise<OutboxContext> {
  const workspace = await findWorkspace(tx, workspaceId);
  const principals = new Map((await workspacePrincipals(tx, workspaceId)).map((p) => [p.integrationId, p]));
  return {
    tx,
    settings,
    workspaceId,
    workspaceName: workspace?.name ?? '',
    subscriptions,
    principals,
    rows: new Map(),
    inserts: [],
  };
}

async function row(context: OutboxContext, id: string | null | undefined): Promise<BlockRow | null> {
  if (!id) return null;
  if (!context.rows.has(id)) context.rows.set(id, await findBlock(context.tx, id, 'none'));
  return context.rows.get(id) ?? null;
}

async function writeChangeEvents(context: OutboxContext, change: Change): Promise<void> {
  const located = await locate(context, change);
  if (!located) return;
  for (const subscription of context.subscriptions) {
    // A public integration hears through its connections here: those that may see the change are `accessible_by`.
    const bots = subscription.connection_ids ?? [subscription.integration_id];
    const hearing = bots.filter((id) => {
      const principal = context.principals.get(id);
      return principal !== undefined && allowed(principal, change, located.path, context.workspaceId);
    });
    if (hearing.length === 0) continue;
    const accessibleBy = subscription.connection_ids ? hearing.map((id) => ({ id, type: 'bot' })) : undefined;
    const version = subscription.api_version as WebhookApiVersion;
    const wanted = subscription.event_types;
    for (const draft of eventsForChange(change, located.facts, version)) {
      if (wanted && !wanted.includes(draft.type)) continue;
      await writeEvent(context, { subscription, accessibleBy }, change, draft);
    }
  }
}

/** Whether the subscription's integration may hear of the change: capability, and sight of the object. */
function allowed(principal: Principal, change: Change, path: readonly string[] | null, workspaceId: string): boolean {
  const family = change.kind.split('.')[0];
  if (family === 'file_upload') return change.actor.type === 'bot' && change.actor.id === principal.integrationId;
  const capability = family === 'comment' ? 'read_comments' : 'read_content';
  if (!principal.capabilities.has(capability)) return false;
  return path !== null && canSee(principal, { workspaceId, path });
}

interface Located {
  /** The ancestry visibility is decided on (null: nothing to see, e.g. a file upload). */
  path: readonly string[] | null;
  facts: EntityFacts;
}

/** Where the changed object is, read in the changing transaction; null when it is gone. */
async function locate(context: OutboxContext, change: Change): Promise<Located | null> {
  const family = change.kind.split('.')[0];
  const space: WebhookParent = { id: context.workspaceId, type: 'space' };
  if (family === 'file_upload') return { path: null, facts: { parent: () => space } };
  if (family === 'comment') return locateComment(context, change);
  if (family === 'view') {
    const database = await row(context, change.parent?.id);
    if (!database) return null;
    return { path: database.path, facts: { parent: () => ({ id: database.id, type: 'database' }) } };
  }
  const entity = await row(context, change.entity.id);
  if (!entity) return null;
  const facts = await factsOf(context, entity);
  return { path: entity.path, facts };
}

async function locateComment(context: OutboxContext, change: Change): Promise<Located | null> {
  const parent = await row(context, change.parent?.id);
  if (!parent) return null;
  const pageId = await containingPage(context, parent);
  const facts: EntityFacts = {
    parent: () => ({ id: parent.id, type: parent.object === 'page' ? 'page' : 'block' }),
    commentParent: { id: parent.id, type: parent.object === 'page' ? 'page' : 'block' },
    ...(pageId ? { pageId } : {}),
  };
  return { path: parent.path, facts };
}

/** The page that holds a block: the nearest page among its ancestors. */
async function containingPage(context: OutboxContext, block: BlockRow): Promise<string | undefined> {
  if (block.object === 'page') return block.id;
  const ancestors = await findBlocks(context.tx, block.path.slice(0, -1), 'none');
  const byId = new Map(ancestors.map((a) => [a.id, a]));
  for (const id of [...block.path].reverse()) if (byId.get(id)?.object === 'page') return id;
  return undefined;
}

/** A row's place as a payload's `data.parent` says it (a data source's rows: see EntityFacts.row). */
async function parentOf(context: OutboxContext, entity: BlockRow): Promise<WebhookParent> {
  switch (entity.parent_type) {
    case 'workspace':
      return { id: context.workspaceId, type: 'space' };
    case 'page_id':
      return { id: entity.parent_id ?? '', type: 'page' };
    case 'block_id':
      return { id: entity.parent_id ?? '', type: 'block' };
    default:
      return { id: entity.parent_id ?? '', type: 'database' };
  }
}

async function factsOf(context: OutboxContext, entity: BlockRow): Promise<EntityFacts> {
  const parent = await parentOf(context, entity);
  if (entity.object === 'block') {
    const pageId = await containingPage(context, entity);
    const page = pageId ? await row(context, pageId) : null;
    const pageParent = page ? await parentOf(context, page) : parent;
    return { parent: () => pageParent, ...(pageId ? { pageId } : {}) };
  }
  if (entity.object === 'data_source') {
    const database = await row(context, entity.parent_id);
    const databaseParent = database ? await parentOf(context, database) : parent;
    return { parent: () => parent, dataSource: { databaseId: entity.parent_id ?? '', databaseParent } };
  }
  if (entity.parent_type === 'data_source_id') {
    const source = await row(context, entity.parent_id);
    const database = source ? await row(context, source.parent_id) : null;
    const databaseId = source?.parent_id ?? '';
    const sourceParent: WebhookParent = { id: databaseId, type: 'database' };
    const databaseParent = database ? await parentOf(context, database) : sourceParent;
    const rowFacts = { dataSourceId: entity.parent_id ?? '', databaseId, sourceParent, databaseParent };
    return {
      parent: (version) =>
        version === '2022-06-28'
          ? { id: databaseId, type: 'database' }
          : { id: databaseId, type: 'database', data_source_id: rowFacts.dataSourceId },
      row: rowFacts,
    };
  }
  return { parent: () => parent };
}

/** Inserts the event, or merges it into the one of the same entity still waiting in its aggregation window. */
async function writeEvent(
  context: OutboxContext,
  target: { subscription: WebhookSubscriptionRow; accessibleBy: { id: string; type: string }[] | undefined },
  change: Change,
  draft: WebhookEventDraft,
): Promise<void> {
  const { tx, settings } = context;
  const { subscription } = target;
  const id = newId();
  const payload = eventPayload(context, target, change, draft, id);
  const aggregated = isAggregated(draft.type) && settings.aggregationWindowMs > 0;
  const key = aggregated ? `${draft.type}:${draft.entity.id}` : null;
  if (key) {
    // A page created in the window already tells of its first content and properties.
    const absorbing =
      draft.type === 'page.content_updated' || draft.type === 'page.properties_updated'
        ? [key, `page.created:${draft.entity.id}`]
        : [key];
    // Made earlier in this very write (not yet inserted), or waiting in the store from an earlier write.
    const mine = (e: WebhookEventInsert) =>
      e.subscription_id === subscription.id && absorbing.includes(e.aggregate_key ?? '');
    const earlier = context.inserts.find(mine);
    if (earlier) {
      if (earlier.type === draft.type) earlier.payload = mergeEventPayload(earlier.payload, payload);
      return;
    }
    const waiting = await findAggregatingEvent(tx, subscription.id, absorbing, change.at);
    if (waiting) {
      if (waiting.type === draft.type)
        await updateEventPayload(tx, waiting.id, mergeEventPayload(waiting.payload, payload));
      return;
    }
  }
  context.inserts.push({
    id,
    subscription_id: subscription.id,
    workspace_id: context.workspaceId,
    type: draft.type,
    aggregate_key: key,
    payload,
    next_attempt_time: new Date(change.at.getTime() + (key ? settings.aggregationWindowMs : 0)),
    created_time: change.at,
  });
}

/** The body as Notion sends it, in Notion's key order; `attempt_number` is set at each attempt. */
function eventPayload(
  context: OutboxContext,
  target: { subscription: WebhookSubscriptionRow; accessibleBy: { id: string; type: string }[] | undefined },
  change: Change,
  draft: WebhookEventDraft,
  id: string,
): Record<string, unknown> {
  const { subscription, accessibleBy } = target;
  const authors = change.actor.type === 'system' ? [] : [{ id: change.actor.id, type: change.actor.type }];
  return {
    id,
    timestamp: change.at.toISOString(),
    workspace_id: context.workspaceId,
    workspace_name: context.workspaceName,
    subscription_id: subscription.id,
    integration_id: subscription.integration_id,
    type: draft.type,
    authors,
    ...(accessibleBy ? { accessible_by: accessibleBy } : {}),
    attempt_number: 1,
    api_version: subscription.api_version,
    entity: draft.entity,
    ...(draft.data ? { data: draft.data } : {}),
  };
}
