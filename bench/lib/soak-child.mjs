// The server process of bench/soak.mjs: the platform on the end-to-end seed (rate limits off, the request
// log on with its retention limit), and, over the fork() IPC channel, the sizes the soak samples:
//   {cmd:'start', store, maxEntries} → {type:'started', url, storeKind, maxEntries}
//   {cmd:'stats'}                    → {type:'stats', requestLog, queryCursors, blocks, comments, heapUsed}
//   {cmd:'close'}                    → {type:'closed'} and exit
// The row counts are read on the platform's own store (the same connection the server uses).
import { startPlatform } from '@notion-local/server';
import { loadFixtures } from './common.mjs';

let platform;

const COUNTS_SQL = `SELECT (SELECT count(*) FROM request_log)::int AS request_log,
  (SELECT count(*) FROM query_cursors)::int AS query_cursors,
  (SELECT count(*) FROM blocks)::int AS blocks,
  (SELECT count(*) FROM comments)::int AS comments`;

async function handle(msg) {
  switch (msg.cmd) {
    case 'start': {
      const { testSeed } = await loadFixtures();
      const requestLog = msg.maxEntries ? { maxEntries: msg.maxEntries } : {};
      platform = await startPlatform({
        store: msg.store,
        port: 0,
        seed: testSeed(),
        config: { rateLimit: { enabled: false }, requestLog },
      });
      return { type: 'started', url: platform.url, storeKind: platform.store.kind };
    }
    case 'stats': {
      const [row] = await platform.store.query(COUNTS_SQL);
      return {
        type: 'stats',
        requestLog: Number(row.request_log),
        queryCursors: Number(row.query_cursors),
        blocks: Number(row.blocks),
        comments: Number(row.comments),
        heapUsed: process.memoryUsage().heapUsed,
      };
    }
    case 'close':
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
