// Which webhook events a committed change becomes for one subscription, as pure rules (reference §11.4):
// the event types of the subscription's API version, their `entity` and `data`, and whether they are
// aggregated. What the rules need to know about the stored objects (where an entity lives, the page that
// holds a block) is looked up by services/webhook-outbox.ts and passed in as EntityFacts.

export const WEBHOOK_API_VERSIONS = ['2022-06-28', '2025-09-03', '2026-03-11'] as const;
export type WebhookApiVersion = (typeof WEBHOOK_API_VERSIONS)[number];
export const DEFAULT_WEBHOOK_API_VERSION: WebhookApiVersion = '2025-09-03';

const PAGE_EVENTS = [
  'page.created',
  'page.content_updated',
  'page.properties_updated',
  'page.moved',
  'page.deleted',
  'page.undeleted',
  'page.locked',
  'page.unlocked',
] as const;
const DATABASE_EVENTS = ['database.created', 'database.moved', 'database.deleted', 'database.undeleted'] as const;
/** Deprecated in 2025-09-03: sent to 2022-06-28 subscriptions only. */
const DATABASE_EVENTS_2022 = ['database.content_updated', 'database.schema_updated'] as const;
const DATA_SOURCE_EVENTS = [
  'data_source.created',
  'data_source.content_updated',
  'data_source.schema_updated',
  'data_source.moved',
  'data_source.deleted',
  'data_source.undeleted',
] as const;
const COMMENT_EVENTS = ['comment.created', 'comment.updated', 'comment.deleted'] as const;
const VIEW_EVENTS = ['view.created', 'view.updated', 'view.deleted'] as const;
const FILE_UPLOAD_EVENTS = [
  'file_upload.created',
  'file_upload.completed',
  'file_upload.expired',
  'file_upload.upload_failed',
] as const;

/** Every event type a subscription of `version` can receive. */
export function webhookEventTypes(version: WebhookApiVersion): readonly string[] {
  const common = [...PAGE_EVENTS, ...DATABASE_EVENTS, ...COMMENT_EVENTS, ...FILE_UPLOAD_EVENTS];
  return version === '2022-06-28'
    ? [...common, ...DATABASE_EVENTS_2022]
    : [...common, ...DATA_SOURCE_EVENTS, ...VIEW_EVENTS];
}

/** Every event type of any version (what a subscription's `event_types` may name). */
export const ALL_WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(WEBHOOK_API_VERSIONS.flatMap((v) => webhookEventTypes(v))),
];

/** Not aggregated (reference §11.4): lock and comment events, and file upload events. */
export function isAggregated(type: string): boolean {
  return !(
    type === 'page.locked' ||
    type === 'page.unlocked' ||
    type.startsWith('comment.') ||
    type.startsWith('file_upload.')
  );
}

/** `data.parent` of a payload. */
export interface WebhookParent {
  id: string;
  type: 'space' | 'page' | 'block' | 'database';
  data_source_id?: string;
}

export interface WebhookRef {
  id: string;
  type: string;
}

/** What the outbox found out about the changed object, in the changing transaction. */
export interface EntityFacts {
  /** Where the entity lives, as a payload says it; for a database row, in the subscription's version's terms. */
  parent: (version: WebhookApiVersion) => WebhookParent;
  /** A row of a data source: its data source, the database holding it, and where that database lives. */
  row?: { dataSourceId: string; databaseId: string; sourceParent: WebhookParent; databaseParent: WebhookParent };
  /** A data source: its database and where the database lives (2022-06-28 speaks of the database). */
  dataSource?: { databaseId: string; databaseParent: WebhookParent };
  /** A block or a comment: the page that holds it. */
  pageId?: string;
  /** A comment: the page or block it is on. */
  commentParent?: WebhookRef;
}

/** One event for a subscription, before it is merged or written. */
export interface WebhookEventDraft {
  type: string;
  entity: WebhookRef;
  data?: Record<string, unknown>;
}

/** The change as the mapping reads it (services/changes.ts Change without the actor). */
export interface ChangeForEvents {
  kind: string;
  entity: { type: string; id: string };
  updatedProperties?: readonly string[] | undefined;
  details?: Readonly<Record<string, unknown>> | undefined;
}

const is2022 = (version: WebhookApiVersion) => version === '2022-06-28';

/** The events one change makes for a subscription of `version` (before the event-type and access filters). */
export function eventsForChange(
  change: ChangeForEvents,
  facts: EntityFacts,
  version: WebhookApiVersion,
): WebhookEventDraft[] {
  const [family, action] = change.kind.split('.') as [string, string];
  const entity = change.entity;
  switch (family) {
    case 'page':
      return pageEvents(change, facts, version, action);
    case 'block':
      return facts.pageId ? [pageContentUpdated(facts.pageId, facts, version, [{ id: entity.id, type: 'block' }])] : [];
    case 'database':
      if (!is2022(version) && (action === 'content_updated' || action === 'schema_updated')) return [];
      return [
        { type: change.kind, entity: { id: entity.id, type: 'database' }, data: { parent: facts.parent(version) } },
      ];
    case 'data_source':
      return dataSourceEvents(change, facts, version, action);
    case 'comment':
      return [
        {
          type: change.kind,
          entity: { id: entity.id, type: 'comment' },
          data: { page_id: facts.pageId, parent: facts.commentParent },
        },
      ];
    case 'view':
      if (is2022(version)) return [];
      return [{ type: change.kind, entity: { id: entity.id, type: 'view' }, data: viewData(change, facts, version) }];
    case 'file_upload':
      return [fileUploadEvent(change)];
    default:
      return [];
  }
}

