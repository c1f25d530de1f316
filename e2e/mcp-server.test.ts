// The official Notion MCP server (@notionhq/notion-mcp-server 2.5.2), unmodified, over stdio against
// notion-local: `BASE_URL` points it at the test server and `OPENAPI_MCP_HEADERS` gives it the token and
// `Notion-Version: 2025-09-03` (the README's second way to configure it). The first way, `NOTION_TOKEN`,
// takes each operation's Notion-Version from the server's OpenAPI spec, which declares none for
// create-a-comment: that call then goes out without the header, and Notion (and notion-local) answer
// 400 `missing_version`. One MCP server process for the file; every tool is called once, in the order of
// the table, with arguments built from the test seed; the table says what each call must answer and the
// summary prints how many of the 24 tools answer a success.
// The proxy reports Notion errors as a text result `{"status":<http status>,"object":"error",…}` without
// `isError`, so a success is: no `isError` and a JSON body whose `object` is not "error".
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const CALL_TIMEOUT_MS = 15_000;
const require = createRequire(import.meta.url);

/** The MCP server's CLI and the MCP SDK's client, or null when either package is not installed. */
function locateMcp(): { cli: string } | null {
  try {
    const pkg = require.resolve('@notionhq/notion-mcp-server/package.json');
    require.resolve('@modelcontextprotocol/sdk/client/stdio.js');
    const cli = join(dirname(pkg), 'bin', 'cli.mjs');
    return existsSync(cli) ? { cli } : null;
  } catch {
    return null;
  }
}
const MCP = locateMcp();
if (!MCP) {
  console.warn(
    'MCP server tests skipped: install @notionhq/notion-mcp-server@2.5.2 and @modelcontextprotocol/sdk ' +
      '(npm install -D @notionhq/notion-mcp-server@2.5.2 @modelcontextprotocol/sdk)',
  );
}

/** What the calls so far made: ids later rows use. */
interface Made {
  database: string;
  dataSource: string;
  block?: string;
  page?: string;
  setupError?: string;
}

type Body = Record<string, any>;
interface Row {
  tool: string;
  args: (made: Made) => Record<string, unknown>;
  /** 'success': no isError, not an error object, and `check` holds. 'error': the answer `check` describes. */
  expect: 'success' | 'error';
  check: (body: Body, made: Made) => void;
  /** Why a row expects an error. */
  why?: string;
}

const rich = (content: string) => [{ type: 'text', text: { content } }];
const plain = (items: Body[] | undefined) => (items ?? []).map((i) => i.plain_text).join('');

