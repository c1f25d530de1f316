// kill -9 durability: the real `notion-local serve` on a PGlite data dir and/or a PostgreSQL schema, under
// concurrent writes of every kind (page creates, block appends, database rows with property values,
// comments), SIGKILLed at random moments and restarted on the same data. A write counts as acknowledged
// once its 2xx answer was read whole; after every restart each acknowledged write so far must be readable
// through the API with its text (children listings, the database query, comment listings) and those of the
// last round also by id (GET /v1/pages|blocks|comments/{id}). Loopback only, bounded in kills and time.
//   node bench/durability.mjs [--kills 50] [--store pglite|postgres|both] [--writers 6]
//     [--min-ms 150] [--max-ms 1200] [--max-minutes 20] [--database-url URL] [--json]
// Exit code 1 when a write was lost, a restart failed, a write was refused or the time ran out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropPostgresSchema } from '@notion-local/server';
import { DEFAULT_POSTGRES_URL, environment, loadFixtures, median, parseArgs, sleep } from './lib/common.mjs';
import { apiCaller, createDatabase, must, rich, rowProps, titleProps } from './lib/api-load.mjs';
import { spawnServe } from './lib/serve-cli.mjs';

const KINDS = ['page', 'append', 'row', 'comment'];
const POOL = 4;

function options(args) {
  const store = args.store ?? 'both';
  if (!['pglite', 'postgres', 'both'].includes(store)) throw new Error(`--store must be pglite, postgres or both`);
  return {
    kills: Number(args.kills ?? 50),
    store,
    writers: Number(args.writers ?? 6),
    minMs: Number(args['min-ms'] ?? 150),
    maxMs: Number(args['max-ms'] ?? 1200),
    maxMinutes: Number(args['max-minutes'] ?? 20),
    postgresUrl:
      args['database-url'] ??
      process.env.NOTION_LOCAL_TEST_DATABASE_URL ??
      process.env.NOTION_LOCAL_BENCH_DATABASE_URL ??
      DEFAULT_POSTGRES_URL,
    json: Boolean(args.json),
  };
}

/** The serve arguments for a fresh store, and how to remove it afterwards. */
async function prepareStore(kind, o, dir) {
  const { testSeed } = await loadFixtures();
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(testSeed()));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ rate_limit: { enabled: false } }));
  const common = ['--port', '0', '--seed', join(dir, 'seed.json'), '--config', join(dir, 'config.json')];
  if (kind === 'pglite')
    return { label: 'PGlite (--data-dir)', args: ['--data-dir', join(dir, 'data'), ...common], cleanup: () => {} };
  const schema = `nl_durability_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: o.postgresUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const sep = o.postgresUrl.includes('?') ? '&' : '?';
  const url = `${o.postgresUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    label: 'PostgreSQL (--database-url, own schema)',
    args: ['--database-url', url, ...common],
    cleanup: () => dropPostgresSchema(o.postgresUrl, schema),
  };
}

/** One write of `kind` tagged `tag`; returns the acknowledged record, or null when the answer was not 2xx. */
async function writeOne(call, fixtures, kind, tag, n, counts) {
  const parent = fixtures.pool[n % fixtures.pool.length];
  let res;
  if (kind === 'page')
    res = await call('POST', '/v1/pages', { parent: { page_id: parent }, properties: titleProps(tag) });
  else if (kind === 'append')
    res = await call('PATCH', `/v1/blocks/${parent}/children`, {
      children: [{ paragraph: { rich_text: rich(tag) } }],
    });
  else if (kind === 'row')
    res = await call('POST', '/v1/pages', {
      parent: { database_id: fixtures.databaseId },
      properties: rowProps(tag, n),
    });
  else res = await call('POST', '/v1/comments', { parent: { page_id: parent }, rich_text: rich(tag) });
  if (res.status < 200 || res.status > 299) {
    counts.refused.push(`${kind} ${res.status} ${res.body?.code ?? ''} ${res.body?.message ?? ''}`.slice(0, 200));
    return null;
  }
  const id = kind === 'append' ? res.body.results?.[0]?.id : res.body.id;
  return { kind, id, parent: kind === 'row' ? fixtures.databaseId : parent, tag };
}

