// Runs the real `notion-local serve --in-memory --port 0` in this process, with timestamps between its
// phases, for `startup.mjs --profile`. Timestamps are ms since the process started
// (performance.timeOrigin). PGlite.create is wrapped (a static method, looked up at call time) to time
// the store boot; the rest of the code runs unchanged. Reports to the parent over IPC, then exits.
import { performance } from 'node:perf_hooks';

const t = { boot: performance.now() };
const { PGlite } = await import('@electric-sql/pglite');
t.pgliteImported = performance.now();
const { main } = await import(new URL('../../packages/cli/dist/main.js', import.meta.url).href);
t.cliImported = performance.now(); // commander, the server package, fastify, pino, zod...

const create = PGlite.create;
PGlite.create = async function timedCreate(...args) {
  t.pgliteCreateStart ??= performance.now();
  try {
    return await create.apply(this, args);
  } finally {
    t.pgliteCreateEnd ??= performance.now();
  }
};

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (t.ready === undefined && /notion-local ready: .*http:\/\/127\.0\.0\.1:\d+/.test(String(chunk))) {
    t.ready = performance.now();
    const r = (x) => Math.round(x * 10) / 10;
    process.send(
      {
        nodeBootMs: r(t.boot),
        importPgliteMs: r(t.pgliteImported - t.boot),
        importCliAndServerMs: r(t.cliImported - t.pgliteImported),
        // argv, config, demo seed validation, lock, template read
        beforeStoreMs: r(t.pgliteCreateStart - t.cliImported),
        pgliteCreateFromTemplateMs: r(t.pgliteCreateEnd - t.pgliteCreateStart), // untar into memory FS + Postgres boot
        afterStoreMs: r(t.ready - t.pgliteCreateEnd), // migrate check, seed, buildApp (Fastify), listen, sign-in link
        totalMs: r(t.ready),
      },
      () => process.exit(0),
    );
    return true;
  }
  return write(chunk, ...rest);
};
await main([process.argv[0], 'notion-local', 'serve', '--in-memory', '--port', '0']);
