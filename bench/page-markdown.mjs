// Benchmark: GET /v1/pages/{id}/markdown of a 1,000-block page against reading the same blocks with
// GET /v1/blocks/{id}/children (every page of 100, and recursively every block that has children), in the same
// run, interleaved round by round so both see the same machine. Figure: median markdown time / median children
// time; target ≤ 1.5×. The platform runs in this process (one client at a time, sequential requests).
// Run alone: node bench/page-markdown.mjs [--postgres] [--rounds N] [--database-url URL]
import { startPlatform } from '@notion-local/server';
import { DEFAULT_POSTGRES_URL, isMain, loadFixtures, median, parseArgs, round } from './lib/common.mjs';
import { storeFor } from './lib/http-bench.mjs';

const VERSION = '2025-09-03';
export const TARGET = 1.5;

const text = (content) => [{ type: 'text', text: { content } }];
/** One batch of 100 top-level blocks, every tenth with two children: 120 blocks. */
function batch(n) {
  const blocks = [];
  for (let i = 0; i < 100; i++) {
    const k = n * 100 + i;
    if (i % 10 === 0) {
      blocks.push({
        toggle: {
          rich_text: text(`Toggle ${k}`),
          children: [{ paragraph: { rich_text: text(`inside ${k}`) } }, { to_do: { rich_text: text('task') } }],
        },
      });
    } else if (i % 3 === 0)
      blocks.push({
        bulleted_list_item: {
          rich_text: [...text(`item ${k} `), { type: 'text', text: { content: 'bold' }, annotations: { bold: true } }],
        },
      });
    else blocks.push({ paragraph: { rich_text: text(`Paragraph ${k}: some text with a [bracket] and *stars*.`) } });
  }
  return blocks;
}

async function api(base, token, path, method = 'GET', body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'notion-version': VERSION, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Every block below `id`, as a client reads them: each page of children, then each block that has children. */
async function readChildren(base, token, id) {
  let count = 0;
  let cursor;
  const parents = [];
  do {
    const page = await api(
      base,
      token,
      `/v1/blocks/${id}/children?page_size=100${cursor ? `&start_cursor=${cursor}` : ''}`,
    );
    for (const b of page.results) {
      count++;
      if (b.has_children && b.type !== 'child_page' && b.type !== 'child_database') parents.push(b.id);
    }
    cursor = page.has_more ? page.next_cursor : undefined;
  } while (cursor);
  for (const parent of parents) count += await readChildren(base, token, parent);
  return count;
}

export async function runPageMarkdown(
  kind,
  { rounds = 30, postgresUrl = DEFAULT_POSTGRES_URL, log = () => undefined } = {},
) {
  const { testSeed, TOKENS, IDS } = await loadFixtures();
  const store = storeFor(kind, postgresUrl);
  const platform = await startPlatform({
    store: store.options,
    port: 0,
    seed: testSeed(),
    config: { rateLimit: { enabled: false } },
  });
  try {
    const base = platform.url;
    const token = TOKENS.full;
    const page = await api(base, token, '/v1/pages', 'POST', {
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: text('Bench page') } },
    });
    // 8 batches of 120 blocks, then 32 top-level blocks (4 toggles with 2 children each): 1,000 blocks.
    for (let n = 0; n < 8; n++)
      await api(base, token, `/v1/blocks/${page.id}/children`, 'PATCH', { children: batch(n) });
    await api(base, token, `/v1/blocks/${page.id}/children`, 'PATCH', { children: batch(8).slice(0, 32) });
    const blocks = await readChildren(base, token, page.id);
    log(`page ${page.id}: ${blocks} blocks`);
    const md = await api(base, token, `/v1/pages/${page.id}/markdown`);
    if (!md.markdown.includes('Paragraph 831:')) throw new Error('the Markdown misses the last blocks');
    const times = { markdown: [], children: [] };
    for (let r = 0; r < rounds + 3; r++) {
      const order = r % 2 === 0 ? ['markdown', 'children'] : ['children', 'markdown'];
      for (const which of order) {
        const start = performance.now();
        if (which === 'markdown') await api(base, token, `/v1/pages/${page.id}/markdown`);
        else await readChildren(base, token, page.id);
        if (r >= 3) times[which].push(performance.now() - start); // the first rounds warm up
      }
    }
    const markdownMs = median(times.markdown);
    const childrenMs = median(times.children);
    const ratio = markdownMs / childrenMs;
    return {
      id: 'page-markdown',
      title: 'GET /markdown of a page vs GET /children of its blocks (recursive)',
      store: store.label,
      blocks,
      rounds,
      markdownMedianMs: round(markdownMs),
      childrenMedianMs: round(childrenMs),
      ratio: round(ratio, 3),
      target: TARGET,
      met: ratio <= TARGET,
    };
  } finally {
    await platform.close();
    await store.cleanup();
  }
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const kind = args.postgres ? 'postgres' : 'pglite';
  const result = await runPageMarkdown(kind, {
    rounds: Number(args.rounds ?? 30),
    postgresUrl: args['database-url'] ?? DEFAULT_POSTGRES_URL,
    log: console.error,
  });
  console.log(JSON.stringify(result, null, 2));
  if (!result.met) process.exitCode = 0; // a missed target is a figure, not a failure to run
}
