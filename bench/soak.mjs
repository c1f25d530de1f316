// Soak: the mixed API load (bench/lib/api-load.mjs: retrieve, create page, create row, append, query,
// search, comment, list comments) first at full speed on 10 connections to measure capacity, then at 50 %
// of that rate for the given time, sampling every interval: the server's RSS (/proc/<pid>/status VmRSS),
// p50/p99 latency of the interval, and the request_log and query_cursors row counts (read on the server's
// own store). Reports the RSS slope (MB/min, least squares over the second half), the p99 drift (last
// interval ÷ first after warm-up) and the table sizes, each against its bound. Loopback only.
//   node bench/soak.mjs [--minutes 30] [--postgres [--database-url URL]] [--memory] [--max-entries N]
//     [--seconds S] [--interval S] [--capacity-seconds S] [--capacity-warmup S] [--warmup-seconds S] [--json]
//     [--out FILE] [--rss-slope-max MB] [--p99-drift-max X] | --reanalyse FILE (recompute a saved report's figures)
// Exit code 1 when a bound did not hold (or the run failed). Figures and their bounds: bench/README.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import autocannon from 'autocannon';
import { dropPostgresSchema } from '@notion-local/server';
import {
  BENCH_DIR,
  DEFAULT_POSTGRES_URL,
  environment,
  loadFixtures,
  median,
  parseArgs,
  percentile,
  round,
} from './lib/common.mjs';
import { apiCaller, createLoadFixtures, mixedRequests, MIX } from './lib/api-load.mjs';
import { forkChild, rssMb } from './lib/ipc-child.mjs';

const DEFAULT_MAX_ENTRIES = 50_000; // the platform's default request_log.max_entries
const CURSOR_TTL_HOURS = 24; // services/database-query.ts CURSOR_TTL_MS

function options(args) {
  const seconds = Number(args.seconds ?? 60 * Number(args.minutes ?? 30));
  const interval = Number(args.interval ?? (seconds >= 120 ? 10 : 2));
  return {
    seconds,
    interval,
    capacitySeconds: Number(args['capacity-seconds'] ?? (seconds >= 120 ? 20 : 3)),
    capacityWarmup: Number(args['capacity-warmup'] ?? (seconds >= 120 ? 3 : 1)),
    warmupSeconds: Number(args['warmup-seconds'] ?? Math.min(60, Math.max(interval, Math.round(seconds / 10)))),
    connections: Number(args.connections ?? 10),
    share: Number(args.share ?? 0.5),
    maxEntries: Number(args['max-entries'] ?? DEFAULT_MAX_ENTRIES),
    storeKind: args.postgres ? 'postgres' : args.memory ? 'memory' : 'pglite',
    postgresUrl: args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL,
    // Bounds: RSS may rise while caches fill, then must level off; p99 may wander with the data, not explode.
    rssSlopeMax: Number(args['rss-slope-max'] ?? 1),
    p99DriftMax: Number(args['p99-drift-max'] ?? 3),
    json: Boolean(args.json),
    out:
      args.out ??
      (args.seconds ? null : join(BENCH_DIR, 'results', `soak-${args.postgres ? 'postgres' : 'pglite'}.json`)),
  };
}

function storeFor(o) {
  if (o.storeKind === 'memory') return { options: { kind: 'memory' }, label: 'PGlite (memory)', cleanup: () => {} };
  if (o.storeKind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'nl-soak-'));
    return {
      options: { kind: 'pglite', dataDir: dir },
      label: 'PGlite (data dir)',
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `nl_soak_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    options: { kind: 'postgres', url: o.postgresUrl, schema },
    label: 'PostgreSQL',
    cleanup: () => dropPostgresSchema(o.postgresUrl, schema),
  };
}

function cannon(opts, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

async function measureCapacity(base, o, log) {
  log(`capacity: warm-up ${o.capacityWarmup} s, then ${o.capacitySeconds} s at ${o.connections} connections`);
  const warm = await cannon({ ...base, duration: o.capacityWarmup });
  const r = await cannon({ ...base, duration: o.capacitySeconds });
  const failures = r.non2xx + r.errors + r.timeouts;
  if (failures > 0) throw new Error(`capacity run: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return {
    reqPerSec: round(r.requests.total / r.duration, 1),
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    requestsWithWarmup: warm.requests.total + r.requests.total,
  };
}

