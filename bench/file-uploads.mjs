// Benchmark: file uploads in and out of the store (issue 16). Without an SDK (fetch and multipart/form-data):
// create → send (→ complete) 100 files of 1 MiB and 10 of 20 MiB, attach them to a page as file blocks, then read
// every one back through its signed `file.url` (no token) and check the bytes. 20 MiB files go as one part of
// 20 MiB, and again as 4 parts of 5 MiB (multi_part). MiB/s up and down, each as a ratio to writing and reading
// the same number of bytes into and out of the same store with the engine's own client in the same run (a
// scratch table with a bytea column; base64 as the repository moves upload bytes, and raw binary). The server's
// RSS (/proc/<pid>/status VmRSS every 20 ms) during each 20 MiB send, above its RSS just before (after a full
// GC), in multiples of the part size.
//   node bench/file-uploads.mjs [--store pglite|pglite-dir|postgres|both|all] [--database-url URL]
//                               [--small 100] [--large 10] [--quick] [--json]
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DEFAULT_POSTGRES_URL, environment, isMain, loadFixtures, median, parseArgs, round } from './lib/common.mjs';
import { storeFor } from './lib/http-bench.mjs';

const MIB = 1024 * 1024;
const VERSION = '2025-09-03';
const CHILD = new URL('./lib/file-upload-child.mjs', import.meta.url);

/** The server process and its IPC calls (lib/file-upload-child.mjs). */
function startChild() {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
  const pending = new Map();
  let next = 1;
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(`server: ${msg.message}`));
    else p.resolve(msg);
  });
  child.once('exit', () => {
    for (const p of pending.values()) p.reject(new Error('the server process exited'));
  });
  const call = (cmd, fields = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...fields });
    });
  return { pid: child.pid, call, kill: () => child.kill('SIGKILL') };
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)[1]) * 1024;
}

