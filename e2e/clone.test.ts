// `notion-local clone` (issue 19): a seeded notion-local A — pages, nested blocks of many types, a database with
// every property type, relations past 25 references, two data sources, comments — is cloned by the real CLI
// (--rate 0; A's rate limits are off), the state file is served by `serve --import` as B, and every object read
// through the API from A and from B is identical (ids, properties, block trees, parents, timestamps) under
// 2022-06-28 and 2025-09-03. A redacted clone keeps the structure and none of A's text.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseObjectResponse } from 'notion-client-v5';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { runCli, spawnServe, type Served } from './support/spawn-serve.js';
import { v5Client } from './support/sdk-v5.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

type Json = Record<string, unknown>;
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const para = (content: string) => ({ paragraph: { rich_text: rt(content) } });

/** Blocks of many types, some nested two levels deep. */
const BLOCKS = [
  { heading_1: { rich_text: rt('Heading one') } },
  { heading_2: { rich_text: rt('Heading two'), is_toggleable: true, children: [para('Under a toggle heading')] } },
  { heading_3: { rich_text: rt('Heading three') } },
  para('Plain paragraph'),
  {
    bulleted_list_item: {
      rich_text: rt('Bullet'),
      children: [{ bulleted_list_item: { rich_text: rt('Nested bullet') } }],
    },
  },
  { numbered_list_item: { rich_text: rt('Numbered') } },
  { to_do: { rich_text: rt('Task to do'), checked: true } },
  { toggle: { rich_text: rt('Toggle'), children: [para('Inside the toggle')] } },
  { quote: { rich_text: rt('A quote') } },
  { callout: { rich_text: rt('A callout'), icon: { type: 'emoji' as const, emoji: '💡' as const } } },
  { code: { rich_text: rt('const x = 1;'), language: 'javascript' as const } },
  { divider: {} },
  { equation: { expression: 'e^{i\\pi} + 1 = 0' } },
  { bookmark: { url: 'https://example.com/bookmark' } },
  { image: { type: 'external' as const, external: { url: 'https://example.com/image.png' } } },
  {
    table: {
      table_width: 2,
      has_column_header: true,
      has_row_header: false,
      children: [
        { table_row: { cells: [rt('Cell A1'), rt('Cell B1')] } },
        { table_row: { cells: [rt('Cell A2'), rt('Cell B2')] } },
      ],
    },
  },
];

interface Made {
  tasks: string;
  projects: string;
  secondSource: string;
  texts: string[];
}

async function fillProjects(t: TestPlatform): Promise<{ db: DatabaseObjectResponse; rows: string[] }> {
  const notion = v5Client(t.baseUrl, TOKENS.full);
  const db = (await notion.databases.create({
    parent: { type: 'page_id', page_id: IDS.child },
    title: rt('Projects'),
    initial_data_source: { properties: { Name: { title: {} }, Score: { number: {} } } },
  })) as DatabaseObjectResponse;
  const rows: string[] = [];
  for (let n = 0; n < 30; n++) {
    const page = await notion.pages.create({
      parent: { data_source_id: db.data_sources[0]!.id },
      properties: { Name: { title: rt(`Project ${n}`) }, Score: { number: n } },
    });
    rows.push(page.id);
  }
  return { db, rows };
}

function taskSchema(projects: DatabaseObjectResponse) {
  return {
    Name: { title: {} },
    Notes: { rich_text: {} },
    Price: { number: { format: 'dollar' as const } },
    Tag: { select: { options: [{ name: 'Greens', color: 'green' as const }] } },
    Tags: { multi_select: { options: [{ name: 'alpha' }, { name: 'beta' }] } },
    Stage: { status: {} },
    Due: { date: {} },
    Owner: { people: {} },
    Attachments: { files: {} },
    Done: { checkbox: {} },
    Link: { url: {} },
    Mail: { email: {} },
    Phone: { phone_number: {} },
    Double: { formula: { expression: 'if(prop("Done"), prop("Price") * 2, 0)' } },
    Rel: { relation: { data_source_id: projects.data_sources[0]!.id, single_property: {} } },
    Created: { created_time: {} },
    Creator: { created_by: {} },
    Edited: { last_edited_time: {} },
    Editor: { last_edited_by: {} },
    Ref: { unique_id: { prefix: 'TSK' } },
  };
}

