// Migration 6 (databases become containers of data sources) on stores written by notion-local before it
// (commit d32ebe0): a PGlite data dir and a PostgreSQL schema, each holding two related databases made
// through the API (packages/server/test/fixtures/store-d32ebe0). After the upgrade, 2022-06-28 answers what
// it answered before the migration, 2025-09-03 sees the same data through data sources, and writes go on
// (unique ids continue, relations resolve).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema, startPlatform, type Platform } from '@notion-local/server';
import { newSchemaName, POSTGRES_URL, TEST_CONFIG } from './support/test-platform.js';

const FIXTURES = fileURLToPath(new URL('../packages/server/test/fixtures/store-d32ebe0/', import.meta.url));
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'fixture.json'), 'utf8'));
const hasXz = spawnSync('xz', ['--version']).status === 0;

type Answer = { status: number; body: any };

/** The answer of a 2022-06-28 call as it was before the migration, without the keys added since. */
function withoutNewKeys(value: any): any {
  if (Array.isArray(value)) return value.map(withoutNewKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (['request_id', 'is_locked', 'is_archived', 'data_source_id'].includes(key)) continue;
    out[key] = withoutNewKeys(inner);
  }
  return out;
}

async function loadPostgresFixture(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    // pg_dump's output, without its psql meta-commands (\restrict …), which the server does not take.
    const sql = readFileSync(join(FIXTURES, 'postgres.sql'), 'utf8')
      .replaceAll('__SCHEMA__', schema)
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n');
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const stores = [
  {
    kind: 'pglite' as const,
    skip: hasXz ? null : 'xz is not installed: the PGlite data dir fixture cannot be unpacked',
  },
  {
    kind: 'postgres' as const,
    skip: POSTGRES_URL ? null : 'PostgreSQL tests skipped: set NOTION_LOCAL_TEST_DATABASE_URL to run them',
  },
];

describe.each(stores)('migration to data sources ($kind)', ({ kind, skip }) => {
  let platform: Platform;
  let dir = '';
  let schema = '';
  const { token, ids } = fixture[kind];
  const call = async (path: string, version: string, method = 'GET', body?: unknown): Promise<Answer> => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'notion-version': version, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    if (skip) return;
    if (kind === 'pglite') {
      dir = mkdtempSync(join(tmpdir(), 'nl-migration-'));
      const untar = spawnSync('tar', ['-xJf', join(FIXTURES, 'pglite-data-dir.tar.xz'), '-C', dir]);
      if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
      platform = await startPlatform({
        store: { kind: 'pglite', dataDir: join(dir, 'olddata') },
        port: 0,
        config: TEST_CONFIG,
      });
    } else {
      schema = newSchemaName();
      await loadPostgresFixture(schema);
      platform = await startPlatform({
        store: { kind: 'postgres', url: POSTGRES_URL, schema },
        port: 0,
        config: TEST_CONFIG,
      });
    }
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
  });

  it.skipIf(skip !== null)('answers 2022-06-28 as before the migration: database, schema and rows', async () => {
    if (skip) console.log(skip);
    const tasks = await call(`/v1/databases/${ids.tasks}`, '2022-06-28');
    expect(tasks.status).toBe(200);
    // The stored answers are the PGlite store's: compare the PostgreSQL one field by field where ids differ.
    if (kind === 'pglite') expect(withoutNewKeys(tasks.body)).toEqual(withoutNewKeys(fixture.answers2022.tasks));
    expect(Object.keys(tasks.body.properties)).toEqual(['Task', 'Done', 'Tag', 'Key', 'Owner', 'Count']);
    const people = await call(`/v1/databases/${ids.people}`, '2022-06-28');
    expect(tasks.body.properties.Owner.relation.data_source_id).toBe(
      (await call(`/v1/databases/${ids.people}`, '2025-09-03')).body.data_sources[0].id,
    );
    expect(people.body.properties['Related to Tasks (Owner)'].relation.database_id).toBe(ids.tasks);
    const rows = await call(`/v1/databases/${ids.tasks}/query`, '2022-06-28', 'POST', {
      sorts: [{ property: 'Key', direction: 'ascending' }],
    });
    expect(rows.status).toBe(200);
    expect(rows.body.results.map((r: any) => r.properties.Task.title[0].plain_text)).toEqual([
      'Task 0',
      'Task 1',
      'Task 2',
      'Task 3',
      'Task 4',
    ]);
    expect(rows.body.results.map((r: any) => r.properties.Count.rollup.number)).toEqual([41, 36, 41, 36, 41]);
    expect(rows.body.results[0].parent).toEqual({ type: 'database_id', database_id: ids.tasks });
    if (kind === 'pglite') expect(withoutNewKeys(rows.body)).toEqual(withoutNewKeys(fixture.answers2022.taskRows));
  });

  it.skipIf(skip !== null)('shows the same data through 2025-09-03 data sources, and writes go on', async () => {
    const database = await call(`/v1/databases/${ids.tasks}`, '2025-09-03');
    expect(database.body.data_sources).toHaveLength(1);
    expect(database.body).not.toHaveProperty('properties');
    const sourceId = database.body.data_sources[0].id;
    expect(sourceId).not.toBe(ids.tasks);
    const source = await call(`/v1/data_sources/${sourceId}`, '2025-09-03');
    expect(source.body).toMatchObject({
      object: 'data_source',
      parent: { type: 'database_id', database_id: ids.tasks },
    });
    const rows = await call(`/v1/data_sources/${sourceId}/query`, '2025-09-03', 'POST', {
      filter: { property: 'Done', checkbox: { equals: true } },
    });
    expect(rows.body.results).toHaveLength(3);
    expect(rows.body.results[0].parent).toEqual({
      type: 'data_source_id',
      data_source_id: sourceId,
      database_id: ids.tasks,
    });
    const created = await call('/v1/pages', '2022-06-28', 'POST', {
      parent: { database_id: ids.tasks },
      properties: {
        Task: { title: [{ text: { content: 'After the upgrade' } }] },
        Owner: { relation: [{ id: ids.ada }] },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.properties.Key.unique_id).toEqual({ prefix: 'T', number: 6 });
    expect(created.body.properties.Count.rollup.number).toBe(36);
    const ada = await call(`/v1/pages/${ids.ada}`, '2025-09-03');
    expect(ada.body.properties['Related to Tasks (Owner)'].relation.map((r: any) => r.id)).toContain(created.body.id);
  });
});
