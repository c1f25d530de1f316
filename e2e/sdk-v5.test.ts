// Notion-Version 2025-09-03 through the official SDK v5 with its default version (reference §1.3, §11.2,
// §11.8): databases are containers of data sources; the schema, queries and page parents belong to data
// sources; search returns one result per data source; pages move; the same data read through 2022-06-28
// (SDK v4 and raw requests), and a database with two data sources refused under 2022-06-28.
import { describe, expect, it } from 'vitest';
import {
  Client as ClientV5,
  LogLevel as LogLevelV5,
  type DatabaseObjectResponse,
  type DataSourceObjectResponse,
  type PageObjectResponse,
  type QueryDataSourceResponse,
} from 'notion-client-v5';
import type {
  Client as ClientV4,
  DatabaseObjectResponse as DatabaseV4,
  PageObjectResponse as PageV4,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';

const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const undashed = (id: string) => id.replace(/-/g, '');
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const richText = (content: string) => ({
  type: 'text',
  text: { content, link: null },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: null,
});
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const MULTIPLE_SOURCES = 'Databases with multiple data sources are not supported in this API version.';
const titleOf = (page: PageObjectResponse | PageV4, key = 'Name') => {
  const property = page.properties[key];
  return property?.type === 'title' ? property.title.map((t) => t.plain_text).join('') : undefined;
};
const numberOf = (page: PageObjectResponse, key = 'Score') => {
  const property = page.properties[key];
  return property?.type === 'number' ? property.number : undefined;
};

describe.each(storeKinds())('SDK v5, Notion-Version 2025-09-03 (%s)', (kind) => {
  let t: TestPlatform;
  let notion: ClientV5;
  let v4: ClientV4;
  const v5 = (token: string) =>
    new ClientV5({ auth: token, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR, retry: false });
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = v5(TOKENS.full);
    v4 = t.client(TOKENS.full);
  });

  const createDatabase = async (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (await notion.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text('Tasks'),
      initial_data_source: { properties: properties as never },
      ...extra,
    })) as DatabaseObjectResponse;

  /** A database with one data source (`Name` title, `Score` number); answers both ids. */
  const tasks = async () => {
    const db = await createDatabase({ Name: { title: {} }, Score: { number: {} } });
    return { db, ds: db.data_sources[0]!.id };
  };

  const addRow = async (dataSourceId: string, name: string, score?: number) =>
    (await notion.pages.create({
      parent: { type: 'data_source_id', data_source_id: dataSourceId },
      properties: {
        Name: { title: text(name) },
        ...(score === undefined ? {} : { Score: { number: score } }),
      },
    })) as PageObjectResponse;

  const addSecondSource = async (databaseId: string, title = 'Archive') =>
    (await notion.dataSources.create({
      parent: { type: 'database_id', database_id: databaseId },
      title: text(title),
      properties: { Title: { title: {} }, Done: { checkbox: {} } },
    })) as DataSourceObjectResponse;

  it('the client defaults to 2025-09-03 and sends it', async () => {
    expect(ClientV5.defaultNotionVersion).toBe('2025-09-03');
    const { db } = await tasks();
    // The same database read raw under 2025-09-03 is a container: the SDK's default is what we answered.
    const raw = await t.raw(`/v1/databases/${db.id}`, { version: '2025-09-03' });
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ object: 'database', id: db.id, data_sources: db.data_sources });
    expect(raw.body).not.toHaveProperty('properties');
  });

  it('databases.create with initial_data_source answers the container: data_sources, no properties', async () => {
    const db = await createDatabase(
      { Name: { title: {} }, Notes: { rich_text: {} } },
      { description: text('What to do'), icon: { type: 'emoji', emoji: '✅' } },
    );
    expect(db).toMatchObject({
      object: 'database',
      id: expect.stringMatching(UUID),
      title: [richText('Tasks')],
      description: [richText('What to do')],
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      is_inline: false,
      in_trash: false,
      archived: false,
      is_locked: false,
      created_time: expect.stringMatching(MINUTE_ISO),
      last_edited_time: expect.stringMatching(MINUTE_ISO),
      data_sources: [{ id: expect.stringMatching(UUID), name: 'Tasks' }],
      icon: { type: 'emoji', emoji: '✅' },
      cover: null,
      url: `https://www.notion.so/${undashed(db.id)}`,
      public_url: null,
    });
    expect(db).not.toHaveProperty('properties');
    expect(db.data_sources).toHaveLength(1);
    // Database ids and data source ids are distinct.
    expect(db.data_sources[0]!.id).not.toBe(db.id);
    // The database is still a child_database block of its page.
    expect(await notion.blocks.retrieve({ block_id: db.id })).toMatchObject({
      id: db.id,
      type: 'child_database',
      child_database: { title: 'Tasks' },
    });
  });

  it('databases.retrieve and update: title, description, is_inline, icon, in_trash', async () => {
    const { db, ds } = await tasks();
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({
      object: 'database',
      id: db.id,
      data_sources: [{ id: ds, name: 'Tasks' }],
    });
    const updated = (await notion.databases.update({
      database_id: db.id,
      title: text('Chores'),
      description: text('Weekly'),
      is_inline: true,
      icon: { type: 'emoji', emoji: '🧹' },
    })) as DatabaseObjectResponse;
    expect(updated).toMatchObject({
      object: 'database',
      id: db.id,
      title: [richText('Chores')],
      description: [richText('Weekly')],
      is_inline: true,
      icon: { type: 'emoji', emoji: '🧹' },
      in_trash: false,
    });
    expect(updated).not.toHaveProperty('properties');
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({
      title: [richText('Chores')],
      description: [richText('Weekly')],
      is_inline: true,
      icon: { type: 'emoji', emoji: '🧹' },
    });

    const trashed = await notion.databases.update({ database_id: db.id, in_trash: true });
    expect(trashed).toMatchObject({ id: db.id, in_trash: true, archived: true });
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({ in_trash: true });
    const restored = await notion.databases.update({ database_id: db.id, in_trash: false });
    expect(restored).toMatchObject({ id: db.id, in_trash: false, archived: false });
  });

  it('dataSources.retrieve answers the data source: parent, database_parent, properties', async () => {
    const { db, ds } = await tasks();
    const source = (await notion.dataSources.retrieve({ data_source_id: ds })) as DataSourceObjectResponse;
    expect(source).toMatchObject({
      object: 'data_source',
      id: ds,
      title: [richText('Tasks')],
      description: [],
      parent: { type: 'database_id', database_id: db.id },
      database_parent: { type: 'page_id', page_id: IDS.sharedRoot },
      is_inline: false,
      in_trash: false,
      archived: false,
      created_time: expect.stringMatching(MINUTE_ISO),
      last_edited_time: expect.stringMatching(MINUTE_ISO),
      created_by: { object: 'user', id: IDS.full },
      last_edited_by: { object: 'user', id: IDS.full },
      properties: {
        Name: { id: 'title', name: 'Name', type: 'title', title: {} },
        Score: { name: 'Score', type: 'number', number: { format: 'number' } },
      },
      icon: null,
      cover: null,
      url: expect.any(String),
      public_url: null,
    });
    expect(Object.keys(source.properties).sort()).toEqual(['Name', 'Score']);
    // The 32-hex form of the id is accepted and echoed dashed.
    expect(await notion.dataSources.retrieve({ data_source_id: undashed(ds) })).toMatchObject({ id: ds });
  });

  it('dataSources.create adds a second source under the database; the container lists both', async () => {
    const { db, ds } = await tasks();
    const second = await addSecondSource(db.id);
    expect(second).toMatchObject({
      object: 'data_source',
      id: expect.stringMatching(UUID),
      title: [richText('Archive')],
      parent: { type: 'database_id', database_id: db.id },
      database_parent: { type: 'page_id', page_id: IDS.sharedRoot },
      properties: {
        Title: { id: 'title', name: 'Title', type: 'title', title: {} },
        Done: { name: 'Done', type: 'checkbox', checkbox: {} },
      },
      in_trash: false,
    });
    expect([db.id, ds]).not.toContain(second.id);
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({
      data_sources: [
        { id: ds, name: 'Tasks' },
        { id: second.id, name: 'Archive' },
      ],
    });
    // Each source has its own rows.
    await addRow(ds, 'In the first');
    const inSecond = (await notion.pages.create({
      parent: { data_source_id: second.id },
      properties: { Title: { title: text('In the second') }, Done: { checkbox: true } },
    })) as PageObjectResponse;
    const secondRows = await notion.dataSources.query({ data_source_id: second.id });
    expect(secondRows.results.map((r) => r.id)).toEqual([inSecond.id]);
    const firstRows = await notion.dataSources.query({ data_source_id: ds });
    expect(firstRows.results.map((r) => titleOf(r as PageObjectResponse))).toEqual(['In the first']);
  });

  it('dataSources.update changes title and properties (add, rename, remove) and trashes/restores', async () => {
    const { db, ds } = await tasks();
    const updated = (await notion.dataSources.update({
      data_source_id: ds,
      title: text('Renamed'),
      properties: {
        Score: { name: 'Points' },
        Notes: { rich_text: {} },
        Tag: { select: { options: [{ name: 'Urgent', color: 'red' }] } },
      },
    })) as DataSourceObjectResponse;
    expect(updated).toMatchObject({
      object: 'data_source',
      id: ds,
      title: [richText('Renamed')],
      properties: {
        Name: { id: 'title', type: 'title' },
        Points: { name: 'Points', type: 'number' },
        Notes: { name: 'Notes', type: 'rich_text', rich_text: {} },
        Tag: { name: 'Tag', type: 'select', select: { options: [{ name: 'Urgent', color: 'red' }] } },
      },
    });
    expect(Object.keys(updated.properties).sort()).toEqual(['Name', 'Notes', 'Points', 'Tag']);
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({
      data_sources: [{ id: ds, name: 'Renamed' }],
    });

    const removed = (await notion.dataSources.update({
      data_source_id: ds,
      properties: { Tag: null },
    })) as DataSourceObjectResponse;
    expect(Object.keys(removed.properties).sort()).toEqual(['Name', 'Notes', 'Points']);

    expect(await notion.dataSources.update({ data_source_id: ds, in_trash: true })).toMatchObject({
      id: ds,
      in_trash: true,
    });
    expect(await notion.dataSources.retrieve({ data_source_id: ds })).toMatchObject({ in_trash: true });
    expect(await notion.dataSources.update({ data_source_id: ds, in_trash: false })).toMatchObject({
      id: ds,
      in_trash: false,
    });
  });

  it('dataSources.query: filter, sorts, pagination; the list type is page_or_data_source', async () => {
    const { db, ds } = await tasks();
    for (const score of [3, 1, 5, 2, 4]) await addRow(ds, `Row ${score}`, score);
    const query = {
      data_source_id: ds,
      filter: { property: 'Score', number: { greater_than: 1 } },
      sorts: [{ property: 'Score', direction: 'descending' as const }],
      page_size: 3,
    };
    const first: QueryDataSourceResponse = await notion.dataSources.query(query);
    expect(first).toMatchObject({
      object: 'list',
      type: 'page_or_data_source',
      page_or_data_source: {},
      has_more: true,
      next_cursor: expect.any(String),
    });
    const pages = first.results as PageObjectResponse[];
    expect(pages.map((p) => numberOf(p))).toEqual([5, 4, 3]);
    expect(pages[0]).toMatchObject({
      object: 'page',
      parent: { type: 'data_source_id', data_source_id: ds, database_id: db.id },
    });
    const second = await notion.dataSources.query({ ...query, start_cursor: first.next_cursor! });
    expect(second).toMatchObject({ has_more: false, next_cursor: null, type: 'page_or_data_source' });
    expect((second.results as PageObjectResponse[]).map((p) => numberOf(p))).toEqual([2]);
  });

  it('dataSources.listTemplates answers an empty templates list', async () => {
    const { ds } = await tasks();
    const templates = await notion.dataSources.listTemplates({ data_source_id: ds });
    // The shape of the SDK's ListDataSourceTemplatesResponse and of Notion's reference page.
    expect(templates).toMatchObject({ templates: [], has_more: false, next_cursor: null });
    await expect(notion.dataSources.listTemplates({ data_source_id: IDS.missing })).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: notFound('data_source', IDS.missing),
    });
  });

  it('pages.create with a data_source_id parent answers the parent with both ids', async () => {
    const { db, ds } = await tasks();
    const page = (await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('First') }, Score: { number: 7 } },
    })) as PageObjectResponse;
    expect(page).toMatchObject({
      object: 'page',
      parent: { type: 'data_source_id', data_source_id: ds, database_id: db.id },
      properties: {
        Name: { id: 'title', type: 'title', title: [richText('First')] },
        Score: { type: 'number', number: 7 },
      },
    });
    expect(await notion.pages.retrieve({ page_id: page.id })).toMatchObject({
      parent: { type: 'data_source_id', data_source_id: ds, database_id: db.id },
    });
  });

  it('pages.move moves a page under another page and into a data source', async () => {
    const { db, ds } = await tasks();
    const page = (await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: text('Wanderer') } },
    })) as PageObjectResponse;

    const underChild = await notion.pages.move({ page_id: page.id, parent: { page_id: IDS.child } });
    expect(underChild).toMatchObject({ object: 'page', id: page.id, parent: { type: 'page_id', page_id: IDS.child } });
    expect(await notion.pages.retrieve({ page_id: page.id })).toMatchObject({
      parent: { type: 'page_id', page_id: IDS.child },
    });
    const childPages = await notion.blocks.children.list({ block_id: IDS.child });
    expect(childPages.results.map((b) => b.id)).toContain(page.id);
    const rootPages = await notion.blocks.children.list({ block_id: IDS.sharedRoot });
    expect(rootPages.results.map((b) => b.id)).not.toContain(page.id);

    const intoSource = (await notion.pages.move({
      page_id: page.id,
      parent: { type: 'data_source_id', data_source_id: ds },
    })) as PageObjectResponse;
    expect(intoSource).toMatchObject({
      id: page.id,
      parent: { type: 'data_source_id', data_source_id: ds, database_id: db.id },
    });
    // The page keeps its title, now as the data source's title property.
    expect(titleOf(intoSource)).toBe('Wanderer');
    const rows = await notion.dataSources.query({ data_source_id: ds });
    expect(rows.results.map((r) => r.id)).toEqual([page.id]);

    // A parent the integration cannot see is not found, as for a create under it (reference §4).
    await expect(notion.pages.move({ page_id: page.id, parent: { page_id: IDS.privatePage } })).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: notFound('page', IDS.privatePage),
    });
    await expect(
      notion.pages.move({ page_id: page.id, parent: { data_source_id: IDS.missing } }),
    ).rejects.toMatchObject({ status: 404, code: 'object_not_found', message: notFound('data_source', IDS.missing) });
    expect(await notion.pages.retrieve({ page_id: page.id })).toMatchObject({
      parent: { type: 'data_source_id', data_source_id: ds },
    });
  });

  it('search with filter value "data_source" answers one result per data source', async () => {
    const { db, ds } = await tasks();
    const second = await addSecondSource(db.id);
    const found = await notion.search({ filter: { property: 'object', value: 'data_source' } });
    expect(found).toMatchObject({ object: 'list', type: 'page_or_data_source', page_or_data_source: {} });
    expect(found.results.map((r) => r.object)).toEqual(['data_source', 'data_source']);
    expect(found.results.map((r) => r.id).sort()).toEqual([ds, second.id].sort());
    for (const result of found.results) {
      expect(result).toMatchObject({ parent: { type: 'database_id', database_id: db.id } });
    }
    // Without a filter: pages and data sources, never a database.
    const everything = await notion.search({});
    const objects = new Set(everything.results.map((r) => r.object));
    expect([...objects].sort()).toEqual(['data_source', 'page']);
    expect(everything.results.map((r) => r.id)).not.toContain(db.id);
  });

  it('search matches the query against the database title: both of its sources are found', async () => {
    const { db, ds } = await tasks();
    const second = await addSecondSource(db.id, 'Archive');
    const found = await notion.search({ query: 'Tasks', filter: { property: 'object', value: 'data_source' } });
    expect(found.results.map((r) => r.id).sort()).toEqual([ds, second.id].sort());
  });

  it('relation properties are configured by data_source_id and answer both ids', async () => {
    const { db: target, ds: targetDs } = await tasks();
    const source = await createDatabase({
      Name: { title: {} },
      Link: { relation: { data_source_id: targetDs, type: 'single_property', single_property: {} } },
    });
    const sourceDs = source.data_sources[0]!.id;
    const schema = (await notion.dataSources.retrieve({ data_source_id: sourceDs })) as DataSourceObjectResponse;
    expect(schema.properties.Link).toMatchObject({
      name: 'Link',
      type: 'relation',
      relation: { database_id: target.id, data_source_id: targetDs, type: 'single_property', single_property: {} },
    });
    const linked = await addRow(targetDs, 'Target row');
    const row = (await notion.pages.create({
      parent: { data_source_id: sourceDs },
      properties: { Name: { title: text('Source row') }, Link: { relation: [{ id: linked.id }] } },
    })) as PageObjectResponse;
    expect(row.properties.Link).toMatchObject({ type: 'relation', relation: [{ id: linked.id }] });

    // A dual relation added by dataSources.update names the synced property on the other source.
    const dual = (await notion.dataSources.update({
      data_source_id: sourceDs,
      properties: { Back: { relation: { data_source_id: targetDs, type: 'dual_property', dual_property: {} } } },
    })) as DataSourceObjectResponse;
    expect(dual.properties.Back).toMatchObject({
      type: 'relation',
      relation: { database_id: target.id, data_source_id: targetDs, type: 'dual_property' },
    });
  });

  it('404 object_not_found for a missing or unshared data source', async () => {
    const { ds } = await tasks();
    await expect(notion.dataSources.retrieve({ data_source_id: IDS.missing })).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: notFound('data_source', IDS.missing),
    });
    await expect(notion.dataSources.query({ data_source_id: IDS.missing })).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: notFound('data_source', IDS.missing),
    });
    const stranger = v5(TOKENS.unshared);
    for (const call of [
      () => stranger.dataSources.retrieve({ data_source_id: ds }),
      () => stranger.dataSources.query({ data_source_id: ds }),
      () => stranger.dataSources.update({ data_source_id: ds, title: text('Mine') }),
      () => stranger.dataSources.listTemplates({ data_source_id: ds }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        status: 404,
        code: 'object_not_found',
        message: notFound('data_source', ds),
      });
    }
    // The undashed id is echoed dashed.
    await expect(stranger.dataSources.retrieve({ data_source_id: undashed(ds) })).rejects.toMatchObject({
      status: 404,
      message: notFound('data_source', ds),
    });
  });

  it('the same data through 2022-06-28 and 2025-09-03: one database id, schema and parents per version', async () => {
    const { db, ds } = await tasks();
    const viaV5 = await addRow(ds, 'Made with v5', 1);

    // 2022-06-28 (SDK v4): the single-source database carries the schema; rows have database_id parents.
    const legacy = (await v4.databases.retrieve({ database_id: db.id })) as DatabaseV4;
    expect(legacy).toMatchObject({
      object: 'database',
      id: db.id,
      title: [richText('Tasks')],
      properties: {
        Name: { id: 'title', name: 'Name', type: 'title', title: {} },
        Score: { name: 'Score', type: 'number' },
      },
    });
    expect(await v4.pages.retrieve({ page_id: viaV5.id })).toMatchObject({
      parent: { type: 'database_id', database_id: db.id },
    });
    const viaV4 = (await v4.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('Made with v4') }, Score: { number: 2 } },
    })) as PageV4;
    expect(viaV4.parent).toEqual({ type: 'database_id', database_id: db.id });
    const legacyRows = await v4.databases.query({
      database_id: db.id,
      sorts: [{ property: 'Score', direction: 'ascending' }],
    });
    expect(legacyRows.type).toBe('page_or_database');
    expect(legacyRows.results.map((r) => titleOf(r as PageV4))).toEqual(['Made with v5', 'Made with v4']);

    // A data_source_id parent is accepted under 2022-06-28 too; the answer speaks 2022.
    const rawCreate = await t.raw('/v1/pages', {
      method: 'POST',
      version: '2022-06-28',
      body: {
        parent: { type: 'data_source_id', data_source_id: ds },
        properties: { Name: { title: text('Raw 2022') }, Score: { number: 3 } },
      },
    });
    expect(rawCreate.status).toBe(200);
    expect(rawCreate.body.parent).toEqual({ type: 'database_id', database_id: db.id });

    // 2025-09-03 (SDK v5): the same rows, with data_source_id parents.
    expect(await notion.pages.retrieve({ page_id: viaV4.id })).toMatchObject({
      parent: { type: 'data_source_id', data_source_id: ds, database_id: db.id },
    });
    const rows = await notion.dataSources.query({
      data_source_id: ds,
      sorts: [{ property: 'Score', direction: 'ascending' }],
    });
    expect(rows.results.map((r) => r.id)).toEqual([viaV5.id, viaV4.id, rawCreate.body.id]);
    const container = await notion.databases.retrieve({ database_id: db.id });
    expect(container).toMatchObject({ id: db.id, data_sources: [{ id: ds }] });
    expect(container).not.toHaveProperty('properties');
  });

  it('a database created under 2022-06-28 is, under 2025-09-03, a container of one data source', async () => {
    const legacy = (await v4.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: text('Legacy'),
      properties: { Name: { title: {} }, Done: { checkbox: {} } },
    })) as DatabaseV4;
    const row = await v4.pages.create({
      parent: { database_id: legacy.id },
      properties: { Name: { title: text('Old row') }, Done: { checkbox: true } },
    });
    const container = (await notion.databases.retrieve({ database_id: legacy.id })) as DatabaseObjectResponse;
    expect(container).toMatchObject({
      object: 'database',
      id: legacy.id,
      title: [richText('Legacy')],
      data_sources: [{ id: expect.stringMatching(UUID), name: 'Legacy' }],
    });
    expect(container).not.toHaveProperty('properties');
    const ds = container.data_sources[0]!.id;
    const source = (await notion.dataSources.retrieve({ data_source_id: ds })) as DataSourceObjectResponse;
    expect(source).toMatchObject({
      parent: { type: 'database_id', database_id: legacy.id },
      properties: {
        Name: { id: 'title', type: 'title' },
        Done: { id: legacy.properties.Done!.id, type: 'checkbox' },
      },
    });
    const rows = await notion.dataSources.query({ data_source_id: ds });
    expect(rows.results).toEqual([
      expect.objectContaining({
        id: row.id,
        parent: { type: 'data_source_id', data_source_id: ds, database_id: legacy.id },
      }),
    ]);
  });

  it('a database with two data sources is refused under 2022-06-28 with additional_data', async () => {
    const { db, ds } = await tasks();
    const second = await addSecondSource(db.id);
    const expected = {
      object: 'error',
      status: 400,
      code: 'validation_error',
      message: MULTIPLE_SOURCES,
      additional_data: {
        error_type: 'multiple_data_sources_for_database',
        database_id: db.id,
        child_data_source_ids: [ds, second.id],
        minimum_api_version: '2025-09-03',
      },
      request_id: expect.stringMatching(UUID),
    };
    const retrieve = await t.raw(`/v1/databases/${db.id}`, { version: '2022-06-28' });
    expect(retrieve.status).toBe(400);
    expect(retrieve.body).toEqual(expected);
    const query = await t.raw(`/v1/databases/${db.id}/query`, { method: 'POST', version: '2022-06-28', body: {} });
    expect(query.status).toBe(400);
    expect(query.body).toEqual({ ...expected, request_id: expect.stringMatching(UUID) });
    // The SDK v4 surfaces it as an APIResponseError with the additional_data.
    await expect(v4.databases.retrieve({ database_id: db.id })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: MULTIPLE_SOURCES,
    });
    // Under 2025-09-03 the same database is a container of both.
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({
      data_sources: [{ id: ds }, { id: second.id }],
    });
  });
});
