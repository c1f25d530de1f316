// Benchmark: a database of 100,000 rows with mixed property types, built through the API; then a compound
// filter (3 conditions) + sort query, page_size 100, over HTTP through both routes that answer it —
// `POST /v1/databases/{id}/query` (Notion-Version 2022-06-28) and `POST /v1/data_sources/{id}/query`
// (2025-09-03) — p50/p95 of each against the same query written by hand in SQL on the very store the
// server uses, measured in the same run, interleaved. Also the insert rate while building and the server's
// RSS after.
//   node bench/database-query.mjs [--rows 100000] [--connections 4] [--queries 40] [--warmup 5] [--postgres]
//     [--database-url URL] [--out FILE]
// The server (and the SQL baseline) run in a child process; requests come from this one.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

/** The version under which a database is a container of data sources (reference §1.3). */
const DATA_SOURCES_VERSION = '2025-09-03';

/** Targets: HTTP p50 ÷ hand-written SQL p50, per route. */
const TARGETS = { databaseP50RatioAtMost: 2, dataSourceP50RatioAtMost: 1.5 };

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

/**
 * The same query as a person would write it against the blocks table: a database's rows are pages whose
 * parent is its data source (`parent_type = 'data_source_id'`, `$1` = the data source's id); the ids of
 * the schema are parameters.
 */
