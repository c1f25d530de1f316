// The process that owns the store and serves HTTP during a load test. The load generator (autocannon)
// runs in the parent, so client and server do not share one event loop; the store baselines run here,
// on the very store instance the server uses. Driven over the fork() IPC channel:
//   {cmd:'start', store}                 → {type:'started', url, storeKind}
//   {cmd:'baseline', kind, ms, warmupMs} → {type:'baseline', kind, ops, elapsedMs}
//   {cmd:'count-pages'}                  → {type:'count', pages}
//   {cmd:'profile-start'} / {cmd:'profile-stop', path} → V8 CPU profile of this process, written to path
//   {cmd:'trace-start'} / {cmd:'trace-stop'}           → per-SQL-statement call counts and wall time
//   {cmd:'close'}                        → {type:'closed'} and exit
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fixedPlan, startPlatform } from '@notion-local/server';
import { loadFixtures } from './common.mjs';
import { startTrace, stopTrace } from './sql-trace.mjs';

let platform;

const SELECT_SQL = 'SELECT * FROM blocks WHERE id = $1';
const SCRATCH = 'bench_scratch';

async function loop(ms, op) {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    await op(ops);
    ops++;
    now = performance.now();
  }
  return { ops, elapsedMs: now - start };
}

/**
 * The database engine's own client, as any user of it would call it: PGlite's `query` (parse, plan and
 * describe every time) or a `pg.Pool` query. Not the store's driver, whose prepared statements are part of
 * what the HTTP figure measures (store/pglite-statements.ts); that one is measured too, as context.
 */
function engineQuery(store) {
  if (store.kind === 'pglite') return (sql, params) => store.db.query(sql, params);
  return (sql, params) => store.pool.query(sql, params);
}

/** A page row as `POST /v1/pages` stores one: every column, into `blocks` with all its indexes. */
function pageRowParams(IDS, i) {
  const id = randomUUID();
  const title = `Bench page ${i}`;
  const properties = {
    title: {
      id: 'title',
      type: 'title',
      title: [
        {
          type: 'text',
          text: { content: title, link: null },
          annotations: {
            bold: false,
            italic: false,
            strikethrough: false,
            underline: false,
            code: false,
            color: 'default',
          },
          plain_text: title,
          href: null,
        },
      ],
    },
  };
  const now = new Date();
  return [id, IDS.acme, [IDS.sharedRoot, id], JSON.stringify(properties), title, now, IDS.full, IDS.sharedRoot];
}
const INSERT_PAGE_SQL = `INSERT INTO blocks (id, workspace_id, object, type, parent_type, parent_id, path, position, content, properties,
  icon, cover, title, archived, created_time, created_by, last_edited_time, last_edited_by, props)
  VALUES ($1, $2, 'page', 'page', 'page_id', $8, $3::uuid[], 1000000, '{}', $4, null, null, $5, false, $6, $7, $6, $7, null)`;

async function baseline(kind, ms, warmupMs = 0) {
  const { IDS } = await loadFixtures();
  const store = platform.store;
  let op;
  if (kind === 'select' || kind === 'select-prepared') {
    // select-prepared: as the server's own primary-key reads run (fixedPlan: prepared once, plan reused).
    const [query, sql] =
      kind === 'select'
        ? [engineQuery(store), SELECT_SQL]
        : [(q, params) => store.query(q, params), fixedPlan(SELECT_SQL)];
    op = () => query(sql, [IDS.sharedRoot]);
    const check = await op();
    if ((check.rows ?? check).length !== 1) throw new Error('baseline select found no row for IDS.sharedRoot');
  } else if (kind === 'insert') {
    const query = engineQuery(store);
    op = (i) => query(INSERT_PAGE_SQL, pageRowParams(IDS, i));
  } else if (kind === 'insert-scratch') {
    // A scratch table like a slim `blocks`: uuid primary key plus a small json document (the first baseline).
    const query = engineQuery(store);
    await store.exec(`CREATE TABLE IF NOT EXISTS ${SCRATCH} (id uuid PRIMARY KEY, data json NOT NULL)`);
    op = (i) =>
      query(`INSERT INTO ${SCRATCH} (id, data) VALUES ($1, $2)`, [
        randomUUID(),
        JSON.stringify({
          object: 'page',
          properties: {
            title: { id: 'title', type: 'title', title: [{ type: 'text', text: { content: `Bench page ${i}` } }] },
          },
        }),
      ]);
  } else {
    throw new Error(`unknown baseline kind ${kind}`);
  }
  if (warmupMs) await loop(warmupMs, op);
  return loop(ms, op);
}

let session;
async function handle(msg) {
  switch (msg.cmd) {
    case 'start': {
      const { testSeed } = await loadFixtures();
      // Rate limits (when the build has them: 180 requests/min per integration by default) would turn a
      // load test into a test of 429s, so they are off; everything else keeps its default.
      platform = await startPlatform({
        store: msg.store,
        port: 0,
        seed: testSeed(),
        config: { rateLimit: { enabled: false } },
      });
      return { type: 'started', url: platform.url, storeKind: platform.store.kind };
    }
    case 'baseline':
      return { type: 'baseline', kind: msg.kind, ...(await baseline(msg.kind, msg.ms, msg.warmupMs)) };
    case 'count-pages': {
      const rows = await platform.store.query(`SELECT count(*)::int AS n FROM blocks WHERE object = 'page'`);
      return { type: 'count', pages: Number(rows[0].n) };
    }
    case 'profile-start':
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 250 });
      await session.post('Profiler.start');
      return { type: 'ok' };
    case 'profile-stop': {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(msg.path, JSON.stringify(profile));
      return { type: 'ok', path: msg.path };
    }
    case 'trace-start':
      startTrace(platform.store);
      return { type: 'ok' };
    case 'trace-stop':
      return { type: 'trace', statements: stopTrace(platform.store) };
    case 'close': {
      await platform.store.exec(`DROP TABLE IF EXISTS ${SCRATCH}`).catch(() => undefined);
      await platform.close();
      return { type: 'closed' };
    }
    default:
      throw new Error(`unknown command ${msg.cmd}`);
  }
}

process.on('message', (msg) => {
  handle(msg).then(
    (reply) => {
      process.send({ id: msg.id, ...reply }, () => {
        if (reply.type === 'closed') process.exit(0);
      });
    },
    (error) => process.send({ id: msg.id, type: 'error', message: error?.stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