/** One request, on a fresh connection (no keep-alive race with the server's idle timeout); resolves its status. */
function timedRequest(url, req) {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': Buffer.byteLength(req.body ?? '') };
    const r = request(url + req.path, { method: req.method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** One request of each step of the mix, timed alone: which step a latency drift comes from. */
async function probeSteps(base) {
  const out = {};
  for (const [i, step] of base.requests.entries()) {
    const t0 = performance.now();
    const req = step.setupRequest({});
    await timedRequest(base.url, req).catch((e) => {
      throw new Error(`${MIX[i]} ${req.method} ${req.path}: ${e.message}`);
    });
    out[MIX[i]] = round(performance.now() - t0, 1);
  }
  return out;
}

/** The paced run: one autocannon for the whole time, latencies bucketed into sampling intervals. */
async function paced(base, rate, server, o, log) {
  const samples = [];
  let bucket = { latencies: [], non2xx: 0 };
  const started = Date.now();
  const sample = async () => {
    const b = bucket;
    bucket = { latencies: [], non2xx: 0 };
    const stats = await server.call('stats');
    const stepMs = await probeSteps(base);
    const s = {
      t: round((Date.now() - started) / 1000, 1),
      rssMb: round(rssMb(server.pid), 1),
      requests: b.latencies.length,
      non2xx: b.non2xx,
      p50Ms: round(percentile(b.latencies, 50), 1),
      p99Ms: round(percentile(b.latencies, 99), 1),
      requestLog: stats.requestLog,
      queryCursors: stats.queryCursors,
      blocks: stats.blocks,
      comments: stats.comments,
      heapMb: round(stats.heapUsed / 2 ** 20, 1),
      stepMs,
    };
    samples.push(s);
    log(
      `  t=${s.t}s rss ${s.rssMb} MB p99 ${s.p99Ms} ms (${s.requests} req) request_log ${s.requestLog} cursors ${s.queryCursors}`,
    );
  };
  let inFlight = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = sample().catch((e) => log(`  sample failed: ${e.message}`));
  }, o.interval * 1000);
  const onResponse = (_client, status, _bytes, ms) => {
    bucket.latencies.push(ms);
    if (status < 200 || status > 299) bucket.non2xx++;
  };
  const result = await cannon({ ...base, duration: o.seconds, overallRate: rate }, onResponse).finally(() =>
    clearInterval(timer),
  );
  await inFlight;
  if (bucket.latencies.length > 0 && (o.seconds % o.interval) / o.interval > 0.5) await sample();
  return { samples, result };
}

/** Median of the p99s of `n` intervals: one slow interval (another process on the machine) does not decide. */
const p99Of = (intervals) => median(intervals.map((s) => s.p99Ms));

/** The figures and their bounds, from a report's samples (also for a saved report: `--reanalyse FILE`). */
export function analyse(report, o) {
  const { samples } = report;
  const afterWarmup = samples.filter((s) => s.t > report.warmupSeconds && s.requests > 0);
  const secondHalf = samples.filter((s) => s.t >= report.seconds / 2);
  const rssSlope = slope(secondHalf.map((s) => ({ x: s.t / 60, y: s.rssMb })));
  const cursorSlope = slope(secondHalf.map((s) => ({ x: s.t / 60, y: s.queryCursors })));
  const first = afterWarmup[0];
  const last = afterWarmup[afterWarmup.length - 1];
  const w = Math.max(1, Math.min(6, Math.floor(afterWarmup.length / 3)));
  const drift = p99Of(afterWarmup.slice(-w)) / p99Of(afterWarmup.slice(0, w));
  const maxLog = Math.max(...samples.map((s) => s.requestLog));
  // Every query of the run (capacity phase included) may leave a cursor: the table's only bound is their age.
  const queries = (report.capacity.requestsWithWarmup + report.requests) / MIX.length;
  const maxCursors = Math.max(...samples.map((s) => s.queryCursors));
  const checks = [
    {
      name: 'RSS slope, second half (least squares)',
      value: `${round(rssSlope, 3)} MB/min`,
      bound: `≤ ${o.rssSlopeMax} MB/min`,
      held: !(rssSlope > o.rssSlopeMax),
    },
    {
      name: `p99 drift: median p99 of the last ${w} intervals ÷ of the first ${w} after warm-up`,
      value: `${p99Of(afterWarmup.slice(0, w))} → ${p99Of(afterWarmup.slice(-w))} ms (×${round(drift, 2)}); single intervals ${first?.p99Ms} → ${last?.p99Ms} ms`,
      bound: `≤ ×${o.p99DriftMax}`,
      held: !(drift > o.p99DriftMax),
    },
    {
      name: 'request_log rows (max sampled)',
      value: String(maxLog),
      bound: `≤ max_entries ${report.maxEntries}`,
      held: maxLog <= report.maxEntries,
    },
    {
      name: 'query_cursors rows (max sampled)',
      value: `${maxCursors} (+${round(cursorSlope, 0)}/min in the second half)`,
      bound: `≤ queries of the last ${CURSOR_TTL_HOURS} h (${Math.round(queries)} sent)`,
      held: maxCursors <= Math.ceil(queries) + o.connections,
    },
    { name: 'non-2xx, errors, timeouts', value: String(report.failures), bound: '0', held: report.failures === 0 },
    { name: 'samples taken', value: String(samples.length), bound: '≥ 2', held: samples.length >= 2 },
  ];
  const steps = afterWarmup[0]?.stepMs
    ? Object.fromEntries(
        MIX.map((m) => {
          const of = (list) => median(list.map((x) => x.stepMs[m]));
          return [m, { firstMs: of(afterWarmup.slice(0, w)), lastMs: of(afterWarmup.slice(-w)) }];
        }),
      )
    : null;
  return {
    steps,
    rssStartMb: first?.rssMb,
    rssEndMb: samples[samples.length - 1]?.rssMb,
    rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
    rssSlopeMbPerMin: round(rssSlope, 3),
    p99FirstMs: first?.p99Ms,
    p99LastMs: last?.p99Ms,
    p99Drift: round(drift, 2),
    cursorGrowthPerMin: round(cursorSlope, 1),
    checks,
    held: checks.every((c) => c.held),
  };
}

function printTable(report) {
  const lines = [
    `Soak on ${report.store}: ${report.seconds} s at ${report.rate} req/s (${report.share * 100} % of ${report.capacity.reqPerSec} req/s)`,
    `requests ${report.requests}, sampled every ${report.interval} s, RSS ${report.analysis.rssStartMb} → ${report.analysis.rssEndMb} MB`,
    '',
    '| check | value | bound | held |',
    '| --- | --- | --- | --- |',
    ...report.analysis.checks.map((c) => `| ${c.name} | ${c.value} | ${c.bound} | ${c.held ? 'yes' : '**no**'} |`),
    '',
    ...(report.analysis.steps
      ? [
          'one request of each step alone, median of the first and last intervals (ms):',
          ...Object.entries(report.analysis.steps).map(([m, v]) => `  ${m}: ${v.firstMs} → ${v.lastMs}`),
          '',
        ]
      : []),
    '| t (s) | RSS MB | p50 ms | p99 ms | requests | request_log | query_cursors | blocks |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.samples.map(
      (s) =>
        `| ${s.t} | ${s.rssMb} | ${s.p50Ms} | ${s.p99Ms} | ${s.requests} | ${s.requestLog} | ${s.queryCursors} | ${s.blocks} |`,
    ),
  ];
  console.log(lines.join('\n'));
}

