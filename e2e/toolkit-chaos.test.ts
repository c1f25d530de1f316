// A chaos import against the real platform: injected 429s and 5xx on creates, answers lost after the
// commit, and the importer killed with SIGKILL at several points and started again — then no row is
// missing, none is duplicated, and one more run writes nothing. Skipped while the platform does not
// serve databases (POST /v1/databases answers 400 invalid_request_url).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPaginatedAPI } from '@notionhq/client';
import { afterAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { BIN, runCli } from './support/spawn-serve.js';
import { startTestPlatform } from './support/test-platform.js';

const ROWS = 200;
const KILL_AT_PERCENT = [10, 40, 70];

const t = await startTestPlatform();
afterAll(async () => {
  await t.close();
});
const probe = await t.raw('/v1/databases', {
  method: 'POST',
  body: { parent: { page_id: IDS.sharedRoot }, title: [{ text: { content: 'Probe' } }], properties: { Name: { title: {} } } },
});
const NO_DATABASES = probe.status === 400 && probe.body?.code === 'invalid_request_url';
if (NO_DATABASES) console.warn('toolkit chaos import skipped: POST /v1/databases answers 400 invalid_request_url (databases are not served yet)');

/** Runs the importer and SIGKILLs it once its progress reaches `percent` (a plain progress line on stderr). */
function importUntil(args: string[], percent: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let killed = false;
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = [...err.matchAll(/import: \d+\/\d+ rows \((\d+)%\)/g)].pop();
      if (!killed && m && Number(m[1]) >= percent && Number(m[1]) < 100) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stdout.resume();
    proc.on('close', (code) => resolve({ killed, code }));
  });
}

describe.skipIf(NO_DATABASES)('chaos import', () => {
  it(`${ROWS} rows through 429s, 5xx, lost answers and ${KILL_AT_PERCENT.length} SIGKILLs: nothing missing, nothing doubled`, async () => {
    const client = t.client(TOKENS.full);
    const db = await client.databases.create({ parent: { page_id: IDS.sharedRoot }, title: [{ text: { content: 'Chaos' } }], properties: { Name: { title: {} }, N: { number: {} } } });
    const dir = mkdtempSync(join(tmpdir(), 'notion-local-chaos-'));
    const file = join(dir, 'rows.csv');
    writeFileSync(file, `Name,N\n${Array.from({ length: ROWS }, (_, i) => `Row ${i},${i}`).join('\n')}\n`);
    t.platform.faults.replace([
      { integration: 'Full', route: 'POST /v1/pages', status: 429, retry_after: 0, probability: 0.1 },
      { integration: 'Full', route: 'POST /v1/pages', status: 500, probability: 0.02 },
      { integration: 'Full', route: 'POST /v1/pages', status: 503, after_commit: true, probability: 0.05 },
    ]);
    const args = ['import', file, '--database', db.id, '--key', 'Name', '--base-url', t.baseUrl, '--token', TOKENS.full, '--rate', '0', '--concurrency', '4'];
    try {
      for (const percent of KILL_AT_PERCENT) await importUntil(args, percent);
      const last = await runCli([...args, '--json'], 120_000);
      expect(last.code).toBe(0);
    } finally {
      t.platform.faults.replace([]);
    }
    const pages = await collectPaginatedAPI(client.databases.query, { database_id: db.id });
    const names = pages.map((p) => ('properties' in p && p.properties.Name?.type === 'title' ? p.properties.Name.title.map((x) => x.plain_text).join('') : ''));
    expect(new Set(names).size).toBe(ROWS);
    expect(names).toHaveLength(ROWS);

    const rerun = await runCli([...args, '--json'], 60_000);
    const summary = JSON.parse(rerun.stdout) as { created: number; updated: number; failed: number };
    expect(summary).toMatchObject({ created: 0, updated: 0, failed: 0 });
  }, 120_000);
});
