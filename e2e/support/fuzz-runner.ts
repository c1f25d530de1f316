// Runs the fuzz property (request-arbitraries.ts) against a server: `runs` generated requests, repeatable
// with `seed`. Every failure is counted (not only the first); then the first one is replayed by its
// fast-check path and shrunk, so the report carries the smallest request that still fails.
import { Agent } from 'node:http';
import fc from 'fast-check';
import { describeRequest, fuzzRequest, problemWith, sendRaw, type FuzzRequest } from './request-arbitraries.js';

export interface FuzzFailure {
  index: number;
  problem: string;
  request: string;
  response: string;
}

export interface FuzzReport {
  tried: number;
  /** answers ≥ 500 or dropped connections */
  serverErrors: number;
  /** 4xx answers not in Notion's error shape */
  misshapen: number;
  /** requests the HTTP client itself refused to send (not sent, not counted as tried) */
  unsent: number;
  failures: FuzzFailure[];
  statuses: Map<number, number>;
  /** the first failure, shrunk by fast-check */
  counterexample: string | null;
  seconds: number;
}

export async function runFuzz(
  baseUrls: readonly string[],
  options: { runs: number; seed: number; progress?: (done: number) => void; keepFailures?: number },
): Promise<FuzzReport> {
  const started = Date.now();
  const agents = baseUrls.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const bases = baseUrls.map((u) => new URL(u));
  let n = 0;
  const send = (req: FuzzRequest) => {
    const i = n++ % bases.length;
    return sendRaw(bases[i]!, agents[i]!, req);
  };
  const report: FuzzReport = {
    tried: 0,
    serverErrors: 0,
    misshapen: 0,
    unsent: 0,
    failures: [],
    statuses: new Map(),
    counterexample: null,
    seconds: 0,
  };
  let index = 0;
  await fc.assert(
    fc.asyncProperty(fuzzRequest, async (req) => {
      const i = index++;
      const res = await send(req);
      if (res.status === -1) report.unsent++;
      else report.tried++;
      report.statuses.set(res.status, (report.statuses.get(res.status) ?? 0) + 1);
      const problem = problemWith(req, res);
      if (problem) {
        if (res.status === 0 || res.status >= 500) report.serverErrors++;
        else report.misshapen++;
        if (report.failures.length < (options.keepFailures ?? 20))
          report.failures.push({ index: i, problem, request: describeRequest(req), response: res.body.slice(0, 300) });
      }
      if (options.progress && i % 10_000 === 9_999) options.progress(i + 1);
      return true;
    }),
    { numRuns: options.runs, seed: options.seed },
  );
  const first = report.failures[0];
  if (first) report.counterexample = await shrink(send, options.seed, first.index);
  agents.forEach((a) => a.destroy());
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** Replays run `index` of the seed's sequence and lets fast-check shrink it; answers the smallest failing request. */
async function shrink(send: (r: FuzzRequest) => ReturnType<typeof sendRaw>, seed: number, index: number) {
  const details = await fc.check(
    fc.asyncProperty(fuzzRequest, async (req) => problemWith(req, await send(req)) === null),
    { seed, path: String(index), numRuns: 1, endOnFailure: false, maxSkipsPerRun: 0 },
  );
  if (!details.failed || !details.counterexample) return 'the failure did not reproduce on replay';
  const [req] = details.counterexample;
  const res = await send(req);
  return `${describeRequest(req, 2000)}\n  → ${res.status} ${res.body.slice(0, 500)} (${problemWith(req, res)}; ${details.numShrinks} shrinks)`;
}
