// The toolkit commands through the real `notion-local` binary against the real platform on port 0:
// markdown export, usage, dry runs, and on real databases the import/export round trip of every
// property type in CSV, JSON and NDJSON, upsert by key, sync idempotency (writes counted in the
// platform's request log through the admin API), --archive-missing, query and import --parent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPaginatedAPI } from '@notionhq/client';
import { INVALID, parseRecords, ruleFor, samePlain } from '@notion-local/toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { journalDone, journalOf, onJournalChange } from './support/import-journal.js';
import { BIN, runCli } from './support/spawn-serve.js';
import { startTestPlatform } from './support/test-platform.js';
import { requestLogOf, type LoggedRequest } from './support/request-log.js';

const t = await startTestPlatform();
afterAll(async () => {
  await t.close();
});

const dir = mkdtempSync(join(tmpdir(), 'notion-local-toolkit-'));
const cli = (...args: string[]) =>
  runCli([...args, '--base-url', t.baseUrl, '--token', TOKENS.full, '--rate', '0'], 60_000);
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

describe('export --page --format markdown', () => {
  it('renders the title and blocks of a shared page', async () => {
    const { code, stdout, stderr } = await cli('export', '--page', IDS.sharedRoot, '--format', 'markdown');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('# Shared Root\n\nFirst paragraph\n\n- [ ] A task\n\n📄 Child\n');
  });

  it('an unshared page: one line on stderr, exit 5', async () => {
    const { code, stdout, stderr } = await cli('export', '--page', IDS.privatePage);
    expect(code).toBe(5);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('Make sure the relevant pages and databases are shared with your integration');
    expect(stderr).toContain('••• → Connections');
  });

  it('--out writes the file', async () => {
    const out = join(dir, 'child.md');
    const { code } = await cli(
      'export',
      '--page',
      `https://www.notion.so/Child-${IDS.child.replace(/-/g, '')}`,
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Child\n\n/);
    expect(readFileSync(out, 'utf8')).toContain('In the child');
  });
});

describe('usage errors and help', () => {
  it('every toolkit command has --help with the exit codes', async () => {
    for (const command of ['doctor', 'import', 'export', 'sync', 'query']) {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code, command).toBe(0);
      expect(stdout, command).toContain('Exit codes:');
      expect(stdout, command).toContain('--base-url <url>');
    }
  });

  it('bad usage is one line and exit 2; no token is exit 4', async () => {
    const missing = await cli('import', join(dir, 'nope.csv'), '--database', IDS.sharedRoot);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^notion-local: cannot read .*nope\.csv: ENOENT\n$/);
    const both = await cli('import', join(dir, 'nope.csv'), '--database', IDS.sharedRoot, '--parent', IDS.sharedRoot);
    expect(both.code).toBe(2);
    const rate = await runCli([
      'query',
      '--database',
      IDS.sharedRoot,
      '--rate',
      'fast',
      '--base-url',
      t.baseUrl,
      '--token',
      TOKENS.full,
    ]);
    expect(rate.code).toBe(2);
    const burst = await runCli([
      'query',
      '--database',
      IDS.sharedRoot,
      '--burst',
      '0',
      '--base-url',
      t.baseUrl,
      '--token',
      TOKENS.full,
    ]);
    expect(burst).toMatchObject({ code: 2, stderr: 'notion-local: --burst expects a whole number ≥ 1, got "0"\n' });
    const store = await runCli([
      'query',
      '--database',
      IDS.sharedRoot,
      '--budget-url',
      'mysql://x',
      '--base-url',
      t.baseUrl,
      '--token',
      TOKENS.full,
    ]);
    expect(store).toMatchObject({
      code: 2,
      stderr: 'notion-local: --budget-url must start with postgres:// or redis://, got "mysql://x"\n',
    });
    const noToken = await runCli(['export', '--page', IDS.sharedRoot, '--base-url', t.baseUrl], 20_000);
    expect(noToken.code).toBe(4);
    expect(noToken.stderr).toBe(
      "notion-local: no token: set NOTION_TOKEN or pass --token (the integration's secret)\n",
    );
    // --json: exactly one JSON document on stdout, failures included
    const asJson = await cli(
      'export',
      '--page',
      IDS.privatePage,
      '--format',
      'markdown',
      '--out',
      join(dir, 'never.md'),
      '--json',
    );
    expect(asJson.code).toBe(5);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ error: { exit_code: 5 } });
  });
});

