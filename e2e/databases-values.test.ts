// Page property values in databases through SDK v4 (reference §9.2, §6.3, §8.10, §14.1): every writable
// type in and out, computed types, options created on first use, Notion's messages naming the property,
// size limits at N and N+1, the property item endpoint, the 25-reference cap, and relations and rollups
// that never reveal pages the integration cannot see.
import { describe, expect, it } from 'vitest';
import {
  collectPaginatedAPI,
  iteratePaginatedAPI,
  type Client,
  type DatabaseObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';
import { REQUEST_ID } from './support/answers.js';

const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const richText = (content: string) => ({
  type: 'text',
  text: { content, link: null },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: null,
});
const uuid = (n: number) => `0e000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ADA = {
  object: 'user',
  id: IDS.ada,
  name: 'Ada Lovelace',
  avatar_url: null,
  type: 'person',
  person: { email: 'ada@example.com', email_verified: true },
};

describe.each(storeKinds())('database page values (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  const database = async (properties: Record<string, unknown>, parent: string = IDS.sharedRoot, client = notion) =>
    (await client.databases.create({
      parent: { page_id: parent },
      title: text('DB'),
      properties: properties as never,
    })) as DatabaseObjectResponse;
  // The SDK types pages.properties.retrieve as not paginated; it is for these types (reference §8.10).
  const items = (args: Record<string, unknown>) =>
    collectPaginatedAPI(notion.pages.properties.retrieve as never, args as never) as Promise<any[]>;
  const row = async (db: string, properties: Record<string, unknown>, client = notion) =>
    (await client.pages.create({ parent: { database_id: db }, properties: properties as never })) as PageObjectResponse;

  it('writes and reads every writable type; computed types are answered; unset ones are empty (§14.1)', async () => {
    const target = await database({ Title: { title: {} }, Score: { number: {} } });
    const t1 = await row(target.id, { Title: { title: text('t1') }, Score: { number: 4 } });
    const db = await database({
      Name: { title: {} },
      Notes: { rich_text: {} },
      Price: { number: { format: 'dollar' } },
      Tag: { select: {} },
      Tags: { multi_select: { options: [{ name: 'Leafy' }] } },
      Stage: { status: {} },
      Due: { date: {} },
      Owner: { people: {} },
      Files: { files: {} },
      Done: { checkbox: {} },
      Link: { url: {} },
      Mail: { email: {} },
      Phone: { phone_number: {} },
      Rel: { relation: { database_id: target.id, single_property: {} } },
      Double: { formula: { expression: 'if(prop("Done"), prop("Price") * 2, 0)' } },
      Label: { formula: { expression: 'concat(prop("Name"), " — ", prop("Tag"))' } },
      Later: { formula: { expression: 'dateAdd(prop("Due"), 2, "days")' } },
      Created: { created_time: {} },
      By: { created_by: {} },
      Edited: { last_edited_time: {} },
      EditedBy: { last_edited_by: {} },
      Ref: { unique_id: { prefix: 'TSK' } },
      Empty: { rich_text: {} },
    });
    await notion.databases.update({
      database_id: db.id,
      properties: {
        Sum: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'sum' } },
      },
    });
    const page = await row(db.id, {
      Name: { title: text('Tuscan kale') },
      Notes: { rich_text: [{ text: { content: 'bold' }, annotations: { bold: true } }] },
      Price: { number: 2.5 },
      Tag: { select: { name: 'Greens' } },
      Tags: { multi_select: [{ name: 'Leafy' }, { name: 'New tag' }] },
      Stage: { status: { name: 'In progress' } },
      Due: { date: { start: '2023-02-23' } },
      Owner: { people: [{ id: IDS.ada }] },
      Files: { files: [{ name: 'spec.pdf', external: { url: 'https://example.com/spec.pdf' } }] },
      Done: { checkbox: true },
      Link: { url: 'https://example.com' },
      Mail: { email: 'kale@example.com' },
      Phone: { phone_number: '+1 555 0100' },
      Rel: { relation: [{ id: t1.id }] },
    });
    const p = page.properties as Record<string, any>;
    expect(p.Name).toEqual({ id: 'title', type: 'title', title: [richText('Tuscan kale')] });
    expect(p.Notes).toEqual({
      id: expect.any(String),
      type: 'rich_text',
      rich_text: [{ ...richText('bold'), annotations: { ...ANNOTATIONS, bold: true } }],
    });
    expect(p.Price).toEqual({ id: expect.any(String), type: 'number', number: 2.5 });
    expect(p.Tag).toEqual({
      id: expect.any(String),
      type: 'select',
      select: { id: expect.any(String), name: 'Greens', color: expect.any(String) },
    });
    expect(p.Tags.multi_select.map((o: { name: string }) => o.name)).toEqual(['Leafy', 'New tag']);
    expect(p.Stage.status).toMatchObject({ name: 'In progress', color: 'blue' });
    expect(p.Due).toEqual({
      id: expect.any(String),
      type: 'date',
      date: { start: '2023-02-23', end: null, time_zone: null },
    });
    expect(p.Owner).toEqual({ id: expect.any(String), type: 'people', people: [ADA] });
    expect(p.Files.files).toEqual([
      { name: 'spec.pdf', type: 'external', external: { url: 'https://example.com/spec.pdf' } },
    ]);
    expect([p.Done.checkbox, p.Link.url, p.Mail.email, p.Phone.phone_number]).toEqual([
      true,
      'https://example.com',
      'kale@example.com',
      '+1 555 0100',
    ]);
    expect(p.Rel).toEqual({ id: expect.any(String), type: 'relation', relation: [{ id: t1.id }], has_more: false });
    expect(p.Double).toEqual({ id: expect.any(String), type: 'formula', formula: { type: 'number', number: 5 } });
    expect(p.Label.formula).toEqual({ type: 'string', string: 'Tuscan kale — Greens' });
    expect(p.Later.formula).toEqual({
      type: 'date',
      date: { start: '2023-02-25T00:00:00.000Z', end: null, time_zone: null },
    });
    expect(p.Sum).toEqual({
      id: expect.any(String),
      type: 'rollup',
      rollup: { type: 'number', number: 4, function: 'sum' },
    });
    expect(p.Created.created_time).toMatch(MINUTE_ISO);
    expect(p.By.created_by).toEqual({
      object: 'user',
      id: IDS.full,
      name: 'Full',
      avatar_url: null,
      type: 'bot',
      bot: {},
    });
    expect(p.Ref).toEqual({ id: expect.any(String), type: 'unique_id', unique_id: { prefix: 'TSK', number: 1 } });
    expect(p.Empty).toEqual({ id: expect.any(String), type: 'rich_text', rich_text: [] });
    // New options were added to the schema, as Notion does on first use.
    const schema = (await notion.databases.retrieve({ database_id: db.id })) as DatabaseObjectResponse;
    expect(
      (schema.properties.Tags as { multi_select: { options: { name: string }[] } }).multi_select.options.map(
        (o) => o.name,
      ),
    ).toEqual(['Leafy', 'New tag']);
    expect(
      (schema.properties.Tag as { select: { options: { name: string }[] } }).select.options.map((o) => o.name),
    ).toEqual(['Greens']);
    // The next row gets the next number; PATCH changes only the keys given; null clears.
    expect(((await row(db.id, {})).properties.Ref as { unique_id: unknown }).unique_id).toEqual({
      prefix: 'TSK',
      number: 2,
    });
    const patched = (await notion.pages.update({
      page_id: page.id,
      properties: { Price: { number: null }, Tag: { select: null }, Done: { checkbox: false } },
    })) as PageObjectResponse;
    const q = patched.properties as Record<string, any>;
    expect([
      q.Price.number,
      q.Tag.select,
      q.Done.checkbox,
      q.Double.formula.number,
      q.Name.title[0].plain_text,
    ]).toEqual([null, null, false, 0, 'Tuscan kale']);
    expect(await notion.pages.retrieve({ page_id: page.id })).toEqual({ ...patched, request_id: REQUEST_ID });
  });

  it('answers Notion’s messages naming the property, several at once (§5.4)', async () => {
    const db = await database({
      Name: { title: {} },
      Price: { number: {} },
      Stage: { status: {} },
      F: { formula: { expression: '1' } },
      Created: { created_time: {} },
    });
    const fails = (properties: Record<string, unknown>, message: string) =>
      expect(row(db.id, properties)).rejects.toMatchObject({ status: 400, code: 'validation_error', message });
    await fails(
      { Title: { title: text('x') }, Price: { rich_text: text('x') } },
      'Title is not a property that exists. Price is expected to be number.',
    );
    await fails({ Name: { rich_text: text('x') } }, 'Name is expected to be title.');
    await fails({ Price: 5 }, 'Price is expected to be number.');
    await fails(
      { Price: { number: 'five' } },
      'body failed validation: body.properties.Price.number should be a number, instead was `"five"`.',
    );
    await fails(
      { Name: { title: text('x'), placeholder: '' } },
      'body failed validation: body.properties.Name.placeholder should be not present, instead was `""`.',
    );
    await fails(
      { F: { formula: { string: 'x' } } },
      'body failed validation: body.properties.F.formula should be not present, instead was `{"string":"x"}`.',
    );
    await fails(
      { Created: { created_time: '2024-01-01' } },
      'body failed validation: body.properties.Created.created_time should be not present, instead was `"2024-01-01"`.',
    );
    await fails(
      { Stage: { status: { name: 'Someday' } } },
      'body failed validation: body.properties.Stage.status.name should be "Not started", "In progress", or "Done", instead was `"Someday"`.',
    );
    // Property ids work as keys too, URL-encoded or not.
    const id = db.properties.Price!.id;
    expect((await row(db.id, { [id]: { number: 1 } })).properties.Price).toMatchObject({ number: 1 });
    expect((await row(db.id, { [decodeURIComponent(id)]: { number: 2 } })).properties.Price).toMatchObject({
      number: 2,
    });
    // After a schema change the live schema is what counts.
    const page = await row(db.id, { Price: { number: 3 } });
    await notion.databases.update({ database_id: db.id, properties: { Price: { name: 'Cost' } } });
    await expect(notion.pages.update({ page_id: page.id, properties: { Price: { number: 4 } } })).rejects.toMatchObject(
      { status: 400, message: 'Price is not a property that exists.' },
    );
    expect(
      ((await notion.pages.update({ page_id: page.id, properties: { Cost: { number: 4 } } })) as PageObjectResponse)
        .properties.Cost,
    ).toMatchObject({ number: 4 });
  });

  it('enforces the size limits at N and N+1: multi_select, relation, people 100; url 2000; email, phone 200', async () => {
    const target = await database({ Title: { title: {} } });
    const db = await database({
      Name: { title: {} },
      Tags: { multi_select: {} },
      Rel: { relation: { database_id: target.id, single_property: {} } },
      Who: { people: {} },
      Link: { url: {} },
      Mail: { email: {} },
      Phone: { phone_number: {} },
    });
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push((await row(target.id, { Title: { title: text(`t${i}`) } })).id);
    for (let i = 0; i < 100; i++) {
      await t.platform.store.query(
        `INSERT INTO users (id, workspace_id, type, name, created_time) VALUES ($1, $2, 'person', $3, now())`,
        [uuid(i), IDS.acme, `Person ${i}`],
      );
    }
    const cases: [string, (n: number) => unknown, number, string][] = [
      [
        'Tags',
        (n) => ({ multi_select: Array.from({ length: n }, (_v, i) => ({ name: `o${i}` })) }),
        100,
        'multi_select',
      ],
      ['Rel', (n) => ({ relation: ids.slice(0, n).map((id) => ({ id })) }), 100, 'relation'],
      ['Who', (n) => ({ people: Array.from({ length: n }, (_v, i) => ({ id: uuid(i) })) }), 100, 'people'],
      ['Link', (n) => ({ url: `https://e.com/${'a'.repeat(n - 14)}` }), 2000, 'url'],
      ['Mail', (n) => ({ email: `${'a'.repeat(n - 6)}@e.com` }), 200, 'email'],
      ['Phone', (n) => ({ phone_number: '5'.repeat(n) }), 200, 'phone_number'],
    ];
    for (const [name, value, limit, type] of cases) {
      const ok = await row(db.id, { [name]: value(limit) });
      const got = (ok.properties[name] as Record<string, unknown>)[type];
      expect(Array.isArray(got) ? got.length : String(got).length).toBe(name === 'Rel' || name === 'Who' ? 25 : limit); // page objects carry 25 references
      await expect(row(db.id, { [name]: value(limit + 1) })).rejects.toMatchObject({
        status: 400,
        code: 'validation_error',
        message: `body failed validation: body.properties.${name}.${type}.length should be ≤ \`${limit}\`, instead was \`${limit + 1}\`.`,
      });
    }
    await expect(row(db.id, { Link: { url: '' } })).rejects.toMatchObject({
      status: 400,
      message: 'body failed validation: body.properties.Link.url should be populated or `null`, instead was `""`.',
    });
  });

  it('caps relation and people at 25 in page objects (has_more) and paginates all through the property item endpoint', async () => {
    const target = await database({ Title: { title: {} } });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await row(target.id, { Title: { title: text(`t${i}`) } })).id);
    const db = await database({
      Name: { title: {} },
      Rel: { relation: { database_id: target.id, single_property: {} } },
      Who: { people: {} },
      Notes: { rich_text: {} },
    });
    const page = await row(db.id, {
      Name: { title: [{ text: { content: 'a' } }, { text: { content: 'b' } }] },
      Rel: { relation: ids.map((id) => ({ id })) },
      Who: { people: [{ id: IDS.ada }, { id: IDS.grace }] },
      Notes: { rich_text: text('n') },
    });
    // The SDK's relation value type has no `has_more`, which Notion sends on a truncated relation.
    const rel = page.properties.Rel as unknown as { relation: { id: string }[]; has_more: boolean };
    expect(rel.relation).toHaveLength(25);
    expect(rel.has_more).toBe(true);
    const relId = db.properties.Rel!.id;
    const first = await notion.pages.properties.retrieve({ page_id: page.id, property_id: relId, page_size: 10 });
    const nextCursor = (first as { next_cursor: string | null }).next_cursor;
    expect(first).toMatchObject({
      object: 'list',
      type: 'property_item',
      has_more: true,
      property_item: {
        id: relId,
        next_url: `${t.baseUrl}/v1/pages/${page.id}/properties/${relId}?start_cursor=${nextCursor}&page_size=10`,
        type: 'relation',
        relation: {},
      },
    });
    const all = (await items({ page_id: page.id, property_id: relId, page_size: 7 })) as { relation: { id: string } }[];
    expect(all.map((i) => i.relation.id)).toEqual(ids);
    const people: unknown[] = [];
    for await (const item of iteratePaginatedAPI(
      notion.pages.properties.retrieve as never,
      { page_id: page.id, property_id: db.properties.Who!.id, page_size: 1 } as never,
    ))
      people.push(item);
    expect(people).toEqual([
      { object: 'property_item', id: db.properties.Who!.id, type: 'people', people: ADA },
      {
        object: 'property_item',
        id: db.properties.Who!.id,
        type: 'people',
        people: expect.objectContaining({ id: IDS.grace, name: 'Grace Hopper' }),
      },
    ]);
    const title = (await items({ page_id: page.id, property_id: 'title' })) as { title: { plain_text: string } }[];
    expect(title.map((i) => i.title.plain_text)).toEqual(['a', 'b']);
    expect(
      await notion.pages.properties.retrieve({ page_id: page.id, property_id: db.properties.Notes!.id }),
    ).toMatchObject({ results: [{ type: 'rich_text', rich_text: richText('n') }] });
    expect(
      await notion.pages.properties.retrieve({ page_id: page.id, property_id: 'title', page_size: 1 }),
    ).toMatchObject({ results: [{ title: { plain_text: 'a' } }], has_more: true });
  });

  it('answers one property item for simple types and the aggregate for rollups', async () => {
    const target = await database({ Title: { title: {} }, Score: { number: {} } });
    const a = await row(target.id, { Score: { number: 2 } });
    const b = await row(target.id, { Score: { number: 5 } });
    const db = await database({
      Name: { title: {} },
      Price: { number: {} },
      Rel: { relation: { database_id: target.id, single_property: {} } },
    });
    await notion.databases.update({
      database_id: db.id,
      properties: {
        Max: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'max' } },
        All: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'show_original' } },
      },
    });
    const page = await row(db.id, { Price: { number: 2.5 }, Rel: { relation: [{ id: a.id }, { id: b.id }] } });
    const price = db.properties.Price!.id;
    expect(await notion.pages.properties.retrieve({ page_id: page.id, property_id: price })).toEqual({
      object: 'property_item',
      id: price,
      type: 'number',
      number: 2.5,
      request_id: REQUEST_ID,
    });
    const schema = (await notion.databases.retrieve({ database_id: db.id })) as DatabaseObjectResponse;
    const max = await notion.pages.properties.retrieve({ page_id: page.id, property_id: schema.properties.Max!.id });
    expect(max).toMatchObject({
      object: 'list',
      results: [],
      property_item: { type: 'rollup', rollup: { type: 'number', number: 5, function: 'max' } },
    });
    const original = await notion.pages.properties.retrieve({
      page_id: page.id,
      property_id: schema.properties.All!.id,
    });
    expect(original).toMatchObject({
      results: [
        { object: 'property_item', type: 'number', number: 2 },
        { type: 'number', number: 5 },
      ],
      property_item: { rollup: { type: 'array', function: 'show_original' } },
    });
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).properties.All).toMatchObject({
      rollup: {
        type: 'array',
        array: [
          { type: 'number', number: 2 },
          { type: 'number', number: 5 },
        ],
        function: 'show_original',
      },
    });
    await expect(notion.pages.properties.retrieve({ page_id: page.id, property_id: 'nope' })).rejects.toMatchObject({
      status: 404,
      message: 'Could not find property with ID: nope.',
    });
  });

  it('concurrent creates in one database: one new option, distinct unique ids', async () => {
    const db = await database({ Name: { title: {} }, Tag: { select: {} }, Ref: { unique_id: {} } });
    const pages = await Promise.all(
      Array.from({ length: 10 }, (_v, i) =>
        row(db.id, { Name: { title: text(`r${i}`) }, Tag: { select: { name: 'Fresh' } } }),
      ),
    );
    const schema = (await notion.databases.retrieve({ database_id: db.id })) as DatabaseObjectResponse;
    const options = (schema.properties.Tag as { select: { options: { id: string; name: string }[] } }).select.options;
    expect(options.map((o) => o.name)).toEqual(['Fresh']);
    expect(new Set(pages.map((p) => (p.properties.Tag as { select: { id: string } }).select.id))).toEqual(
      new Set([options[0]!.id]),
    );
    expect(
      pages.map((p) => (p.properties.Ref as { unique_id: { number: number } }).unique_id.number).sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('mirrors dual relations on the related pages', async () => {
    const people = await database({ Name: { title: {} } });
    const projects = await database({
      Name: { title: {} },
      Members: { relation: { database_id: people.id, dual_property: {} } },
    });
    const back = (projects.properties.Members as { relation: { dual_property: { synced_property_name: string } } })
      .relation.dual_property.synced_property_name;
    const ada = await row(people.id, { Name: { title: text('Ada') } });
    const grace = await row(people.id, { Name: { title: text('Grace') } });
    const p1 = await row(projects.id, {
      Name: { title: text('P1') },
      Members: { relation: [{ id: ada.id }, { id: grace.id }] },
    });
    expect(((await notion.pages.retrieve({ page_id: ada.id })) as PageObjectResponse).properties[back]).toMatchObject({
      relation: [{ id: p1.id }],
    });
    await notion.pages.update({ page_id: p1.id, properties: { Members: { relation: [{ id: grace.id }] } } });
    expect(((await notion.pages.retrieve({ page_id: ada.id })) as PageObjectResponse).properties[back]).toMatchObject({
      relation: [],
    });
    expect(((await notion.pages.retrieve({ page_id: grace.id })) as PageObjectResponse).properties[back]).toMatchObject(
      { relation: [{ id: p1.id }] },
    );
  });

  it('never reveals pages the integration cannot see through relations, rollups or writes', async () => {
    // A database under the private page, related from a shared one by a writer who could see both then.
    await t.platform.store.query('INSERT INTO shares (integration_id, block_id) VALUES ($1, $2)', [
      IDS.full,
      IDS.privatePage,
    ]);
    const secret = await database({ Name: { title: {} }, Amount: { number: {} } }, IDS.privatePage);
    const hidden = await row(secret.id, { Name: { title: text('Secret') }, Amount: { number: 1000 } });
    const visibleTarget = await database({ Name: { title: {} }, Amount: { number: {} } });
    const shown = await row(visibleTarget.id, { Name: { title: text('Shown') }, Amount: { number: 1 } });
    const db = await database({
      Name: { title: {} },
      Secret: { relation: { database_id: secret.id, dual_property: {} } },
      Open: { relation: { database_id: visibleTarget.id, single_property: {} } },
    });
    await notion.databases.update({
      database_id: db.id,
      properties: {
        Total: { rollup: { relation_property_name: 'Secret', rollup_property_name: 'Amount', function: 'sum' } },
        Names: {
          rollup: { relation_property_name: 'Secret', rollup_property_name: 'Name', function: 'show_original' },
        },
        Titles: { formula: { expression: 'prop("Secret")' } },
      },
    });
    const page = await row(db.id, {
      Name: { title: text('Mine') },
      Secret: { relation: [{ id: hidden.id }] },
      Open: { relation: [{ id: shown.id }] },
    });
    await t.platform.store.query('DELETE FROM shares WHERE integration_id = $1 AND block_id = $2', [
      IDS.full,
      IDS.privatePage,
    ]);

    const read = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    const p = read.properties as Record<string, any>;
    expect(p.Secret).toEqual({ id: expect.any(String), type: 'relation', relation: [], has_more: false });
    expect(p.Open.relation).toEqual([{ id: shown.id }]);
    expect(p.Total.rollup).toEqual({ type: 'number', number: 0, function: 'sum' });
    expect(p.Names.rollup).toEqual({ type: 'array', array: [], function: 'show_original' });
    expect(p.Titles.formula).toEqual({ type: 'string', string: null });
    expect(await items({ page_id: page.id, property_id: db.properties.Secret!.id })).toEqual([]);
    const q = async (filter: unknown) =>
      (await notion.databases.query({ database_id: db.id, filter: filter as never })).results.length;
    expect(await q({ property: 'Secret', relation: { contains: hidden.id } })).toBe(0);
    expect(await q({ property: 'Secret', relation: { is_empty: true } })).toBe(1);
    expect(await q({ property: 'Total', rollup: { number: { greater_than: 0 } } })).toBe(0);
    // Writing a relation to a page it cannot see is refused like a page that does not exist.
    await expect(
      notion.pages.update({ page_id: page.id, properties: { Secret: { relation: [{ id: hidden.id }] } } }),
    ).rejects.toMatchObject({
      status: 400,
      message: `body failed validation: body.properties.Secret.relation should contain only pages of database ${secret.id} shared with the integration, instead was \`"${hidden.id}"\`.`,
    });
    // The hidden page and its database stay the one 404.
    await expect(notion.pages.retrieve({ page_id: hidden.id })).rejects.toMatchObject({ status: 404 });
    await expect(notion.databases.query({ database_id: secret.id })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(`Could not find database with ID: ${secret.id}.`),
    });
  });
});