async function fill(t: TestPlatform): Promise<Made> {
  const notion = v5Client(t.baseUrl, TOKENS.full);
  const appended = await notion.blocks.children.append({ block_id: IDS.sharedRoot, children: BLOCKS as never });
  // A third level: under the nested bullet.
  const bullet = appended.results.find((b) => 'type' in b && b.type === 'bulleted_list_item')!;
  const nested = await notion.blocks.children.list({ block_id: bullet.id });
  await notion.blocks.children.append({ block_id: nested.results[0]!.id, children: [para('Third level')] });
  const projects = await fillProjects(t);
  const tasks = (await notion.databases.create({
    parent: { type: 'page_id', page_id: IDS.sharedRoot },
    title: rt('Tasks'),
    description: rt('Everything to do'),
    icon: { type: 'emoji', emoji: '✅' },
    initial_data_source: { properties: taskSchema(projects.db) as never },
  })) as DatabaseObjectResponse;
  const ds = tasks.data_sources[0]!.id;
  await notion.dataSources.update({
    data_source_id: ds,
    properties: { Sum: { rollup: { relation_property_name: 'Rel', rollup_property_name: 'Score', function: 'sum' } } },
  } as never);
  for (let n = 0; n < 4; n++) {
    const row = await notion.pages.create({
      parent: { data_source_id: ds },
      properties: {
        Name: { title: rt(`Task number ${n}`) },
        Notes: { rich_text: rt(`Notes of task ${n}`) },
        Price: { number: n * 1.5 },
        Tag: { select: { name: n % 2 ? 'Greens' : 'Reds' } },
        Tags: { multi_select: [{ name: 'alpha' }, ...(n > 1 ? [{ name: 'gamma' }] : [])] },
        Stage: { status: { name: 'In progress' } },
        Due: { date: { start: `2026-0${n + 1}-15`, end: n === 2 ? '2026-03-20' : null } },
        Owner: { people: [{ id: IDS.ada }] },
        Attachments: { files: [{ name: `spec-${n}.pdf`, external: { url: `https://example.com/spec-${n}.pdf` } }] },
        Done: { checkbox: n % 2 === 0 },
        Link: { url: `https://example.com/task/${n}` },
        Mail: { email: `task${n}@example.com` },
        Phone: { phone_number: `+1 555 010${n}` },
        Rel: { relation: (n === 0 ? projects.rows : projects.rows.slice(0, n)).map((id) => ({ id })) },
      } as never,
    });
    if (n === 1) await notion.blocks.children.append({ block_id: row.id, children: [para('Row content')] });
  }
  const second = await notion.dataSources.create({
    parent: { type: 'database_id', database_id: tasks.id },
    title: rt('Archive source'),
    properties: { Title: { title: {} }, Count: { number: {} } },
  });
  await notion.pages.create({
    parent: { data_source_id: second.id },
    properties: { Title: { title: rt('Archived task') }, Count: { number: 7 } },
  });
  await notion.pages.create({
    parent: { page_id: IDS.grandchild },
    properties: { title: { title: rt('Deep page') } },
    children: [para('Deep content')],
  });
  await notion.comments.create({ parent: { page_id: IDS.child }, rich_text: rt('A comment on the child') });
  await notion.comments.create({ parent: { page_id: IDS.sharedRoot }, rich_text: rt('A comment on the root') });
  const texts = ['Heading one', 'Nested bullet', 'Task number 2', 'Notes of task 1', 'Project 7', 'Deep content'];
  return { tasks: tasks.id, projects: projects.db.id, secondSource: second.id, texts };
}

type Version = '2022-06-28' | '2025-09-03';

