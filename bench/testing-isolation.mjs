// Cheap isolation (issue 18): one notion-local server with Notion's default rate limits ON, shared by WORKERS
// child processes (as a test runner's workers would be) that together run TESTS tests of CALLS API calls each.
// Every test makes its own workspace from one seed (`nl.workspace(seed)`) and uses only its own token, so the
// per-integration and per-workspace budgets of one test never slow another: the run takes a fraction of what the
// same calls through ONE integration at Notion's average 3 requests/second would (TESTS × CALLS / 3 seconds).
// Also: workspace creation p50/p99 (as the test sees it, over HTTP), 429s (target 0),
// and that no test saw another's pages.
//   node bench/testing-isolation.mjs [--tests 50] [--calls 20] [--workers 4] [--json]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, percentile, round } from './lib/common.mjs';

const SEED = {
  name: 'Test workspace',
  users: [{ name: 'Ada', email: 'ada@example.com' }],
  integrations: [{ name: 'Bot' }],
  pages: [{ title: 'Home', shared_with: ['Bot'], children: [{ title: 'Child' }] }],
};

/** One worker: runs its share of the tests one after another against the shared server. */
async function worker() {
  const { startNotionLocal } = await import('notion-local/testing');
  const { tests, calls } = JSON.parse(process.env.ISOLATION_WORK);
  const nl = await startNotionLocal({ seed: null });
  const results = [];
  for (let t = 0; t < tests; t++) {
    const started = performance.now();
    const ws = await nl.workspace(SEED);
    const createdMs = performance.now() - started;
    const headers = {
      authorization: `Bearer ${ws.tokens.Bot}`,
      'notion-version': '2022-06-28',
      'content-type': 'application/json',
    };
    let limited = 0;
    const made = [];
    for (let c = 0; c < calls; c++) {
      const create = c % 2 === 0;
      const response = create
        ? await fetch(`${nl.baseUrl}/v1/pages`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              parent: { page_id: ws.ids.Home },
              properties: { title: { title: [{ text: { content: `t${t}c${c}` } }] } },
            }),
          })
        : await fetch(`${nl.baseUrl}/v1/pages/${made.at(-1) ?? ws.ids.Home}`, { headers });
      if (response.status === 429) limited += 1;
      const body = await response.json();
      if (create && response.status === 200) made.push(body.id);
    }
    const search = await fetch(`${nl.baseUrl}/v1/search`, { method: 'POST', headers, body: '{}' });
    const seen = (await search.json()).results.map((r) => r.id);
    const foreign = seen.filter((id) => id !== ws.ids.Home && id !== ws.ids.Child && !made.includes(id)).length;
    results.push({ createdMs, limited, foreign });
  }
  await nl.close();
  process.send(results);
}

async function main() {
  const args = parseArgs();
  const tests = Number(args.tests ?? 50);
  const calls = Number(args.calls ?? 20);
  const workers = Number(args.workers ?? 4);
  const { startNotionLocal } = await import('notion-local/testing');
  // Notion's default limits: 180 requests per minute per integration and a shared per-workspace budget.
  const nl = await startNotionLocal({ seed: null, config: { rateLimit: { enabled: true } } });
  const started = performance.now();
  const shares = Array.from({ length: workers }, (_, w) => Math.floor(tests / workers) + (w < tests % workers ? 1 : 0));
  const runs = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const child = fork(fileURLToPath(import.meta.url), ['--worker'], {
            env: { ...process.env, ...nl.env, ISOLATION_WORK: JSON.stringify({ tests: share, calls }) },
          });
          child.once('message', resolve);
          child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`worker exited ${code}`))));
        }),
    ),
  );
  const wallMs = performance.now() - started;
  await nl.close();
  const all = runs.flat();
  const created = all.map((r) => r.createdMs);
  const oneIntegrationSeconds = (tests * calls) / 3;
  const result = {
    tests,
    calls: tests * calls,
    workers,
    wallSeconds: round(wallMs / 1000, 2),
    oneIntegrationAt3PerSecondSeconds: round(oneIntegrationSeconds, 1),
    ratio: round(wallMs / 1000 / oneIntegrationSeconds, 4),
    rateLimited: all.reduce((sum, r) => sum + r.limited, 0),
    foreignPagesSeen: all.reduce((sum, r) => sum + r.foreign, 0),
    workspaceCreateMs: { p50: round(percentile(created, 50), 1), p99: round(percentile(created, 99), 1) },
    // Each worker's first workspace pays for its first connection and the server's first seed load, all four
    // at once; after that a workspace costs what the seed's writes cost.
    firstOfEachWorkerMs: runs.map((r) => round(r[0].createdMs, 0)),
    afterFirstMs: {
      p50: round(
        percentile(
          runs.flatMap((r) => r.slice(1).map((x) => x.createdMs)),
          50,
        ),
        1,
      ),
      p99: round(
        percentile(
          runs.flatMap((r) => r.slice(1).map((x) => x.createdMs)),
          99,
        ),
        1,
      ),
    },
  };
  console.log(args.json ? JSON.stringify(result) : result);
  process.exitCode = result.rateLimited === 0 && result.foreignPagesSeen === 0 ? 0 : 1;
}

if (process.argv.includes('--worker')) await worker();
else await main();