/** Samples the RSS of `pid` every 20 ms while `work` runs; the peak, and the RSS when it started. */
async function peakRss(pid, work) {
  const before = rssBytes(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { before, peak: Math.max(peak, rssBytes(pid)) };
}

function client(base, token) {
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'notion-version': VERSION,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body instanceof FormData || body === undefined ? body : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

const form = (data, filename, part) => {
  const body = new FormData();
  if (part !== undefined) body.set('part_number', String(part));
  body.set('file', new Blob([data], { type: 'application/octet-stream' }), filename);
  return body;
};

/**
 * Uploads `count` random files of `size` bytes (in `parts` parts; 1: single_part), sequentially; answers their
 * ids and hashes, the time of the creates and sends (and completes), and the RSS around each send.
 */
async function upload(api, { count, size, parts, name, pid, settle }) {
  const files = [];
  const rss = [];
  let ms = 0;
  for (let i = 0; i < count; i++) {
    const data = randomBytes(size);
    const filename = `${name}-${i}.bin`;
    const send = async (id) => {
      if (parts === 1) return api('POST', `/v1/file_uploads/${id}/send`, form(data, filename));
      const partSize = size / parts;
      for (let p = 1; p <= parts; p++) {
        const part = data.subarray((p - 1) * partSize, p * partSize);
        await api('POST', `/v1/file_uploads/${id}/send`, form(part, filename, p));
      }
      return api('POST', `/v1/file_uploads/${id}/complete`);
    };
    if (settle) await settle(); // outside the timing: a full GC in the server, so `before` is its settled RSS
    const start = performance.now();
    const created = await api(
      'POST',
      '/v1/file_uploads',
      parts === 1 ? { filename } : { mode: 'multi_part', filename, number_of_parts: parts },
    );
    let done;
    if (pid) rss.push(await peakRss(pid, async () => (done = await send(created.id))));
    else done = await send(created.id);
    ms += performance.now() - start;
    if (done.status !== 'uploaded' || done.content_length !== size)
      throw new Error(`upload ${filename}: ${done.status}`);
    files.push({ id: created.id, sha: createHash('sha256').update(data).digest('hex') });
  }
  return { files, ms, rss };
}

/** Attaches the uploads to a new page as file blocks (100 at a time) and answers their signed URLs in order. */
async function attach(api, parentId, files) {
  const page = await api('POST', '/v1/pages', {
    parent: { page_id: parentId },
    properties: { title: { title: [{ text: { content: 'Uploads' } }] } },
  });
  for (let i = 0; i < files.length; i += 100) {
    const children = files
      .slice(i, i + 100)
      .map((f) => ({ type: 'file', file: { type: 'file_upload', file_upload: { id: f.id } } }));
    await api('PATCH', `/v1/blocks/${page.id}/children`, { children });
  }
  const urls = [];
  let cursor;
  do {
    const list = await api(
      'GET',
      `/v1/blocks/${page.id}/children?page_size=100${cursor ? `&start_cursor=${cursor}` : ''}`,
    );
    urls.push(...list.results.map((b) => b.file.file.url));
    cursor = list.has_more ? list.next_cursor : undefined;
  } while (cursor);
  return urls;
}

/** Reads every file back through its URL, without a token, checking its bytes; the time it took. */
async function download(urls, files, pid) {
  const rss = [];
  let ms = 0;
  for (const [i, url] of urls.entries()) {
    const start = performance.now();
    let body;
    const read = async () => {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    };
    if (pid) rss.push(await peakRss(pid, read));
    else await read();
    ms += performance.now() - start;
    if (createHash('sha256').update(body).digest('hex') !== files[i].sha)
      throw new Error(`file ${i} read back other bytes`);
  }
  return { ms, rss };
}

const mibPerS = (bytes, ms) => bytes / MIB / (ms / 1000);

/** The peak RSS over the RSS before, in multiples of the part size: the worst send, and the median one. */
function rssFigures(samples, partSize) {
  const over = samples.map((s) => (s.peak - s.before) / partSize);
  return {
    firstPartSizes: round(over[0], 2),
    worstPartSizes: round(Math.max(...over), 2),
    medianPartSizes: round(median(over), 2),
    idleMiB: round(samples[0].before / MIB, 1),
  };
}

async function runCase(ctx, { name, count, size, parts, memory }) {
  const { api, child, parentId } = ctx;
  const settle = memory ? () => child.call('gc') : undefined;
  const up = await upload(api, { count, size, parts, name, pid: memory ? child.pid : null, settle });
  const urls = await attach(api, parentId, up.files);
  if (memory) await child.call('gc');
  const down = await download(urls, up.files, memory ? child.pid : null);
  const bytes = count * size;
  const out = {
    case: name,
    files: count,
    fileMiB: size / MIB,
    parts,
    upMiBps: round(mibPerS(bytes, up.ms), 1),
    downMiBps: round(mibPerS(bytes, down.ms), 1),
  };
  for (const transfer of ['base64', 'binary']) {
    // The binary baseline is slow on PGlite (~1.5 MiB/s): it writes at most 60 MiB (a rate, so a sample will do).
    const n = transfer === 'binary' ? Math.min(count * parts, Math.ceil((60 * MIB) / (size / parts))) : count * parts;
    const b = await child.call('baseline', { size: size / parts, count: n, transfer });
    out[transfer] = {
      writeMiBps: round(mibPerS(b.bytes, b.writeMs), 1),
      readMiBps: round(mibPerS(b.bytes, b.readMs), 1),
    };
    out[`upRatio_${transfer}`] = round(out.upMiBps / out[transfer].writeMiBps, 2);
    out[`downRatio_${transfer}`] = round(out.downMiBps / out[transfer].readMiBps, 2);
  }
  if (memory) {
    out.rssUpload = rssFigures(up.rss, size / parts);
    out.rssDownload = rssFigures(down.rss, size / parts);
  }
  return out;
}

/** PGlite on a data directory in the OS tmpdir (removed after): stored bytes go to files, not to the heap. */
function dataDirStore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nl-bench-uploads-'));
  return {
    options: { kind: 'pglite', dataDir },
    label: 'PGlite (data dir)',
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresReachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function runFileUploads(
  kind,
  { small = 100, large = 10, postgresUrl = DEFAULT_POSTGRES_URL, log = () => undefined } = {},
) {
  const { TOKENS, IDS } = await loadFixtures();
  const store = kind === 'pglite-dir' ? dataDirStore() : storeFor(kind, postgresUrl);
  const child = startChild();
  try {
    const { url } = await child.call('start', { store: store.options });
    const ctx = { api: client(url, TOKENS.full), child, parentId: IDS.sharedRoot };
    // Warm-up: a few small files through the whole path, not counted.
    await runCase(ctx, { name: 'warm', count: 3, size: MIB, parts: 1, memory: false });
    const cases = [
      { name: '1 MiB single part', count: small, size: MIB, parts: 1, memory: false },
      { name: '20 MiB single part', count: large, size: 20 * MIB, parts: 1, memory: true },
      { name: '20 MiB in 4 parts of 5 MiB', count: large, size: 20 * MIB, parts: 4, memory: true },
    ];
    const results = [];
    for (const c of cases) {
      log(`${store.label}: ${c.name} × ${c.count}`);
      results.push(await runCase(ctx, c));
      log(JSON.stringify(results.at(-1)));
    }
    return { store: store.label, results };
  } finally {
    await child.call('close').catch(() => child.kill());
    await store.cleanup().catch(() => undefined);
  }
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const postgresUrl = args['database-url'] ?? process.env.NOTION_LOCAL_BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const which = args.store ?? 'both';
  const kinds =
    which === 'all' ? ['pglite', 'pglite-dir', 'postgres'] : which === 'both' ? ['pglite', 'postgres'] : [which];
  const options = {
    small: Number(args.small ?? (args.quick ? 10 : 100)),
    large: Number(args.large ?? (args.quick ? 2 : 10)),
    postgresUrl,
    log: console.error,
  };
  const out = { id: 'file-uploads', environment: environment(), runs: [] };
  for (const kind of kinds) {
    if (kind === 'postgres' && !(await postgresReachable(postgresUrl))) {
      out.runs.push({ store: 'PostgreSQL', skipped: `not reachable at ${postgresUrl}` });
      continue;
    }
    out.runs.push(await runFileUploads(kind, options));
  }
  if (args.json) console.log(JSON.stringify(out, null, 2));
  else {
    console.log(
      '| store | case | up MiB/s | ÷ base64 write | ÷ binary write | down MiB/s | ÷ base64 read | ÷ binary read | RSS peak over idle (part sizes): send first / worst / median, read worst |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const run of out.runs) {
      if (run.skipped) {
        console.log(`| ${run.store} | skipped: ${run.skipped} ||||||||`);
        continue;
      }
      for (const r of run.results) {
        const rss = r.rssUpload
          ? `${r.rssUpload.firstPartSizes} / ${r.rssUpload.worstPartSizes} / ${r.rssUpload.medianPartSizes}, ${r.rssDownload.worstPartSizes} (idle ${r.rssUpload.idleMiB} MiB)`
          : '—';
        console.log(
          `| ${run.store} | ${r.files} × ${r.case} | ${r.upMiBps} | ${r.upRatio_base64} (${r.base64.writeMiBps}) | ${r.upRatio_binary} (${r.binary.writeMiBps}) | ${r.downMiBps} | ${r.downRatio_base64} (${r.base64.readMiBps}) | ${r.downRatio_binary} (${r.binary.readMiBps}) | ${rss} |`,
        );
      }
    }
  }
}
