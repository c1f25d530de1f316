// Webhook delivery: the real `notion-local serve` (PGlite data dir, or PostgreSQL) with one subscription to a
// receiver in this process, on loopback. Four measurements, each bounded in count and time:
//   1. N page creates (default 10,000) → N page.created deliveries: share whose X-Notion-Signature verifies
//      (target 100 %), events lost (target 0), duplicates, p50/p99 from the event's timestamp (its commit) to
//      its receipt.
//   2. The receiver down (port closed) for D seconds (default 30) while pages are created, then up: lost (0).
//   3. The server SIGKILLed K times (default 5) while deliveries are in flight, restarted on the same data:
//      lost (0), duplicates (allowed, counted).
//   4. The cost of webhooks on writes: page creates per second with one subscription ÷ without (same run).
//   node bench/webhooks.mjs [--events 10000] [--down-seconds 30] [--kills 5] [--store pglite|postgres]
//     [--cost-creates 2000] [--database-url URL] [--quick] [--json]
// Exit code 1 when an event was lost or a signature did not verify.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropPostgresSchema } from '@notion-local/server';
import { DEFAULT_POSTGRES_URL, environment, loadFixtures, parseArgs, percentile, round, sleep } from './lib/common.mjs';
import { apiCaller, titleProps } from './lib/api-load.mjs';
import { spawnServe } from './lib/serve-cli.mjs';

const HOOK_TOKEN = `secret_bench${randomBytes(16).toString('hex')}`;
const CONCURRENCY = 8;

function options(args) {
  const quick = Boolean(args.quick);
  return {
    events: Number(args.events ?? (quick ? 1000 : 10_000)),
    downSeconds: Number(args['down-seconds'] ?? (quick ? 5 : 30)),
    kills: Number(args.kills ?? (quick ? 2 : 5)),
    costCreates: Number(args['cost-creates'] ?? (quick ? 500 : 2000)),
    store: args.store ?? 'pglite',
    postgresUrl: args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL,
    json: Boolean(args.json),
    only: args.only,
  };
}

/** The receiver: counts deliveries per event id, checks each signature, can be taken down and brought back. */
class Receiver {
  constructor() {
    this.byId = new Map();
    this.deliveries = 0;
    this.unverified = 0;
    this.latencies = [];
    this.server = null;
    this.port = 0;
  }
  async up(port = 0) {
    this.server = createServer((request, response) => {
      const chunks = [];
      request.on('data', (c) => chunks.push(c));
      request.on('end', () => this.take(Buffer.concat(chunks), request.headers['x-notion-signature'], response));
    });
    await new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = this.server.address().port;
  }
  async down() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
  take(raw, signature, response) {
    const expected = `sha256=${createHmac('sha256', HOOK_TOKEN).update(raw).digest('hex')}`;
    const body = JSON.parse(raw.toString('utf8'));
    this.deliveries += 1;
    if (signature !== expected) this.unverified += 1;
    if (body.type === 'page.created') {
      const seen = this.byId.get(body.entity.id) ?? 0;
      this.byId.set(body.entity.id, seen + 1);
      if (seen === 0) this.latencies.push(Date.now() - Date.parse(body.timestamp));
    }
    response.statusCode = 200;
    response.end();
  }
  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }
}

/** Creates `count` pages, CONCURRENCY at a time; returns the acknowledged ids and the creates per second. */
async function createPages(call, parent, count, tag) {
  const ids = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const res = await call('POST', '/v1/pages', {
        parent: { page_id: parent },
        properties: titleProps(`${tag} ${n}`),
      });
      if (res.status === 200) ids.push(res.body.id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ids, perSecond: count / ((performance.now() - started) / 1000) };
}

/** Waits until every id was delivered at least once, or `timeoutMs` passed; the ids still missing. */
async function awaitDelivered(receiver, ids, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const missing = ids.filter((id) => !receiver.byId.has(id));
    if (missing.length === 0 || Date.now() > until) return missing;
    await sleep(100);
  }
}

