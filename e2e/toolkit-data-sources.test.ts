// The toolkit under Notion-Version 2025-09-03 (reference §1.3, §1.4) against the real platform on port 0,
// on every store: the library on SDK v5 and the real `notion-local` binary with --notion-version
// 2025-09-03 import, sync, export, query and doctor a database through its data source — a database id
// resolves to its one data source, a data source id is used as is, a database with two data sources is
// refused with their ids — and what they sent is read back from the platform's request log.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV5, LogLevel } from 'notion-client-v5';
import { createToolkitClient, exportDatabase, importTable, parseRecords } from '@notion-local/toolkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { requestLogOf } from './support/request-log.js';
import { runCli } from './support/spawn-serve.js';
import { storeKinds, useTestPlatform, type TestPlatform } from './support/test-platform.js';

const V = '2025-09-03';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const CSV = 'SKU,Name,Price,Tags,Done\nA1,Kale,2.5,"leafy, green",true\nB2,Leek,1.25,green,false\nC3,Okra,3,,false\n';
const notFound = (id: string) =>
  `Could not find database with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;

/** The properties of a data source's pages as plain text, by page title. */
async function rowsOf(v5: ClientV5, dataSourceId: string): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  const answer = await v5.dataSources.query({ data_source_id: dataSourceId });
  for (const page of answer.results) {
    if (page.object !== 'page' || !('properties' in page)) continue;
    const p = page.properties as Record<string, any>;
    const name = p.Name.title.map((t: { plain_text: string }) => t.plain_text).join('');
    out[name] = {
      SKU: p.SKU.rich_text.map((t: { plain_text: string }) => t.plain_text).join(''),
      Price: p.Price.number,
      Tags: p.Tags.multi_select.map((o: { name: string }) => o.name),
      Done: p.Done.checkbox,
      parent: page.parent,
    };
  }
  return out;
}

describe.each(storeKinds())('toolkit on 2025-09-03 data sources (%s)', (kind) => {
  let t: TestPlatform;
  useTestPlatform(kind, (p) => (t = p), { reset: false });
  let v5: ClientV5;
  let databaseId: string;
  let dataSourceId: string;
  const cli = (...args: string[]) =>
    runCli([...args, '--base-url', t.baseUrl, '--token', TOKENS.full, '--rate', '0', '--notion-version', V], 60_000);
  const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

  beforeAll(async () => {
    v5 = new ClientV5({ auth: TOKENS.full, baseUrl: t.baseUrl, notionVersion: V, logLevel: LogLevel.ERROR });
    const db = await v5.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text('Produce'),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          SKU: { rich_text: {} },
          Price: { number: { format: 'number' } },
          Tags: { multi_select: { options: [{ name: 'leafy' }, { name: 'green' }] } },
          Done: { checkbox: {} },
        },
      },
    });
    expect('data_sources' in db && db.data_sources).toHaveLength(1);
    databaseId = db.id;
    dataSourceId = (db as { data_sources: { id: string }[] }).data_sources[0]!.id;
    expect(dataSourceId).not.toBe(databaseId);
  });

  it('the library on SDK v5 imports through the data source: queries it, creates pages under it', async () => {
    const { api, client } = createToolkitClient({
      token: TOKENS.full,
      baseUrl: t.baseUrl,
      notionVersion: V,
      requestsPerSecond: 0,
    });
    expect(client).toBeInstanceOf(ClientV5);
    const log = requestLogOf(t);
    const since = await log.lastRequestId();
    const records = { ...parseRecords(CSV, 'csv'), digest: 'd1' };
    const summary = await importTable({ client: api, records, target: { databaseId }, keyColumn: 'SKU' });
    expect(summary).toMatchObject({ database_id: databaseId, data_source_id: dataSourceId, created: 3, failed: 0 });
    expect(summary.issues).toEqual([]);
    const rows = await rowsOf(v5, dataSourceId);
    expect(rows.Kale).toEqual({
      SKU: 'A1',
      Price: 2.5,
      Tags: ['leafy', 'green'],
      Done: true,
      parent: { type: 'data_source_id', data_source_id: dataSourceId, database_id: databaseId },
    });
    expect(Object.keys(rows).sort()).toEqual(['Kale', 'Leek', 'Okra']);
    const sent = (await log.requestsSince(since)).map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
    expect(sent).toContain(`GET /v1/databases/${databaseId}`);
    expect(sent).toContain(`GET /v1/data_sources/${dataSourceId}`);
    expect(sent).toContain(`POST /v1/data_sources/${dataSourceId}/query`);
    expect(sent.filter((s) => s === 'POST /v1/pages')).toHaveLength(3);
    expect(sent.some((s) => s.includes(`/v1/databases/${databaseId}/query`))).toBe(false);
  });

  it('the library exports the same table by database id and by data source id', async () => {
    const { api } = createToolkitClient({ token: TOKENS.full, baseUrl: t.baseUrl, notionVersion: V });
    const byDatabase = await exportDatabase(api, databaseId, 'csv', {
      sorts: [{ property: 'SKU', direction: 'ascending' }],
    });
    expect(byDatabase).toMatchObject({ database_id: databaseId, data_source_id: dataSourceId });
    expect(byDatabase.columns).toEqual(['Name', 'SKU', 'Price', 'Tags', 'Done']);
    expect(byDatabase.text).toBe(
      'Name,SKU,Price,Tags,Done\nKale,A1,2.5,"leafy, green",true\nLeek,B2,1.25,green,false\nOkra,C3,3,,false\n',
    );
    const bySource = await exportDatabase(api, dataSourceId, 'csv', {
      sorts: [{ property: 'SKU', direction: 'ascending' }],
    });
    expect(bySource.text).toBe(byDatabase.text);
    expect(bySource.database_id).toBe(databaseId);
  });

  it('CLI sync by key: a changed row is updated, the rest unchanged; a second run writes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'notion-local-ds-')), 'produce.csv');
    writeFileSync(file, CSV.replace('B2,Leek,1.25', 'B2,Leek,1.5'));
    const first = await cli('sync', file, '--database', databaseId, '--key', 'SKU', '--json');
    expect(first.code).toBe(0);
    expect(json(first.stdout)).toMatchObject({ data_source_id: dataSourceId, created: 0, updated: 1, unchanged: 2 });
    expect((await rowsOf(v5, dataSourceId)).Leek?.Price).toBe(1.5);
    const again = await cli('sync', file, '--database', dataSourceId, '--key', 'SKU', '--json');
    expect(again.code).toBe(0);
    expect(json(again.stdout)).toMatchObject({ database_id: databaseId, created: 0, updated: 0, unchanged: 3 });
  });

  it('CLI query: a filter and a sort through the data source, by either id; 2022-06-28 sees the same pages', async () => {
    const args = ['--filter', '{"property":"Done","checkbox":{"equals":false}}', '--sort', 'Price:desc', '--json'];
    const byDatabase = await cli('query', '--database', databaseId, ...args);
    expect(byDatabase.stderr).toBe('');
    expect(byDatabase.code).toBe(0);
    const doc = json(byDatabase.stdout);
    expect(doc).toMatchObject({ database_id: databaseId, data_source_id: dataSourceId, count: 2 });
    expect(doc.results.map((r: any) => r.properties.Name)).toEqual(['Okra', 'Leek']);
    expect(doc.results[0].properties).toEqual({ Name: 'Okra', SKU: 'C3', Price: 3, Tags: [], Done: false });
    const bySource = await cli('query', '--database', dataSourceId, ...args);
    expect(json(bySource.stdout).results).toEqual(doc.results);
    const old = await runCli(
      ['query', '--database', databaseId, ...args, '--base-url', t.baseUrl, '--token', TOKENS.full, '--rate', '0'],
      60_000,
    );
    expect(old.code).toBe(0);
    expect(json(old.stdout)).toMatchObject({ database_id: databaseId, data_source_id: null, count: 2 });
    expect(json(old.stdout).results.map((r: any) => r.id)).toEqual(doc.results.map((r: any) => r.id));
  });

  it('CLI export --format json by data source id', async () => {
    const out = await cli('export', '--database', dataSourceId, '--format', 'json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({ Name: 'Kale', SKU: 'A1', Price: 2.5, Tags: ['leafy', 'green'], Done: true });
  });

  it('CLI import --parent creates a database with its initial data source, then writes into it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'notion-local-ds-')), 'Stock.csv');
    writeFileSync(file, 'Name,Count,Due\nBolts,12,2026-01-05\nNuts,7,2026-02-01\n');
    const run = await cli('import', file, '--parent', IDS.sharedRoot, '--no-journal', '--json');
    expect(run.stderr).not.toContain('notion-local:');
    expect(run.code).toBe(0);
    const summary = json(run.stdout);
    expect(summary).toMatchObject({ created: 2, failed: 0 });
    expect(summary.database_id).toMatch(UUID);
    expect(summary.data_source_id).toMatch(UUID);
    const db = await v5.databases.retrieve({ database_id: summary.database_id });
    expect('data_sources' in db && db.data_sources.map((s) => s.id)).toEqual([summary.data_source_id]);
    expect('title' in db && db.title.map((r) => r.plain_text).join('')).toBe('Stock');
    const ds = await v5.dataSources.retrieve({ data_source_id: summary.data_source_id });
    const types = Object.fromEntries(
      Object.entries('properties' in ds ? ds.properties : {}).map(([n, p]) => [n, p.type]),
    );
    expect(types).toEqual({ Name: 'title', Count: 'number', Due: 'date' });
    const pages = await v5.dataSources.query({ data_source_id: summary.data_source_id });
    expect(pages.results).toHaveLength(2);
  });

  it('doctor reads the schema from the data source, by database id or data source id', async () => {
    const byDatabase = await cli('doctor', '--database', databaseId, '--json');
    expect(byDatabase.code).toBe(0);
    const checks = Object.fromEntries(json(byDatabase.stdout).checks.map((c: any) => [c.id, c]));
    expect(checks['database-access']).toMatchObject({
      status: 'pass',
      detail: `database "Produce" (${databaseId}) is shared with "Full"`,
    });
    expect(checks['database-schema']).toMatchObject({
      status: 'pass',
      detail: `data source ${dataSourceId} of database ${databaseId}: 5 properties: Name (title), SKU (rich_text), Price (number), Tags (multi_select, 2 options), Done (checkbox)`,
    });
    expect(checks['notion-version']).toMatchObject({
      status: 'pass',
      detail: '2025-09-03 accepted; 2022-06-28 accepted too',
    });
    const bySource = await cli('doctor', '--database', dataSourceId, '--json');
    expect(bySource.code).toBe(0);
    const sourceChecks = Object.fromEntries(json(bySource.stdout).checks.map((c: any) => [c.id, c]));
    expect(sourceChecks['database-access']?.detail).toMatch(
      new RegExp(`^data source ".*" \\(${dataSourceId}\\) is shared with "Full"$`),
    );
    expect(sourceChecks['database-schema']?.detail).toBe(checks['database-schema']?.detail);
  });

  it('an unknown id answers the database 404, exit 5; a bad --notion-version is exit 2', async () => {
    const missing = await cli('query', '--database', IDS.missing);
    expect(missing.code).toBe(5);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      `notion-local: ${notFound(IDS.missing)} Share it with the integration: in Notion, ••• → Connections → add the integration.\n`,
    );
    const bad = await runCli([
      'query',
      '--database',
      databaseId,
      '--token',
      TOKENS.full,
      '--notion-version',
      '2024-01-01',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('notion-local: --notion-version must be 2022-06-28 or 2025-09-03, got "2024-01-01"\n');
  });

  it('lost answers under 2025-09-03: a create committed behind a 504 is found through the data source, not doubled', async () => {
    const db = await v5.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: text('Faulty'),
      initial_data_source: { properties: { Name: { title: {} }, SKU: { rich_text: {} } } },
    });
    const source = (db as { data_sources: { id: string }[] }).data_sources[0]!.id;
    t.platform.faults.replace([
      { integration: 'Full', route: 'POST /v1/pages', status: 504, after_commit: true, count: 2 },
      { integration: 'Full', route: 'POST /v1/pages', status: 500, count: 1 },
      { integration: 'Full', route: 'POST /v1/pages', status: 429, retry_after: 0, count: 1 },
    ]);
    const { api } = createToolkitClient({
      token: TOKENS.full,
      baseUrl: t.baseUrl,
      notionVersion: V,
      requestsPerSecond: 0,
    });
    const rows = 'SKU,Name\nK1,One\nK2,Two\nK3,Three\nK4,Four\nK5,Five\n';
    try {
      const summary = await importTable({
        client: api,
        records: { ...parseRecords(rows, 'csv'), digest: 'd2' },
        target: { databaseId: db.id },
        keyColumn: 'SKU',
      });
      expect(summary.issues).toEqual([]);
      expect(summary).toMatchObject({ created: 5, failed: 0, data_source_id: source });
    } finally {
      t.platform.faults.replace([]);
    }
    const pages = await v5.dataSources.query({ data_source_id: source });
    const names = pages.results.map((p) => ((p as any).properties.Name.title[0]?.plain_text ?? '') as string);
    expect(names.sort()).toEqual(['Five', 'Four', 'One', 'Three', 'Two']);
  });

  it('a database with two data sources is refused by its id (listing them), and served by a data source id', async () => {
    const second = await v5.dataSources.create({
      parent: { type: 'database_id', database_id: databaseId },
      title: text('Archive'),
      properties: { Name: { title: {} } },
    });
    const refused = await cli('query', '--database', databaseId);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(
        `^notion-local: database ${databaseId} has 2 data sources \\(".*" ${dataSourceId}, "Archive" ${second.id}\\); name one of them by its data source id\\n$`,
      ),
    );
    const served = await cli('query', '--database', second.id, '--json');
    expect(served.code).toBe(0);
    expect(json(served.stdout)).toMatchObject({ database_id: databaseId, data_source_id: second.id, count: 0 });
    const doctor = await cli('doctor', '--database', databaseId, '--json');
    const schema = json(doctor.stdout).checks.find((c: any) => c.id === 'database-schema');
    expect(schema).toMatchObject({ status: 'warn', hint: 'Pass one data source id as --database to see its schema.' });
    expect(schema.detail).toContain(`"Archive" ${second.id}`);
  });
});
