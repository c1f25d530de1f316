#!/usr/bin/env node
// The toolkit's chaos import at full scale (issue 7): ROWS rows imported with `notion-local import
// --key` while the platform injects 10 % 429s and 2 % 5xx on creates and loses the answer of 5 % of
// creates after the commit (504 `after_commit`), and the importer is SIGKILLed and restarted KILLS
// times → duplicates, missing rows, and what a rerun writes (all three must be 0).
//
//   node bench/toolkit-chaos.mjs [--rows 10000] [--kills 10] [--concurrency 4] [--out FILE]
//
// The platform (`notion-local serve --in-memory`, rate limits off, request log on) runs in a child
// process; the importer runs with `--rate 0`. Kills are placed by the importer's own journal: kill k
// happens once k/(KILLS+1) of the rows are recorded done, so they spread over the whole import
// whatever the machine's speed. Baseline, same run, same server: the same rows imported into a fresh
// database with no faults and no kills. Figures: chaos wall time ÷ baseline wall time, and the counts.
import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environment, loadFixtures, parseArgs, round } from './lib/common.mjs';
import {
  admin,
  allPages,
  api,
  isWrite,
  lastLoggedId,
  loggedSince,
  runCli,
  startServe,
  titleOf,
} from './toolkit-common.mjs';
import { spawn } from 'node:child_process';
import { CLI_BIN } from './lib/common.mjs';

const args = parseArgs();
const ROWS = Number(args.rows ?? 10_000);
const KILLS = Number(args.kills ?? 10);
const CONCURRENCY = String(args.concurrency ?? 4);
const log = (...m) => console.error(...m);

/** Counts journal lines with "kind":"done" as the file grows (reads only what was appended). */
function journalWatcher(path) {
  let offset = 0;
  let carry = '';
  let done = 0;
  return () => {
    if (!existsSync(path)) return done;
    const size = statSync(path).size;
    if (size < offset) {
      offset = 0; // replaced (another input): count again
      done = 0;
      carry = '';
    }
    if (size === offset) return done;
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      const text = carry + buffer.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.includes('"kind":"done"')) done++;
    } finally {
      closeSync(fd);
    }
    return done;
  };
}

/** Runs the importer until the journal holds `killAtDone` done rows, then SIGKILLs it. */
function importUntil(cliArgs, journal, killAtDone) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI_BIN, ...cliArgs], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    let doneAtKill = null;
    const timer = setInterval(() => {
      const done = journal();
      if (!killed && done >= killAtDone) {
        killed = true;
        doneAtKill = done;
        proc.kill('SIGKILL');
      }
    }, 20);
    proc.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ killed, code, signal, doneAtKill: doneAtKill ?? journal(), stderr });
    });
  });
}

async function createDatabase(url, token, parent, title) {
  return api(url, token, 'POST', '/v1/databases', {
    parent: { page_id: parent },
    title: [{ text: { content: title } }],
    properties: {
      Name: { title: {} },
      N: { number: {} },
      Tag: { select: { options: [{ name: 'even' }, { name: 'odd' }] } },
      Note: { rich_text: {} },
    },
  });
}

function check(pages, rows) {
  const names = pages.map(titleOf);
  const counts = new Map();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  let missing = 0;
  for (let i = 0; i < rows; i++) if (!counts.has(`Row ${i}`)) missing++;
  const duplicates = [...counts.values()].reduce((a, c) => a + Math.max(0, c - 1), 0);
  const strangers = [...counts.keys()].filter((n) => !/^Row \d+$/.test(n) || Number(n.slice(4)) >= rows).length;
  return { pages: pages.length, missing, duplicates, strangers };
}