/** A writer: writes one kind after another until the server is gone; records what was acknowledged. */
async function writer(call, fixtures, round, w, state, counts) {
  for (let seq = 0; !state.killed; seq++) {
    const kind = KINDS[(w + seq) % KINDS.length];
    const tag = `dur r${round} w${w} n${seq} ${randomBytes(3).toString('hex')}`;
    counts.attempted++;
    try {
      const ack = await writeOne(call, fixtures, kind, tag, w * 7919 + seq, counts);
      if (ack) state.acks.push(ack);
    } catch {
      // No answer (the server was killed mid-request): the outcome is unknown and nothing is expected.
      counts.unanswered++;
    }
  }
}

/** Every item of a paginated list (GET with a query string, or POST with a body). */
async function listAll(call, method, path, body = {}) {
  const out = [];
  let cursor;
  do {
    let res;
    if (method === 'GET') {
      const sep = path.includes('?') ? '&' : '?';
      res = await must(call, 'GET', `${path}${sep}page_size=100${cursor ? `&start_cursor=${cursor}` : ''}`);
    } else
      res = await must(call, method, path, { ...body, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) });
    out.push(...res.results);
    cursor = res.has_more ? res.next_cursor : undefined;
  } while (cursor);
  return out;
}

const plain = (richText) => (richText ?? []).map((t) => t.plain_text).join('');

/** What the API answers now: id → text, for children of the pool pages, database rows and comments. */
async function readBack(call, fixtures) {
  const seen = { page: new Map(), append: new Map(), row: new Map(), comment: new Map() };
  for (const id of fixtures.pool) {
    for (const b of await listAll(call, 'GET', `/v1/blocks/${id}/children`)) {
      if (b.type === 'child_page') seen.page.set(b.id, b.child_page.title);
      else if (b.type === 'paragraph') seen.append.set(b.id, plain(b.paragraph.rich_text));
    }
    for (const c of await listAll(call, 'GET', `/v1/comments?block_id=${id}`))
      seen.comment.set(c.id, plain(c.rich_text));
  }
  for (const r of await listAll(call, 'POST', `/v1/databases/${fixtures.databaseId}/query`))
    seen.row.set(r.id, plain(r.properties.Name.title));
  return seen;
}

const RETRIEVE = { page: '/v1/pages/', row: '/v1/pages/', append: '/v1/blocks/', comment: '/v1/comments/' };

/** The acknowledged writes the API does not answer with their text (all), or by id (those of the last round). */
async function findLost(call, fixtures, acks, fresh) {
  const seen = await readBack(call, fixtures);
  const lost = acks.filter((a) => seen[a.kind].get(a.id) !== a.tag).map((a) => ({ ...a, how: 'listing' }));
  for (const a of fresh) {
    const res = await call('GET', RETRIEVE[a.kind] + a.id);
    if (res.status !== 200) lost.push({ ...a, how: `retrieve ${res.status}` });
  }
  return lost;
}

async function restart(store, result) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = Date.now();
    try {
      const server = await spawnServe(store.args);
      result.restarts++;
      result.restartMs.push(Date.now() - t0);
      if (!server.stdout().includes('Existing data found')) result.reseeded++;
      return server;
    } catch (error) {
      result.failedRestarts++;
      result.errors.push(`restart: ${error.message.slice(0, 300)}`);
    }
  }
  throw new Error('three restarts in a row failed');
}

