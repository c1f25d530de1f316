// One HTTP load test against a server child process, with the store baseline measured in that same
// child: warm-up → baseline (first half) → autocannon → baseline (second half) → ratio.
// Bracketing the load with the two baseline halves cancels slow drift on a noisy machine.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import autocannon from 'autocannon';
import { dropPostgresSchema } from '@notion-local/server';
import { NOTION_VERSION, REPO_DIR, loadFixtures, round } from './common.mjs';
import { summarizeProfile } from './profile.mjs';
import { PROFILE_DIR, startServerProcess } from './server-process.mjs';

/** What each baseline of lib/server-child.mjs measures. */
const BASELINE_KINDS = {
  select: "primary-key SELECT * of the page through the engine's own client (PGlite.query / pg.Pool.query), sequential",
  'select-prepared':
    "the same SELECT through the store's driver as the server's primary-key reads run (fixedPlan: prepared once on PGlite), sequential",
  insert:
    "INSERT of a page row (every column, as a create stores it) into blocks through the engine's own client, sequential",
  'insert-scratch': 'INSERT of a small json row into a scratch table (uuid primary key only), sequential',
};

/** StoreOptions for a store kind: PGlite in memory, or PostgreSQL in a fresh schema (dropped after). */
export function storeFor(kind, postgresUrl) {
  if (kind === 'pglite')
    return { options: { kind: 'memory' }, label: 'PGlite (memory)', cleanup: async () => undefined };
  const schema = `nl_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    options: { kind: 'postgres', url: postgresUrl, schema },
    label: 'PostgreSQL',
    schema,
    cleanup: () => dropPostgresSchema(postgresUrl, schema),
  };
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * @param {object} spec
 * @param {string} spec.id            stable key in the results, e.g. 'page-retrieve'
 * @param {'pglite'|'postgres'} spec.storeKind
 * @param {(ids) => {method, path, body?}} spec.request
 * @param {'select'|'insert'} spec.baselineKind
 * @param {string} [spec.contextBaselineKind]  a second baseline, measured once after the load, reported as context
 * @param {number} spec.target        minimum ratio http req/s ÷ baseline ops/s
 */
export async function runHttpBench(spec, d, { postgresUrl, profile = false, log = () => undefined } = {}) {
  const { IDS, TOKENS } = await loadFixtures();
  const store = storeFor(spec.storeKind, postgresUrl);
  const server = await startServerProcess(store.options);
  try {
    const req = spec.request(IDS);
    const headers = { authorization: `Bearer ${TOKENS.full}`, 'notion-version': NOTION_VERSION };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);

    // Sanity: the request must succeed, or the load test would measure error responses.
    const probe = await fetch(server.url + req.path, { method: req.method, headers, body });
    const probeText = await probe.text();
    if (probe.status !== 200)
      throw new Error(`${req.method} ${req.path} answered ${probe.status}: ${probeText.slice(0, 300)}`);

    const opts = {
      url: server.url + req.path,
      method: req.method,
      headers,
      body,
      connections: d.connections,
      pipelining: 1,
      timeout: 10,
    };
    log(`  ${spec.id} [${store.label}]: warm-up ${d.warmupSeconds} s`);
    await cannon({ ...opts, duration: d.warmupSeconds });

    const half = Math.round(d.baselineMs / 2);
    log(`  ${spec.id} [${store.label}]: store baseline (${spec.baselineKind}) ${half} ms`);
    const before = await server.call('baseline', { kind: spec.baselineKind, ms: half, warmupMs: 300 });

    log(`  ${spec.id} [${store.label}]: autocannon ${d.httpSeconds} s, ${d.connections} connections`);
    const pagesBefore = (await server.call('count-pages')).pages;
    const result = await cannon({ ...opts, duration: d.httpSeconds });
    const pagesAfter = (await server.call('count-pages')).pages;

    log(`  ${spec.id} [${store.label}]: store baseline (${spec.baselineKind}) ${half} ms`);
    const after = await server.call('baseline', { kind: spec.baselineKind, ms: half });

    // Context: the same work through the store's driver (select) or into a slim scratch table (insert).
    const context = spec.contextBaselineKind
      ? await server.call('baseline', { kind: spec.contextBaselineKind, ms: half, warmupMs: 300 })
      : null;

    const failures = result.non2xx + result.errors + result.timeouts;
    if (failures > 0)
      throw new Error(
        `${spec.id}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts during the load test`,
      );

    const httpRps = result.requests.total / result.duration; // result.duration is in seconds
    const baselineOps = (before.ops + after.ops) / ((before.elapsedMs + after.elapsedMs) / 1000);
    const ratio = httpRps / baselineOps;
    const diagnostics = profile ? await diagnose(spec, store, server, opts, d, log) : undefined;
    return {
      id: spec.id,
      store: store.label,
      http: {
        method: req.method,
        path: req.path,
        connections: d.connections,
        durationSeconds: round(result.duration),
        requests: result.requests.total,
        // Sanity for writes: pages in the store grew by the number of answered creates.
        ...(req.method === 'POST' ? { pagesCreated: pagesAfter - pagesBefore } : {}),
        reqPerSec: round(httpRps, 1),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
        },
      },
      baseline: {
        kind: BASELINE_KINDS[spec.baselineKind],
        opsPerSec: round(baselineOps, 1),
        halves: [round(before.ops / (before.elapsedMs / 1000), 1), round(after.ops / (after.elapsedMs / 1000), 1)],
        perOpUs: round(1e6 / baselineOps, 1),
      },
      ratio: round(ratio, 3),
      ...(context
        ? {
            contextBaseline: {
              kind: BASELINE_KINDS[spec.contextBaselineKind],
              opsPerSec: round(context.ops / (context.elapsedMs / 1000), 1),
              perOpUs: round((1000 * context.elapsedMs) / context.ops, 1),
              ratio: round(httpRps / (context.ops / (context.elapsedMs / 1000)), 3),
            },
          }
        : {}),
      target: { ratioAtLeast: spec.target },
      met: ratio >= spec.target,
      ...(diagnostics ? { diagnostics } : {}),
    };
  } finally {
    await server.close();
    await store.cleanup();
  }
}

/**
 * After the measurement (so the figures are not disturbed): (1) a CPU profile of the server process
 * under the same load; (2) a per-SQL-statement trace at ONE connection, where a statement's wall time
 * is its cost (with 10 connections it would include waiting for PGlite's single connection).
 */
async function diagnose(spec, store, server, opts, d, log) {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const path = join(PROFILE_DIR, `${spec.id}-${spec.storeKind}.cpuprofile`);
  const seconds = Math.min(5, d.httpSeconds);
  log(`  ${spec.id} [${store.label}]: CPU profile of the server under load, ${seconds} s`);
  await server.call('profile-start');
  const profiled = await cannon({ ...opts, duration: seconds });
  await server.call('profile-stop', { path });
  const cpu = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')), { top: 15 });

  log(`  ${spec.id} [${store.label}]: SQL trace at 1 connection, ${seconds} s`);
  await server.call('trace-start');
  const one = await cannon({ ...opts, connections: 1, duration: seconds });
  const { statements } = await server.call('trace-stop');
  const n = one.requests.total;
  const perRequestUs = (1e6 * one.duration) / n;
  const rows = statements.map((s) => ({
    sql: s.sql.length > 160 ? `${s.sql.slice(0, 157)}...` : s.sql,
    perRequest: Math.round((100 * s.calls) / n) / 100,
    meanUs: round((1000 * s.totalMs) / s.calls, 0),
    usPerRequest: round((1000 * s.totalMs) / n, 0),
  }));
  const sqlUs = rows.filter((r) => !r.sql.startsWith('(whole transaction')).reduce((a, r) => a + r.usPerRequest, 0);
  const txUs = rows.find((r) => r.sql.startsWith('(whole transaction'))?.usPerRequest ?? 0;
  return {
    cpuProfile: {
      file: relative(REPO_DIR, path),
      underLoadReqPerSec: round(profiled.requests.total / profiled.duration, 1),
      ...cpu,
    },
    oneConnection: {
      reqPerSec: round(n / one.duration, 1),
      usPerRequest: round(perRequestUs, 0),
      sqlStatementsUsPerRequest: round(sqlUs, 0),
      transactionUsPerRequest: round(txUs, 0),
      statements: rows,
    },
  };
}
