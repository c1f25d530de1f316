// The server process of bench/file-uploads.mjs: the platform (test seed, rate limits off) on the store it is
// given, and the store baselines, run here on the very store the server uses through the engine's own client
// (PGlite.query / pg.Pool.query). Started with --expose-gc so that the parent can settle the heap before it
// measures. Driven over the fork() IPC channel:
//   {cmd:'start', store}                        → {type:'started', url}
//   {cmd:'baseline', size, count, transfer}     → {type:'baseline', writeMs, readMs, bytes}
//   {cmd:'gc'}                                  → {type:'gc', memory}   (process.memoryUsage after a full GC)
//   {cmd:'close'}                               → {type:'closed'} and exit
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@notion-local/server';
import { loadFixtures } from './common.mjs';

const SCRATCH = 'bench_file_scratch';
let platform;

function engineQuery(store) {
  if (store.kind === 'pglite') return (sql, params) => store.db.query(sql, params);
  return (sql, params) => store.pool.query(sql, params);
}

/** A bytea value as the engine's client answers it: a Buffer or Uint8Array (PGlite), or a Buffer (pg). */
const asBuffer = (value) =>
  Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);

/**
 * `count` files of `size` random bytes written one by one into a scratch table (one row each, bytea), then read
 * back one by one, through the engine's own client. `transfer`: 'base64' as the repository moves upload bytes
 * (decode($2, 'base64') in, encode(data, 'base64') out, the text made and parsed in JavaScript, both timed), or
 * 'binary' (the Buffer as the parameter, the bytea column as the result, as the client converts them).
 */
async function baseline(size, count, transfer) {
  const store = platform.store;
  const query = engineQuery(store);
  await store.exec(
    `DROP TABLE IF EXISTS ${SCRATCH}; CREATE TABLE ${SCRATCH} (id int PRIMARY KEY, data bytea NOT NULL)`,
  );
  const files = Array.from({ length: count }, () => randomBytes(size));
  const base64 = transfer === 'base64';
  let start = performance.now();
  for (const [i, data] of files.entries()) {
    if (base64)
      await query(`INSERT INTO ${SCRATCH} (id, data) VALUES ($1, decode($2, 'base64'))`, [i, data.toString('base64')]);
    else await query(`INSERT INTO ${SCRATCH} (id, data) VALUES ($1, $2)`, [i, data]);
  }
  const writeMs = performance.now() - start;
  start = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const sql = base64
      ? `SELECT encode(data, 'base64') AS data FROM ${SCRATCH} WHERE id = $1`
      : `SELECT data FROM ${SCRATCH} WHERE id = $1`;
    const result = await query(sql, [i]);
    const value = result.rows[0].data;
    const read = base64 ? Buffer.from(value, 'base64') : asBuffer(value);
    if (read.length !== size || !read.subarray(0, 64).equals(files[i].subarray(0, 64)))
      throw new Error('baseline read back other bytes');
    bytes += read.length;
  }
  const readMs = performance.now() - start;
  await store.exec(`DROP TABLE IF EXISTS ${SCRATCH}`);
  return { writeMs, readMs, bytes };
}

async function handle(msg) {
  switch (msg.cmd) {
    case 'start': {
      const { testSeed } = await loadFixtures();
      platform = await startPlatform({
        store: msg.store,
        port: 0,
        seed: testSeed(),
        config: { rateLimit: { enabled: false } },
      });
      return { type: 'started', url: platform.url };
    }
    case 'baseline':
      return { type: 'baseline', ...(await baseline(msg.size, msg.count, msg.transfer)) };
    case 'gc':
      globalThis.gc?.();
      return { type: 'gc', memory: process.memoryUsage() };
    case 'close':
      await platform.store.exec(`DROP TABLE IF EXISTS ${SCRATCH}`).catch(() => undefined);
      await platform.close();
      return { type: 'closed' };
    default:
      throw new Error(`unknown command ${msg.cmd}`);
  }
}

process.on('message', (msg) => {
  handle(msg).then(
    (reply) =>
      process.send({ id: msg.id, ...reply }, () => {
        if (reply.type === 'closed') process.exit(0);
      }),
    (error) => process.send({ id: msg.id, type: 'error', message: error?.stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