const HAND_SQL = `SELECT b.* FROM blocks b
  WHERE b.parent_id = $1 AND b.parent_type = 'data_source_id' AND NOT b.archived
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

const SCHEMA = {
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
};

/** A JSON client of the platform: `api(method, path, body, version)`, 200 or it throws. */
function apiClient(baseUrl, token) {
  return async (method, path, body, version = NOTION_VERSION) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'notion-version': version, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${method} ${path} (${version}) → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Build: `connections` clients posting pages (2022-06-28, parent `database_id`), as an importer would. */
async function buildRows(api, databaseId, rows, connections, people, log) {
  const rand = seededRandom(20260101); // deterministic: every run builds the same rows
  const values = Array.from({ length: rows }, (_v, i) => rowProperties(i, rand, people));
  let next = 0;
  const buildStart = performance.now();
  let lastReport = buildStart;
  const worker = async () => {
    while (next < rows) {
      const i = next++;
      await api('POST', '/v1/pages', { parent: { database_id: databaseId }, properties: values[i] });
      if ((i + 1) % 10_000 === 0) {
        const now = performance.now();
        log(`  built ${i + 1} rows (${round(10_000 / ((now - lastReport) / 1000), 0)} rows/s over the last 10,000)`);
        lastReport = now;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return (performance.now() - buildStart) / 1000;
}

/**
 * Measure: each sample runs both routes, in alternating order, each followed by the hand-written SQL
 * (same store, same process as the server) — so every route's time sits between two SQL times and drift
 * or the order of the two routes favours neither. Every measured answer is compared with the SQL's rows.
 */
async function measure({ api, call, routes, params, warmup, queries }) {
  const sql = [];
  const perRoute = Object.fromEntries(routes.map((r) => [r.key, { ms: [], sameRows: true, results: 0 }]));
  for (let i = 0; i < warmup + queries; i++) {
    const order = i % 2 === 0 ? routes : [...routes].reverse();
    for (const route of order) {
      const t0 = performance.now();
      const res = await api('POST', route.path, QUERY, route.version);
      const httpMs = performance.now() - t0;
      const base = await call({ cmd: 'sql', params });
      if (i < warmup) continue;
      const ids = res.results.map((r) => r.id);
      const m = perRoute[route.key];
      m.ms.push(httpMs);
      m.results = ids.length;
      m.sameRows &&= ids.length > 0 && JSON.stringify(ids) === JSON.stringify(base.ids);
      sql.push(base.ms);
    }
  }
  return { sql, perRoute };
}

function routeFigures(route, m, sql) {
  const p = (list, q) => round(percentile(list, q), 1);
  return {
    route: `POST ${route.template}`,
    notionVersion: route.version,
    samples: m.ms.length,
    results: m.results,
    httpP50Ms: p(m.ms, 50),
    httpP95Ms: p(m.ms, 95),
    ratio: {
      p50: round(percentile(m.ms, 50) / percentile(sql, 50), 2),
      p95: round(percentile(m.ms, 95) / percentile(sql, 95), 2),
    },
    sameRowsAsHandSql: m.sameRows,
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
  const api = apiClient(started.url, TOKENS.full);
  try {
    const db = await api('POST', '/v1/databases', {
      parent: { page_id: IDS.sharedRoot },
      title: [{ text: { content: 'Benchmark' } }],
      properties: SCHEMA,
    });
    const buildSeconds = await buildRows(api, db.id, rows, connections, [IDS.ada, IDS.grace], log);
    log(`  built ${rows} rows in ${round(buildSeconds, 1)} s`);

    // The database's one data source, as a 2025-09-03 client finds it.
    const container = await api('GET', `/v1/databases/${db.id}`, undefined, DATA_SOURCES_VERSION);
    const dataSourceId = container.data_sources[0].id;
    const props = db.properties;
    const high = props.Priority.select.options.find((o) => o.name === 'High').id;
    const params = [dataSourceId, props.Done.id, props.Score.id, props.Priority.id, high, props.Due.id];
    const routes = [
      {
        key: 'database',
        template: '/v1/databases/{id}/query',
        path: `/v1/databases/${db.id}/query`,
        version: NOTION_VERSION,
      },
      {
        key: 'dataSource',
        template: '/v1/data_sources/{id}/query',
        path: `/v1/data_sources/${dataSourceId}/query`,
        version: DATA_SOURCES_VERSION,
      },
    ];
    const { sql, perRoute } = await measure({ api, call, routes, params, warmup, queries });
    const after = await call({ cmd: 'rss' });
    const [database, dataSource] = routes.map((route) => routeFigures(route, perRoute[route.key], sql));
    const result = {
      id: 'database-query',
      title: `Database query: 3-condition filter + sort, page_size 100, over ${rows.toLocaleString('en-US')} rows`,
      storeKind: started.storeKind,
      rows,
      build: { seconds: round(buildSeconds, 1), rowsPerSecond: round(rows / buildSeconds, 0), connections },
      handSql: { samples: sql.length, p50Ms: round(percentile(sql, 50), 1), p95Ms: round(percentile(sql, 95), 1) },
      database,
      dataSource,
      dataSourceOverDatabaseP50: round(
        percentile(perRoute.dataSource.ms, 50) / percentile(perRoute.database.ms, 50),
        2,
      ),
      target: TARGETS,
      sameRowsAsHandSql: database.sameRowsAsHandSql && dataSource.sameRowsAsHandSql,
      rssMb: { serverAtStart: started.rssMb, serverAfter: after.rssMb },
      loadavg1AtEnd: round(loadavg()[0], 2),
    };
    database.met = database.ratio.p50 <= TARGETS.databaseP50RatioAtMost && database.sameRowsAsHandSql;
    dataSource.met = dataSource.ratio.p50 <= TARGETS.dataSourceP50RatioAtMost && dataSource.sameRowsAsHandSql;
    result.met = database.met && dataSource.met;
    return result;
  } finally {
    await call({ cmd: 'close' }).catch(() => undefined);
  }
}

function routeLines(q, target) {
  return [
    `| ${q.route} (Notion-Version ${q.notionVersion}), p50 / p95 | ${q.httpP50Ms} ms / ${q.httpP95Ms} ms (${q.samples} samples, ${q.results} results) |`,
    `| **ratio ÷ SQL**, p50 / p95 | **${q.ratio.p50}** / ${q.ratio.p95} (target p50 ≤ ${target}: ${q.met ? 'met' : 'no'}) |`,
    `| same rows as the hand-written SQL, every sample | ${q.sameRowsAsHandSql ? 'yes' : 'NO'} |`,
  ];
}

function report(r, env) {
  return [
    `## ${r.title} (${r.storeKind})`,
    '',
    `| figure | value |`,
    `| --- | --- |`,
    `| rows built over HTTP (${r.build.connections} connections) | ${r.rows} in ${r.build.seconds} s = **${r.build.rowsPerSecond} rows/s** |`,
    `| same query by hand in SQL, p50 / p95 | ${r.handSql.p50Ms} ms / ${r.handSql.p95Ms} ms (${r.handSql.samples} samples, one after every request) |`,
    ...routeLines(r.database, r.target.databaseP50RatioAtMost),
    ...routeLines(r.dataSource, r.target.dataSourceP50RatioAtMost),
    `| data source route ÷ database route, p50 | ${r.dataSourceOverDatabaseP50} |`,
    `| server RSS at start → after | ${r.rssMb.serverAtStart} MB → ${r.rssMb.serverAfter} MB |`,
    '',
    `${env.date}, commit ${env.commit}` +
      (env.uncommittedServerChanges ? ` (+${env.uncommittedServerChanges} uncommitted files under packages/)` : '') +
      `, Node ${env.node}, ${env.cpus} × ${env.cpuModel}, load ${env.loadavg1AtStart} at the start, ` +
      `${r.loadavg1AtEnd} at the end`,
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