const TABLE: Row[] = [
  {
    tool: 'API-get-self',
    args: () => ({}),
    expect: 'success',
    check: (b) => expect(b).toMatchObject({ object: 'user', id: IDS.full, type: 'bot', name: 'Full' }),
  },
  {
    tool: 'API-get-user',
    args: () => ({ user_id: IDS.ada }),
    expect: 'success',
    check: (b) => expect(b).toMatchObject({ object: 'user', id: IDS.ada, type: 'person', name: 'Ada Lovelace' }),
  },
  {
    tool: 'API-get-users',
    args: () => ({ page_size: 100 }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'user' });
      expect(b.results.map((u: Body) => u.id)).toEqual(expect.arrayContaining([IDS.ada, IDS.grace, IDS.full]));
    },
  },
  {
    tool: 'API-post-search',
    args: () => ({ query: 'Shared Root', filter: { property: 'object', value: 'page' } }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'page_or_data_source' });
      expect(b.results.map((r: Body) => r.id)).toContain(IDS.sharedRoot);
    },
  },
  {
    tool: 'API-retrieve-a-page',
    args: () => ({ page_id: IDS.sharedRoot }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'page', id: IDS.sharedRoot });
      expect(plain(b.properties.title.title)).toBe('Shared Root');
    },
  },
  {
    tool: 'API-retrieve-a-page-property',
    args: () => ({ page_id: IDS.sharedRoot, property_id: 'title' }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'property_item', property_item: { type: 'title' } });
      expect(b.results.map((r: Body) => r.title.plain_text).join('')).toBe('Shared Root');
    },
  },
  {
    tool: 'API-get-block-children',
    args: () => ({ block_id: IDS.sharedRoot }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'block' });
      // The seed's blocks, then the child page; the database made for the data source tools comes last.
      expect(b.results.map((r: Body) => r.type).slice(0, 3)).toEqual(['paragraph', 'to_do', 'child_page']);
    },
  },
  {
    tool: 'API-patch-block-children',
    args: () => ({
      block_id: IDS.sharedRoot,
      children: [{ type: 'paragraph', paragraph: { rich_text: rich('Written over MCP') } }],
    }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'list', type: 'block', results: [{ type: 'paragraph' }] });
      expect(plain(b.results[0].paragraph.rich_text)).toBe('Written over MCP');
      made.block = b.results[0].id;
    },
  },
  {
    tool: 'API-retrieve-a-block',
    args: (made) => ({ block_id: made.block }),
    expect: 'success',
    check: (b, made) => expect(b).toMatchObject({ object: 'block', id: made.block, type: 'paragraph' }),
  },
  {
    tool: 'API-update-a-block',
    // The tool's schema puts the block's fields under a literal `type` key ({"type": {...}}), which is
    // not the wire format (the block's own type key, e.g. {"paragraph": {...}}): Notion rejects it too.
    args: (made) => ({ block_id: made.block, type: { paragraph: { rich_text: rich('Edited over MCP') } } }),
    expect: 'error',
    why: 'the tool schema sends {"type": {...}}; Notion rejects that body too',
    check: (b) =>
      expect(b).toMatchObject({
        object: 'error',
        status: 400,
        code: 'validation_error',
        message:
          'body failed validation: body.type should be `"paragraph"`, instead was ' +
          '`{"paragraph":{"rich_text":[{"type":"text","text":{"content":"Edited over MCP"}}]}}`.',
      }),
  },
  {
    tool: 'API-delete-a-block',
    args: (made) => ({ block_id: made.block }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'block', id: made.block, in_trash: true });
      // The rejected update above changed nothing.
      expect(plain(b.paragraph.rich_text)).toBe('Written over MCP');
    },
  },
  {
    tool: 'API-post-page',
    args: () => ({ parent: { page_id: IDS.sharedRoot }, properties: { title: [{ text: { content: 'From MCP' } }] } }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'page', parent: { type: 'page_id', page_id: IDS.sharedRoot } });
      expect(plain(b.properties.title.title)).toBe('From MCP');
      made.page = b.id;
    },
  },
  {
    tool: 'API-patch-page',
    args: (made) => ({
      page_id: made.page,
      properties: { title: { title: [{ text: { content: 'Renamed over MCP' } }] } },
      icon: { emoji: '🤖' },
    }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'page', id: made.page, icon: { type: 'emoji', emoji: '🤖' } });
      expect(plain(b.properties.title.title)).toBe('Renamed over MCP');
    },
  },
  {
    tool: 'API-move-page',
    args: (made) => ({ page_id: made.page, parent: { type: 'page_id', page_id: IDS.child } }),
    expect: 'success',
    check: (b, made) =>
      expect(b).toMatchObject({ object: 'page', id: made.page, parent: { type: 'page_id', page_id: IDS.child } }),
  },
  {
    tool: 'API-create-a-comment',
    args: () => ({ parent: { page_id: IDS.sharedRoot }, rich_text: [{ text: { content: 'Commented over MCP' } }] }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'comment', parent: { type: 'page_id', page_id: IDS.sharedRoot } });
      expect(plain(b.rich_text)).toBe('Commented over MCP');
    },
  },
  {
    tool: 'API-retrieve-a-comment',
    args: () => ({ block_id: IDS.sharedRoot }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'comment' });
      expect(b.results.map((c: Body) => plain(c.rich_text))).toContain('Commented over MCP');
    },
  },
  {
    tool: 'API-retrieve-a-database',
    args: (made) => ({ database_id: made.database }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'database', id: made.database, data_sources: [{ id: made.dataSource }] });
      expect(b).not.toHaveProperty('properties');
    },
  },
  {
    tool: 'API-retrieve-a-data-source',
    args: (made) => ({ data_source_id: made.dataSource }),
    expect: 'success',
    check: (b, made) =>
      expect(b).toMatchObject({
        object: 'data_source',
        id: made.dataSource,
        parent: { type: 'database_id', database_id: made.database },
        properties: { Name: { type: 'title' }, Score: { type: 'number' } },
      }),
  },
  {
    tool: 'API-query-data-source',
    args: (made) => ({
      data_source_id: made.dataSource,
      filter: { property: 'Score', number: { greater_than: 1 } },
      sorts: [{ property: 'Score', direction: 'descending' }],
    }),
    expect: 'success',
    check: (b) => {
      expect(b).toMatchObject({ object: 'list', type: 'page_or_data_source', has_more: false });
      expect(b.results.map((p: Body) => p.properties.Score.number)).toEqual([3, 2]);
    },
  },
  {
    tool: 'API-update-a-data-source',
    args: (made) => ({ data_source_id: made.dataSource, title: [{ text: { content: 'Renamed source' } }] }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'data_source', id: made.dataSource });
      expect(plain(b.title)).toBe('Renamed source');
    },
  },
  {
    tool: 'API-create-a-data-source',
    // The tool's schema names a page_id parent; a data source's parent is a database (reference §11.2).
    args: (made) => ({
      parent: { type: 'database_id', database_id: made.database },
      title: [{ text: { content: 'Second source' } }],
      properties: { Title: { title: {} } },
    }),
    expect: 'success',
    check: (b, made) => {
      expect(b).toMatchObject({ object: 'data_source', parent: { type: 'database_id', database_id: made.database } });
      expect(plain(b.title)).toBe('Second source');
    },
  },
  {
    tool: 'API-list-data-source-templates',
    args: (made) => ({ data_source_id: made.dataSource }),
    expect: 'success',
    check: (b) => expect(b).toMatchObject({ templates: [], has_more: false, next_cursor: null }),
  },
  {
    tool: 'API-retrieve-page-markdown',
    args: () => ({ page_id: IDS.sharedRoot }),
    expect: 'success',
    check: (b) =>
      expect(b).toMatchObject({ object: 'page_markdown', id: IDS.sharedRoot, truncated: false, unknown_block_ids: [] }),
  },
  {
    tool: 'API-update-page-markdown',
    args: () => ({ page_id: IDS.grandchild, type: 'replace_content', replace_content: { new_str: '# Replaced' } }),
    expect: 'success',
    check: (b) => expect(b).toMatchObject({ object: 'page_markdown', id: IDS.grandchild, markdown: '# Replaced' }),
  },
];

