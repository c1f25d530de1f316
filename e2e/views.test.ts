// Database views and view queries through SDK v5 (reference §18): every data source gets a table "Default view";
// views are listed by database or data source, created with database_id (the other containers answer 400),
// retrieved, updated (filter and sorts checked by the query compiler, quick_filters merged, configuration merged
// and checked per type) and deleted (never the last one); a view query snapshots the matching rows for 15
// minutes and pages through them. Access: what the integration cannot see is the one 404; capabilities 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client as ClientV5,
  type DatabaseObjectResponse,
  type DataSourceObjectResponse,
  type DataSourceViewObjectResponse,
  type PageObjectResponse,
  type ViewQueryResponse,
} from 'notion-client-v5';
import { ManualClock, type Platform } from '@notion-local/server';
import { IDS, TOKENS } from './support/fixtures.js';
import { failure, startClockedPlatform, v5Client, type ClockedPlatform } from './support/sdk-v5.js';
import { storeKinds, type StoreKind } from './support/test-platform.js';

const START = Date.UTC(2026, 6, 4, 9, 10, 20, 602);
const AT = '2026-07-04T09:10:20.602+00:00';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const undashed = (id: string) => id.replace(/-/g, '');
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const RESTRICTED = { status: 403, code: 'restricted_resource', message: 'Insufficient permissions for this endpoint.' };
const invalid = (message: string) => ({ status: 400, code: 'validation_error', message });
const missing = (kind: string, id: string) => ({ status: 404, code: 'object_not_found', message: notFound(kind, id) });
/** An answer without its request_id (which differs per request). */
const fieldsOf = (answer: object) => {
  const { request_id: _requestId, ...fields } = answer as Record<string, unknown>;
  return fields;
};

