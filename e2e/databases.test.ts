// Databases through the official SDK v4 (reference §8.2, §9.1, §11.1, §11.6): create (the full object,
// the child_database block in the parent), retrieve, update (title, description, is_inline, add/rename/
// remove/retype properties, select options), trash/restore, every property type's schema, the wrong
// object kind, search and the deprecated list.
import { describe, expect, it } from 'vitest';
import {
  collectPaginatedAPI,
  type Client,
  type DatabaseObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';
import { dataSourceIdOf, REQUEST_ID, withoutRequestId } from './support/answers.js';

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
const PROPERTY_ID = /^[A-Za-z0-9%~_!]{1,12}$/;

describe.each(storeKinds())('databases (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  const create = async (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (await notion.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: text('Tasks'),
      properties: properties as never,
      ...extra,
    })) as DatabaseObjectResponse;

  it('creates a database and answers the full object; it is a child_database block of its page', async () => {
    const db = await create(
      { Name: { title: {} }, Notes: { rich_text: {} } },
      { description: text('What to do'), icon: { emoji: '✅' }, is_inline: true },
    );
    expect(db).toEqual({
      object: 'database',
      id: expect.stringMatching(UUID),
      cover: null,
      icon: { type: 'emoji', emoji: '✅' },
      created_time: expect.stringMatching(MINUTE_ISO),
      created_by: { object: 'user', id: IDS.full },
      last_edited_by: { object: 'user', id: IDS.full },
      last_edited_time: expect.stringMatching(MINUTE_ISO),
      title: [richText('Tasks')],
      description: [richText('What to do')],
      is_inline: true,
      properties: {
        Name: { id: 'title', name: 'Name', type: 'title', title: {} },
        Notes: { id: expect.stringMatching(PROPERTY_ID), name: 'Notes', type: 'rich_text', rich_text: {} },
      },
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      url: `https://www.notion.so/${undashed(db.id)}`,
      public_url: null,
      archived: false,
      in_trash: false,
      is_locked: false,
      request_id: REQUEST_ID,
    });
    expect(await notion.databases.retrieve({ database_id: undashed(db.id) })).toEqual({
      ...db,
      request_id: REQUEST_ID,
    });
    const children = await notion.blocks.children.list({ block_id: IDS.sharedRoot });
    expect(children.results.at(-1)).toMatchObject({
      id: db.id,
      type: 'child_database',
      child_database: { title: 'Tasks' },
      has_children: false,
    });
    expect(await notion.blocks.retrieve({ block_id: db.id })).toMatchObject({
      type: 'child_database',
      child_database: { title: 'Tasks' },
    });
    // Nothing can be appended to a database block.
    await expect(
      notion.blocks.children.append({ block_id: db.id, children: [{ paragraph: { rich_text: text('x') } }] }),
    ).rejects.toMatchObject({
      status: 400,
      message: 'body.children[0]: Block type child_database does not support children.',
    });
  });

  it('stores every property type with Notion’s config shapes and defaults', async () => {
    const target = await create({ Title: { title: {} }, Score: { number: {} } });
    const db = await create({
      Name: { title: {} },
      Text: { rich_text: {} },
      Price: { number: { format: 'euro' } },
      Count: { number: {} },
      Tag: { select: { options: [{ name: 'A' }, { name: 'B', color: 'red' }] } },
      Tags: { multi_select: {} },
      Stage: { status: {} },
      Due: { date: {} },
      Owner: { people: {} },
      Attachments: { files: {} },
      Done: { checkbox: {} },
      Link: { url: {} },
      Mail: { email: {} },
      Phone: { phone_number: {} },
      Double: { formula: { expression: 'prop("Price") * 2' } },
      One: { relation: { database_id: target.id, single_property: {} } },
      Two: { relation: { database_id: target.id, dual_property: {} } },
      Created: { created_time: {} },
      Creator: { created_by: {} },
      Edited: { last_edited_time: {} },
      Editor: { last_edited_by: {} },
      Ref: { unique_id: { prefix: 'TSK' } },
      Plain: { unique_id: {} },
    });
    const props = db.properties as Record<string, { id: string; type: string } & Record<string, any>>;
    expect(Object.keys(props)).toEqual([
      'Name',
      'Text',
      'Price',
      'Count',
      'Tag',
      'Tags',
      'Stage',
      'Due',
      'Owner',
      'Attachments',
      'Done',
      'Link',
      'Mail',
      'Phone',
      'Double',
      'One',
      'Two',
      'Created',
      'Creator',
      'Edited',
      'Editor',
      'Ref',
      'Plain',
    ]);
    expect(new Set(Object.values(props).map((p) => p.id)).size).toBe(23);
    expect(props.Price!.number).toEqual({ format: 'euro' });
    expect(props.Count!.number).toEqual({ format: 'number' });
    expect(props.Tag!.select.options).toEqual([
      { id: expect.any(String), name: 'A', color: expect.any(String) },
      { id: expect.any(String), name: 'B', color: 'red' },
    ]);
    expect(props.Tags!.multi_select).toEqual({ options: [] });
    expect(props.Stage!.status.options.map((o: { name: string }) => o.name)).toEqual([
      'Not started',
      'In progress',
      'Done',
    ]);
    expect(
      props.Stage!.status.groups.map((g: { name: string; option_ids: string[] }) => [g.name, g.option_ids.length]),
    ).toEqual([
      ['To-do', 1],
      ['In progress', 1],
      ['Complete', 1],
    ]);
    expect(props.Double!.formula).toEqual({ expression: 'prop("Price") * 2' });
    const targetSource = await dataSourceIdOf(t, target.id);
    expect(targetSource).not.toBe(target.id);
    expect(props.One!.relation).toEqual({
      database_id: target.id,
      data_source_id: targetSource,
      type: 'single_property',
      single_property: {},
    });
    expect(props.Two!.relation).toEqual({
      database_id: target.id,
      data_source_id: targetSource,
      type: 'dual_property',
      dual_property: { synced_property_id: expect.any(String), synced_property_name: 'Related to Tasks (Two)' },
    });
    expect(props.Ref!.unique_id).toEqual({ prefix: 'TSK' });
    expect(props.Plain!.unique_id).toEqual({ prefix: null });
    for (const type of [
      'created_time',
      'created_by',
      'last_edited_time',
      'last_edited_by',
      'date',
      'people',
      'files',
      'checkbox',
      'url',
      'email',
      'phone_number',
    ]) {
      expect(Object.values(props).find((p) => p.type === type)![type]).toEqual({});
    }
    // The dual relation's other side appears in the target database, pointing back.
    const targetNow = (await notion.databases.retrieve({ database_id: target.id })) as DatabaseObjectResponse;
    expect(targetNow.properties['Related to Tasks (Two)']).toEqual({
      id: props.Two!.relation.dual_property.synced_property_id,
      name: 'Related to Tasks (Two)',
      type: 'relation',
      relation: {
        database_id: db.id,
        data_source_id: await dataSourceIdOf(t, db.id),
        type: 'dual_property',
        dual_property: { synced_property_id: props.Two!.id, synced_property_name: 'Two' },
      },
    });
  });

  it('adds a rollup by relation and property name; its config names both and their ids', async () => {
    const target = await create({ Title: { title: {} }, Score: { number: {} } });
    const db = await create({
      Name: { title: {} },
      Items: { relation: { database_id: target.id, single_property: {} } },
    });
    const updated = (await notion.databases.update({
      database_id: db.id,
      properties: {
        Sum: { rollup: { relation_property_name: 'Items', rollup_property_name: 'Score', function: 'sum' } },
      },
    })) as DatabaseObjectResponse;
    expect(updated.properties.Sum).toEqual({
      id: expect.any(String),
      name: 'Sum',
      type: 'rollup',
      rollup: {
        rollup_property_name: 'Score',
        relation_property_name: 'Items',
        rollup_property_id: target.properties.Score!.id,
        relation_property_id: db.properties.Items!.id,
        function: 'sum',
      },
    });
    // Renaming the rolled-up property in the target database is reflected in the rollup's config.
    await notion.databases.update({ database_id: target.id, properties: { Score: { name: 'Points' } } });
    const again = (await notion.databases.retrieve({ database_id: db.id })) as DatabaseObjectResponse;
    expect(again.properties.Sum).toMatchObject({ rollup: { rollup_property_name: 'Points' } });
    await expect(
      notion.databases.update({
        database_id: db.id,
        properties: {
          Bad: { rollup: { relation_property_name: 'Name', rollup_property_name: 'Score', function: 'sum' } },
        },
      }),
    ).rejects.toMatchObject({
      status: 400,
      message:
        'body failed validation: body.properties.Bad.rollup.relation_property_name should be the name or id of a relation property of this database, instead was `"Name"`.',
    });
  });

  it('updates title, description and is_inline, renames, adds, retypes and removes properties', async () => {
    const db = await create({
      Name: { title: {} },
      Size: { number: {} },
      Old: { rich_text: {} },
      Twice: { formula: { expression: 'prop("Size") * 2' } },
    });
    const page = (await notion.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('Row') }, Size: { number: 3 }, Old: { rich_text: text('x') } },
    })) as PageObjectResponse;
    const sizeId = db.properties.Size!.id;
    const updated = (await notion.databases.update({
      database_id: db.id,
      title: text('Renamed'),
      description: text('Now described'),
      is_inline: true,
      properties: { [sizeId]: { name: 'Amount' }, Old: { checkbox: {} }, New: { email: {} }, Twice: null },
    })) as DatabaseObjectResponse;
    expect(updated.title).toEqual([richText('Renamed')]);
    expect(updated.description).toEqual([richText('Now described')]);
    expect(updated.is_inline).toBe(true);
    expect(Object.keys(updated.properties)).toEqual(['Name', 'Amount', 'Old', 'New']);
    expect(updated.properties.Amount).toEqual({
      id: sizeId,
      name: 'Amount',
      type: 'number',
      number: { format: 'number' },
    });
    expect(updated.properties.Old).toMatchObject({ id: db.properties.Old!.id, type: 'checkbox', checkbox: {} });
    // The value survives the rename (ids are stable); the retyped property starts empty; the removed one is gone.
    const row = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    expect(row.properties.Amount).toEqual({ id: sizeId, type: 'number', number: 3 });
    expect(row.properties.Old).toEqual({ id: db.properties.Old!.id, type: 'checkbox', checkbox: false });
    expect(row.properties).not.toHaveProperty('Twice');
    // A formula follows a renamed property.
    const withFormula = (await notion.databases.update({
      database_id: db.id,
      properties: { Triple: { formula: { expression: 'prop("Amount") * 3' } } },
    })) as DatabaseObjectResponse;
    await notion.databases.update({ database_id: db.id, properties: { Amount: { name: 'Qty' } } });
    const formula = ((await notion.databases.retrieve({ database_id: db.id })) as DatabaseObjectResponse).properties
      .Triple;
    expect(formula).toEqual({
      id: withFormula.properties.Triple!.id,
      name: 'Triple',
      type: 'formula',
      formula: { expression: 'prop("Qty") * 3' },
    });
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).properties.Triple).toMatchObject(
      { formula: { type: 'number', number: 9 } },
    );
  });

  it('replaces select options: kept by id or name, new ones added, left-out ones removed from pages', async () => {
    const db = await create({
      Name: { title: {} },
      Color: { select: { options: [{ name: 'Red' }, { name: 'Blue' }] } },
    });
    const [red, blue] = (db.properties.Color as { select: { options: { id: string; name: string }[] } }).select.options;
    const a = (await notion.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('a') }, Color: { select: { name: 'Red' } } },
    })) as PageObjectResponse;
    const b = (await notion.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('b') }, Color: { select: { name: 'Blue' } } },
    })) as PageObjectResponse;
    const updated = (await notion.databases.update({
      database_id: db.id,
      properties: {
        Color: {
          select: {
            options: [
              { id: red!.id, name: 'Crimson' },
              { name: 'Green', color: 'green' },
            ],
          },
        },
      },
    })) as DatabaseObjectResponse;
    expect((updated.properties.Color as { select: { options: unknown[] } }).select.options).toEqual([
      { id: red!.id, name: 'Crimson', color: expect.any(String) },
      { id: expect.any(String), name: 'Green', color: 'green' },
    ]);
    expect(((await notion.pages.retrieve({ page_id: a.id })) as PageObjectResponse).properties.Color).toMatchObject({
      select: { id: red!.id, name: 'Crimson' },
    });
    expect(((await notion.pages.retrieve({ page_id: b.id })) as PageObjectResponse).properties.Color).toMatchObject({
      select: null,
    });
    const blues = await notion.databases.query({
      database_id: db.id,
      filter: { property: 'Color', select: { is_empty: true } },
    });
    expect(blues.results.map((r) => r.id)).toEqual([b.id]);
    void blue;
  });

  it('trashes and restores with archived / in_trash; a trashed database refuses edits and new rows', async () => {
    const db = await create({ Name: { title: {} } });
    const trashed = (await notion.databases.update({ database_id: db.id, archived: true })) as DatabaseObjectResponse;
    expect(trashed).toMatchObject({ archived: true, in_trash: true });
    expect(await notion.databases.retrieve({ database_id: db.id })).toMatchObject({ archived: true, in_trash: true });
    const blocked = "Can't edit block that is archived. You must unarchive the block before editing.";
    await expect(notion.databases.update({ database_id: db.id, title: text('x') })).rejects.toMatchObject({
      status: 400,
      message: blocked,
    });
    await expect(
      notion.pages.create({ parent: { database_id: db.id }, properties: { Name: { title: text('x') } } }),
    ).rejects.toMatchObject({ status: 400, message: blocked });
    expect(
      (await notion.search({ filter: { property: 'object', value: 'database' } })).results.map((r) => r.id),
    ).not.toContain(db.id);
    const restored = (await notion.databases.update({ database_id: db.id, in_trash: false })) as DatabaseObjectResponse;
    expect(restored).toMatchObject({ archived: false, in_trash: false });
    await notion.pages.create({ parent: { database_id: db.id }, properties: { Name: { title: text('x') } } });
  });

  it('answers the wrong object kind with 400, and an invisible one with the one 404', async () => {
    const db = await create({ Name: { title: {} } });
    await expect(notion.databases.retrieve({ database_id: IDS.sharedRoot })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: `Provided database_id ${IDS.sharedRoot} is a page, not a database. Use the pages API instead, or pass the ID of the database itself.`,
    });
    await expect(notion.databases.query({ database_id: undashed(IDS.child) })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(`Provided database_id ${IDS.child} is a page`),
    });
    await expect(notion.pages.retrieve({ page_id: db.id })).rejects.toMatchObject({
      status: 400,
      code: 'validation_error',
      message: `Provided ID ${db.id} is a database, not a page. Use the retrieve database API instead.`,
    });
    await expect(notion.pages.update({ page_id: db.id, archived: true })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('is a database, not a page'),
    });
    await expect(
      notion.pages.create({ parent: { page_id: db.id }, properties: { title: { title: text('x') } } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('is a database, not a page') });
    // A page the integration cannot see stays a 404 for the database routes: no kind is revealed.
    for (const id of [IDS.privatePage, IDS.otherRoot, IDS.missing]) {
      await expect(notion.databases.retrieve({ database_id: id })).rejects.toMatchObject({
        status: 404,
        code: 'object_not_found',
        message: notFound('database', id),
      });
    }
  });

  it('validates create bodies: one title, known types, option names, a visible relation target', async () => {
    await expect(create({ Notes: { rich_text: {} } })).rejects.toMatchObject({
      status: 400,
      message:
        'body failed validation: body.properties should have exactly one property of type `"title"`, instead was `0`.',
    });
    await expect(create({ Name: { title: {} }, X: { button: {} } })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(
        /^body failed validation: body\.properties\.X\.type should be "title", "rich_text", /,
      ),
    });
    await expect(create({ Name: { title: {} }, N: { number: { format: 'bitcoin' } } })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('body.properties.N.number.format should be "number", "number_with_commas"'),
    });
    await expect(create({ Name: { title: {} }, S: { select: { options: [{ name: 'a,b' }] } } })).rejects.toMatchObject({
      status: 400,
      message:
        'body failed validation: body.properties.S.select.options[0].name should not contain commas, instead was `"a,b"`.',
    });
    await expect(
      create({ Name: { title: {} }, R: { relation: { database_id: IDS.privatePage, single_property: {} } } }),
    ).rejects.toMatchObject({
      status: 404,
      message: notFound('database', IDS.privatePage),
    });
    await expect(
      create({ Name: { title: {} }, F: { formula: { expression: 'prop("Nope") + 1' } } }),
    ).rejects.toMatchObject({
      status: 400,
      message:
        'body failed validation: body.properties.F.formula.expression should be a valid formula (there is no property "Nope"), instead was `"prop(\\"Nope\\") + 1"`.',
    });
    await expect(
      notion.databases.create({ parent: { page_id: IDS.privatePage }, properties: { Name: { title: {} } } }),
    ).rejects.toMatchObject({
      status: 404,
      message: notFound('page', IDS.privatePage),
    });
  });

  it('search finds databases by title, honours filter "database", and answers rows as pages', async () => {
    const db = await create({ Name: { title: {} } }, { title: text('Reading list') });
    const row = (await notion.pages.create({
      parent: { database_id: db.id },
      properties: { Name: { title: text('Reading notes') } },
    })) as PageObjectResponse;
    const dbs = await notion.search({ query: 'reading', filter: { property: 'object', value: 'database' } });
    expect(dbs.results.map((r) => [r.object, r.id])).toEqual([['database', db.id]]);
    expect(dbs.results[0]).toEqual(withoutRequestId(await notion.databases.retrieve({ database_id: db.id })));
    expect(dbs.results[0]).not.toHaveProperty('request_id');
    const pages = await notion.search({ query: 'reading', filter: { property: 'object', value: 'page' } });
    expect(pages.results.map((r) => r.id)).toEqual([row.id]);
    expect((pages.results[0] as PageObjectResponse).properties.Name).toEqual({
      id: 'title',
      type: 'title',
      title: [richText('Reading notes')],
    });
    expect((await notion.search({ query: 'reading' })).results.map((r) => r.id).sort()).toEqual([db.id, row.id].sort());
    // Rows are children of the database's data source, not of the database: its children list is empty.
    expect(await notion.blocks.children.list({ block_id: db.id })).toEqual({
      object: 'list',
      results: [],
      next_cursor: null,
      has_more: false,
      type: 'block',
      block: {},
      request_id: REQUEST_ID,
    });
  });

  it('lists databases the integration can see with the deprecated GET /v1/databases', async () => {
    const a = await create({ Name: { title: {} } }, { title: text('A') });
    const b = await create({ Name: { title: {} } }, { title: text('B') });
    const listed = await collectPaginatedAPI(notion.databases.list, { page_size: 1 });
    expect(listed.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    const other = await collectPaginatedAPI(t.client(TOKENS.unshared).databases.list, {});
    expect(other).toEqual([]);
  });
});
