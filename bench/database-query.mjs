// Benchmark: a database of 100,000 rows with mixed property types, built through the API; then a compound
// filter (3 conditions) + sort query, page_size 100, over HTTP — p50/p95 against the same query written by
// hand in SQL on the very store the server uses, measured in the same run, interleaved. Also the insert
// rate while building and the server's RSS after.
//   node bench/database-query.mjs [--rows 100000] [--connections 4] [--queries 40] [--postgres]
//     [--database-url URL] [--out FILE]
// The server (and the SQL baseline) run in a child process; requests come from this one.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  BENCH_DIR,
  DEFAULT_POSTGRES_URL,
  environment,
  loadFixtures,
  NOTION_VERSION,
  parseArgs,
  percentile,
  round,
} from './lib/common.mjs';
import { seededRandom } from '@notion-local/server';

const PRIORITIES = ['Low', 'Medium', 'High', 'Urgent', 'Someday'];
const TAGS = ['alpha', 'beta', 'gamma', 'delta'];

/** The query: 3 conditions, one sort, one page of 100 (reference §10). */
const QUERY = {
  filter: {
    and: [
      { property: 'Done', checkbox: { equals: false } },
      { property: 'Score', number: { greater_than: 50 } },
      { property: 'Priority', select: { equals: 'High' } },
    ],
  },
  sorts: [{ property: 'Due', direction: 'descending' }],
  page_size: 100,
};

/** The same query as a person would write it against the blocks table (ids of the schema as parameters). */
const HAND_SQL = `SELECT b.* FROM blocks b
  WHERE b.parent_id = $1 AND b.parent_type = 'database_id' AND NOT b.archived
    AND NOT COALESCE((b.props ->> $2)::boolean, false)
    AND (b.props ->> $3)::float8 > 50
    AND b.props ->> $4 = $5
  ORDER BY b.props -> $6 ->> 's' DESC NULLS LAST, b.id
  LIMIT 101`;

// ---- child: the platform and the SQL baseline ------------------------------------------------------

async function child() {
  const { startPlatform, dropPostgresSchema } = await import('@notion-local/server');
  let platform;
  let schema = null;
  let url = null;
  process.on('message', async (msg) => {
    try {
      if (msg.cmd === 'start') {
        const { testSeed } = await loadFixtures();
        url = msg.postgresUrl;
        schema = url ? `nl_bench_${process.pid}_${randomBytes(3).toString('hex')}` : null;
        const store = url ? { kind: 'postgres', url, schema } : { kind: 'memory' };
        platform = await startPlatform({ store, port: 0, seed: testSeed(), config: { rateLimit: { enabled: false } } });
        process.send({ type: 'started', url: platform.url, storeKind: platform.store.kind, rssMb: rss() });
      } else if (msg.cmd === 'sql') {
        const start = performance.now();
        const rows = await platform.store.query(HAND_SQL, msg.params);
        process.send({ type: 'sql', ms: performance.now() - start, ids: rows.slice(0, 100).map((r) => r.id) });
      } else if (msg.cmd === 'rss') {
        process.send({ type: 'rss', rssMb: rss() });
      } else if (msg.cmd === 'close') {
        await platform.close();
        if (schema) await dropPostgresSchema(url, schema);
        process.send({ type: 'closed' });
        process.exit(0);
      }
    } catch (error) {
      process.send({ type: 'error', message: String(error?.stack ?? error) });
    }
  });
}

const rss = () => round(process.memoryUsage().rss / 1e6, 0);

// ---- parent: builds the database over HTTP, then measures ------------------------------------------

function rpc(proc) {
  const waiting = [];
  proc.on('message', (msg) => {
    const next = waiting.shift();
    if (!next) return;
    if (msg.type === 'error') next.reject(new Error(msg.message));
    else next.resolve(msg);
  });
  return (msg) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      proc.send(msg);
    });
}

function rowProperties(i, rand, people) {
  const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 730) * 86_400_000).toISOString().slice(0, 10);
  return {
    Name: { title: [{ text: { content: `Row ${i}` } }] },
    Priority: { select: { name: PRIORITIES[Math.floor(rand() * PRIORITIES.length)] } },
    Tags: { multi_select: TAGS.filter(() => rand() < 0.35).map((name) => ({ name })) },
    Score: { number: rand() < 0.05 ? null : Math.floor(rand() * 100) },
    Done: { checkbox: rand() < 0.5 },
    Due: { date: rand() < 0.05 ? null : { start: day } },
    Notes: { rich_text: [{ text: { content: `Note ${i}: ${randomBytes(6).toString('hex')}` } }] },
    Owner: { people: [{ id: people[i % people.length] }] },
    Email: { email: `row${i}@example.com` },
    Link: { url: `https://example.com/rows/${i}` },
  };
}