describe.each(storeKinds())('database views (%s)', (kind: StoreKind) => {
  let started: ClockedPlatform | undefined;
  let platform: Platform;
  let changes: ClockedPlatform['changes'] = [];
  const clock = new ManualClock(START);
  const v5 = (token: string) => v5Client(platform.url, token);
  let notion: ClientV5;

  beforeAll(async () => {
    started = await startClockedPlatform(kind, clock);
    ({ platform, changes } = started);
    notion = v5(TOKENS.full);
  });
  afterAll(async () => {
    await started?.close();
  });

  const raw = async (method: string, path: string, options: { body?: unknown; version?: string } = {}) => {
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKENS.full}`,
        'notion-version': options.version ?? '2025-09-03',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** A database (Name title, Score number, Status select, Due date) and its data source's id. */
  const tasks = async (title = 'Tasks') => {
    const db = (await notion.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text(title),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Score: { number: {} },
          Status: { select: { options: [{ name: 'Open' }, { name: 'Done' }] } },
          Due: { date: {} },
        },
      },
    })) as DatabaseObjectResponse;
    return { db, ds: db.data_sources[0]!.id };
  };
  const addRow = async (ds: string, name: string, score: number) =>
    (await notion.pages.create({
      parent: { type: 'data_source_id', data_source_id: ds },
      properties: { Name: { title: text(name) }, Score: { number: score } },
    })) as PageObjectResponse;
  const viewIds = async (args: { database_id?: string; data_source_id?: string }) =>
    (await notion.views.list(args)).results.map((ref) => ref.id);
  const create = async (db: string, ds: string, extra: Record<string, unknown> = {}) =>
    (await notion.views.create({
      database_id: db,
      data_source_id: ds,
      name: 'Mine',
      type: 'table',
      ...extra,
    } as never)) as DataSourceViewObjectResponse;

  it('a new database has one table view, "Default view", with the observed shape', async () => {
    const { db, ds } = await tasks();
    const list = await notion.views.list({ database_id: db.id });
    expect(list).toEqual({
      object: 'list',
      results: [{ object: 'view', id: expect.stringMatching(UUID) }],
      next_cursor: null,
      has_more: false,
      type: 'view',
      view: {},
      request_id: expect.any(String),
    });
    const id = list.results[0]!.id;
    const view = await notion.views.retrieve({ view_id: undashed(id) });
    const fields = fieldsOf(view);
    expect(Object.keys(fields)).toEqual(
      // The observed key order.
      'object id parent data_source_id name type created_time created_by last_edited_time last_edited_by url filter sorts quick_filters configuration'.split(
        ' ',
      ),
    );
    expect(fields).toEqual({
      object: 'view',
      id,
      parent: { type: 'database_id', database_id: db.id },
      data_source_id: ds,
      name: 'Default view',
      type: 'table',
      created_time: AT,
      created_by: { object: 'user', id: IDS.full },
      last_edited_time: AT,
      last_edited_by: { object: 'user', id: IDS.full },
      url: `https://www.notion.so/p/${undashed(db.id)}?v=${undashed(id)}`,
      filter: null,
      sorts: null,
      quick_filters: null,
      configuration: { type: 'table' },
    });
    expect(await viewIds({ data_source_id: ds })).toEqual([id]);
  });

  it('a second data source gets its own default view; listing by data source shows only its views', async () => {
    const { db, ds } = await tasks();
    const second = (await notion.dataSources.create({
      parent: { type: 'database_id', database_id: db.id },
      title: text('Archive'),
      properties: { Title: { title: {} } },
    })) as DataSourceObjectResponse;
    const all = await viewIds({ database_id: db.id });
    expect(all).toHaveLength(2);
    const [first, other] = all;
    expect(await viewIds({ data_source_id: ds })).toEqual([first]);
    expect(await viewIds({ data_source_id: second.id })).toEqual([other]);
    expect((await notion.views.retrieve({ view_id: other! })) as DataSourceViewObjectResponse).toMatchObject({
      name: 'Default view',
      data_source_id: second.id,
    });
    expect(await viewIds({ database_id: db.id, data_source_id: second.id })).toEqual([other]);
  });

  it('creates views at the end, at the start or after a view; lists them in that order, page by page', async () => {
    const { db, ds } = await tasks();
    const [initial] = await viewIds({ database_id: db.id });
    changes.length = 0;
    const end = await create(db.id, ds, { name: 'End' });
    const start = await create(db.id, ds, { name: 'Start', position: { type: 'start' } });
    const after = await create(db.id, ds, { name: 'After', position: { type: 'after_view', view_id: initial } });
    expect(await viewIds({ database_id: db.id })).toEqual([start.id, initial, after.id, end.id]);
    const page1 = await notion.views.list({ database_id: db.id, page_size: 3 });
    expect(page1).toMatchObject({ has_more: true, next_cursor: end.id });
    expect(page1.results.map((r) => r.id)).toEqual([start.id, initial, after.id]);
    const page2 = await notion.views.list({ database_id: db.id, page_size: 3, start_cursor: page1.next_cursor! });
    expect(page2).toMatchObject({ has_more: false, next_cursor: null, results: [{ object: 'view', id: end.id }] });
    expect(changes.map((c) => [c.kind, c.entity, c.parent, c.actor])).toEqual(
      [end, start, after].map((v) => [
        'view.created',
        { type: 'view', id: v.id },
        { type: 'database', id: db.id },
        { type: 'bot', id: IDS.full },
      ]),
    );
    // A cursor is a view of the same listing: another database's view starts nothing.
    const other = await tasks('Other');
    expect(await viewIds({ database_id: other.db.id })).toHaveLength(1);
    expect((await notion.views.list({ database_id: other.db.id, start_cursor: end.id })).results).toEqual([]);
  });

  it('creates a view with its filter, sorts, quick filters and configuration, answered as given', async () => {
    const { db, ds } = await tasks();
    const made = await create(db.id, ds, {
      name: 'Board',
      type: 'board',
      filter: { property: 'Score', number: { greater_than: 1 } },
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      quick_filters: { Status: { select: { equals: 'Open' } } },
      configuration: { type: 'board', group_by: { type: 'select', property_id: 'Status', sort: { type: 'manual' } } },
    });
    const source = (await notion.dataSources.retrieve({ data_source_id: ds })) as DataSourceObjectResponse;
    const statusId = source.properties.Status!.id;
    expect(made).toMatchObject({
      object: 'view',
      name: 'Board',
      type: 'board',
      filter: { property: 'Score', number: { greater_than: 1 } },
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      // Quick filters and configurations name properties by id (given by name or id).
      quick_filters: { [statusId]: { select: { equals: 'Open' } } },
      configuration: { type: 'board', group_by: { type: 'select', property_id: statusId, sort: { type: 'manual' } } },
    });
    expect(fieldsOf(await notion.views.retrieve({ view_id: made.id }))).toEqual(fieldsOf(made));
  });

  it('create: exactly one of database_id, view_id, create_database; the others and dashboards are refused', async () => {
    const { db, ds } = await tasks();
    const body = { data_source_id: ds, name: 'X', type: 'table' };
    expect(await failure(notion.views.create(body as never))).toEqual(
      invalid(
        'body failed validation: exactly one of body.database_id, body.view_id or body.create_database should be present, instead were 0.',
      ),
    );
    expect(await failure(notion.views.create({ ...body, database_id: db.id, view_id: db.id } as never))).toEqual(
      invalid(
        'body failed validation: exactly one of body.database_id, body.view_id or body.create_database should be present, instead were 2.',
      ),
    );
    expect(await failure(notion.views.create({ ...body, view_id: db.id } as never))).toEqual(
      invalid('Creating a dashboard widget view (`view_id`) is not supported by notion-local.'),
    );
    const createDatabase = { parent: { type: 'page_id', page_id: IDS.sharedRoot } };
    expect(await failure(notion.views.create({ ...body, create_database: createDatabase } as never))).toEqual(
      invalid('Creating a view with `create_database` is not supported by notion-local.'),
    );
    expect(await failure(notion.views.create({ ...body, database_id: db.id, type: 'dashboard' } as never))).toEqual(
      invalid('A dashboard view is not supported by notion-local.'),
    );
    const other = await tasks('Other');
    expect(await failure(notion.views.create({ ...body, database_id: other.db.id } as never))).toEqual(
      invalid(`Data source ${ds} is not a data source of database ${other.db.id}.`),
    );
  });

  it('create: filters, sorts and configurations are checked as queries check them', async () => {
    const { db, ds } = await tasks();
    const attempt = (extra: Record<string, unknown>) => failure(create(db.id, ds, extra));
    expect(await attempt({ filter: { property: 'Nope', number: { equals: 1 } } })).toEqual(
      invalid('Could not find property with name or id: Nope'),
    );
    expect(await attempt({ filter: { property: 'Score', checkbox: { equals: true } } })).toEqual(
      invalid(
        'The property type in the database does not match the property type of the filter provided: database property number does not match filter checkbox',
      ),
    );
    expect(await attempt({ sorts: [{ property: 'Nope', direction: 'ascending' }] })).toEqual(
      invalid('Could not find sort property with name or id: Nope'),
    );
    expect(await attempt({ quick_filters: { Nope: { number: { equals: 1 } } } })).toEqual(
      invalid('Could not find property with name or id: Nope'),
    );
    expect(await attempt({ type: 'board' })).toEqual(
      invalid(
        'body failed validation: body.configuration should be defined for a board view, instead was `undefined`.',
      ),
    );
    expect(await attempt({ type: 'calendar', configuration: { type: 'calendar' } })).toEqual(
      invalid(
        'body failed validation: body.configuration.date_property_id should be defined, instead was `undefined`.',
      ),
    );
    expect(await attempt({ type: 'calendar', configuration: { type: 'calendar', date_property_id: 'Score' } })).toEqual(
      invalid(
        'body failed validation: body.configuration.date_property_id should name a date property, instead was `"Score"`.',
      ),
    );
    expect(await attempt({ configuration: { type: 'board' } })).toEqual(
      invalid('body failed validation: body.configuration.type should be `"table"`, instead was `"board"`.'),
    );
    expect(await attempt({ type: 'chart', configuration: { type: 'chart', chart_type: 'pie' } })).toEqual(
      invalid(
        'body failed validation: body.configuration.chart_type should be `"column"`, `"bar"`, `"line"`, `"donut"`, `"number"`, instead was `"pie"`.',
      ),
    );
    // Nothing was created by the refused requests.
    expect(await viewIds({ database_id: db.id })).toHaveLength(1);
  });

  it('update: name, filter and sorts (null clears), quick_filters merge, configuration shallow merge', async () => {
    const { db, ds } = await tasks();
    const made = await create(db.id, ds, {
      type: 'calendar',
      configuration: { type: 'calendar', date_property_id: 'Due', view_range: 'week', show_weekends: false },
      quick_filters: { Status: { select: { equals: 'Open' } } },
    });
    const source = (await notion.dataSources.retrieve({ data_source_id: ds })) as DataSourceObjectResponse;
    const [dueId, statusId, scoreId] = ['Due', 'Status', 'Score'].map((name) => source.properties[name]!.id);
    clock.advance(61_234);
    changes.length = 0;
    const updated = (await notion.views.update({
      view_id: made.id,
      name: 'Renamed',
      filter: { property: 'Score', number: { is_not_empty: true } },
      sorts: [{ property: 'Score', direction: 'descending' }],
      quick_filters: { Score: { number: { greater_than: 2 } } },
      configuration: { type: 'calendar', date_property_id: dueId!, view_range: null },
    } as never)) as DataSourceViewObjectResponse;
    expect(updated).toMatchObject({
      name: 'Renamed',
      created_time: AT,
      last_edited_time: '2026-07-04T09:11:21.836+00:00',
      filter: { property: 'Score', number: { is_not_empty: true } },
      sorts: [{ property: 'Score', direction: 'descending' }],
      quick_filters: { [statusId!]: { select: { equals: 'Open' } }, [scoreId!]: { number: { greater_than: 2 } } },
      configuration: { type: 'calendar', date_property_id: dueId, show_weekends: false },
    });
    expect(changes.map((c) => [c.kind, c.entity.id])).toEqual([['view.updated', made.id]]);
    const cleared = (await notion.views.update({
      view_id: made.id,
      filter: null,
      sorts: null,
      quick_filters: { Status: null },
    } as never)) as DataSourceViewObjectResponse;
    expect(cleared).toMatchObject({
      name: 'Renamed',
      filter: null,
      sorts: null,
      quick_filters: { [scoreId!]: { number: { greater_than: 2 } } },
    });
    const none = await notion.views.update({ view_id: made.id, quick_filters: null } as never);
    expect(none).toMatchObject({ quick_filters: null });
    expect(fieldsOf(await notion.views.retrieve({ view_id: made.id }))).toEqual(fieldsOf(none));
  });

  it('update: refusals leave the view as it was', async () => {
    const { db, ds } = await tasks();
    const made = await create(db.id, ds, {
      type: 'timeline',
      configuration: { type: 'timeline', date_property_id: 'Due' },
    });
    const attempt = (body: Record<string, unknown>) => failure(notion.views.update({ view_id: made.id, ...body }));
    expect(await attempt({ configuration: { type: 'timeline', date_property_id: null } })).toEqual(
      invalid(
        'body failed validation: body.configuration.date_property_id should be defined, instead was `undefined`.',
      ),
    );
    expect(await attempt({ configuration: { view_range: 'week' } })).toEqual(
      invalid('body failed validation: body.configuration.type should be defined, instead was `undefined`.'),
    );
    expect(await attempt({ filter: { property: 'Score', number: { greater_than: 'x' } } })).toMatchObject({
      status: 400,
      code: 'validation_error',
    });
    expect(await attempt({ sorts: [{ timestamp: 'created_time', direction: 'ascending' }] })).toMatchObject({
      status: 400,
      code: 'validation_error',
      message: expect.stringContaining('body.sorts[0].property should be defined'),
    });
    expect(await attempt({ quick_filters: { Nope: null } })).toEqual(
      invalid('Could not find property with name or id: Nope'),
    );
    expect(fieldsOf(await notion.views.retrieve({ view_id: made.id }))).toEqual(fieldsOf(made));
  });

  it('delete answers the partial view; the last view of a database cannot be deleted', async () => {
    const { db, ds } = await tasks();
    const [initial] = await viewIds({ database_id: db.id });
    const made = await create(db.id, ds);
    changes.length = 0;
    const deleted = await notion.views.delete({ view_id: made.id });
    expect(deleted).toEqual({
      object: 'view',
      id: made.id,
      parent: { type: 'database_id', database_id: db.id },
      type: 'table',
      request_id: expect.any(String),
    });
    expect(changes.map((c) => [c.kind, c.entity.id])).toEqual([['view.deleted', made.id]]);
    expect(await failure(notion.views.retrieve({ view_id: made.id }))).toEqual(missing('view', made.id));
    expect(await failure(notion.views.delete({ view_id: made.id }))).toEqual(missing('view', made.id));
    expect(await failure(notion.views.delete({ view_id: initial! }))).toEqual(
      invalid('Cannot delete the last view of a database.'),
    );
    expect(await viewIds({ database_id: db.id })).toEqual([initial]);
  });

  it('a view query snapshots the matching rows in order for 15 minutes and pages through them', async () => {
    const { db, ds } = await tasks();
    const rows = await Promise.all([1, 5, 3, 0, 4].map((score, i) => addRow(ds, `Row ${i}`, score)));
    const byScore = (score: number) => rows.find((r) => (r.properties.Score as { number: number }).number === score)!;
    const view = await create(db.id, ds, {
      filter: { property: 'Score', number: { greater_than: 0 } },
      sorts: [{ property: 'Score', direction: 'descending' }],
      quick_filters: { Score: { number: { less_than: 5 } } },
    });
    const made = await notion.views.queries.create({ view_id: view.id, page_size: 2 });
    expect(made).toEqual({
      object: 'view_query',
      id: expect.stringMatching(UUID),
      view_id: view.id,
      expires_at: new Date(clock.now().getTime() + 15 * 60_000).toISOString().replace('Z', '+00:00'),
      total_count: 3,
      results: [byScore(4), byScore(3)].map((r) => ({ object: 'page', id: r.id })),
      next_cursor: byScore(1).id,
      has_more: true,
      request_id: expect.any(String),
    } satisfies ViewQueryResponse & { request_id: unknown });
    // Rows added later are not in the snapshot.
    await addRow(ds, 'Late', 2);
    const rest = await notion.views.queries.results({
      view_id: view.id,
      query_id: made.id,
      start_cursor: made.next_cursor!,
    });
    expect(rest).toEqual({
      object: 'list',
      results: [{ object: 'page', id: byScore(1).id }],
      next_cursor: null,
      has_more: false,
      type: 'page',
      page: {},
      request_id: expect.any(String),
    });
    const all = await notion.views.queries.results({ view_id: view.id, query_id: made.id });
    expect(all.results.map((r) => r.id)).toEqual([4, 3, 1].map((s) => byScore(s).id));
    const badCursor = await failure(
      notion.views.queries.results({ view_id: view.id, query_id: made.id, start_cursor: view.id }),
    );
    expect(badCursor).toEqual(
      invalid(
        `query failed validation: query.start_cursor should be a cursor returned by this view query, instead was \`"${view.id}"\`.`,
      ),
    );
    // Past its 15 minutes the query is gone.
    clock.advance(15 * 60_000 + 1);
    expect(await failure(notion.views.queries.results({ view_id: view.id, query_id: made.id }))).toEqual(
      missing('view_query', made.id),
    );
  });

  it('deleting a view query answers deleted, again too; its results are gone', async () => {
    const { db, ds } = await tasks();
    await addRow(ds, 'One', 1);
    const [view] = await viewIds({ database_id: db.id });
    const made = await notion.views.queries.create({ view_id: view! });
    expect(made).toMatchObject({ total_count: 1, has_more: false, next_cursor: null });
    const expected = { object: 'view_query', id: made.id, deleted: true, request_id: expect.any(String) };
    expect(await notion.views.queries.delete({ view_id: view!, query_id: made.id })).toEqual(expected);
    expect(await notion.views.queries.delete({ view_id: view!, query_id: made.id })).toEqual(expected);
    expect(await failure(notion.views.queries.results({ view_id: view!, query_id: made.id }))).toEqual(
      missing('view_query', made.id),
    );
  });

  it('a view of a database the integration cannot see is missing; capabilities are checked first', async () => {
    const { db, ds } = await tasks();
    const [view] = await viewIds({ database_id: db.id });
    const made = await notion.views.queries.create({ view_id: view! });
    for (const token of [TOKENS.unshared, TOKENS.otherBot]) {
      const other = v5(token);
      expect(await failure(other.views.retrieve({ view_id: view! }))).toEqual(missing('view', view!));
      expect(await failure(other.views.update({ view_id: view!, name: 'x' }))).toEqual(missing('view', view!));
      expect(await failure(other.views.delete({ view_id: view! }))).toEqual(missing('view', view!));
      expect(await failure(other.views.queries.create({ view_id: view! }))).toEqual(missing('view', view!));
      expect(await failure(other.views.queries.results({ view_id: view!, query_id: made.id }))).toEqual(
        missing('view', view!),
      );
      expect(await failure(other.views.list({ database_id: db.id }))).toEqual(missing('database', db.id));
      expect(await failure(other.views.list({ data_source_id: ds }))).toEqual(missing('data_source', ds));
      expect(
        await failure(other.views.create({ database_id: db.id, data_source_id: ds, name: 'x', type: 'table' })),
      ).toEqual(missing('database', db.id));
    }
    const readOnly = v5(TOKENS.readOnly);
    expect(await readOnly.views.retrieve({ view_id: view! })).toMatchObject({ id: view });
    expect(await failure(readOnly.views.update({ view_id: view!, name: 'x' }))).toEqual(RESTRICTED);
    expect(await failure(readOnly.views.delete({ view_id: view! }))).toEqual(RESTRICTED);
    expect(
      await failure(readOnly.views.create({ database_id: db.id, data_source_id: ds, name: 'x', type: 'table' })),
    ).toEqual(RESTRICTED);
    // The query of another integration is not found, even with access to the view.
    expect(await failure(readOnly.views.queries.results({ view_id: view!, query_id: made.id }))).toEqual(
      missing('view_query', made.id),
    );
    // A view id that is a page's, or missing, is a missing view.
    expect(await failure(notion.views.retrieve({ view_id: IDS.sharedRoot }))).toEqual(missing('view', IDS.sharedRoot));
    expect(await failure(notion.views.retrieve({ view_id: IDS.missing }))).toEqual(missing('view', IDS.missing));
  });

  it('a trashed database keeps its views readable but refuses changes to them', async () => {
    const { db, ds } = await tasks();
    const made = await create(db.id, ds);
    await notion.databases.update({ database_id: db.id, in_trash: true });
    expect(await notion.views.retrieve({ view_id: made.id })).toMatchObject({ id: made.id });
    const archived = invalid("Can't edit block that is archived. You must unarchive the block before editing.");
    expect(await failure(notion.views.update({ view_id: made.id, name: 'x' }))).toEqual(archived);
    expect(await failure(notion.views.delete({ view_id: made.id }))).toEqual(archived);
    expect(await failure(create(db.id, ds))).toEqual(archived);
  });

  it('list needs a database or data source; views do not exist before 2025-09-03', async () => {
    expect(await raw('GET', '/v1/views')).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message:
          'query failed validation: query.database_id or query.data_source_id should be defined, instead was `undefined`.',
      },
    });
    const { db } = await tasks();
    expect(await raw('GET', `/v1/views?database_id=${db.id}&page_size=101`)).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message: 'query failed validation: query.page_size should be ≤ `100` or `undefined`, instead was `101`.',
      },
    });
    expect(await raw('GET', `/v1/views?database_id=${db.id}`, { version: '2022-06-28' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_request_url', message: 'Invalid request URL.' },
    });
    expect((await raw('GET', `/v1/views?database_id=${db.id}`, { version: '2026-03-11' })).status).toBe(200);
  });
});