describe('import --dry-run (no database needed)', () => {
  it("infers a schema, validates every row locally and reports in the API's words", async () => {
    const file = join(dir, 'people.csv');
    writeFileSync(
      file,
      'Name,Age,Email,Joined\nAda,36,ada@example.com,1843-01-01\nGrace,85,grace@example.com,1906-12-09\n',
    );
    const res = await cli('import', file, '--parent', IDS.sharedRoot, '--dry-run', '--json');
    expect(res.code).toBe(0);
    const summary = json(res.stdout);
    expect(summary).toMatchObject({ dry_run: true, rows: 2, created: 2, failed: 0, database_id: null });
    expect(summary.warnings[0]).toBe(
      'Schema inferred from the file: Name (title), Age (number), Email (email), Joined (date).',
    );
    expect(res.stderr).toContain('import: 2/2 rows (100%)');
  });

  it('rows that cannot be written are listed with their reasons; the others go on (exit 3)', async () => {
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(
      file,
      [
        { Name: 'A', Count: 1 },
        { Name: '', Count: 2 },
        { Name: 'A', Count: 3 },
        { Name: 'B', Count: 4 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const res = await cli('import', file, '--parent', IDS.sharedRoot, '--key', 'Name', '--dry-run', '--json');
    expect(res.code).toBe(3);
    const summary = json(res.stdout);
    expect(summary).toMatchObject({ created: 2, failed: 1, skipped: 1 });
    expect(summary.issues).toEqual([
      { row: 2, key: null, outcome: 'failed', reason: 'the key column "Name" is empty' },
      { row: 3, key: 'A', outcome: 'skipped', reason: 'duplicate key (first on row 1)' },
    ]);
    expect(res.stderr).toMatch(/notion-local: import: 1 of 4 rows failed\n$/);
  });

  it('human summary without --json', async () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, 'Name\nOne\nTwo\n');
    const res = await cli('import', file, '--parent', IDS.sharedRoot, '--dry-run');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Dry run — nothing was written.');
    expect(res.stdout).toContain('2 would be created');
  });
});

// ── Databases ────────────────────────────────────────────────────────────────────────────────────

const { admin, lastRequestId, requestsSince } = requestLogOf(t);
/** Writes: anything but reads (GET, and the read-only POSTs query and search). */
const writesOf = (requests: LoggedRequest[]) =>
  requests.filter((r) => r.method !== 'GET' && !/\/query$|^\/v1\/search$/.test(r.path));
/** Runs the CLI and returns its result with the writes the platform logged meanwhile. */
async function counted(...args: string[]) {
  const before = await lastRequestId();
  const res = await cli(...args);
  const writes = writesOf(await requestsSince(before));
  return { ...res, writes, summary: res.stdout.trim().startsWith('{') ? json(res.stdout) : null };
}

type Plain =
  string | number | boolean | null | string[] | { start: string; end: string | null; time_zone: string | null };
type SourceRow = Record<string, Plain>;

const WRITABLE = [
  'Name',
  'Notes',
  'Price',
  'Kind',
  'Tags',
  'Stage',
  'Due',
  'Owner',
  'Files',
  'Done',
  'Site',
  'Mail',
  'Phone',
  'Related',
] as const;
const READ_ONLY = ['Double', 'Linked', 'Created', 'Creator', 'Edited', 'Editor', 'Code'] as const;
const TYPES: Record<string, string> = {
  Name: 'title',
  Notes: 'rich_text',
  Price: 'number',
  Kind: 'select',
  Tags: 'multi_select',
  Stage: 'status',
  Due: 'date',
  Owner: 'people',
  Files: 'files',
  Done: 'checkbox',
  Site: 'url',
  Mail: 'email',
  Phone: 'phone_number',
  Related: 'relation',
  Double: 'formula',
  Linked: 'rollup',
  Created: 'created_time',
  Creator: 'created_by',
  Edited: 'last_edited_time',
  Editor: 'last_edited_by',
  Code: 'unique_id',
};
const LONG_NOTES = `Long, "quoted" notes; line one\nline two — ünïcødé 🍐 ${'n'.repeat(2100)} end`;

/**
 * One row per interesting value of every writable type (empty values included); JSON adds a time zone, which CSV
 * cannot carry.
 */
function sourceRows(t1: string, t2: string, format: 'csv' | 'json' | 'ndjson' = 'csv'): SourceRow[] {
  return [
    {
      Name: 'Kale',
      Notes: LONG_NOTES,
      Price: 2.5,
      Kind: 'Leafy',
      Tags: ['Green', 'Fresh'],
      Stage: 'In progress',
      Due: { start: '2023-02-23', end: null, time_zone: null },
      Owner: [IDS.ada],
      Files: ['https://example.com/kale.png', 'https://example.com/docs/a%20b.pdf'],
      Done: true,
      Site: 'https://kale.example/?q=1&r=2',
      Mail: 'kale@example.com',
      Phone: '+1 555 0100',
      Related: [t1, t2],
    },
    {
      Name: 'Apple',
      Notes: 'Crisp',
      Price: 1200.75,
      Kind: 'Fruit',
      Tags: ['Red'],
      Stage: 'Done',
      Due: { start: '2023-03-01T09:30:00.000+02:00', end: '2023-03-05T18:00:00.000+02:00', time_zone: null },
      Owner: [],
      Files: [],
      Done: false,
      Site: null,
      Mail: null,
      Phone: null,
      Related: [],
    },
    {
      Name: 'Fig',
      Notes: '',
      Price: null,
      Kind: null,
      Tags: [],
      Stage: null,
      Due: format === 'csv' ? null : { start: '2023-05-01T08:00:00.000', end: null, time_zone: 'Europe/Berlin' },
      Owner: [IDS.ada, IDS.grace],
      Files: [],
      Done: true,
      Site: null,
      Mail: 'fig@example.com',
      Phone: null,
      Related: [t1],
    },
    {
      Name: 'Pear, "Williams" 🍐',
      Notes: 'a\nb',
      Price: -0.125,
      Kind: 'Pome',
      Tags: ['Brand new', 'Green'],
      Stage: 'Not started',
      Due: { start: '2024-02-29T23:59:00.000Z', end: null, time_zone: null },
      Owner: [],
      Files: ['https://example.com/pear.jpg'],
      Done: false,
      Site: 'https://pear.example',
      Mail: null,
      Phone: '0',
      Related: [],
    },
  ];
}

/** A source row as a CSV cell / JSON value, the way people write them. */
function cell(type: string, value: Plain, format: 'csv' | 'json' | 'ndjson'): unknown {
  if (format !== 'csv') return value;
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return value.end ? `${value.start}/${value.end}` : value.start;
  if (type === 'number' && typeof value === 'number' && Math.abs(value) >= 1000) return value.toLocaleString('en-US'); // 1,200.75
  if (type === 'checkbox') return value ? 'yes' : 'no';
  return String(value);
}

function writeSource(file: string, rows: SourceRow[], format: 'csv' | 'json' | 'ndjson'): void {
  const records = rows.map((row) =>
    Object.fromEntries(WRITABLE.map((c) => [c, cell(TYPES[c]!, row[c] ?? null, format)])),
  );
  if (format === 'json') writeFileSync(file, JSON.stringify(records, null, 2));
  else if (format === 'ndjson') writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  else writeFileSync(file, csvText([[...WRITABLE], ...records.map((r) => WRITABLE.map((c) => String(r[c])))]));
}

function csvText(data: string[][]): string {
  return (
    data.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n'
  );
}

/** Is cell `b` (as read back) the same value as `a`, for a property of `type`? */
function same(type: string, a: unknown, b: unknown): boolean {
  const x = ruleFor(type).coerce(a);
  const y = ruleFor(type).coerce(b);
  return x !== INVALID && y !== INVALID && samePlain(type, x as never, y as never);
}

describe('databases: import, export, sync, query', () => {
  const client = t.client(TOKENS.full);
  let targets: [string, string] = ['', ''];
  let targetsDb = '';

  async function createProduce(title: string): Promise<string> {
    const db = await client.databases.create({
      parent: { page_id: IDS.grandchild },
      title: [{ text: { content: title } }],
      properties: {
        Name: { title: {} },
        Notes: { rich_text: {} },
        Price: { number: { format: 'dollar' } },
        Kind: { select: { options: [{ name: 'Leafy' }, { name: 'Fruit' }] } },
        Tags: { multi_select: { options: [{ name: 'Green' }] } },
        Stage: { status: {} },
        Due: { date: {} },
        Owner: { people: {} },
        Files: { files: {} },
        Done: { checkbox: {} },
        Site: { url: {} },
        Mail: { email: {} },
        Phone: { phone_number: {} },
        Related: { relation: { database_id: targetsDb, single_property: {} } },
        Double: { formula: { expression: 'prop("Price") * 2' } },
        Created: { created_time: {} },
        Creator: { created_by: {} },
        Edited: { last_edited_time: {} },
        Editor: { last_edited_by: {} },
        Code: { unique_id: { prefix: 'P' } },
      } as never,
    });
    await client.databases.update({
      database_id: db.id,
      properties: {
        Linked: { rollup: { relation_property_name: 'Related', rollup_property_name: 'Name', function: 'count' } },
      } as never,
    });
    return db.id;
  }

  async function exportAs(
    databaseId: string,
    format: 'csv' | 'json' | 'ndjson',
  ): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
    const out = join(dir, `export-${databaseId}.${format}`);
    const res = await cli('export', '--database', databaseId, '--format', format, '--out', out);
    expect(res.stderr).toBe(`export: wrote ${res.stderr.match(/wrote (\d+) rows/)?.[1]} rows to ${out}\n`);
    expect(res.code, format).toBe(0);
    return parseRecords(readFileSync(out, 'utf8'), format);
  }

  /** Every writable cell of every source row is in the export, by key. */
  function expectSameRows(source: SourceRow[], back: Record<string, unknown>[], label: string): void {
    expect(back.map((r) => r.Name).sort(), label).toEqual(source.map((r) => r.Name).sort());
    for (const row of source) {
      const match = back.find((r) => r.Name === row.Name)!;
      for (const column of WRITABLE) {
        expect(
          same(TYPES[column]!, row[column], match[column]),
          `${label}: ${String(row.Name)}.${column} = ${JSON.stringify(match[column])}, expected ${JSON.stringify(row[column])}`,
        ).toBe(true);
      }
    }
  }

  // The relation target every produce database points at, with two pages the source rows relate to.
  beforeAll(async () => {
    targetsDb = (
      await client.databases.create({
        parent: { page_id: IDS.grandchild },
        title: [{ text: { content: 'Targets' } }],
        properties: { Name: { title: {} } },
      })
    ).id;
    const t1 = await client.pages.create({
      parent: { database_id: targetsDb },
      properties: { Name: { title: [{ text: { content: 'T1' } }] } },
    });
    const t2 = await client.pages.create({
      parent: { database_id: targetsDb },
      properties: { Name: { title: [{ text: { content: 'T2' } }] } },
    });
    targets = [t1.id, t2.id];
  });

  /** A produce database holding the source rows, imported through the CLI from a `format` file. */
  async function importedProduce(title: string, format: 'csv' | 'json' | 'ndjson'): Promise<string> {
    const databaseId = await createProduce(title);
    const file = join(dir, `${title.replace(/\W+/g, '-')}.${format}`);
    writeSource(file, sourceRows(...targets, format), format);
    const res = await cli('import', file, '--database', databaseId, '--key', 'Name', '--no-journal', '--json');
    expect(res.code, res.stdout).toBe(0);
    return databaseId;
  }

  for (const format of ['csv', 'json', 'ndjson'] as const) {
    it(`${format}: import → export → import → export keeps every value of every property type`, async () => {
      const source = sourceRows(...targets, format);
      const databaseId = await createProduce(`Produce ${format}`);
      const file = join(dir, `produce.${format}`);
      writeSource(file, source, format);

      const imported = await counted('import', file, '--database', databaseId, '--key', 'Name', '--json');
      expect(imported.stderr).toMatch(/import: 4\/4 rows \(100%\)/);
      expect(imported.code, imported.stdout).toBe(0);
      expect(imported.summary).toMatchObject({ created: 4, updated: 0, failed: 0, issues: [] });
      // New options are created by Notion; the importer says so rather than failing.
      expect(imported.summary!.warnings).toEqual(
        expect.arrayContaining([
          '"Pome" is not yet an option of Kind; Notion will create it.',
          '"Brand new" is not yet an option of Tags; Notion will create it.',
        ]),
      );
      expect(imported.writes.map((w) => `${w.method} ${w.route} ${w.status}`)).toEqual(
        Array(4).fill('POST /v1/pages 200'),
      );

      const first = await exportAs(databaseId, format);
      // the title first, then the schema's order; read-only properties are exported too
      expect(first.columns[0]).toBe('Name');
      expect([...first.columns].sort()).toEqual([...WRITABLE, ...READ_ONLY].sort());
      expectSameRows(source, first.rows, `${format} export`);
      const kale = first.rows.find((r) => r.Name === 'Kale')!;
      const apple = first.rows.find((r) => r.Name === 'Apple')!;
      expect(same('number', kale.Double, 5)).toBe(true); // formula
      expect(same('number', kale.Linked, 2)).toBe(true); // rollup: count of Related
      expect(String(kale.Creator)).toBe(IDS.full);
      expect(String(kale.Editor)).toBe(IDS.full);
      expect(String(kale.Created)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      expect([...first.rows.map((r) => String(r.Code))].sort()).toEqual(['P-1', 'P-2', 'P-3', 'P-4']);
      if (format === 'json') {
        // JSON keeps types: numbers, booleans, arrays, and date objects when there is more than a start
        expect(apple).toMatchObject({
          Price: 1200.75,
          Done: false,
          Tags: ['Red'],
          Due: { start: '2023-03-01T09:30:00.000+02:00', end: '2023-03-05T18:00:00.000+02:00', time_zone: null },
        });
        expect(kale).toMatchObject({ Due: '2023-02-23', Owner: [IDS.ada], Related: targets });
        expect(first.rows.find((r) => r.Name === 'Fig')).toMatchObject({
          Due: { start: '2023-05-01T08:00:00.000', end: null, time_zone: 'Europe/Berlin' },
          Price: null,
          Kind: null,
          Tags: [],
        });
      }

      // The export is itself an import file: into a fresh database, read-only columns ignored with a warning.
      const again = await createProduce(`Produce ${format} again`);
      const exportedFile = join(dir, `export-${databaseId}.${format}`);
      const reimported = await counted(
        'import',
        exportedFile,
        '--database',
        again,
        '--key',
        'Name',
        '--json',
        '--no-journal',
      );
      expect(reimported.code, reimported.stdout).toBe(0);
      expect(reimported.summary).toMatchObject({ created: 4, failed: 0 });
      expect(reimported.summary!.warnings).toContain(
        'Column "Double" feeds Double, a formula property, which cannot be set through the API; ignored.',
      );
      expect(reimported.writes).toHaveLength(4);
      const second = await exportAs(again, format);
      expectSameRows(source, second.rows, `${format} re-export`);
    });
  }

  it('import --key upserts: changed rows are updated (only what changed), new rows created, the rest untouched', async () => {
    const databaseId = await importedProduce('Produce upsert', 'csv');
    const source = sourceRows(...targets);
    source[1] = { ...source[1]!, Price: 3, Tags: ['Red', 'Green'] }; // Apple changes
    source.push({ Name: 'Lime', Price: 0.3, Done: true } as SourceRow); // new
    const file = join(dir, 'upsert.csv');
    writeSource(file, source, 'csv');
    const res = await counted('import', file, '--database', databaseId, '--key', 'Name', '--json');
    expect(res.code, res.stdout).toBe(0);
    expect(res.summary).toMatchObject({ created: 1, updated: 1, unchanged: 3, failed: 0 });
    expect(res.writes.map((w) => `${w.method} ${w.route}`).sort()).toEqual([
      'PATCH /v1/pages/:page_id',
      'POST /v1/pages',
    ]);
    const apple = (
      await client.databases.query({
        database_id: databaseId,
        filter: { property: 'Name', title: { equals: 'Apple' } },
      })
    ).results[0] as any;
    expect(apple.properties.Price.number).toBe(3);
    expect(apple.properties.Tags.multi_select.map((o: any) => o.name).sort()).toEqual(['Green', 'Red']);
    expect(apple.properties.Notes.rich_text[0].plain_text).toBe('Crisp');
    // the same file again: the journal knows every row
    const rerun = await counted('import', file, '--database', databaseId, '--key', 'Name', '--json');
    expect(rerun.summary).toMatchObject({ created: 0, updated: 0, failed: 0, resumed: true });
    expect(rerun.writes).toEqual([]);
  });

  it('sync: a second run writes nothing (counted in the request log); a change is one PATCH; --archive-missing trashes what left the file', async () => {
    const databaseId = await importedProduce('Produce sync', 'json');
    const source = sourceRows(...targets, 'json');
    const file = join(dir, 'sync.json');
    writeSource(file, source, 'json');
    for (let run = 1; run <= 2; run++) {
      const again = await counted('sync', file, '--database', databaseId, '--key', 'Name', '--json');
      expect(again.code, again.stdout).toBe(0);
      expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0, archived: 0 });
      expect(again.writes, `run ${run}`).toEqual([]);
    }

    const changed = source.filter((r) => r.Name !== 'Fig');
    changed[0] = { ...changed[0]!, Notes: `${LONG_NOTES} (edited)` };
    writeSource(file, changed, 'json');
    const update = await counted(
      'sync',
      file,
      '--database',
      databaseId,
      '--key',
      'Name',
      '--archive-missing',
      '--json',
    );
    expect(update.code, update.stdout).toBe(0);
    expect(update.summary).toMatchObject({ created: 0, updated: 1, unchanged: 2, archived: 1, failed: 0 });
    expect(update.writes.map((w) => `${w.method} ${w.route} ${w.status}`)).toEqual([
      'PATCH /v1/pages/:page_id 200',
      'PATCH /v1/pages/:page_id 200',
    ]);

    const all = await client.databases.query({ database_id: databaseId });
    expect(all.results.map((p: any) => p.properties.Name.title.map((x: any) => x.plain_text).join('')).sort()).toEqual([
      'Apple',
      'Kale',
      'Pear, "Williams" 🍐',
    ]);
    const archivedId = update.writes
      .map((w) => w.path.split('/').pop()!)
      .find((id) => !all.results.some((p) => p.id === id))!;
    expect(((await client.pages.retrieve({ page_id: archivedId })) as any).archived).toBe(true);

    const third = await counted('sync', file, '--database', databaseId, '--key', 'Name', '--archive-missing', '--json');
    expect(third.summary).toMatchObject({ created: 0, updated: 0, unchanged: 3, archived: 0 });
    expect(third.writes).toEqual([]);
    // --dry-run reports, writes nothing
    writeSource(file, source, 'json');
    const dry = await counted('sync', file, '--database', databaseId, '--key', 'Name', '--dry-run', '--json');
    expect(dry.summary).toMatchObject({ dry_run: true, created: 1, updated: 1, unchanged: 2 });
    expect(dry.writes).toEqual([]);
  });

  it('a relation past the 25 references a page object carries: export, query and sync see all of them', async () => {
    const many: string[] = [];
    for (let i = 0; i < 30; i++)
      many.push(
        (
          await client.pages.create({
            parent: { database_id: targetsDb },
            properties: { Name: { title: [{ text: { content: `M${i}` } }] } },
          })
        ).id,
      );
    const db = await client.databases.create({
      parent: { page_id: IDS.grandchild },
      title: [{ text: { content: 'Many' } }],
      properties: {
        Name: { title: {} },
        Related: { relation: { database_id: targetsDb, single_property: {} } },
      } as never,
    });
    const file = join(dir, 'many.csv');
    writeFileSync(
      file,
      csvText([
        ['Name', 'Related'],
        ['Hub', many.join(',')],
      ]),
    );
    const imported = await cli('import', file, '--database', db.id, '--key', 'Name', '--json');
    expect(imported.code, imported.stdout).toBe(0);
    const page = (await client.databases.query({ database_id: db.id })).results[0] as any;
    expect(page.properties.Related).toMatchObject({ has_more: true });
    expect(page.properties.Related.relation).toHaveLength(25);

    const exported = await exportAs(db.id, 'json');
    expect(exported.rows[0]!.Related).toEqual(many);
    const queried = json((await cli('query', '--database', db.id, '--json')).stdout);
    expect(queried.results[0].properties.Related).toEqual(many);
    const again = await counted('sync', file, '--database', db.id, '--key', 'Name', '--json');
    expect(again.summary).toMatchObject({ updated: 0, unchanged: 1 });
    expect(again.writes).toEqual([]);
  });

  it('query --filter prints a table, or one JSON document; sorts and limits; a refused filter is exit 2', async () => {
    const databaseId = await importedProduce('Produce query', 'ndjson');
    const filter = JSON.stringify({
      or: [
        { property: 'Kind', select: { equals: 'Fruit' } },
        { property: 'Price', number: { less_than: 0 } },
      ],
    });
    const table = await cli('query', '--database', databaseId, '--filter', filter, '--sort', 'Price:desc');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+Name\s+Notes\s+Price\s+Kind\s/);
    expect(lines[1]).toMatch(/^─+( +─+)+$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[1])).toEqual(['Apple', 'Pear, "Williams" 🍐']);
    expect(lines[2]).toMatch(/^[0-9a-f-]{36}\s+Apple\s+Crisp\s+1200\.75\s+Fruit\s+Red\s/);
    expect(table.stderr).toBe('2 pages\n');

    const doc = await cli('query', '--database', databaseId, '--filter', filter, '--sort', 'Price:desc', '--json');
    expect(doc.code).toBe(0);
    const body = json(doc.stdout);
    expect(body).toMatchObject({ database_id: databaseId, count: 2 });
    expect(body.results.map((r: any) => [r.properties.Name, r.properties.Price, r.properties.Kind])).toEqual([
      ['Apple', 1200.75, 'Fruit'],
      ['Pear, "Williams" 🍐', -0.125, 'Pome'],
    ]);
    expect(body.results[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: expect.stringContaining('notion'),
    });

    const filterFile = join(dir, 'filter.json');
    writeFileSync(filterFile, JSON.stringify({ property: 'Done', checkbox: { equals: true } }));
    const limited = await cli(
      'query',
      '--database',
      databaseId,
      '--filter',
      `@${filterFile}`,
      '--limit',
      '1',
      '--json',
    );
    expect(json(limited.stdout).count).toBe(1);

    const refused = await cli(
      'query',
      '--database',
      databaseId,
      '--filter',
      JSON.stringify({ property: 'Nope', checkbox: { equals: true } }),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^notion-local: the filter or sort was refused: .*Nope.*\n$/);
  });

  it('rows the API would refuse are reported in its words and nothing else stops (exit 3)', async () => {
    const databaseId = await createProduce('Produce refused');
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      csvText([
        ['Name', 'Price', 'Stage', 'Nope'],
        ['Plum', 'cheap', 'Done', 'x'],
        ['Quince', '4', 'Shipped', ''],
        ['Rhubarb', '5', '', ''],
      ]),
    );
    const res = await counted('import', file, '--database', databaseId, '--key', 'Name', '--json');
    expect(res.code).toBe(3);
    expect(res.summary).toMatchObject({ created: 1, failed: 2 });
    expect(res.summary!.issues).toEqual([
      { row: 1, key: 'Plum', outcome: 'failed', reason: 'Price is expected to be number.' },
      {
        row: 2,
        key: 'Quince',
        outcome: 'failed',
        reason:
          '"Shipped" is not an option of status property Stage; status options cannot be created through the API.',
      },
    ]);
    expect(res.summary!.warnings).toContain(
      'Column "Nope" matches no property of the database and is ignored (map it with --map "Nope=Property").',
    );
    expect(res.writes).toHaveLength(1);
  });

  it('--map feeds columns into properties of other names', async () => {
    const databaseId = await createProduce('Produce mapped');
    const file = join(dir, 'mapped.csv');
    writeFileSync(
      file,
      csvText([
        ['Fruit', 'Cost'],
        ['Mango', '7'],
      ]),
    );
    const res = await cli(
      'import',
      file,
      '--database',
      databaseId,
      '--key',
      'Fruit',
      '--map',
      'Fruit=Name',
      '--map',
      'Cost=Price',
      '--json',
    );
    expect(res.code, res.stdout).toBe(0);
    expect(json(res.stdout)).toMatchObject({ created: 1, warnings: [] });
    const mango = (
      await client.databases.query({
        database_id: databaseId,
        filter: { property: 'Name', title: { equals: 'Mango' } },
      })
    ).results[0] as any;
    expect(mango.properties.Price.number).toBe(7);
  });

  it('--parent creates a database with types inferred from the data; --dry-run writes nothing; a rerun resumes', async () => {
    const file = join(dir, 'fresh.json');
    const rows = [
      {
        Title: 'A',
        Count: 1,
        Done: true,
        Tags: ['x', 'y'],
        When: '2024-01-02',
        Mail: 'a@example.com',
        Site: 'https://a.example',
        Kind: 'small',
        Notes: 'free text',
      },
      {
        Title: 'B',
        Count: 2.5,
        Done: false,
        Tags: [],
        When: '2024-01-03T10:00:00Z',
        Mail: 'b@example.com',
        Site: 'https://b.example',
        Kind: 'small',
        Notes: 'more, text',
      },
      { Title: 'C', Count: -3, Done: false, Tags: ['y'], When: '', Mail: '', Site: '', Kind: 'large', Notes: '' },
    ];
    writeFileSync(file, JSON.stringify(rows));
    const dry = await counted('import', file, '--parent', IDS.grandchild, '--dry-run', '--json');
    expect(dry.summary).toMatchObject({ dry_run: true, created: 3, database_id: null });
    expect(dry.writes).toEqual([]);
    const real = await counted('import', file, '--parent', IDS.grandchild, '--json');
    expect(real.code, real.stdout).toBe(0);
    const summary = real.summary!;
    expect(summary).toMatchObject({ created: 3, failed: 0 });
    expect(summary.warnings[0]).toBe(
      'Schema inferred from the file: Title (title), Count (number), Done (checkbox), Tags (multi_select), When (date), Mail (email), Site (url), Kind (select), Notes (rich_text).',
    );
    expect(real.writes.map((w) => `${w.method} ${w.route}`)).toEqual([
      'POST /v1/databases',
      ...Array(3).fill('POST /v1/pages'),
    ]);
    const db = (await client.databases.retrieve({ database_id: summary.database_id })) as any;
    expect(db.title.map((x: any) => x.plain_text).join('')).toBe('fresh');
    expect(db.parent).toEqual({ type: 'page_id', page_id: IDS.grandchild });
    expect(Object.fromEntries(Object.entries(db.properties).map(([n, p]: [string, any]) => [n, p.type]))).toEqual({
      Title: 'title',
      Count: 'number',
      Done: 'checkbox',
      Tags: 'multi_select',
      When: 'date',
      Mail: 'email',
      Site: 'url',
      Kind: 'select',
      Notes: 'rich_text',
    });
    expect(db.properties.Kind.select.options.map((o: any) => o.name)).toEqual(['small', 'large']);
    const back = await exportAs(summary.database_id, 'json');
    for (const row of rows) {
      const match = back.rows.find((r) => r.Title === row.Title)!;
      for (const [column, value] of Object.entries(row))
        expect(same(db.properties[column].type, value, match[column]), `${row.Title}.${column}`).toBe(true);
    }
    // Run again: the journal knows both the database it created and every row.
    const rerun = await counted('import', file, '--parent', IDS.grandchild, '--json');
    expect(rerun.summary).toMatchObject({ database_id: summary.database_id, created: 0, skipped: 3, resumed: true });
    expect(rerun.writes).toEqual([]);
  });

  it('without --key, a lost answer or a kill is resolved by title, creator and minute: no duplicates', async () => {
    const db = await client.databases.create({
      parent: { page_id: IDS.grandchild },
      title: [{ text: { content: 'Keyless' } }],
      properties: { Name: { title: {} }, N: { number: {} } },
    });
    const file = join(dir, 'keyless.csv');
    writeFileSync(file, csvText([['Name', 'N'], ...Array.from({ length: 40 }, (_, i) => [`K${i}`, String(i)])]));
    t.platform.faults.replace([
      { integration: 'Full', route: 'POST /v1/pages', status: 504, after_commit: true, probability: 0.3 },
    ]);
    try {
      // First run: SIGKILLed once the journal holds 10 finished rows.
      const journal = journalOf(file);
      const proc = spawn(
        process.execPath,
        [BIN, 'import', file, '--database', db.id, '--base-url', t.baseUrl, '--token', TOKENS.full, '--rate', '0'],
        { stdio: 'ignore' },
      );
      const closed = new Promise((resolve) => proc.on('close', resolve));
      await journalHolds(journal, 10, proc);
      proc.kill('SIGKILL');
      await closed;
      const rest = await counted('import', file, '--database', db.id, '--json');
      expect(rest.code, rest.stdout).toBe(0);
      expect(rest.summary).toMatchObject({ failed: 0, resumed: true });
      expect(rest.writes.some((w) => w.status === 504)).toBe(true);
    } finally {
      t.platform.faults.replace([]);
    }
    const names = (await collectPaginatedAPI(client.databases.query, { database_id: db.id })).map(
      (p: any) => p.properties.Name.title[0].plain_text as string,
    );
    expect(names.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `K${i}`).sort());
  });

  it('an import whose creates lose their answers after the commit makes no duplicates', async () => {
    const databaseId = await createProduce('Produce chaos');
    const rule = t.platform.faults.add({
      integration: 'Full',
      route: 'POST /v1/pages',
      status: 503,
      after_commit: true,
      probability: 0.5,
    });
    try {
      const file = join(dir, 'chaos.csv');
      writeFileSync(
        file,
        csvText([['Name', 'Price'], ...Array.from({ length: 12 }, (_, i) => [`Chaos ${i}`, String(i)])]),
      );
      const res = await counted('import', file, '--database', databaseId, '--key', 'Name', '--json');
      expect(res.code, res.stdout).toBe(0);
      expect(res.summary).toMatchObject({ created: 12, failed: 0 });
      expect(t.platform.faults.list().find((r) => r.id === rule.id)!.matched).toBeGreaterThan(0);
      expect(res.writes.filter((w) => w.status === 503).length).toBe(
        t.platform.faults.list().find((r) => r.id === rule.id)!.matched,
      );
      const pages = await client.databases.query({
        database_id: databaseId,
        filter: { property: 'Name', title: { starts_with: 'Chaos' } },
      });
      expect(pages.results).toHaveLength(12);
    } finally {
      t.platform.faults.replace([]);
    }
  });
});