export async function runDatabaseQuery(args) {
  const rows = Number(args.rows ?? 100_000);
  const connections = Number(args.connections ?? 4);
  const queries = Number(args.queries ?? 40);
  const warmup = Number(args.warmup ?? 5);
  const log = (line) => console.error(line);
  const { TOKENS, IDS } = await loadFixtures();
  const proc = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const call = rpc(proc);
  const postgresUrl = args.postgres
    ? (args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL)
    : null;
  const started = await call({ cmd: 'start', postgresUrl });
  const headers = {
    authorization: `Bearer ${TOKENS.full}`,
    'notion-version': NOTION_VERSION,
    'content-type': 'application/json',
  };
  const api = async (method, path, body) => {
    const res = await fetch(`${started.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    const db = await api('POST', '/v1/databases', {
      parent: { page_id: IDS.sharedRoot },
      title: [{ text: { content: 'Benchmark' } }],
      properties: {
        Name: { title: {} },
        Priority: { select: { options: PRIORITIES.map((name) => ({ name })) } },
        Tags: { multi_select: { options: TAGS.map((name) => ({ name })) } },
        Score: { number: {} },
        Done: { checkbox: {} },
        Due: { date: {} },
        Notes: { rich_text: {} },
        Owner: { people: {} },
        Email: { email: {} },
        Link: { url: {} },
        Created: { created_time: {} },
        Ref: { unique_id: { prefix: 'ROW' } },
      },
    });
    // Build: `connections` clients posting pages, as an importer would.
    const rand = seededRandom(20260101); // deterministic: every run builds the same rows
    const values = Array.from({ length: rows }, (_v, i) => rowProperties(i, rand, [IDS.ada, IDS.grace]));
    let next = 0;
    const buildStart = performance.now();
    let lastReport = buildStart;
    const worker = async () => {
      while (next < rows) {
        const i = next++;
        await api('POST', '/v1/pages', { parent: { database_id: db.id }, properties: values[i] });
        if ((i + 1) % 10_000 === 0) {
          const now = performance.now();
          log(`  built ${i + 1} rows (${round(10_000 / ((now - lastReport) / 1000), 0)} rows/s over the last 10,000)`);
          lastReport = now;
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    const buildSeconds = (performance.now() - buildStart) / 1000;
    log(`  built ${rows} rows in ${round(buildSeconds, 1)} s`);

    // Measure: HTTP and hand-written SQL alternately (same store, same process as the server).
    const props = db.properties;
    const high = props.Priority.select.options.find((o) => o.name === 'High').id;
    const params = [db.id, props.Done.id, props.Score.id, props.Priority.id, high, props.Due.id];
    const http = [];
    const sql = [];
    let httpIds = [];
    let sqlIds = [];
    for (let i = 0; i < warmup + queries; i++) {
      const t0 = performance.now();
      const res = await api('POST', `/v1/databases/${db.id}/query`, QUERY);
      const httpMs = performance.now() - t0;
      const base = await call({ cmd: 'sql', params });
      if (i < warmup) continue;
      http.push(httpMs);
      sql.push(base.ms);
      httpIds = res.results.map((r) => r.id);
      sqlIds = base.ids;
    }
    const after = await call({ cmd: 'rss' });
    const p = (list, q) => round(percentile(list, q), 1);
    const result = {
      id: 'database-query',
      title: `Database query: 3-condition filter + sort, page_size 100, over ${rows.toLocaleString('en-US')} rows`,
      storeKind: started.storeKind,
      rows,
      build: { seconds: round(buildSeconds, 1), rowsPerSecond: round(rows / buildSeconds, 0), connections },
      query: {
        samples: queries,
        httpP50Ms: p(http, 50),
        httpP95Ms: p(http, 95),
        sqlP50Ms: p(sql, 50),
        sqlP95Ms: p(sql, 95),
        results: httpIds.length,
      },
      ratio: {
        p50: round(percentile(http, 50) / percentile(sql, 50), 2),
        p95: round(percentile(http, 95) / percentile(sql, 95), 2),
      },
      target: { p50RatioAtMost: 2 },
      sameRowsAsHandSql: JSON.stringify(httpIds) === JSON.stringify(sqlIds),
      rssMb: { serverAtStart: started.rssMb, serverAfter: after.rssMb },
    };
    result.met = result.ratio.p50 <= 2 && result.sameRowsAsHandSql;
    return result;
  } finally {
    await call({ cmd: 'close' }).catch(() => undefined);
  }
}

function report(r, env) {
  return [
    `## ${r.title} (${r.storeKind})`,
    '',
    `| figure | value |`,
    `| --- | --- |`,
    `| rows built over HTTP (${r.build.connections} connections) | ${r.rows} in ${r.build.seconds} s = **${r.build.rowsPerSecond} rows/s** |`,
    `| query over HTTP, p50 / p95 | ${r.query.httpP50Ms} ms / ${r.query.httpP95Ms} ms (${r.query.samples} samples, ${r.query.results} results) |`,
    `| same query by hand in SQL, p50 / p95 | ${r.query.sqlP50Ms} ms / ${r.query.sqlP95Ms} ms |`,
    `| **ratio HTTP ÷ SQL**, p50 / p95 | **${r.ratio.p50}** / ${r.ratio.p95} (target p50 ≤ ${r.target.p50RatioAtMost}: ${r.met ? 'met' : 'no'}) |`,
    `| same rows as the hand-written SQL | ${r.sameRowsAsHandSql ? 'yes' : 'NO'} |`,
    `| server RSS at start → after | ${r.rssMb.serverAtStart} MB → ${r.rssMb.serverAfter} MB |`,
    '',
    `${env.date}, commit ${env.commit}, Node ${env.node}, ${env.cpus} × ${env.cpuModel}, load ${env.loadavg1AtStart}`,
  ].join('\n');
}

if (process.argv.includes('--child')) {
  await child();
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs();
  const env = environment();
  const result = await runDatabaseQuery(args);
  console.log(report(result, env));
  const out = args.out ?? join(BENCH_DIR, 'results', `database-query-${result.storeKind}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ environment: env, result }, null, 2)}\n`);
  process.exit(result.sameRowsAsHandSql ? 0 : 1);
}
