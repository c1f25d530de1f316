// Benchmark: `notion-local clone` of a local server (issue 19). A database of N rows (each with one paragraph of
// content) under the test seed's shared root is cloned by the real CLI at --rate R; reported: objects cloned,
// requests per object, and the time against the minimum the rate allows ((requests − burst) / R): the share of the
// budget used by the crawl (1.0 = every slot the pacing allows was used).
//   node bench/clone.mjs [--rows 1000] [--rate 50] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '../packages/server/dist/index.js';
import { CLI_BIN, isMain, loadFixtures, parseArgs, round } from './lib/common.mjs';

const VERSION = '2025-09-03';

async function api(base, token, method, path, body) {
  const response = await fetch(`${base}/v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'notion-version': VERSION, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function fill(base, token, root, rows) {
  const rt = (content) => [{ type: 'text', text: { content } }];
  const db = await api(base, token, 'POST', 'databases', {
    parent: { type: 'page_id', page_id: root },
    title: rt('Bench'),
    initial_data_source: { properties: { Name: { title: {} }, N: { number: {} } } },
  });
  const source = db.data_sources[0].id;
  for (let start = 0; start < rows; start += 20) {
    const batch = [];
    for (let n = start; n < Math.min(rows, start + 20); n++)
      batch.push(
        api(base, token, 'POST', 'pages', {
          parent: { data_source_id: source },
          properties: { Name: { title: rt(`Row ${n}`) }, N: { number: n } },
          children: [{ paragraph: { rich_text: rt(`Content of row ${n}`) } }],
        }),
      );
    await Promise.all(batch);
  }
}

function runClone(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(stderr))));
  });
}

export async function run(options = {}) {
  const rows = Number(options.rows ?? 1000);
  const rate = Number(options.rate ?? 50);
  const { TOKENS, IDS, testSeed } = await loadFixtures();
  const platform = await startPlatform({
    store: { kind: 'memory' },
    port: 0,
    seed: testSeed(),
    config: { rateLimit: { enabled: false } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'nl-bench-clone-'));
  try {
    await fill(platform.url, TOKENS.full, IDS.sharedRoot, rows);
    const started = performance.now();
    const out = join(dir, 'clone.json');
    const args = ['clone', '--base-url', platform.url, '--token', TOKENS.full, '--out', out, '--json'];
    const result = await runClone([...args, '--rate', String(rate), '--no-journal']);
    const seconds = (performance.now() - started) / 1000;
    // The pacing lets one second's worth go at once (the default burst), then one request every 1/rate s.
    const budget = rate > 0 ? Math.max(0, result.requests - rate) / rate : null;
    return {
      rows,
      rate,
      objects: result.objects,
      requests: result.requests,
      requests_per_object: round(result.requests / result.objects, 3),
      seconds: round(seconds, 1),
      crawl_seconds: round(result.ms / 1000, 1),
      budget_seconds: budget === null ? null : round(budget, 1),
      // The crawl's own time (the CLI's start, the restore and the file write are not paced requests).
      budget_share: budget === null ? null : round(budget / (result.ms / 1000), 3),
      unreadable: result.unreadable.length,
    };
  } finally {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const result = await run(options);
  if (options.json) console.log(JSON.stringify(result, null, 2));
  else
    console.log(
      `clone: ${result.objects} objects, ${result.requests} requests (${result.requests_per_object}/object), ` +
        `crawl ${result.crawl_seconds}s (total ${result.seconds}s) at --rate ${result.rate}` +
        (result.budget_share === null ? '' : ` = ${Math.round(result.budget_share * 100)} % of the rate budget used`),
    );
}
