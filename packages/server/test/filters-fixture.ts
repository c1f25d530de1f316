// The database the filter table runs against: five rows whose values cover the edge cases (empty,
// unicode, LIKE metacharacters, dates written in several time zones), a related database for
// relations and rollups, and a hidden database the querying integration cannot see. Built through
// the services, on a store of the requested kind, with a manual clock.
import { ChangeFeed } from '../src/services/changes.js';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../src/clock.js';
import type { Principal } from '../src/auth/access.js';
import type { Capability } from '../src/auth/capabilities.js';
import { openStore } from '../src/store/open-store.js';
import { dropPostgresSchema, openPostgres } from '../src/store/postgres-store.js';
import { loadSeed } from '../src/seed/seed-loader.js';
import type { Store } from '../src/store/sql-store.js';
import type { ServiceContext } from '../src/services/service-context.js';
import { createDatabase, updateDatabase } from '../src/services/databases.js';
import { createPage, updatePage } from '../src/services/pages.js';

export const PG_URL = process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '';

export const F = {
  ws: '0d000000-0000-4000-8000-000000000001',
  ada: '0d000000-0000-4000-8000-0000000000a1',
  grace: '0d000000-0000-4000-8000-0000000000a2',
  full: '0d000000-0000-4000-8000-0000000000b1',
  second: '0d000000-0000-4000-8000-0000000000b2',
  root: '0d000000-0000-4000-8000-0000000000c1',
  hidden: '0d000000-0000-4000-8000-0000000000c2',
  missing: '0d000000-0000-4000-8000-00000000dead',
} as const;

/** "Now" for every query: Monday 2026-01-12, noon UTC. */
export const NOW = Date.parse('2026-01-12T12:00:00.000Z');

const CONTENT: Capability[] = ['read_content', 'update_content', 'insert_content', 'read_user_with_email'];

export function principal(integrationId: string, roots: readonly string[]): Principal {
  return {
    integrationId,
    integrationName: integrationId === F.full ? 'Full' : 'Second',
    workspaceId: F.ws,
    workspaceName: 'Filters',
    ownerUserId: F.ada,
    capabilities: new Set(CONTENT),
    sharedRootIds: new Set(roots),
  };
}

const seed = {
  workspaces: [
    {
      id: F.ws,
      name: 'Filters',
      users: [
        { id: F.ada, name: 'Ada', email: 'ada@example.com', role: 'owner' },
        { id: F.grace, name: 'Grace', email: 'grace@example.com', role: 'member' },
      ],
      integrations: [
        { id: F.full, name: 'Full', token: 'secret_filters_full', capabilities: CONTENT },
        { id: F.second, name: 'Second', token: 'secret_filters_second', capabilities: CONTENT },
      ],
      pages: [
        { id: F.root, title: 'Root', shared_with: ['Full', 'Second'] },
        { id: F.hidden, title: 'Hidden' },
      ],
    },
  ],
};

export interface Fixture {
  store: Store;
  clock: ManualClock;
  /** Full, which sees Root only (the hidden database's pages are invisible to it) */
  reader: ServiceContext;
  db: string;
  ids: Record<string, string>;
  close(): Promise<void>;
}

const text = (content: string) => [{ text: { content } }];
const title = (content: string) => ({ title: text(content) });

