#!/usr/bin/env node
// Issue 7's must-show: 4 worker processes sharing one integration's budget through the toolkit
// (PostgreSQL or Redis), against the local platform with its rate limit on, beside the same workload
// through the plain SDK (v5, its built-in retries only) in the same run; then the import throughput of
// 10,000 rows as a share of the configured budget, beside the same import with no limit at all.
//
//   node bench/toolkit-budget.mjs [--budget 3000] [--windows 2] [--workers 4] [--concurrency 4]
//        [--stores postgres|redis|postgres,redis] [--import-rows 10000] [--import-budget 6000]
//        [--database-url postgres://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379]
//        [--import-concurrency 16] [--skip-import] [--skip-workers] [--out FILE]
//
// The platform: `notion-local serve` on PostgreSQL (its own schema, dropped afterwards), 127.0.0.1,
// rate limit mode "window": --budget requests per 60-second window for every integration (the
// workspace budget set 100× higher so only the integration's counts). Phases are whole windows,
// aligned to the limiter's windows (wall-clock minutes), back to back: toolkit (per store), then plain
// SDK. All worker processes are started before the first window and wait for theirs.
// Admitted requests per window come from the limiter's own table (rate_windows) — exact — and 429s
// from the workers' transports (every HTTP attempt is counted).
// Figures: share of the budget achieved = admitted ÷ (budget × windows); share of requests that got
// 429 = 429 answers ÷ HTTP attempts; latency per SDK call. Ratios: toolkit ÷ plain SDK.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createClient } from 'redis';
import { dropPostgresSchema } from '@notion-local/server';
import { DEFAULT_POSTGRES_URL, environment, loadFixtures, parseArgs, percentile, round } from './lib/common.mjs';
import { admin, api, runCli, startServe } from './toolkit-common.mjs';

const WINDOW_MS = 60_000;
const WORKER = fileURLToPath(new URL('./toolkit-budget-worker.mjs', import.meta.url));
const log = (...m) => console.error(...m);

function withSearchPath(url, schema) {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

function startWorker(config) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const killer = setTimeout(() => proc.kill('SIGKILL'), config.endMs - Date.now() + 30_000);
    proc.on('close', (code) => {
      clearTimeout(killer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`worker (${config.mode}) exited ${code} without counts: ${err.slice(-800)}`));
      }
    });
  });
}