export async function runSoak(o, log = (line) => console.error(line)) {
  const { IDS, TOKENS } = await loadFixtures();
  const store = storeFor(o);
  const server = forkChild(new URL('./lib/soak-child.mjs', import.meta.url));
  try {
    const { url } = await server.call('start', { store: store.options, maxEntries: o.maxEntries });
    const fixtures = await createLoadFixtures(apiCaller(url, TOKENS.full), IDS.sharedRoot);
    const base = {
      url,
      connections: o.connections,
      pipelining: 1,
      timeout: 10,
      requests: mixedRequests(fixtures, TOKENS.full),
    };
    const capacity = await measureCapacity(base, o, log);
    const rate = Math.max(1, Math.round(o.share * capacity.reqPerSec));
    log(
      `capacity ${capacity.reqPerSec} req/s; soak at ${rate} req/s for ${o.seconds} s, sampling every ${o.interval} s`,
    );
    const run = await paced(base, rate, server, o, log);
    const report = {
      env: environment(),
      store: store.label,
      seconds: o.seconds,
      interval: o.interval,
      warmupSeconds: o.warmupSeconds,
      share: o.share,
      maxEntries: o.maxEntries,
      mix: MIX,
      capacity,
      rate,
      requests: run.result.requests.total,
      achievedReqPerSec: round(run.result.requests.total / run.result.duration, 1),
      failures: run.result.non2xx + run.result.errors + run.result.timeouts,
      samples: run.samples,
    };
    return { ...report, analysis: analyse(report, o) };
  } finally {
    await server.close();
    await store.cleanup();
  }
}

const args = parseArgs();
const o = options(args);
try {
  let report;
  if (args.reanalyse) {
    report = JSON.parse(readFileSync(args.reanalyse, 'utf8'));
    report.failures ??= Number(report.analysis.checks.at(-1).value);
    report.analysis = analyse(report, o);
    o.out = args.reanalyse;
  } else report = await runSoak(o);
  if (o.out) {
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (o.json) console.log(JSON.stringify(report));
  else printTable(report);
  process.exitCode = report.analysis.held ? 0 : 1;
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
}