async function prepare(o, dir, receiver, withHook) {
  const { testSeed, IDS, TOKENS } = await loadFixtures();
  const seed = testSeed();
  const full = seed.workspaces[0].integrations.find((i) => i.name === 'Full');
  if (withHook)
    full.webhooks = [
      { url: receiver.url, event_types: [process.env.WH_TYPE ?? 'page.created'], verification_token: HOOK_TOKEN },
    ];
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
  const config = {
    rate_limit: { enabled: false },
    webhooks: { aggregation_window_ms: 0, retry_delays_ms: [500, 1000, 2000, 4000, 8000, 15000, 30000] },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const common = ['--port', '0', '--seed', join(dir, 'seed.json'), '--config', join(dir, 'config.json')];
  if (o.store === 'pglite')
    return { args: ['--data-dir', join(dir, 'data'), ...common], cleanup: async () => {}, IDS, TOKENS };
  const schema = `nl_bench_wh_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: o.postgresUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const sep = o.postgresUrl.includes('?') ? '&' : '?';
  const url = `${o.postgresUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    args: ['--database-url', url, ...common],
    cleanup: () => dropPostgresSchema(o.postgresUrl, schema),
    IDS,
    TOKENS,
  };
}

async function throughput(o, receiver, served, fx) {
  const call = apiCaller(served.url, fx.TOKENS.full);
  const { ids } = await createPages(call, fx.IDS.child, o.events, 'throughput');
  const missing = await awaitDelivered(receiver, ids, 120_000);
  const latencies = receiver.latencies.slice();
  return {
    events: ids.length,
    lost: missing.length,
    verifiedShare: round(1 - receiver.unverified / Math.max(receiver.deliveries, 1), 4),
    duplicates: [...receiver.byId.values()].reduce((sum, n) => sum + n - 1, 0),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

async function receiverDown(o, receiver, served, fx) {
  const call = apiCaller(served.url, fx.TOKENS.full);
  const port = receiver.port;
  await receiver.down();
  const started = Date.now();
  const ids = [];
  while (Date.now() - started < o.downSeconds * 1000) {
    ids.push(...(await createPages(call, fx.IDS.child, 20, 'down')).ids);
    await sleep(200);
  }
  await receiver.up(port);
  const missing = await awaitDelivered(receiver, ids, 120_000);
  return {
    downSeconds: o.downSeconds,
    events: ids.length,
    lost: missing.length,
    recoveredInMs: Date.now() - started - o.downSeconds * 1000,
  };
}

async function kills(o, receiver, first, prepared, fx) {
  let served = first;
  const ids = [];
  for (let k = 0; k < o.kills; k++) {
    const call = apiCaller(served.url, fx.TOKENS.full);
    ids.push(...(await createPages(call, fx.IDS.child, 300, `kill ${k}`)).ids);
    await sleep(20 + Math.floor(Math.random() * 200));
    await served.kill('SIGKILL');
    served = await spawnServe(prepared.args);
  }
  const missing = await awaitDelivered(receiver, ids, 120_000);
  const duplicates = ids.reduce((sum, id) => sum + Math.max((receiver.byId.get(id) ?? 0) - 1, 0), 0);
  return { served, result: { kills: o.kills, events: ids.length, lost: missing.length, duplicates } };
}

/** Page creates per second without a subscription, then with one (fresh servers, same run). */
async function writeCost(o, receiver) {
  const rates = {};
  for (const withHook of [false, true, false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'nl-bench-wh-cost-'));
    const prepared = await prepare(o, dir, receiver, withHook);
    const served = await spawnServe(prepared.args);
    try {
      const call = apiCaller(served.url, prepared.TOKENS.full);
      await createPages(call, prepared.IDS.child, 100, 'warm-up');
      const { perSecond } = await createPages(call, prepared.IDS.child, o.costCreates, 'cost');
      (rates[withHook] ??= []).push(perSecond);
    } finally {
      await served.kill('SIGTERM');
      await prepared.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    createsPerSecondWithout: round(mean(rates.false)),
    createsPerSecondWith: round(mean(rates.true)),
    ratio: round(mean(rates.true) / mean(rates.false), 3),
  };
}

export async function runWebhooks(o) {
  const receiver = new Receiver();
  await receiver.up();
  if (o.only === 'cost') {
    const cost = await writeCost(o, receiver);
    await receiver.down();
    return { store: o.store, writeCost: cost };
  }
  const dir = mkdtempSync(join(tmpdir(), 'nl-bench-wh-'));
  const prepared = await prepare(o, dir, receiver, true);
  let served = await spawnServe(prepared.args);
  try {
    const first = await throughput(o, receiver, served, prepared);
    const down = await receiverDown(o, receiver, served, prepared);
    const killed = await kills(o, receiver, served, prepared, prepared);
    served = killed.served;
    const cost = await writeCost(o, receiver);
    return { store: o.store, throughput: first, receiverDown: down, kills: killed.result, writeCost: cost };
  } finally {
    await served.kill('SIGTERM');
    await receiver.down().catch(() => undefined);
    await prepared.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = options(parseArgs());
  const result = { environment: environment(), ...(await runWebhooks(o)) };
  console.log(o.json ? JSON.stringify(result, null, 2) : result);
  const bad =
    o.only !== 'cost' &&
    (result.throughput.lost + result.receiverDown.lost + result.kills.lost > 0 || result.throughput.verifiedShare < 1);
  process.exitCode = bad ? 1 : 0;
}
