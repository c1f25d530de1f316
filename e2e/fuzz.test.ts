// The fuzz suite, short version (the full size is `node bench/fuzz.mjs --runs 100000`): requests made by
// fast-check (e2e/support/request-arbitraries.ts) — methods, paths, query strings, headers, and bodies of
// every route with mutations (wrong types, huge numbers, deep nesting, NUL and lone surrogates, long
// strings, raw bytes) — must give no 5xx and only Notion-shaped errors with a known code. Repeatable: the
// seed is fixed; a failure shows fast-check's shrunk counterexample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from './support/fuzz-runner.js';
import { startTestPlatform, storeKinds, type TestPlatform } from './support/test-platform.js';

const RUNS = 1_500;
const SEED = 20261205;

describe.each(storeKinds())('fuzz on %s', (kind) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(kind);
  });
  afterAll(async () => t?.close());

  it(`${RUNS} generated requests: no 5xx, every error Notion-shaped`, async () => {
    const report = await runFuzz([t.baseUrl], { runs: RUNS, seed: SEED });
    const statuses = JSON.stringify(Object.fromEntries([...report.statuses].sort((a, b) => a[0] - b[0])));
    console.log(`fuzz (${kind}): ${report.tried} requests in ${report.seconds.toFixed(1)} s; statuses ${statuses}`);
    expect({ failures: report.failures.slice(0, 3), counterexample: report.counterexample }).toEqual({
      failures: [],
      counterexample: null,
    });
    expect(report.tried + report.unsent).toBe(RUNS);
    expect(report.unsent).toBeLessThan(RUNS / 100);
  }, 120_000);
});