/** A reader of one server through the raw API, answers without their request ids. */
function reader(baseUrl: string, token: string, version: Version) {
  const call = async (method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> => {
    const response = await fetch(`${baseUrl}/v1/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'notion-version': version,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text, (key, v: unknown) => (key === 'request_id' ? undefined : v)) as Json;
  };
  const all = async (method: 'GET' | 'POST', path: string, body: Json = {}): Promise<Json[]> => {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: Json =
        method === 'GET'
          ? await call(
              'GET',
              `${path}${path.includes('?') ? '&' : '?'}page_size=100${cursor ? `&start_cursor=${cursor}` : ''}`,
            )
          : await call('POST', path, { ...body, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) });
      items.push(...(page.results as Json[]));
      cursor = page.has_more ? (page.next_cursor as string) : null;
    } while (cursor);
    return items;
  };
  return { call, all };
}

/** Everything the token reads from a server under a version: search, pages, trees, databases, rows, comments. */
async function snapshot(baseUrl: string, token: string, version: Version): Promise<Json> {
  const { call, all } = reader(baseUrl, token, version);
  const out: Json = { me: await call('GET', 'users/me'), users: await all('GET', 'users') };
  const search = await all('POST', 'search');
  out.search = search;
  const tree = async (id: string) => {
    const children = await all('GET', `blocks/${id}/children`);
    out[`children ${id}`] = children;
    for (const block of children)
      if (block.has_children && block.type !== 'child_page' && block.type !== 'child_database')
        await tree(block.id as string);
  };
  const page = async (id: string) => {
    const object = await call('GET', `pages/${id}`);
    out[`page ${id}`] = object;
    await tree(id);
    out[`comments ${id}`] = await all('GET', `comments?block_id=${id}`);
    for (const value of Object.values(object.properties as Record<string, Json>))
      if (value.type === 'relation')
        out[`property ${id} ${value.id}`] = await all('GET', `pages/${id}/properties/${value.id as string}`);
  };
  for (const found of search) {
    const id = found.id as string;
    if (found.object === 'page') await page(id);
    else if (found.object === 'database') {
      out[`database ${id}`] = await call('GET', `databases/${id}`);
      out[`rows ${id}`] = await all('POST', `databases/${id}/query`);
    } else {
      const source = await call('GET', `data_sources/${id}`);
      out[`data source ${id}`] = source;
      const database = (source.parent as Json).database_id as string;
      out[`database ${database}`] = await call('GET', `databases/${database}`);
      out[`rows ${id}`] = await all('POST', `data_sources/${id}/query`);
    }
  }
  return out;
}

describe('notion-local clone', () => {
  let a: TestPlatform;
  let made: Made;
  let dir: string;
  const served: Served[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nl-clone-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ rate_limit: { enabled: false } }));
    a = await startTestPlatform('pglite', testSeed());
    made = await fill(a);
  }, 120_000);
  afterAll(async () => {
    for (const s of served) await s.stop();
    await a?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const clone = async (out: string, ...extra: string[]) => {
    const args = ['clone', '--base-url', a.baseUrl, '--token', TOKENS.full, '--out', out, '--rate', '0'];
    const run = await runCli([...args, '--include-comments', '--json', ...extra], 120_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Json & { token: string; counts: Record<string, number> };
  };

  it('clones everything the token sees; serve --import answers every object as A does, in both versions', async () => {
    const out = join(dir, 'clone.json');
    const result = await clone(out);
    expect(result.token).toMatch(/^ntn_/);
    expect(result.counts).toMatchObject({ databases: 2, data_sources: 3, comments: 2 });
    expect(result.unreadable).toEqual([]);
    const b = await spawnServe(['--port', '0', '--in-memory', '--config', join(dir, 'config.json'), '--import', out]);
    served.push(b);
    for (const version of ['2022-06-28', '2025-09-03'] as const) {
      const fromA = await snapshot(a.baseUrl, TOKENS.full, version);
      const fromB = await snapshot(b.url, result.token, version);
      expect(Object.keys(fromB).sort()).toEqual(Object.keys(fromA).sort());
      for (const key of Object.keys(fromA)) expect([key, fromB[key]]).toEqual([key, fromA[key]]);
    }
  }, 240_000);

  it('a redacted clone keeps ids and structure, and none of the text', async () => {
    const out = join(dir, 'redacted.json');
    const result = await clone(out, '--redact');
    const text = readFileSync(out, 'utf8');
    for (const original of [...made.texts, 'Ada Lovelace', 'ada@example.com', 'Acme'])
      expect(text.includes(original), original).toBe(false);
    const b = await spawnServe(['--port', '0', '--in-memory', '--config', join(dir, 'config.json'), '--import', out]);
    served.push(b);
    const shape = (snap: Json) =>
      JSON.parse(
        JSON.stringify(snap, (key, v: unknown) =>
          typeof v === 'string' && !/^[0-9a-f-]{36}$/.test(v) && key !== 'type' && key !== 'object' ? '' : v,
        ),
      ) as Json;
    const fromA = await snapshot(a.baseUrl, TOKENS.full, '2025-09-03');
    const fromB = await snapshot(b.url, result.token, '2025-09-03');
    expect(Object.keys(fromB).sort()).toEqual(Object.keys(fromA).sort());
    expect(shape(fromB.search as Json)).toEqual(shape(fromA.search as Json));
    expect(JSON.stringify(fromB)).not.toContain('Task number');
  }, 240_000);

  it('resumes from its journal: answers read before an interruption are not asked again', async () => {
    const journal = join(dir, 'resume.jsonl');
    const args = ['clone', '--base-url', a.baseUrl, '--token', TOKENS.full, '--rate', '0', '--journal', journal];
    // The crawl finishes, writing the output fails: the journal stays.
    const failed = await runCli([...args, '--out', join(dir, 'missing', 'out.json'), '--json'], 120_000);
    expect(failed.code).toBe(1);
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    // A run killed halfway: half the answers and a torn last line.
    const half = Math.floor(lines.length / 2);
    writeFileSync(journal, `${lines.slice(0, half).join('\n')}\n{"k":"torn`);
    const resumed = await runCli([...args, '--out', join(dir, 'resumed.json'), '--json'], 120_000);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { requests: number; replayed: number };
    expect(summary.replayed).toBe(half - 1);
    expect(summary.requests).toBe(lines.length - half);
    expect(existsSync(journal)).toBe(false);
  }, 240_000);
});
