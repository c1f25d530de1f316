// The chaos import of issue 7 against the real platform, scaled down: 1,000 rows (the issue asks for
// 10,000) while the platform injects 10 % 429s and 2 % 5xx on creates and loses the answer of 5 % of
// creates after the commit (504 `after_commit`), and the importer is SIGKILLed 5 times (the issue: 10)
// and restarted → no row missing, none duplicated, and one more run writes nothing (counted in the
// platform's request log). 10,000 rows × 10 kills take about two minutes on a 2-core machine, too long
// for this suite: the full-scale run is `node bench/toolkit-chaos.mjs` (figures in bench/README.md).
// Kills are placed by the importer's own journal (after k/6 of the rows are done), not by time.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectPaginatedAPI, isFullPage } from '@notionhq/client';
import { afterAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { journalDone, journalOf, onJournalChange } from './support/import-journal.js';
import { BIN, runCli } from './support/spawn-serve.js';
import { startTestPlatform } from './support/test-platform.js';
import { requestLogOf } from './support/request-log.js';

const ROWS = 1_000;
const KILLS = 5;

const t = await startTestPlatform();
afterAll(async () => {
  await t.close();
});

const { lastRequestId, requestsSince } = requestLogOf(t);

/** Runs the importer and SIGKILLs it as soon as the journal holds `killAt` done rows. */
function importUntil(
  args: string[],
  journal: string,
  done: () => number,
  killAt: number,
): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let killed = false;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.resume();
    const killAtPoint = () => {
      if (!killed && done() >= killAt) {
        killed = true;
        proc.kill('SIGKILL');
      }
    };
    const stopWatching = onJournalChange(journal, killAtPoint);
    proc.on('close', (code) => {
      stopWatching();
      resolve({ killed, code, stderr });
    });
    killAtPoint();
  });
}

describe('chaos import', () => {
  it(`${ROWS} rows through 429s, 5xx, answers lost after the commit and ${KILLS} SIGKILLs: nothing missing, nothing doubled, a rerun writes nothing`, async () => {
    const client = t.client(TOKENS.full);
    const db = await client.databases.create({
      parent: { page_id: IDS.sharedRoot },
      title: [{ text: { content: 'Chaos' } }],
      properties: {
        Name: { title: {} },
        N: { number: {} },
        Tag: { select: { options: [{ name: 'even' }, { name: 'odd' }] } },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'notion-local-chaos-'));
    const file = join(dir, 'rows.csv');
    writeFileSync(
      file,
      `Name,N,Tag\n${Array.from({ length: ROWS }, (_, i) => `Row ${i},${i},${i % 2 ? 'odd' : 'even'}`).join('\n')}\n`,
    );
    t.platform.faults.replace([
      // Rules are tried in order and the first that fires answers, so later probabilities are
      // conditional: of all creates, 10 % get 429, 1 % 500, 1 % 503 (before the write), 5 % 504 after it.
      { integration: 'Full', route: 'POST /v1/pages', status: 429, retry_after: 0, probability: 0.1 },
      { integration: 'Full', route: 'POST /v1/pages', status: 500, probability: 0.01 / 0.9 },
      { integration: 'Full', route: 'POST /v1/pages', status: 503, probability: 0.01 / 0.89 },
      { integration: 'Full', route: 'POST /v1/pages', status: 504, after_commit: true, probability: 0.05 / 0.88 },
    ]);
    const args = [
      'import',
      file,
      '--database',
      db.id,
      '--key',
      'Name',
      '--base-url',
      t.baseUrl,
      '--token',
      TOKENS.full,
      '--rate',
      '0',
      '--concurrency',
      '4',
    ];
    const journal = journalOf(file);
    const done = journalDone(journal);
    const before = await lastRequestId();
    try {
      for (let k = 1; k <= KILLS; k++) {
        const run = await importUntil(args, journal, done, Math.round((ROWS * k) / (KILLS + 1)));
        expect(run.killed, `run ${k} ended before its kill point: ${run.stderr}`).toBe(true);
      }
      const last = await runCli([...args, '--json'], 120_000);
      expect(last.code, last.stderr).toBe(0);
      expect(JSON.parse(last.stdout)).toMatchObject({ failed: 0, resumed: true });
    } finally {
      t.platform.faults.replace([]);
    }

    // The chaos happened: every kind of fault answered some creates.
    const statuses = new Map<number, number>();
    for (const r of await requestsSince(before, '&route=/v1/pages&method=POST'))
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    for (const status of [429, 500, 503, 504])
      expect(statuses.get(status) ?? 0, `injected ${status}s`).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThanOrEqual(ROWS - (statuses.get(504) ?? 0));

    const pages = (await collectPaginatedAPI(client.databases.query, { database_id: db.id })).filter(isFullPage);
    const names = pages.map((p) =>
      p.properties.Name?.type === 'title' ? p.properties.Name.title.map((x) => x.plain_text).join('') : '',
    );
    const missing = Array.from({ length: ROWS }, (_, i) => `Row ${i}`).filter((n) => !names.includes(n));
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
    expect({ missing, duplicates, pages: pages.length }).toEqual({ missing: [], duplicates: [], pages: ROWS });
    // and every value landed as written
    const byName = new Map(pages.map((p) => [names[pages.indexOf(p)], p.properties]));
    for (const i of [0, 1, ROWS / 2, ROWS - 1])
      expect(byName.get(`Row ${i}`)).toMatchObject({
        N: { number: i },
        Tag: { select: { name: i % 2 ? 'odd' : 'even' } },
      });

    // One more run of the same command writes nothing, with or without faults.
    const beforeRerun = await lastRequestId();
    const rerun = await runCli([...args, '--json'], 60_000);
    expect(rerun.code).toBe(0);
    // The journal knows every row.
    expect(JSON.parse(rerun.stdout)).toMatchObject({ created: 0, updated: 0, failed: 0, skipped: ROWS, unchanged: 0 });
    const rerunRequests = await requestsSince(beforeRerun);
    expect(rerunRequests.length).toBeGreaterThan(0);
    expect(rerunRequests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/query'))).toEqual([]);
  }, 120_000);
});