async function runStore(kind, kills, o, deadline, log) {
  const { IDS, TOKENS } = await loadFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'nl-durability-'));
  const store = await prepareStore(kind, o, dir);
  const counts = { attempted: 0, unanswered: 0, refused: [] };
  const result = {
    store: store.label,
    kills: 0,
    restarts: 0,
    failedRestarts: 0,
    reseeded: 0,
    restartMs: [],
    errors: [],
  };
  const acks = [];
  let lost = [];
  let server;
  const started = Date.now();
  try {
    server = await spawnServe(store.args);
    let call = apiCaller(server.url, TOKENS.full);
    const pool = [];
    for (let i = 0; i < POOL; i++)
      pool.push(
        (
          await must(call, 'POST', '/v1/pages', {
            parent: { page_id: IDS.sharedRoot },
            properties: titleProps(`dur pool ${i}`),
          })
        ).id,
      );
    const fixtures = { pool, databaseId: await createDatabase(call, IDS.sharedRoot, 'Durability rows') };
    for (let round = 0; round < kills && Date.now() < deadline; round++) {
      const state = { killed: false, acks: [] };
      const writers = Array.from({ length: o.writers }, (_, w) => writer(call, fixtures, round, w, state, counts));
      await sleep(o.minMs + Math.random() * (o.maxMs - o.minMs));
      server.proc.kill('SIGKILL');
      state.killed = true;
      await server.exited;
      result.kills++;
      await Promise.all(writers);
      acks.push(...state.acks);
      server = await restart(store, result);
      call = apiCaller(server.url, TOKENS.full);
      lost = await findLost(call, fixtures, acks, state.acks);
      log(
        `  ${kind} kill ${round + 1}/${kills}: ${state.acks.length} acknowledged (total ${acks.length}), lost ${lost.length}`,
      );
      if (lost.length > 0) break;
    }
  } catch (error) {
    result.errors.push(error.message.slice(0, 500));
  } finally {
    if (server) await server.kill('SIGTERM');
    await store.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  const byKind = Object.fromEntries(KINDS.map((k) => [k, acks.filter((a) => a.kind === k).length]));
  return {
    ...result,
    acknowledged: acks.length,
    acknowledgedByKind: byKind,
    lost: lost.length,
    lostSample: lost.slice(0, 5),
    attempted: counts.attempted,
    unanswered: counts.unanswered,
    refused: counts.refused.length,
    refusedSample: counts.refused.slice(0, 5),
    restartMsMedian: median(result.restartMs),
    restartMsMax: Math.max(0, ...result.restartMs),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    timedOut: result.kills < kills,
  };
}

function ok(r) {
  return (
    r.lost === 0 &&
    r.failedRestarts === 0 &&
    r.reseeded === 0 &&
    r.refused === 0 &&
    !r.timedOut &&
    r.errors.length === 0
  );
}

function printTable(report) {
  const lines = [
    `kill -9 durability (${report.env.date}, commit ${report.env.commit}, ${report.writers} writers, kill after ${report.minMs}-${report.maxMs} ms)`,
    '',
    '| store | kills | restarts | failed restarts | acknowledged (page / append / row / comment) | lost | unanswered | refused | restart median / max | seconds | ok |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | --- |',
    ...report.stores.map((r) => {
      const k = r.acknowledgedByKind;
      return `| ${r.store} | ${r.kills} | ${r.restarts} | ${r.failedRestarts} | ${r.acknowledged} (${k.page} / ${k.append} / ${k.row} / ${k.comment}) | ${r.lost} | ${r.unanswered} | ${r.refused} | ${r.restartMsMedian} / ${r.restartMsMax} ms | ${r.seconds} | ${ok(r) ? 'yes' : '**no**'} |`;
    }),
  ];
  for (const r of report.stores) for (const e of [...r.errors, ...r.refusedSample]) lines.push(`${r.store}: ${e}`);
  for (const r of report.stores) for (const l of r.lostSample) lines.push(`${r.store}: lost ${JSON.stringify(l)}`);
  console.log(lines.join('\n'));
}

export async function runDurability(o, log = (line) => console.error(line)) {
  const kinds = o.store === 'both' ? ['pglite', 'postgres'] : [o.store];
  const deadline = Date.now() + o.maxMinutes * 60_000;
  const stores = [];
  for (const [i, kind] of kinds.entries()) {
    const kills = Math.ceil((o.kills - stores.reduce((a, r) => a + r.kills, 0)) / (kinds.length - i));
    stores.push(await runStore(kind, kills, o, deadline, log));
  }
  return { env: environment(), writers: o.writers, minMs: o.minMs, maxMs: o.maxMs, stores, ok: stores.every(ok) };
}

const o = options(parseArgs());
try {
  const report = await runDurability(o);
  if (o.json) console.log(JSON.stringify(report));
  else printTable(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exitCode = 1;
}