function summarizePhase(phase, workers, windowCounts, budget) {
  const admitted = windowCounts.reduce((a, w) => a + w.count, 0);
  const attempts = workers.reduce((a, w) => a + w.attempts, 0);
  const statuses = {};
  for (const w of workers) for (const [s, n] of Object.entries(w.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const failures = {};
  for (const w of workers) for (const [c, n] of Object.entries(w.failures)) failures[c] = (failures[c] ?? 0) + n;
  const latencies = workers.flatMap((w) => w.latenciesMs);
  const calls = workers.reduce((a, w) => a + w.calls, 0);
  const ok = workers.reduce((a, w) => a + w.ok, 0);
  const cut = workers.reduce((a, w) => a + w.cut, 0);
  const limited = statuses[429] ?? 0;
  return {
    phase: phase.name,
    store: phase.store ?? null,
    workers: workers.length,
    windows: windowCounts.length,
    budgetPerWindow: budget,
    windowCounts: windowCounts.map((w) => w.count),
    admitted,
    budgetShare: round(admitted / (budget * windowCounts.length), 4),
    attempts,
    statuses,
    rateLimited: limited,
    rateLimitedShare: round(limited / Math.max(1, attempts), 5),
    calls,
    callsOk: ok,
    callsCutAtEnd: cut,
    callsFailed: calls - ok - cut,
    failures,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      p999: percentile(latencies, 99.9),
      max: latencies.length ? Math.max(...latencies) : null,
    },
  };
}

async function main() {
  const args = parseArgs();
  const budget = Number(args.budget ?? 3000);
  const windows = Number(args.windows ?? 2);
  const workerCount = Number(args.workers ?? 4);
  const concurrency = Number(args.concurrency ?? 4);
  const stores = String(args.stores ?? 'postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const importRows = Number(args['import-rows'] ?? 10_000);
  const importBudget = Number(args['import-budget'] ?? 6000);
  // In flight at once: enough to cover rate × latency (Little's law) on a busy 2-core machine.
  const importConcurrency = Number(args['import-concurrency'] ?? 16);
  const databaseUrl = args['database-url'] ?? DEFAULT_POSTGRES_URL;
  const redisUrl = args['redis-url'] ?? 'redis://127.0.0.1:6379';
  for (const s of stores)
    if (s !== 'postgres' && s !== 'redis') throw new Error(`--stores: postgres and/or redis, got ${s}`);

  const { TOKENS, IDS } = await loadFixtures();
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const platformSchema = `nl_bench_tkp_${tag}`;
  const budgetSchema = `nl_bench_tkb_${tag}`;
  const budgetPrefix = `notion-local-bench:${tag}:`;
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(`CREATE SCHEMA ${platformSchema}`);
  await setup.end();

  const server = await startServe(
    {
      rate_limit: {
        enabled: true,
        mode: 'window',
        requests_per_minute: budget,
        workspace_requests_per_minute: budget * 100,
      },
      request_log: { enabled: false },
    },
    { databaseUrl: withSearchPath(databaseUrl, platformSchema) },
  );
  const deadline = setTimeout(
    () => {
      log('toolkit-budget: over the time bound; stopping');
      void server.stop().finally(() => process.exit(2));
    },
    (3 + (stores.length + 1) * windows) * WINDOW_MS + 20 * 60_000,
  );
  deadline.unref();
  try {
    log(`toolkit-budget: platform at ${server.url} on PostgreSQL; budget ${budget}/window for each integration`);
    const db = await api(server.url, TOKENS.full, 'POST', '/v1/databases', {
      parent: { page_id: IDS.sharedRoot },
      title: [{ text: { content: 'Budget' } }],
      properties: { Name: { title: {} }, N: { number: {} } },
    });

    let phaseResults = [];
    let comparisons = [];
    if (!args['skip-workers']) {
      // Phases: whole windows, back to back, starting at the first window boundary ≥ 20 s from now.
      const phases = [
        ...stores.map((store) => ({ name: 'toolkit', store })),
        { name: 'plain SDK v5 (retries only)', store: null },
      ];
      const w0 = Math.ceil((Date.now() + 20_000) / WINDOW_MS) * WINDOW_MS;
      phases.forEach((p, i) => {
        p.startMs = w0 + i * windows * WINDOW_MS;
        p.endMs = p.startMs + windows * WINDOW_MS;
      });
      log(
        `toolkit-budget: ${phases.length} phases of ${windows} window(s), first at ${new Date(w0).toISOString()} (in ${round((w0 - Date.now()) / 1000, 1)} s)`,
      );
      // The limiter prunes windows older than two windows: read each window's count just after it closes.
      const countsByWindow = new Map();
      const check = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${platformSchema}` });
      await check.connect();
      const readers = [];
      for (let w = w0; w < phases[phases.length - 1].endMs; w += WINDOW_MS) {
        readers.push(
          new Promise((resolve, reject) =>
            setTimeout(
              () => {
                check
                  .query('SELECT count FROM rate_windows WHERE key = $1 AND window_start = $2', [`i:${IDS.full}`, w])
                  .then(({ rows }) => countsByWindow.set(w, Number(rows[0]?.count ?? 0)), reject)
                  .then(resolve, reject);
              },
              w + WINDOW_MS + 2_000 - Date.now(),
            ),
          ),
        );
      }
      const results = await Promise.all(
        phases.map((p) =>
          Promise.all(
            Array.from({ length: workerCount }, () =>
              startWorker({
                mode: p.store ? 'toolkit' : 'sdk',
                baseUrl: server.url,
                token: TOKENS.full,
                databaseId: db.id,
                startMs: p.startMs,
                endMs: p.endMs,
                concurrency,
                requestsPerSecond: budget / 60,
                burst: 1,
                budgetStore: p.store,
                budgetUrl: p.store === 'redis' ? redisUrl : databaseUrl,
                budgetSchema,
                budgetPrefix,
              }),
            ),
          ),
        ),
      );

      await Promise.all(readers);
      await check.end();
      phaseResults = phases.map((p, i) => {
        const counts = [];
        for (let w = p.startMs; w < p.endMs; w += WINDOW_MS) counts.push({ start: w, count: countsByWindow.get(w) });
        const summary = summarizePhase(p, results[i], counts, budget);
        log(
          `toolkit-budget: ${p.name}${p.store ? ` (${p.store})` : ''}: ${summary.admitted} admitted of ${budget * windows} (${round(summary.budgetShare * 100, 2)} %), ` +
            `${summary.rateLimited} of ${summary.attempts} attempts answered 429 (${round(summary.rateLimitedShare * 100, 3)} %), ${summary.callsFailed} calls failed, latency p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
        );
        return summary;
      });
      const sdk = phaseResults[phaseResults.length - 1];
      comparisons = phaseResults.slice(0, -1).map((tk) => ({
        store: tk.store,
        budgetShareRatio: round(tk.budgetShare / sdk.budgetShare, 3),
        rateLimitedShareRatio: sdk.rateLimitedShare > 0 ? round(tk.rateLimitedShare / sdk.rateLimitedShare, 4) : null,
        p99LatencyRatio: round(tk.latencyMs.p99 / sdk.latencyMs.p99, 3),
        maxLatencyRatio: round(tk.latencyMs.max / sdk.latencyMs.max, 3),
        failedCalls: { toolkit: tk.callsFailed, sdk: sdk.callsFailed },
        met: tk.budgetShare >= 0.95 && tk.rateLimitedShare <= 0.001,
      }));
    }

    // Import throughput as a share of the configured budget, beside the same import without a limit.
    let importResult = null;
    if (!args['skip-import']) {
      const csv = `Name,N\n${Array.from({ length: importRows }, (_, i) => `Row ${i},${i}`).join('\n')}\n`;
      const runImport = async (label, limit, extra) => {
        await admin(server.url, 'PUT', `/__admin/integrations/${IDS.full}/rate_limit`, { requests_per_minute: limit });
        const target = await api(server.url, TOKENS.full, 'POST', '/v1/databases', {
          parent: { page_id: IDS.sharedRoot },
          title: [{ text: { content: label } }],
          properties: { Name: { title: {} }, N: { number: {} } },
        });
        const file = join(server.dir, `${label}.csv`);
        writeFileSync(file, csv);
        // Start on a fresh window so the setup requests above do not count against the import.
        await new Promise((r) => setTimeout(r, Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS - Date.now() + 50));
        const t0 = performance.now();
        const res = await runCli(
          [
            'import',
            file,
            '--database',
            target.id,
            '--key',
            'Name',
            '--base-url',
            server.url,
            '--token',
            TOKENS.full,
            '--json',
            '--no-journal',
            ...extra,
          ],
          { timeoutMs: 30 * 60_000 },
        );
        const seconds = (performance.now() - t0) / 1000;
        if (res.code !== 0) throw new Error(`${label} import exited ${res.code}: ${res.stderr.slice(-800)}`);
        const summary = JSON.parse(res.stdout);
        return {
          label,
          seconds: round(seconds, 1),
          rows: importRows,
          created: summary.created,
          requests: summary.requests,
          rateLimited: summary.rate_limited,
          retries: summary.retries,
          rowsPerSecond: round(importRows / seconds, 2),
          requestsPerSecond: round(summary.requests / seconds, 2),
        };
      };
      const budgetUrl =
        stores[0] === 'redis'
          ? `${redisUrl}?prefix=${encodeURIComponent(budgetPrefix)}`
          : `${databaseUrl}?schema=${budgetSchema}`;
      log(
        `toolkit-budget: import of ${importRows} rows paced to ${importBudget}/min (--rate ${round(importBudget / 60, 3)} --burst 1, budget through ${stores[0]})…`,
      );
      const paced = await runImport('Import paced', importBudget, [
        '--rate',
        String(importBudget / 60),
        '--burst',
        '1',
        '--budget-url',
        budgetUrl,
        '--concurrency',
        String(importConcurrency),
      ]);
      log(`toolkit-budget: … ${paced.seconds} s, ${paced.rowsPerSecond} rows/s; the same import with no limit…`);
      const free = await runImport('Import unlimited', 1_000_000, [
        '--rate',
        '0',
        '--concurrency',
        String(importConcurrency),
      ]);
      log(`toolkit-budget: … ${free.seconds} s, ${free.rowsPerSecond} rows/s`);
      const budgetPerSecond = importBudget / 60;
      importResult = {
        budgetPerMinute: importBudget,
        concurrency: importConcurrency,
        paced,
        unlimited: free,
        rowsShareOfBudget: round(paced.rowsPerSecond / budgetPerSecond, 4),
        requestsShareOfBudget: round(paced.requestsPerSecond / budgetPerSecond, 4),
        unlimitedRowsPerSecondOverBudget: round(free.rowsPerSecond / budgetPerSecond, 3),
        pacedOverUnlimited: round(paced.rowsPerSecond / free.rowsPerSecond, 3),
      };
      await admin(server.url, 'PUT', `/__admin/integrations/${IDS.full}/rate_limit`, { requests_per_minute: null });
    }
    return {
      budgetPerWindow: budget,
      windows,
      workers: workerCount,
      concurrencyPerWorker: concurrency,
      phases: phaseResults,
      comparisons,
      import: importResult,
    };
  } finally {
    await server.stop();
    await dropPostgresSchema(databaseUrl, platformSchema).catch(() => undefined);
    const cleanup = new pg.Client({ connectionString: databaseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS ${budgetSchema} CASCADE`);
    await cleanup.end();
    if (stores.includes('redis')) {
      const redis = createClient({ url: redisUrl });
      await redis.connect();
      const keys = await redis.keys(`${budgetPrefix}*`);
      if (keys.length) await redis.del(keys);
      await redis.quit();
    }
    clearTimeout(deadline);
  }
}

const result = await main();
const doc = {
  environment: environment(),
  command: `node bench/toolkit-budget.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  result,
};
const args = parseArgs();
if (args.out) writeFileSync(args.out, JSON.stringify(doc, null, 2));
console.log(JSON.stringify(doc, (k, v) => (k === 'latenciesMs' ? undefined : v), 2));
