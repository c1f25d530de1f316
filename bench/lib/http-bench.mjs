// One HTTP load test against a server child process, with the store baseline measured in that same
// child: warm-up → baseline (first half) → autocannon → baseline (second half) → ratio.
// Bracketing the load with the two baseline halves cancels slow drift on a noisy machine.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { dropPostgresSchema } from '@notion-local/server';
import { NOTION_VERSION, loadFixtures, round } from './common.mjs';
import { startServerProcess } from './server-process.mjs';

/** StoreOptions for a store kind: PGlite in memory, or PostgreSQL in a fresh schema (dropped after). */
export function storeFor(kind, postgresUrl) {
  if (kind === 'pglite') return { options: { kind: 'memory' }, label: 'PGlite (memory)', cleanup: async () => undefined };
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
 * @param {number} spec.target        minimum ratio http req/s ÷ baseline ops/s
 */
export async function runHttpBench(spec, d, { postgresUrl, cpuProf, log = () => undefined } = {}) {
  const { IDS, TOKENS } = await loadFixtures();
  const store = storeFor(spec.storeKind, postgresUrl);
  const server = await startServerProcess(store.options, { cpuProf: cpuProf ? `${spec.id}-${spec.storeKind}` : undefined });
  try {
    const req = spec.request(IDS);
    const headers = { authorization: `Bearer ${TOKENS.full}`, 'notion-version': NOTION_VERSION };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);

    // Sanity: the request must succeed, or the load test would measure error responses.
    const probe = await fetch(server.url + req.path, { method: req.method, headers, body });
    const probeText = await probe.text();
    if (probe.status !== 200) throw new Error(`${req.method} ${req.path} answered ${probe.status}: ${probeText.slice(0, 300)}`);

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
    const result = await cannon({ ...opts, duration: d.httpSeconds });

    log(`  ${spec.id} [${store.label}]: store baseline (${spec.baselineKind}) ${half} ms`);
    const after = await server.call('baseline', { kind: spec.baselineKind, ms: half });

    const failures = result.non2xx + result.errors + result.timeouts;
    if (failures > 0) throw new Error(`${spec.id}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts during the load test`);

    const httpRps = result.requests.total / result.duration; // result.duration is in seconds
    const baselineOps = (before.ops + after.ops) / ((before.elapsedMs + after.elapsedMs) / 1000);
    const ratio = httpRps / baselineOps;
    return {
      id: spec.id,
      store: store.label,
      http: {
        method: req.method,
        path: req.path,
        connections: d.connections,
        durationSeconds: round(result.duration),
        requests: result.requests.total,
        reqPerSec: round(httpRps, 1),
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      },
      baseline: {
        kind: spec.baselineKind === 'select' ? 'store primary-key SELECT, sequential' : 'store INSERT of a small json row into a scratch table, sequential',
        opsPerSec: round(baselineOps, 1),
        halves: [round(before.ops / (before.elapsedMs / 1000), 1), round(after.ops / (after.elapsedMs / 1000), 1)],
        perOpUs: round(1e6 / baselineOps, 1),
      },
      ratio: round(ratio, 3),
      target: { ratioAtLeast: spec.target },
      met: ratio >= spec.target,
    };
  } finally {
    await server.close();
    await store.cleanup();
  }
}
