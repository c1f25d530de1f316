// Shared by the toolkit benchmarks (toolkit-chaos.mjs, toolkit-budget.mjs): a `notion-local serve`
// child on loopback with a config file, small API/admin helpers, and the `notion-local` CLI as a child.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BIN, loadFixtures } from './lib/common.mjs';

export const ADMIN_TOKEN = 'admin_bench_token';

/**
 * Starts `notion-local serve --in-memory` (or on PostgreSQL with `databaseUrl`) on 127.0.0.1, port 0,
 * with the e2e seed and `config` (the serve config file's keys). Resolves once it printed its URL.
 */
export async function startServe(config, { databaseUrl, timeoutMs = 60_000 } = {}) {
  const { testSeed } = await loadFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'nl-toolkit-bench-'));
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(testSeed()));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ admin_token: ADMIN_TOKEN, log_level: 'error', ...config }));
  const store = databaseUrl ? ['--database-url', databaseUrl] : ['--in-memory'];
  const proc = spawn(
    process.execPath,
    [
      CLI_BIN,
      'serve',
      ...store,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--seed',
      join(dir, 'seed.json'),
      '--config',
      join(dir, 'config.json'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve not ready in ${timeoutMs} ms: ${err}`)), timeoutMs);
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url,
    dir,
    proc,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** One API call with the usual headers; throws on a non-2xx answer. */
export async function api(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'notion-version': '2022-06-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
}

export const admin = (baseUrl, method, path, body) => api(baseUrl, ADMIN_TOKEN, method, path, body);

/** Every page of a database (100 per query), through the API. */
export async function allPages(baseUrl, token, databaseId) {
  const pages = [];
  let cursor;
  for (;;) {
    const page = await api(baseUrl, token, 'POST', `/v1/databases/${databaseId}/query`, {
      page_size: 100,
      ...(cursor ? { start_cursor: cursor } : {}),
    });
    pages.push(...page.results);
    if (!page.has_more) return pages;
    cursor = page.next_cursor;
  }
}

export const titleOf = (page) =>
  Object.values(page.properties)
    .find((p) => p.type === 'title')
    ?.title.map((t) => t.plain_text)
    .join('') ?? '';

/** Requests of the request log after id `afterId` (newest first through the admin API), filtered by query. */
export async function loggedSince(baseUrl, afterId, query = '') {
  const out = [];
  let cursor = null;
  for (;;) {
    const page = await admin(
      baseUrl,
      'GET',
      `/__admin/requests?page_size=100${query}${cursor ? `&start_cursor=${cursor}` : ''}`,
    );
    for (const r of page.results) {
      if (r.id <= afterId) return out;
      out.push(r);
    }
    if (!page.has_more) return out;
    cursor = page.next_cursor;
  }
}

export async function lastLoggedId(baseUrl) {
  return (await admin(baseUrl, 'GET', '/__admin/requests?page_size=1')).results[0]?.id ?? 0;
}

/** Writes among logged requests: everything but GETs and the read-only POSTs (query, search). */
export const isWrite = (r) => r.method !== 'GET' && !/\/query$|^\/v1\/search$/.test(r.path);

/** Runs `notion-local …`; resolves with its exit code and output (killed after timeoutMs). */
export function runCli(args, { timeoutMs = 600_000, onStderr } = {}) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(String(d));
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
