// State files (design.md: export-state, serve --import, --export-on-exit): a store with pages, blocks, a database
// with rows, comments, a webhook subscription and an uploaded file is exported, loaded into a fresh store of the
// other kind, and exported again — byte for byte the same file — and the API answers the same on both, with the
// same tokens. The CLI writes the state on exit and loads it back; bad files are refused in one line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as ClientV5, LogLevel as LogLevelV5, type DatabaseObjectResponse } from 'notion-client-v5';
import { dropPostgresSchema, startPlatform, type Platform } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { runCli, spawnServe } from './support/spawn-serve.js';
import { POSTGRES_URL, startTestPlatform, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';

const rt = (content: string) => [{ type: 'text' as const, text: { content } }];

async function fill(t: TestPlatform): Promise<{ database: string; dataSource: string; upload: string }> {
  const notion = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR });
  const db = (await notion.databases.create({
    parent: { type: 'page_id', page_id: IDS.child },
    title: rt('Tasks'),
    initial_data_source: {
      properties: { Name: { title: {} }, Score: { number: {} }, Tag: { select: { options: [{ name: 'a' }] } } },
    },
  })) as DatabaseObjectResponse;
  const ds = db.data_sources[0]!.id;
  for (let n = 0; n < 5; n++)
    await notion.pages.create({
      parent: { data_source_id: ds },
      properties: {
        Name: { title: rt(`Row ${n}`) },
        Score: { number: n },
        Tag: { select: { name: n % 2 ? 'a' : 'b' } },
      },
    });
  await notion.blocks.children.append({
    block_id: IDS.sharedRoot,
    children: [{ heading_2: { rich_text: rt('Heading') } }, { to_do: { rich_text: rt('Do it'), checked: true } }],
  });
  await notion.comments.create({ parent: { page_id: IDS.child }, rich_text: rt('A comment') });
  const upload = await notion.fileUploads.create({ filename: 'hello.txt', content_type: 'text/plain' });
  await notion.fileUploads.send({ file_upload_id: upload.id, file: { data: new Blob(['hello, state']) } });
  return { database: db.id, dataSource: ds, upload: upload.id };
}

/** What the API answers about the filled store (the same requests on A and B). */
async function answers(baseUrl: string, made: { database: string; dataSource: string; upload: string }) {
  const notion = new ClientV5({ auth: TOKENS.full, baseUrl, logLevel: LogLevelV5.ERROR });
  const strip = (value: unknown) =>
    JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'request_id' ? undefined : v)));
  return strip({
    me: await notion.users.me({}),
    root: await notion.pages.retrieve({ page_id: IDS.sharedRoot }),
    children: await notion.blocks.children.list({ block_id: IDS.sharedRoot }),
    database: await notion.databases.retrieve({ database_id: made.database }),
    rows: await notion.dataSources.query({
      data_source_id: made.dataSource,
      sorts: [{ property: 'Score', direction: 'ascending' }],
    }),
    comments: await notion.comments.list({ block_id: IDS.child }),
    search: await notion.search({ query: '' }),
    upload: { ...((await notion.fileUploads.retrieve({ file_upload_id: made.upload })) as object), file: undefined },
  });
}

describe('state files', () => {
  const kinds = POSTGRES_URL ? (['pglite', 'postgres'] as const) : (['pglite', 'pglite'] as const);
  let a: TestPlatform;
  let b: Platform | undefined;
  const schema = `nl_state_${process.pid}`;
  let made: Awaited<ReturnType<typeof fill>>;
  let exported: string;
  beforeAll(async () => {
    const seed = testSeed() as { workspaces: { integrations: Record<string, unknown>[] }[] };
    seed.workspaces[0]!.integrations[0]!.webhooks = [
      { url: 'http://127.0.0.1:9/hook', event_types: ['comment.created'], verification_token: 'secret_statehook' },
    ];
    a = await startTestPlatform(kinds[0], seed);
    made = await fill(a);
    exported = await a.platform.exportState();
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (kinds[1] === 'postgres') await dropPostgresSchema(POSTGRES_URL, schema);
  });

  it(`loads into a fresh ${kinds[1]} store and exports the very same bytes; the API answers alike`, async () => {
    const state = JSON.parse(exported) as { notion_local_state: number; tables: Record<string, unknown[]> };
    expect(state.notion_local_state).toBe(1);
    expect(state.tables.blocks!.length).toBeGreaterThan(10);
    expect(state.tables.webhook_subscriptions).toHaveLength(1);
    expect(state.tables.file_upload_parts).toHaveLength(1);
    expect(exported).not.toContain(TOKENS.full);
    // A fresh store of the other kind, loaded from the file instead of a seed.
    const store =
      kinds[1] === 'postgres' ? { kind: 'postgres' as const, url: POSTGRES_URL, schema } : { kind: 'memory' as const };
    b = await startPlatform({ store, port: 0, importState: exported, config: TEST_CONFIG });
    expect(await b.exportState()).toBe(exported);
    expect(await answers(b.url, made)).toEqual(await answers(a.baseUrl, made));
  }, 60_000);

  it('refuses to load into a store that holds workspaces, and a file that is not a state', async () => {
    await expect(
      startPlatform({ store: { kind: 'memory' }, port: 0, importState: '{"workspaces": []}', config: TEST_CONFIG }),
    ).rejects.toThrow('state file is not a notion-local state file (no "notion_local_state")');
    const older = exported.replace(/"schema_version": \d+/, '"schema_version": 3');
    await expect(
      startPlatform({ store: { kind: 'memory' }, port: 0, importState: older, config: TEST_CONFIG }),
    ).rejects.toThrow(/written by schema version 3; this store is at \d+/);
  });
});

describe('state files through the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nl-state-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serve --export-on-exit writes the state; export-state writes the same; serve --import loads it', async () => {
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(testSeed()));
    const data = join(dir, 'data');
    const onExit = join(dir, 'on-exit.json');
    const first = await spawnServe([
      '--port',
      '0',
      '--data-dir',
      data,
      '--seed',
      join(dir, 'seed.json'),
      '--export-on-exit',
      onExit,
    ]);
    const page = await fetch(`${first.url}/v1/pages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.full}`,
        'notion-version': '2022-06-28',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        parent: { page_id: IDS.child },
        properties: { title: { title: [{ text: { content: 'Kept' } }] } },
      }),
    });
    const id = ((await page.json()) as { id: string }).id;
    expect(await first.stop()).toBe(0);
    expect(first.stdout()).toContain(`State written to ${onExit}`);

    const offline = join(dir, 'offline.json');
    const exported = await runCli(['export-state', '--data-dir', data, '--out', offline]);
    expect(exported.code).toBe(0);
    expect(readFileSync(offline, 'utf8')).toBe(readFileSync(onExit, 'utf8'));

    const second = await spawnServe(['--port', '0', '--in-memory', '--import', offline]);
    try {
      expect(second.stdout()).toContain(`State imported from ${offline}`);
      const read = await fetch(`${second.url}/v1/pages/${id}`, {
        headers: { authorization: `Bearer ${TOKENS.full}`, 'notion-version': '2022-06-28' },
      });
      expect(read.status).toBe(200);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('says in one line what is wrong with --import', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"hello": 1}');
    const bad = await runCli(['serve', '--port', '0', '--in-memory', '--import', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `notion-local: cannot import ${join(dir, 'bad.json')}: state file is not a notion-local state file (no "notion_local_state")\n`,
    );
    const both = await runCli(['serve', '--in-memory', '--import', 'x.json', '--seed', 'y.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      'notion-local: --import and --seed cannot be used together: a state file already holds its workspaces\n',
    );
  });
});