export async function buildFixture(kind: 'pglite' | 'postgres'): Promise<Fixture> {
  const schemaName = `nl_filters_${process.pid}_${randomBytes(3).toString('hex')}`;
  const store =
    kind === 'postgres' ? await openPostgres({ url: PG_URL, schema: schemaName }) : await openStore({ kind: 'memory' });
  const clock = new ManualClock(Date.parse('2026-01-01T09:00:00.000Z'));
  await loadSeed(store, seed, clock.now());
  // The writer sees both roots, so it can relate rows to the hidden database.
  const writer = (id: string): ServiceContext => ({
    store,
    clock,
    version: '2022-06-28',
    principal: principal(id, [F.root, F.hidden]),
    changes: new ChangeFeed(),
  });
  const full = writer(F.full);
  const at = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());

  const targets = (await createDatabase(full, {
    parent: { page_id: F.root },
    title: text('Targets'),
    properties: {
      Name: { title: {} },
      Score: { number: {} },
      Flag: { checkbox: {} },
      Label: { select: { options: [{ name: 'X' }, { name: 'Y' }] } },
      Due: { date: {} },
    },
  })) as { id: string };
  const hidden = (await createDatabase(full, {
    parent: { page_id: F.hidden },
    title: text('Hidden'),
    properties: { Name: { title: {} } },
  })) as { id: string };
  const row = async (ctx: ServiceContext, database: string, properties: Record<string, unknown>) =>
    ((await createPage(ctx, { parent: { database_id: database }, properties })) as { id: string }).id;
  const ids: Record<string, string> = {};
  ids.t1 = await row(full, targets.id, {
    Name: title('T-one'),
    Score: { number: 5 },
    Flag: { checkbox: true },
    Label: { select: { name: 'X' } },
    Due: { date: { start: '2026-02-01' } },
  });
  ids.t2 = await row(full, targets.id, {
    Name: title('T-two'),
    Score: { number: 7 },
    Flag: { checkbox: false },
    Label: { select: { name: 'Y' } },
    Due: { date: { start: '2026-03-01' } },
  });
  ids.h1 = await row(full, hidden.id, { Name: title('Secret') });

  const db = (await createDatabase(full, {
    parent: { page_id: F.root },
    title: text('Filters'),
    properties: {
      Name: { title: {} },
      Text: { rich_text: {} },
      Num: { number: {} },
      UID: { unique_id: { prefix: 'F' } },
      Sel: { select: { options: [{ name: 'Red' }, { name: 'Blue' }, { name: 'Green' }] } },
      Multi: { multi_select: { options: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] } },
      Stat: { status: {} },
      When: { date: {} },
      Who: { people: {} },
      Files: { files: {} },
      Done: { checkbox: {} },
      Url: { url: {} },
      Mail: { email: {} },
      Phone: { phone_number: {} },
      Rel: { relation: { database_id: targets.id, single_property: {} } },
      HRel: { relation: { database_id: hidden.id, single_property: {} } },
      Created: { created_time: {} },
      By: { created_by: {} },
      Edited: { last_edited_time: {} },
      EditedBy: { last_edited_by: {} },
      Double: { formula: { expression: 'prop("Num") * 2' } },
      Shout: { formula: { expression: 'concat(prop("Name"), "!")' } },
      IsDone: { formula: { expression: 'prop("Done")' } },
      Next: { formula: { expression: 'dateAdd(prop("When"), 1, "days")' } },
    },
  })) as { id: string };
  const reader: ServiceContext = {
    store,
    clock,
    version: '2022-06-28',
    principal: principal(F.full, [F.root]),
    changes: new ChangeFeed(),
  };
  // Rollups name the relation, so they are added once it exists.
  await updateDatabase(full, db.id, {
    properties: {
      Total: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'sum' } },
      Latest: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Due', function: 'latest_date' } },
      Flags: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Flag', function: 'show_original' } },
      Labels: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Label', function: 'show_original' } },
      Scores: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'show_original' } },
      Titles: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Name', function: 'show_original' } },
      HCount: { rollup: { relation_property_name: 'HRel', rollup_property_name: 'Name', function: 'count' } },
    },
  });

  at('2026-01-01T10:00:00.000Z');
  ids.Alpha = await row(full, db.id, {
    Name: title('Alpha'),
    Text: { rich_text: text('Hello World') },
    Num: { number: 10 },
    Sel: { select: { name: 'Red' } },
    Multi: { multi_select: [{ name: 'A' }, { name: 'B' }] },
    Stat: { status: { name: 'Done' } },
    When: { date: { start: '2026-01-10' } },
    Who: { people: [{ id: F.ada }] },
    Files: { files: [{ name: 'report.pdf', external: { url: 'https://example.com/report.pdf' } }] },
    Done: { checkbox: true },
    Url: { url: 'https://example.com/Alpha' },
    Mail: { email: 'alpha@example.com' },
    Phone: { phone_number: '+1 555 0100' },
    Rel: { relation: [{ id: ids.t1 }] },
  });
  at('2026-01-05T10:00:00.000Z');
  ids.Beta = await row(full, db.id, {
    Name: title('Beta'),
    Text: { rich_text: text('héllo wörld ÉCOLE') },
    Num: { number: -2.5 },
    Sel: { select: { name: 'Blue' } },
    Multi: { multi_select: [{ name: 'B' }] },
    Stat: { status: { name: 'In progress' } },
    When: { date: { start: '2026-01-10T23:30:00-05:00' } },
    Who: { people: [{ id: F.grace }] },
    Done: { checkbox: false },
    Url: { url: 'https://beta.example.org' },
    Mail: { email: 'BETA@Example.com' },
    Rel: { relation: [{ id: ids.t1 }, { id: ids.t2 }] },
  });
  at('2026-01-08T10:00:00.000Z');
  ids.Gamma = await row(full, db.id, { Name: title('Gamma') });
  const second = writer(F.second);
  at('2026-01-12T09:00:00.000Z');
  ids['Δέλτα 🚀'] = await row(second, db.id, {
    Name: title('Δέλτα 🚀'),
    Text: { rich_text: text('emoji 🚀 text') },
    Num: { number: 0 },
    Sel: { select: { name: 'Red' } },
    Multi: { multi_select: [{ name: 'A' }] },
    Stat: { status: { name: 'Not started' } },
    When: { date: { start: '2026-01-11T00:30:00+14:00' } },
    Who: { people: [{ id: F.ada }, { id: F.grace }] },
    Files: {
      files: [
        { name: 'a.png', external: { url: 'https://example.com/a.png' } },
        { name: 'b.png', external: { url: 'https://example.com/b.png' } },
      ],
    },
    Done: { checkbox: true },
    Phone: { phone_number: '555-0199' },
    Rel: { relation: [{ id: ids.t2 }] },
    HRel: { relation: [{ id: ids.h1 }] },
  });
  at('2026-01-12T11:00:00.000Z');
  ids.Epsilon = await row(second, db.id, {
    Name: title('Epsilon'),
    Text: { rich_text: text('100% _literal_') },
    Num: { number: 1_000_000 },
    Sel: { select: { name: 'Green' } },
    Multi: { multi_select: [{ name: 'C' }] },
    Stat: { status: { name: 'Done' } },
    When: { date: { start: '2026-01-09T22:00:00', time_zone: 'America/New_York' } },
    Done: { checkbox: false },
    Url: { url: 'https://x.test/e%20f' },
    Mail: { email: 'e@x.test' },
    Phone: { phone_number: '(555) 0100' },
    HRel: { relation: [{ id: ids.h1 }] },
  });
  at('2026-01-12T11:30:00.000Z');
  await updatePage(second, ids.Alpha, { icon: { emoji: '✏️' } });
  at(new Date(NOW).toISOString());
  return {
    store,
    clock,
    reader,
    db: db.id,
    ids,
    async close() {
      await store.close();
      if (kind === 'postgres') await dropPostgresSchema(PG_URL, schemaName);
    },
  };
}
