// Slow clients and a connection flood against the server's limits, full size, on loopback, bounded in time:
//   node bench/slow-clients.mjs [--slow 2000] [--flood 2000] [--max-connections 1000]
//                               [--request-timeout-ms 30000] [--seconds 60]
// Starts the real `notion-local serve --in-memory` with those limits (other limits at their defaults), keeps a
// few connections of normal traffic busy, then opens `--slow` connections that send a request body at 1 byte/s
// and `--flood` connections at once. Reports, in a table: how many slow connections were let in (the rest are
// over the cap: 503), when the request timeout cut them off (408), what the flood got, what a new connection
// got while the server was full and after, and whether normal traffic kept answering 200 (count, p50, p99).
// Needs `npm run build` first. The exit code is 1 when normal traffic saw anything but 200 or the cap/timeouts
// did not hold.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    slow: { type: 'string', default: '2000' },
    flood: { type: 'string', default: '2000' },
    'max-connections': { type: 'string', default: '1000' },
    'request-timeout-ms': { type: 'string', default: '30000' },
    seconds: { type: 'string', default: '60' },
  },
});
const SLOW = Number(opts.slow);
const FLOOD = Number(opts.flood);
const MAX = Number(opts['max-connections']);
const REQUEST_TIMEOUT = Number(opts['request-timeout-ms']);
const DEADLINE = Date.now() + Number(opts.seconds) * 1000;
const NORMAL_CONNECTIONS = 4;
const BIN = new URL('../packages/cli/bin/notion-local.js', import.meta.url).pathname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `notion-local serve` with the limits under test; resolves with its URL, port, token and a stop function. */
async function serve() {
  const dir = mkdtempSync(join(tmpdir(), 'nl-slow-'));
  const config = join(dir, 'config.json');
  const server = { max_connections: MAX, request_timeout_ms: REQUEST_TIMEOUT };
  server.headers_timeout_ms = Math.min(10_000, REQUEST_TIMEOUT);
  writeFileSync(config, JSON.stringify({ rate_limit: { enabled: false }, server }));
  const proc = spawn(process.execPath, [BIN, 'serve', '--in-memory', '--port', '0', '--config', config]);
  let out = '';
  proc.stderr.on('data', (d) => process.stderr.write(d));
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      if (/ntn_\S+/.test(out)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)[0];
  const stop = async () => {
    proc.kill('SIGTERM');
    await new Promise((resolve) => proc.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, port: Number(url.split(':')[2]), token: /ntn_\S+/.exec(out)[0], stop };
}

/** Normal traffic: GET /v1/users/me back to back over kept-alive connections opened before the flood. */
function normalTraffic(port, token, stopAt) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: NORMAL_CONNECTIONS });
  const latencies = [];
  const statuses = new Map();
  const once = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.get({ host: '127.0.0.1', port, path: '/v1/users/me', agent, headers: headers(token) }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - started);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          resolve();
        });
      });
      req.on('error', (e) => {
        statuses.set(e.code, (statuses.get(e.code) ?? 0) + 1);
        resolve();
      });
    });
  const worker = async () => {
    while (Date.now() < stopAt()) await once();
  };
  const done = Promise.all(Array.from({ length: NORMAL_CONNECTIONS }, worker)).then(() => agent.destroy());
  return { done, latencies, statuses };
}

const headers = (token) => ({ authorization: `Bearer ${token}`, 'notion-version': '2022-06-28' });

/** A raw connection: the status of the answer it got (or "closed"), and when (ms after opening). */
function rawConnection(port, onOpen) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', () => undefined);
    socket.on('connect', () => onOpen(socket));
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 'closed';
      resolve({ status, ms: Date.now() - started, wellFormed: status === 'closed' || wellFormed(data) });
    });
  });
}

/** The body is Notion's error shape with a status equal to the response's. */
function wellFormed(text) {
  try {
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    return body.object === 'error' && String(body.status) === text.slice(9, 12) && typeof body.code === 'string';
  } catch {
    return false;
  }
}