/** Resolves once the journal holds `rows` finished rows, or once `proc` has exited. */
function journalHolds(journal: string, rows: number, proc: ChildProcess): Promise<void> {
  const done = journalDone(journal);
  return new Promise((resolve) => {
    const stopWatching = onJournalChange(journal, () => done() >= rows && finish());
    const finish = () => {
      stopWatching();
      proc.off('exit', finish);
      resolve();
    };
    proc.on('exit', finish);
    if (proc.exitCode !== null || done() >= rows) finish();
  });
}

// ── A budget shared by processes (PostgreSQL / Redis) ────────────────────────────────────────────

const SHARED_STORES = [
  {
    name: 'PostgreSQL',
    url: process.env.NOTION_LOCAL_TEST_DATABASE_URL ?? '',
    param: 'schema',
    value: `nl_test_budget_${process.pid}`,
  },
  {
    name: 'Redis',
    url: process.env.NOTION_LOCAL_TEST_REDIS_URL ?? '',
    param: 'prefix',
    value: `notion-local-test:${process.pid}:`,
  },
];
for (const store of SHARED_STORES) {
  if (!store.url)
    console.warn(
      `toolkit shared-budget test on ${store.name} skipped: set ${store.name === 'Redis' ? 'NOTION_LOCAL_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379)' : 'NOTION_LOCAL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)'}`,
    );
  describe.skipIf(!store.url)(`--budget-url through ${store.name}`, () => {
    afterAll(async () => {
      if (store.name === 'PostgreSQL') {
        const { default: pg } = await import('pg');
        const c = new pg.Client({ connectionString: store.url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${store.value}" CASCADE`);
        await c.end();
      } else {
        const { createClient } = await import('redis');
        const c = createClient({ url: store.url });
        await c.connect();
        const keys = await c.keys(`${store.value}*`);
        if (keys.length) await c.del(keys);
        await c.quit();
      }
    });

    it('two importers at once share one budget: their requests together are paced to it', async () => {
      // A lower bound only (slowness can only stretch it): N paced requests of one budget at R/s
      // with a burst of 1 span at least (N − 1)/R seconds. Two unshared budgets would take half.
      const client = t.client(TOKENS.full);
      const RATE = 25;
      const files = await Promise.all(
        [1, 2].map(async (n) => {
          const db = await client.databases.create({
            parent: { page_id: IDS.grandchild },
            title: [{ text: { content: `Shared ${store.name} ${n}` } }],
            properties: { Name: { title: {} } },
          });
          const file = join(dir, `shared-${store.name}-${n}.csv`);
          writeFileSync(file, csvText([['Name'], ...Array.from({ length: 30 }, (_, i) => [`S${n}.${i}`])]));
          return { db: db.id, file };
        }),
      );
      const budgetUrl = `${store.url}${store.url.includes('?') ? '&' : '?'}${store.param}=${encodeURIComponent(store.value)}`;
      const before = await lastRequestId();
      const runs = await Promise.all(
        files.map(({ db, file }) =>
          runCli(
            [
              'import',
              file,
              '--database',
              db,
              '--key',
              'Name',
              '--json',
              '--no-journal',
              '--base-url',
              t.baseUrl,
              '--token',
              TOKENS.full,
              '--rate',
              String(RATE),
              '--burst',
              '1',
              '--budget-url',
              budgetUrl,
            ],
            60_000,
          ),
        ),
      );
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(0);
        expect(json(run.stdout)).toMatchObject({ created: 30, failed: 0 });
      }
      const logged = (await admin(`/__admin/requests?integration_id=${IDS.full}&page_size=100`)).results.filter(
        (r: any) => r.id > before,
      ) as { time: string }[];
      const sent = runs.reduce((a, r) => a + json(r.stdout).requests, 0);
      expect(logged).toHaveLength(sent);
      const times = logged.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
      expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(((sent - 1) / RATE) * 1000 - 250);
    });
  });
}
