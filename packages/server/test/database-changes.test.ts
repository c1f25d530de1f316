// What database writes record on the ChangeFeed (services/changes.ts): database.created, schema and object
// updates, trash, the schema edits dual relations make in the related database, and what writing a row's
// values reports to its caller (options created in the schema, the ids of the properties written).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { Capability } from '../src/auth/capabilities.js';
import { ChangeFeed, type Change } from '../src/services/changes.js';
import { insertDatabasePage, updateDatabasePageValues } from '../src/services/database-pages.js';
import { createDatabase, updateDatabase } from '../src/services/databases.js';
import type { ServiceContext } from '../src/services/service-context.js';
import { loadSeed } from '../src/seed/seed-loader.js';
import { findDataSourcesOf } from '../src/store/database-repo.js';
import { findBlock } from '../src/store/block-repo.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/sql-store.js';

const WS = '0e000000-0000-4000-8000-000000000001';
const ADA = '0e000000-0000-4000-8000-0000000000a1';
const BOT = '0e000000-0000-4000-8000-0000000000b1';
const ROOT = '0e000000-0000-4000-8000-0000000000c1';
const ROW = '0e000000-0000-4000-8000-0000000000d1';
const CONTENT: Capability[] = ['read_content', 'update_content', 'insert_content'];
const BY_BOT = { type: 'bot', id: BOT };

const seed = {
  workspaces: [
    {
      id: WS,
      name: 'Changes',
      users: [{ id: ADA, name: 'Ada', email: 'ada@example.com', role: 'owner' }],
      integrations: [{ id: BOT, name: 'Bot', token: 'secret_changes_bot', capabilities: CONTENT }],
      pages: [{ id: ROOT, title: 'Root', shared_with: ['Bot'] }],
    },
  ],
};

const text = (content: string) => [{ text: { content } }];

describe('database writes record their changes', () => {
  let store: Store;
  let ctx: ServiceContext;
  let recorded: Change[];
  const clock = new ManualClock(Date.parse('2026-01-01T09:00:00.000Z'));

  beforeAll(async () => {
    store = await openStore({ kind: 'memory' });
    await loadSeed(store, seed, clock.now());
    const changes = new ChangeFeed();
    changes.subscribe((published) => recorded.push(...published));
    ctx = {
      store,
      clock,
      changes,
      version: '2022-06-28',
      principal: {
        integrationId: BOT,
        integrationName: 'Bot',
        workspaceId: WS,
        workspaceName: 'Changes',
        ownerUserId: ADA,
        capabilities: new Set(CONTENT),
        sharedRootIds: new Set([ROOT]),
      },
    };
  });
  afterAll(async () => store?.close());
  beforeEach(() => {
    recorded = [];
  });

  const create = async (title: string, properties: Record<string, unknown>) =>
    ((await createDatabase(ctx, { parent: { page_id: ROOT }, title: text(title), properties })) as { id: string }).id;

  /** The data source of a database made by `create` (its only one), which holds the schema. */
  const sourceOf = async (databaseId: string) => (await findDataSourcesOf(store, [databaseId]))[0]!.id;
  const schemaOf = async (databaseId: string) =>
    (await findBlock(store, await sourceOf(databaseId)))!.properties as Record<string, { id: string; type: string }>;

  it('database.created and data_source.created, by the integration, under its page', async () => {
    const id = await create('Tasks', { Name: { title: {} } });
    expect(recorded).toEqual([
      {
        kind: 'database.created',
        workspaceId: WS,
        entity: { type: 'database', id },
        actor: BY_BOT,
        at: clock.now(),
        parent: { type: 'page', id: ROOT },
      },
      {
        kind: 'data_source.created',
        workspaceId: WS,
        entity: { type: 'data_source', id: await sourceOf(id) },
        actor: BY_BOT,
        at: clock.now(),
        parent: { type: 'database', id },
      },
    ]);
  });

  it('a dual relation also changes the related database schema', async () => {
    const target = await create('Target', { Name: { title: {} } });
    recorded = [];
    const source = await create('Source', {
      Name: { title: {} },
      Link: { relation: { database_id: target, dual_property: {} } },
    });
    const synced = await schemaOf(target);
    const syncedId = Object.values(synced).find((property) => property.type === 'relation')!.id;
    expect(recorded.map((change) => [change.kind, change.entity.id, change.updatedProperties])).toEqual([
      ['database.created', source, undefined],
      ['data_source.created', await sourceOf(source), undefined],
      ['data_source.schema_updated', await sourceOf(target), [syncedId]],
    ]);
  });

  it('an update records the object fields, the schema (changed property ids) and the trash apart', async () => {
    const id = await create('Board', { Name: { title: {} }, Size: { number: {} } });
    const before = await schemaOf(id);
    recorded = [];
    await updateDatabase(ctx, id, {
      title: text('Board 2'),
      properties: { Size: { name: 'Weight' }, Note: { rich_text: {} } },
    });
    const after = await schemaOf(id);
    expect(recorded.map((change) => [change.kind, change.updatedProperties ?? change.details])).toEqual([
      ['database.content_updated', { fields: ['title'] }],
      ['data_source.schema_updated', [before.Size!.id, after.Note!.id]],
    ]);
    recorded = [];
    await updateDatabase(ctx, id, { in_trash: true });
    await updateDatabase(ctx, id, { in_trash: false });
    expect(recorded.map((change) => change.kind)).toEqual(['database.deleted', 'database.undeleted']);
  });

  it('writing row values reports created options as a schema change and the ids written', async () => {
    const id = await create('Tagged', { Name: { title: {} }, Tag: { select: {} } });
    const tag = (await schemaOf(id)).Tag!.id;
    const inserted = await insertDatabasePage(
      store,
      ctx,
      { database_id: id },
      {
        id: ROW,
        properties: { Name: { title: text('One') }, Tag: { select: { name: 'New' } } },
        icon: null,
        cover: null,
      },
    );
    expect(inserted.changes.map((change) => [change.kind, change.entity.id, change.updatedProperties])).toEqual([
      ['data_source.schema_updated', await sourceOf(id), [tag]],
    ]);
    const updated = await updateDatabasePageValues(store, ctx, inserted.row, { Tag: { select: { name: 'New' } } });
    expect(updated).toEqual({ updatedProperties: [tag], changes: [] });
  });
});