/** A fresh connection's answer to GET /v1/users/me, via fetch (as an SDK would), within 5 s. */
async function probeNewConnection(url, token) {
  try {
    const res = await fetch(`${url}/v1/users/me`, { headers: headers(token), signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return String(res.status);
  } catch (error) {
    return error.name === 'TimeoutError' ? 'timeout' : (error.cause?.code ?? error.name);
  }
}

function count(results, key = 'status') {
  const counts = {};
  for (const r of results) counts[r[key]] = (counts[r[key]] ?? 0) + 1;
  return Object.entries(counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN);

async function main() {
  const server = await serve();
  let trafficUntil = DEADLINE;
  const traffic = normalTraffic(server.port, server.token, () => trafficUntil);
  await sleep(500); // the normal connections are open before the flood

  // Slow bodies: headers at once, then one byte a second of a 1,000-byte body, on every open connection.
  const head = `POST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.token}\r\n`;
  const request = `${head}Notion-Version: 2022-06-28\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
  const slowSockets = new Set();
  const slowStarted = Date.now();
  const slow = [];
  for (let i = 0; i < SLOW; i++) {
    slow.push(
      rawConnection(server.port, (socket) => {
        socket.write(request);
        slowSockets.add(socket);
        socket.once('close', () => slowSockets.delete(socket));
      }),
    );
    if (i % 200 === 199) await sleep(50);
  }
  const trickle = setInterval(() => {
    for (const socket of slowSockets) if (socket.writable) socket.write(' ');
  }, 1000);
  await sleep(1000);

  // A flood of connections that send a request at once; then a new client while the slow ones fill the server.
  const flood = Array.from({ length: FLOOD }, () =>
    rawConnection(server.port, (socket) => socket.write(`GET /v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)),
  );
  const floodResults = await Promise.all(flood);
  const whileFull = await probeNewConnection(server.url, server.token);

  // Until the request timeout frees the slots: when does a new connection get 200 again?
  let freedAfter = null;
  while (Date.now() < DEADLINE - 2000 && (freedAfter === null || slowSockets.size > 0)) {
    if (freedAfter === null && (await probeNewConnection(server.url, server.token)) === '200')
      freedAfter = Date.now() - slowStarted;
    await sleep(500);
  }
  clearInterval(trickle);
  for (const socket of slowSockets) socket.destroy(); // any still open at the deadline
  const slowResults = await Promise.all(slow);
  trafficUntil = 0;
  await traffic.done;
  await server.stop();
  return { slowResults, floodResults, whileFull, freedAfter, traffic };
}

function report({ slowResults, floodResults, whileFull, freedAfter, traffic }) {
  const cut = slowResults.filter((r) => r.status === '408').map((r) => r.ms);
  cut.sort((a, b) => a - b);
  const latencies = [...traffic.latencies].sort((a, b) => a - b);
  const normal = [...traffic.statuses].map(([k, v]) => `${k}: ${v}`).join(', ');
  const malformed = [...slowResults, ...floodResults].filter((r) => !r.wellFormed).length;
  const rows = [
    ['limits', `max_connections ${MAX}, request_timeout_ms ${REQUEST_TIMEOUT}`],
    [`slow bodies (${SLOW}, 1 byte/s)`, count(slowResults)],
    ['  cut off (408) after, ms', cut.length ? `min ${cut[0]}, p50 ${pct(cut, 0.5)}, max ${cut.at(-1)}` : '—'],
    [`flood (${FLOOD} at once)`, count(floodResults)],
    ['answers not in Notion’s shape', String(malformed)],
    ['new connection while full', whileFull],
    ['new connection answers 200 again after, ms', freedAfter === null ? 'not within the run' : String(freedAfter)],
    [`normal traffic (${NORMAL_CONNECTIONS} kept connections)`, normal],
    ['  latency, ms', `p50 ${pct(latencies, 0.5).toFixed(1)}, p99 ${pct(latencies, 0.99).toFixed(1)}`],
  ];
  console.log('| measure | result |\n| --- | --- |');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  const normalOk = [...traffic.statuses.keys()].every((k) => k === 200) && latencies.length > 0;
  const admitted = slowResults.filter((r) => r.status !== '503' && r.status !== 'closed').length;
  const held = normalOk && malformed === 0 && admitted <= MAX && cut.every((ms) => ms < REQUEST_TIMEOUT + 5000);
  console.log(held ? '\nlimits held' : '\nLIMITS DID NOT HOLD');
  return held;
}

const held = report(await main());
process.exit(held ? 0 : 1);