/** A database with one data source (Name, Score) and rows scored 1..3, made under 2025-09-03. */
async function makeDatabase(t: TestPlatform, made: Made): Promise<void> {
  const db = await t.raw('/v1/databases', {
    method: 'POST',
    version: '2025-09-03',
    body: {
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: rich('MCP tasks'),
      initial_data_source: { properties: { Name: { title: {} }, Score: { number: {} } } },
    },
  });
  if (db.status !== 200 || !db.body?.data_sources?.[0]?.id) {
    made.setupError = `POST /v1/databases (2025-09-03) answered ${db.status} ${JSON.stringify(db.body)}`;
    return;
  }
  made.database = db.body.id;
  made.dataSource = db.body.data_sources[0].id;
  for (const score of [1, 2, 3]) {
    await t.raw('/v1/pages', {
      method: 'POST',
      version: '2025-09-03',
      body: {
        parent: { type: 'data_source_id', data_source_id: made.dataSource },
        properties: { Name: { title: rich(`Row ${score}`) }, Score: { number: score } },
      },
    });
  }
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = CALL_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Outcome {
  tool: string;
  expected: Row['expect'];
  passed: boolean;
  answer: string;
}

describe.skipIf(!MCP)('official Notion MCP server over stdio', () => {
  let t: TestPlatform;
  let client: McpClient;
  let stderr = '';
  const made: Made = { database: IDS.missing, dataSource: IDS.missing };
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    await makeDatabase(t, made);
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP!.cli],
      // Only the safe defaults of the parent's environment (no NOTION_TOKEN or OPENAPI_MCP_HEADERS from outside).
      env: {
        ...getDefaultEnvironment(),
        BASE_URL: t.baseUrl,
        OPENAPI_MCP_HEADERS: JSON.stringify({ Authorization: `Bearer ${TOKENS.full}`, 'Notion-Version': '2025-09-03' }),
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    client = new Client({ name: 'notion-local-e2e', version: '1.0.0' });
    await withTimeout(client.connect(transport, { timeout: CALL_TIMEOUT_MS }), 'MCP initialize');
  });

  afterAll(async () => {
    if (outcomes.length > 0) {
      const passing = outcomes.filter((o) => o.expected === 'success' && o.passed).length;
      const lines = outcomes.map(
        (o) => `${o.passed ? 'ok  ' : 'FAIL'} ${o.tool.padEnd(32)} expect ${o.expected.padEnd(7)} ${o.answer}`,
      );
      console.log(`MCP tools answering a success: ${passing} / ${TABLE.length}\n${lines.join('\n')}`);
    }
    await client?.close();
    await t?.close();
  });

  it('lists the 24 tools of the official server, the ones the table calls', async () => {
    const { tools } = await withTimeout(client.listTools(undefined, { timeout: CALL_TIMEOUT_MS }), 'tools/list');
    const names = tools.map((tool) => tool.name);
    console.log(`MCP tools (${names.length}): ${names.join(', ')}`);
    expect(names).toHaveLength(24);
    expect([...names].sort()).toEqual(TABLE.map((row) => row.tool).sort());
  });

  it('the database the data source tools use was made under 2025-09-03', () => {
    expect(made.setupError).toBeUndefined();
  });

  for (const row of TABLE) {
    it(`${row.tool} → ${row.expect}${row.why ? ` (${row.why})` : ''}`, async () => {
      const outcome: Outcome = { tool: row.tool, expected: row.expect, passed: false, answer: '' };
      outcomes.push(outcome);
      const result = await withTimeout(
        client.callTool({ name: row.tool, arguments: row.args(made) }, undefined, { timeout: CALL_TIMEOUT_MS }),
        row.tool,
      );
      const content = result.content as Array<{ type: string; text?: string }>;
      const text = content.find((c) => c.type === 'text')?.text ?? '';
      outcome.answer = text.length > 300 ? `${text.slice(0, 300)}…` : text;
      let body: Body;
      try {
        body = JSON.parse(text) as Body;
      } catch {
        throw new Error(`${row.tool}: the answer is not JSON: ${text}\nMCP server stderr:\n${stderr}`);
      }
      if (row.expect === 'success') {
        expect(result.isError, outcome.answer).toBeFalsy();
        expect(body.object, outcome.answer).not.toBe('error');
      }
      row.check(body, made);
      outcome.passed = true;
    });
  }
});