function pageEvents(
  change: ChangeForEvents,
  facts: EntityFacts,
  version: WebhookApiVersion,
  action: string,
): WebhookEventDraft[] {
  const id = change.entity.id;
  const parent = facts.parent(version);
  const events: WebhookEventDraft[] = [];
  if (action === 'content_updated') {
    const blocks = (change.details?.updated_blocks as WebhookRef[] | undefined) ?? [];
    events.push(pageContentUpdated(id, facts, version, blocks));
  } else if (action === 'properties_updated') {
    const data = { parent, updated_properties: [...(change.updatedProperties ?? [])] };
    events.push({ type: change.kind, entity: { id, type: 'page' }, data });
  } else {
    events.push({ type: change.kind, entity: { id, type: 'page' }, data: { parent } });
  }
  // A row added, changed or removed is also a change of its data source's (2022-06-28: database's) content.
  if (facts.row && action !== 'locked' && action !== 'unlocked') {
    const updated = [{ id, type: 'page' }];
    events.push(
      is2022(version)
        ? {
            type: 'database.content_updated',
            entity: { id: facts.row.databaseId, type: 'database' },
            data: { parent: facts.row.databaseParent, updated_blocks: updated },
          }
        : {
            type: 'data_source.content_updated',
            entity: { id: facts.row.dataSourceId, type: 'data_source' },
            data: { parent: facts.row.sourceParent, updated_blocks: updated },
          },
    );
  }
  return events;
}

function pageContentUpdated(
  pageId: string,
  facts: EntityFacts,
  version: WebhookApiVersion,
  blocks: readonly WebhookRef[],
): WebhookEventDraft {
  return {
    type: 'page.content_updated',
    entity: { id: pageId, type: 'page' },
    data: { parent: facts.parent(version), updated_blocks: [...blocks] },
  };
}

function dataSourceEvents(
  change: ChangeForEvents,
  facts: EntityFacts,
  version: WebhookApiVersion,
  action: string,
): WebhookEventDraft[] {
  const id = change.entity.id;
  // Writers that know what happened to each property say so; otherwise (a dual relation's other side) the ids.
  const properties =
    (change.details?.updated_property_actions as unknown[] | undefined) ??
    (change.updatedProperties ?? []).map((id) => ({ id, name: null, action: 'updated' }));
  if (!is2022(version)) {
    const data: Record<string, unknown> = { parent: facts.parent(version) };
    if (action === 'schema_updated') data.updated_properties = properties;
    if (action === 'content_updated') data.updated_blocks = [];
    return [{ type: change.kind, entity: { id, type: 'data_source' }, data }];
  }
  // 2022-06-28 knows only databases: a data source's schema or title is its database's.
  const source = facts.dataSource;
  if (!source) return [];
  const entity = { id: source.databaseId, type: 'database' };
  if (action === 'schema_updated') {
    const data = { parent: source.databaseParent, updated_properties: properties };
    return [{ type: 'database.schema_updated', entity, data }];
  }
  if (action === 'content_updated') {
    return [{ type: 'database.content_updated', entity, data: { parent: source.databaseParent, updated_blocks: [] } }];
  }
  return [];
}

function viewData(change: ChangeForEvents, facts: EntityFacts, version: WebhookApiVersion): Record<string, unknown> {
  const data: Record<string, unknown> = { parent: facts.parent(version) };
  if (change.kind === 'view.created') data.view_type = change.details?.view_type ?? 'table';
  if (change.kind === 'view.updated') data.updated_fields = change.details?.updated_fields ?? [];
  return data;
}

function fileUploadEvent(change: ChangeForEvents): WebhookEventDraft {
  const event: WebhookEventDraft = { type: change.kind, entity: { id: change.entity.id, type: 'file_upload' } };
  const result = change.details?.file_import_result;
  if (change.kind === 'file_upload.upload_failed' && result) event.data = { file_import_result: result };
  return event;
}

/**
 * Merges an event into the one still waiting in its aggregation window for the same entity: authors,
 * updated properties and updated blocks are unions, the timestamp is the latest.
 */
export function mergeEventPayload(
  waiting: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...waiting, timestamp: next.timestamp };
  merged.authors = unionBy((waiting.authors as WebhookRef[]) ?? [], (next.authors as WebhookRef[]) ?? [], (a) => a.id);
  if (Array.isArray(waiting.accessible_by) && Array.isArray(next.accessible_by))
    merged.accessible_by = unionBy(
      waiting.accessible_by as WebhookRef[],
      next.accessible_by as WebhookRef[],
      (a) => a.id,
    );
  const data = { ...((waiting.data as Record<string, unknown> | undefined) ?? {}) };
  const nextData = (next.data as Record<string, unknown> | undefined) ?? {};
  if (Array.isArray(data.updated_properties) && Array.isArray(nextData.updated_properties)) {
    data.updated_properties = unionBy(data.updated_properties, nextData.updated_properties, (p) =>
      typeof p === 'string' ? p : (p as { id: string }).id,
    );
  }
  if (Array.isArray(data.updated_blocks) && Array.isArray(nextData.updated_blocks)) {
    data.updated_blocks = unionBy(
      data.updated_blocks as WebhookRef[],
      nextData.updated_blocks as WebhookRef[],
      (b) => b.id,
    );
  }
  if (nextData.parent) data.parent = nextData.parent;
  if ('data' in waiting) merged.data = data;
  return merged;
}

function unionBy<T>(a: readonly T[], b: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of [...a, ...b]) seen.set(key(item), item);
  return [...seen.values()];
}
