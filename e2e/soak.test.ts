// The soak, scaled down to seconds: `node bench/soak.mjs` measures the capacity of the mixed API load
// (retrieve, create page, create row, append, query, search, comments) for 2 s, runs it at 50 % of that for
// 6 s sampling every 2 s, and answers its report as JSON. Checked here: no request failed, the server's RSS
// did not grow more than 150 MB (generous: the full run's bound is its slope over 30 minutes), the request
// log stayed within `max_entries` (300, so that pruning must happen) and the cursor table within the
// queries sent. The full-size run is `node bench/soak.mjs --minutes 30` (figures in bench/README.md).
import { describe, expect, it } from 'vitest';
import { runBenchScript } from './support/bench-script.js';
import { POSTGRES_URL, skipMessageForPostgres } from './support/test-platform.js';

const MAX_ENTRIES = 300;

interface Sample {
  t: number;
  rssMb: number;
  requests: number;
  non2xx: number;
  requestLog: number;
  queryCursors: number;
}
interface Check {
  name: string;
  held: boolean;
}
interface SoakReport {
  requests: number;
  failures: number;
  samples: Sample[];
  analysis: { checks: Check[] };
}

const runSoak = (args: string[]) => runBenchScript<SoakReport>('soak.mjs', args);

const SHORT = ['--seconds', '6', '--interval', '2', '--capacity-seconds', '2', '--capacity-warmup', '1'];

function expectBounded(report: SoakReport): void {
  expect(report.failures).toBe(0);
  expect(report.requests).toBeGreaterThan(50);
  const rss = report.samples.map((s) => s.rssMb);
  expect(Math.max(...rss) - rss[0]!).toBeLessThan(150);
  expect(Math.max(...report.samples.map((s) => s.requestLog))).toBeLessThanOrEqual(MAX_ENTRIES);
  const cursors = report.analysis.checks.find((c) => c.name.startsWith('query_cursors'));
  expect(cursors?.held).toBe(true);
}

if (skipMessageForPostgres()) console.warn(`soak: ${skipMessageForPostgres()}`);

describe('soak, short (node bench/soak.mjs --seconds 6)', () => {
  it('PGlite: 6 s of mixed load at 50 % of capacity: no failure, RSS and the request log bounded', async () => {
    expectBounded(await runSoak([...SHORT, '--memory', '--max-entries', String(MAX_ENTRIES)]));
  }, 90_000);

  it.skipIf(!POSTGRES_URL)(
    'PostgreSQL: 6 s of mixed load at 50 % of capacity: no failure, RSS and the request log bounded',
    async () => {
      expectBounded(
        await runSoak([...SHORT, '--postgres', '--database-url', POSTGRES_URL, '--max-entries', String(MAX_ENTRIES)]),
      );
    },
    90_000,
  );
});
