// Three `notion-local serve` processes on one PostgreSQL behave as one server: they start together
// (one seeding), see each other's writes, and share one exact rate limit under a 10× overload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresSchema } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { spawnServe, type Served } from './support/spawn-serve.js';
import { newSchemaName, POSTGRES_URL, skipMessageForPostgres } from './support/test-platform.js';

const BUDGET = 40;
if (skipMessageForPostgres()) console.warn(`multi-process: ${skipMessageForPostgres()}`);

describe.skipIf(!POSTGRES_URL)('three server processes on one PostgreSQL', () => {
  const schema = newSchemaName();
  const dir = mkdtempSync(join(tmpdir(), 'nl-multi-'));
  let servers: Served[] = [];
  beforeAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(testSeed()));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ rate_limit: { requests_per_minute: BUDGET, workspace_requests_per_minute: 100_000 } }),
    );
    const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    servers = await Promise.all(
      [0, 1, 2].map(() =>
        spawnServe(
          [
            '--database-url',
            url,
            '--port',
            '0',
            '--seed',
            join(dir, 'seed.json'),
            '--config',
            join(dir, 'config.json'),
          ],
          60_000,
        ),
      ),
    );
  }, 90_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dropPostgresSchema(POSTGRES_URL, schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds once, and a page created through one is read through the others', async () => {
    expect(servers.filter((s) => !s.stdout().includes('Existing data found'))).toHaveLength(1);
    const res = await fetch(`${servers[0]!.url}/v1/pages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.noEmail}`,
        'notion-version': '2022-06-28',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        parent: { page_id: IDS.sharedRoot },
        properties: { title: [{ text: { content: 'Across processes' } }] },
      }),
    });
    // NoEmail lacks insert_content: 403 proves the capability check runs the same in every process.
    expect(res.status).toBe(403);
    const created = await fetch(`${servers[0]!.url}/v1/blocks/${IDS.child}/children`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${TOKENS.insertOnly}`,
        'notion-version': '2022-06-28',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        children: [{ paragraph: { rich_text: [{ text: { content: 'written by process 0' } }] } }],
      }),
    });
    expect(created.status).toBe(200);
    for (const s of servers.slice(1)) {
      const list = await fetch(`${s.url}/v1/blocks/${IDS.child}/children`, {
        headers: { authorization: `Bearer ${TOKENS.readOnly}`, 'notion-version': '2022-06-28' },
      });
      const body = (await list.json()) as { results: { paragraph?: { rich_text: { plain_text: string }[] } }[] };
      expect(body.results.map((b) => b.paragraph?.rich_text[0]?.plain_text)).toContain('written by process 0');
    }
  });

  it(`admits exactly the shared budget (${BUDGET}/min) across the three under a 10× overload`, async () => {
    const statuses: number[] = [];
    const windowsTouched = new Set<number>();
    await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        for (let i = 0; i < BUDGET / 2; i++) {
          const server = servers[(client + i) % 3]!;
          windowsTouched.add(Math.floor(Date.now() / 60_000));
          const res = await fetch(`${server.url}/v1/users/me`, {
            headers: { authorization: `Bearer ${TOKENS.commenter}`, 'notion-version': '2022-06-28' },
          });
          windowsTouched.add(Math.floor(Date.now() / 60_000));
          statuses.push(res.status);
          await res.arrayBuffer();
        }
      }),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // 400 requests against a budget of 40 per window: exactly 40 per window the run touched.
    expect(admitted).toBe(BUDGET * windowsTouched.size);
  }, 60_000);
});
