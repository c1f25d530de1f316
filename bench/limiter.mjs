#!/usr/bin/env node
// Rate-limiter accuracy across processes, and its cost.
//   node bench/limiter.mjs [--seconds 20] [--clients 60] [--budget 3000] [--database-url URL]
// Accuracy: 3 `notion-local serve` processes on one PostgreSQL, one integration, `--clients` clients
// hammering them round-robin for `--seconds` (≥ 10× the budget). Ideal admitted = budget × the number
// of 60-second windows the run touched; the store's own per-window counts show no window went over.
// Cost: p50 latency of GET /v1/users/me with the limiter on (budget never reached) vs off, in the same
// process and run, on PGlite in memory, alternating batches so noise hits both sides alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { dropPostgresSchema, startPlatform } from '@notion-local/server';
import { CLI_BIN, DEFAULT_POSTGRES_URL, loadFixtures, parseArgs, percentile, round } from './lib/common.mjs';

const WINDOW_MS = 60_000;

function get(url, token, agent) {
  return new Promise((resolve, reject) => {
    const u = new URL('/v1/users/me', url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        agent,
        headers: { authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function serve(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (m) resolve({ proc, url: m[0] });
    });
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

export async function runLimiterAccuracy({
  seconds = 20,
  clients = 60,
  budget = 3000,
  postgresUrl = DEFAULT_POSTGRES_URL,
  log = console.error,
} = {}) {
  const { testSeed, TOKENS, IDS } = await loadFixtures();
  const schema = `nl_bench_lim_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await admin.end();
  const dir = mkdtempSync(join(tmpdir(), 'nl-bench-lim-'));
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(testSeed()));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      rate_limit: { requests_per_minute: budget, workspace_requests_per_minute: budget * 1000 },
      request_log: { enabled: false },
    }),
  );
  const url = `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const servers = await Promise.all(
    [0, 1, 2].map(() =>
      serve([
        '--database-url',
        url,
        '--port',
        '0',
        '--seed',
        join(dir, 'seed.json'),
        '--config',
        join(dir, 'config.json'),
      ]),
    ),
  );
  log(`limiter: 3 processes up; ${clients} clients for ${seconds} s against a budget of ${budget}/min`);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const counts = { 200: 0, 429: 0, other: 0 };
  const windows = new Set();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        windows.add(Math.floor(Date.now() / WINDOW_MS));
        const status = await get(servers[(c + i) % 3].url, TOKENS.commenter, agent);
        windows.add(Math.floor(Date.now() / WINDOW_MS));
        if (status === 200) counts[200]++;
        else if (status === 429) counts[429]++;
        else counts.other++;
      }
    }),
  );
  const elapsedS = (Date.now() - started) / 1000;
  agent.destroy();
  const check = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  await check.connect();
  const perWindow = (
    await check.query(`SELECT window_start, count FROM rate_windows WHERE key = $1 ORDER BY window_start`, [
      `i:${IDS.commenter}`,
    ])
  ).rows;
  await check.end();
  await Promise.all(
    servers.map(
      (s) =>
        new Promise((r) => {
          s.proc.once('exit', r);
          s.proc.kill('SIGTERM');
        }),
    ),
  );
  await dropPostgresSchema(postgresUrl, schema);
  rmSync(dir, { recursive: true, force: true });
  const offered = counts[200] + counts[429] + counts.other;
  const ideal = budget * windows.size;
  return {
    id: 'limiter-accuracy',
    store: 'PostgreSQL (3 processes)',
    clients,
    seconds: round(elapsedS, 1),
    budgetPerMinute: budget,
    offered,
    admitted: counts[200],
    limited: counts[429],
    other: counts.other,
    windowsTouched: windows.size,
    ideal,
    deviationPct: round(((counts[200] - ideal) / ideal) * 100, 3),
    overload: round(offered / ((budget * elapsedS) / 60), 1),
    maxInAnyWindow: Math.max(...perWindow.map((w) => Number(w.count))),
    windowCounts: perWindow.map((w) => Number(w.count)),
    met:
      Math.abs(counts[200] - ideal) <= ideal * 0.01 &&
      perWindow.every((w) => Number(w.count) <= budget) &&
      offered / ((budget * elapsedS) / 60) >= 10,
  };
}

export async function runLimiterCost({ requests = 3000, log = console.error } = {}) {
  const { testSeed, TOKENS } = await loadFixtures();
  const on = await startPlatform({
    store: { kind: 'memory' },
    port: 0,
    seed: testSeed(),
    config: { rateLimit: { enabled: true, requestsPerMinute: 1e9, workspaceRequestsPerMinute: 1e9 } },
  });
  const off = await startPlatform({
    store: { kind: 'memory' },
    port: 0,
    seed: testSeed(),
    config: { rateLimit: { enabled: false } },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const lat = { on: [], off: [] };
  const batch = 250;
  for (let done = 0; done < requests; done += batch) {
    for (const [name, p] of [
      ['on', on],
      ['off', off],
    ]) {
      for (let i = 0; i < batch; i++) {
        const t0 = performance.now();
        await get(p.url, TOKENS.full, agent);
        lat[name].push(performance.now() - t0);
      }
    }
  }
  agent.destroy();
  await on.close();
  await off.close();
  const p50on = percentile(lat.on.slice(batch), 50);
  const p50off = percentile(lat.off.slice(batch), 50);
  log(`limiter cost: p50 on ${round(p50on, 3)} ms, off ${round(p50off, 3)} ms`);
  return {
    id: 'limiter-cost',
    store: 'PGlite (memory)',
    requests,
    p50OnMs: round(p50on, 3),
    p50OffMs: round(p50off, 3),
    addedMs: round(p50on - p50off, 3),
    ratio: round(p50on / p50off, 2),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs();
  const accuracy = await runLimiterAccuracy({
    seconds: Number(args.seconds ?? 20),
    clients: Number(args.clients ?? 60),
    budget: Number(args.budget ?? 3000),
    postgresUrl: args['database-url'] ?? DEFAULT_POSTGRES_URL,
  });
  const cost = await runLimiterCost();
  console.log(JSON.stringify({ accuracy, cost }, null, 2));
}