export async function runToolkitChaos({ rows = ROWS, kills = KILLS, concurrency = CONCURRENCY } = {}) {
  const { TOKENS, IDS } = await loadFixtures();
  const server = await startServe({
    rate_limit: { enabled: false },
    request_log: { enabled: true, max_entries: 1_000_000 },
  });
  log(`toolkit-chaos: platform at ${server.url}; ${rows} rows, ${kills} kills, concurrency ${concurrency}`);
  try {
    const csv = `Name,N,Tag,Note\n${Array.from({ length: rows }, (_, i) => `Row ${i},${i},${i % 2 ? 'odd' : 'even'},note ${i}`).join('\n')}\n`;
    const common = [
      '--key',
      'Name',
      '--base-url',
      server.url,
      '--token',
      TOKENS.full,
      '--rate',
      '0',
      '--concurrency',
      concurrency,
    ];

    // Baseline: the same import, no faults, no kills.
    const baseDb = await createDatabase(server.url, TOKENS.full, IDS.sharedRoot, 'Baseline');
    const baseFile = join(server.dir, 'baseline.csv');
    writeFileSync(baseFile, csv);
    let t0 = performance.now();
    const base = await runCli(['import', baseFile, '--database', baseDb.id, ...common, '--json']);
    const baselineMs = performance.now() - t0;
    if (base.code !== 0) throw new Error(`baseline import failed (${base.code}): ${base.stderr.slice(-500)}`);
    log(`toolkit-chaos: baseline ${round(baselineMs / 1000, 1)} s (${round(rows / (baselineMs / 1000), 1)} rows/s)`);

    // Chaos.
    const db = await createDatabase(server.url, TOKENS.full, IDS.sharedRoot, 'Chaos');
    const file = join(server.dir, 'chaos.csv');
    writeFileSync(file, csv);
    const journalPath = `${file}.import-journal.jsonl`;
    const journal = journalWatcher(journalPath);
    const rules = [
      // Rules are tried in order and the first that fires answers, so later probabilities are
      // conditional: of all creates, 10 % get 429, 1 % 500, 1 % 503 (before the write), 5 % 504 after it.
      { integration: 'Full', route: 'POST /v1/pages', status: 429, retry_after: 0, probability: 0.1 },
      { integration: 'Full', route: 'POST /v1/pages', status: 500, probability: 0.01 / 0.9 },
      { integration: 'Full', route: 'POST /v1/pages', status: 503, probability: 0.01 / 0.89 },
      { integration: 'Full', route: 'POST /v1/pages', status: 504, after_commit: true, probability: 0.05 / 0.88 },
    ];
    await admin(server.url, 'PUT', '/__admin/faults', { rules });
    const before = await lastLoggedId(server.url);
    const cliArgs = ['import', file, '--database', db.id, ...common];
    const runs = [];
    t0 = performance.now();
    for (let k = 1; k <= kills; k++) {
      const target = Math.round((rows * k) / (kills + 1));
      const r = await importUntil(cliArgs, journal, target);
      runs.push({ run: k, killed: r.killed, doneAtKill: r.doneAtKill, code: r.code });
      log(
        `toolkit-chaos: run ${k}: ${r.killed ? `SIGKILL at ${r.doneAtKill} rows done` : `exited ${r.code} before the kill point`}`,
      );
      if (!r.killed && r.code !== 0) throw new Error(`importer failed (${r.code}): ${r.stderr.slice(-500)}`);
    }
    const last = await runCli([...cliArgs, '--json']);
    const chaosMs = performance.now() - t0;
    const lastSummary = JSON.parse(last.stdout);
    runs.push({
      run: kills + 1,
      killed: false,
      code: last.code,
      summary: {
        created: lastSummary.created,
        skipped: lastSummary.skipped,
        unchanged: lastSummary.unchanged,
        failed: lastSummary.failed,
        requests: lastSummary.requests,
        retries: lastSummary.retries,
        rate_limited: lastSummary.rate_limited,
      },
    });
    log(`toolkit-chaos: final run exited ${last.code} after ${round(chaosMs / 1000, 1)} s in all`);

    const creates = await loggedSince(server.url, before, '&route=/v1/pages&method=POST');
    const createStatuses = {};
    for (const r of creates) createStatuses[r.status] = (createStatuses[r.status] ?? 0) + 1;

    const result = check(await allPages(server.url, TOKENS.full, db.id), rows);
    const baseCheck = check(await allPages(server.url, TOKENS.full, baseDb.id), rows);

    // A rerun of the same command (faults still on) must write nothing.
    const beforeRerun = await lastLoggedId(server.url);
    const rerun = await runCli([...cliArgs, '--json']);
    const rerunWrites = (await loggedSince(server.url, beforeRerun)).filter(isWrite).length;
    const rerunSummary = JSON.parse(rerun.stdout);
    await admin(server.url, 'DELETE', '/__admin/faults');

    const outcome = {
      id: 'toolkit-chaos',
      rows,
      kills,
      concurrency: Number(concurrency),
      killsDone: runs.filter((r) => r.killed).length,
      faults: rules,
      createAttempts: creates.length,
      createStatuses,
      duplicates: result.duplicates,
      missing: result.missing,
      pages: result.pages,
      strangers: result.strangers,
      finalExitCode: last.code,
      rerunExitCode: rerun.code,
      rerunWrites,
      rerunSummary: {
        created: rerunSummary.created,
        updated: rerunSummary.updated,
        skipped: rerunSummary.skipped,
        unchanged: rerunSummary.unchanged,
        failed: rerunSummary.failed,
      },
      chaosSeconds: round(chaosMs / 1000, 1),
      baselineSeconds: round(baselineMs / 1000, 1),
      chaosRowsPerSecond: round(rows / (chaosMs / 1000), 1),
      baselineRowsPerSecond: round(rows / (baselineMs / 1000), 1),
      timeRatio: round(chaosMs / baselineMs, 2),
      baselineCheck: baseCheck,
      runs,
    };
    outcome.met =
      outcome.duplicates === 0 &&
      outcome.missing === 0 &&
      outcome.strangers === 0 &&
      outcome.rerunWrites === 0 &&
      outcome.finalExitCode === 0 &&
      outcome.killsDone === kills &&
      baseCheck.missing === 0 &&
      baseCheck.duplicates === 0;
    return outcome;
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runToolkitChaos();
  const doc = {
    environment: environment(),
    command: `node bench/toolkit-chaos.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    result,
  };
  if (args.out) writeFileSync(args.out, JSON.stringify(doc, null, 2));
  console.log(JSON.stringify(doc, null, 2));
  log(
    `toolkit-chaos: ${result.rows} rows, ${result.killsDone} SIGKILLs → ${result.duplicates} duplicates, ${result.missing} missing, rerun wrote ${result.rerunWrites}; ` +
      `${result.chaosSeconds} s vs ${result.baselineSeconds} s without chaos (×${result.timeRatio}); ${result.met ? 'met' : 'NOT met'}`,
  );
  process.exitCode = result.met ? 0 : 1;
}
