// Missing vs invisible, in time: alternating GET /v1/pages/{missing} and GET /v1/pages/{invisible} (a page of
// the caller's workspace not shared with it, and a page of another workspace), one request at a time over one
// keep-alive connection on loopback, against the platform in a child process (lib/server-child.mjs) on
// in-memory PGlite and, when reachable, PostgreSQL. Every answer must be the same 404 (status and body apart
// from request_id); the figures are the client-side latency median and p99 of each kind and their gaps.
// The kinds take turns (missing → unshared → other workspace → missing …), so each kind's figure also holds
// the work the server still does for the request before it (the request log's 404 reason, after the answer
// is sent): a difference there shows as a gap on the next kind ("unshared" follows "missing").
//
//   node bench/not-found-timing.mjs [--requests 2000] [--warmup 200] [--pause-ms 0] [--no-postgres]
//                                   [--database-url URL]
//
// Bounded: `--requests` (default 2,000, at most 20,000) requests per store after the warm-up, loopback only.
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_POSTGRES_URL,
  environment,
  loadFixtures,
  median,
  parseArgs,
  percentile,
  round,
  sleep,
} from './lib/common.mjs';
import { storeFor } from './lib/http-bench.mjs';
import { startServerProcess } from './lib/server-process.mjs';

const args = parseArgs();
const REQUESTS = Math.min(20_000, Number(args.requests ?? 2000));
const WARMUP = Math.min(2_000, Number(args.warmup ?? 200));
/** A pause between requests (ms), so work done after an answer is sent cannot delay the next request. */
const PAUSE_MS = Math.min(1_000, Number(args['pause-ms'] ?? 0));
const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;

/** One request; returns its latency (ms), status and body with request_id left out. */
async function timedGet(url, token) {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' } });
  const text = await res.text();
  const ms = performance.now() - started;
  const { request_id: _id, ...body } = JSON.parse(text);
  return { ms, status: res.status, body: JSON.stringify(body) };
}

function stats(values) {
  return { median: round(median(values), 3), p99: round(percentile(values, 99), 3), n: values.length };
}

async function measure(kind) {
  const { IDS, TOKENS } = await loadFixtures();
  const store = storeFor(kind, postgresUrl);
  const server = await startServerProcess(store.options);
  try {
    const kinds = {
      missing: IDS.missing,
      unshared: IDS.privatePage,
      other_workspace: IDS.otherRoot,
    };
    const names = Object.keys(kinds);
    const times = Object.fromEntries(names.map((n) => [n, []]));
    const expected = (id) =>
      JSON.stringify({
        object: 'error',
        status: 404,
        code: 'object_not_found',
        message: `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
      });
    let differences = 0;
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const name = names[i % names.length];
      const id = kinds[name];
      const r = await timedGet(`${server.url}/v1/pages/${id}`, TOKENS.full);
      if (r.status !== 404 || r.body !== expected(id)) differences++;
      if (i >= WARMUP) times[name].push(r.ms);
      if (PAUSE_MS > 0) await sleep(PAUSE_MS);
    }
    const out = { store: kind, differences };
    for (const n of names) out[n] = stats(times[n]);
    const base = out.missing;
    for (const n of names.slice(1))
      out[`gap_${n}_ms`] = {
        median: round(out[n].median - base.median, 3),
        p99: round(out[n].p99 - base.p99, 3),
      };
    return out;
  } finally {
    await server.close();
    await store.cleanup?.();
  }
}

async function postgresReachable() {
  try {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const results = [await measure('pglite')];
if (!args['no-postgres']) {
  if (await postgresReachable()) results.push(await measure('postgres'));
  else console.error(`PostgreSQL at ${postgresUrl} unreachable: skipped`);
}
console.log(JSON.stringify({ environment: environment(), requests: REQUESTS, warmup: WARMUP, results }, null, 2));
if (results.some((r) => r.differences > 0)) process.exitCode = 1;
