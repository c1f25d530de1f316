// One worker process of bench/toolkit-budget.mjs. argv[2] is a JSON config:
//   { mode: 'toolkit' | 'sdk', baseUrl, token, databaseId, startMs, endMs, concurrency,
//     requestsPerSecond, burst, budgetStore: 'postgres' | 'redis', budgetUrl, budgetSchema, budgetPrefix }
// Waits until startMs, then runs `concurrency` loops of the workload until endMs:
//   create a page in the database → retrieve it → update it → users.me
// mode toolkit: the toolkit's client (SDK v4 + paced retrying fetch, budget shared through the store);
// mode sdk: the plain SDK v5 (notion-client-v5) with its built-in retries, nothing else.
// Every HTTP attempt goes through a counting transport that refuses to send after endMs, so a phase
// never spills into the next one. Prints one JSON line of counts on stdout, then exits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client as ClientV5, LogLevel } from 'notion-client-v5';
import { PostgresBudgetStore, RedisBudgetStore, createToolkitClient } from '@notion-local/toolkit';

const cfg = JSON.parse(process.argv[2]);
const stats = {
  mode: cfg.mode,
  pid: process.pid,
  attempts: 0,
  statuses: {},
  calls: 0,
  ok: 0,
  cut: 0,
  failures: {},
  latenciesMs: [],
  firstSendMs: null,
  lastSendMs: null,
};
/** The SDK call an HTTP attempt belongs to (to tell a call cut at the end after it had sent from one never sent). */
const currentCall = new AsyncLocalStorage();

class PhaseOver extends Error {
  code = 'PHASE_OVER';
}

async function transport(url, init) {
  const now = Date.now();
  if (now >= cfg.endMs) throw new PhaseOver('the phase is over');
  stats.attempts++;
  const callState = currentCall.getStore();
  if (callState) callState.attempts++;
  stats.firstSendMs ??= now;
  stats.lastSendMs = now;
  const response = await fetch(url, init);
  stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
  return response;
}

let store = null;
let client;
if (cfg.mode === 'toolkit') {
  store =
    cfg.budgetStore === 'redis'
      ? new RedisBudgetStore({ url: cfg.budgetUrl, keyPrefix: cfg.budgetPrefix })
      : new PostgresBudgetStore({ connectionString: cfg.budgetUrl, schema: cfg.budgetSchema });
  client = createToolkitClient({
    token: cfg.token,
    baseUrl: cfg.baseUrl,
    requestsPerSecond: cfg.requestsPerSecond,
    burst: cfg.burst,
    budgetStore: store,
    fetch: transport,
  }).client;
} else {
  client = new ClientV5({
    auth: cfg.token,
    baseUrl: cfg.baseUrl,
    notionVersion: '2022-06-28',
    fetch: transport,
    logLevel: LogLevel.ERROR,
  });
}

async function call(fn) {
  const t0 = performance.now();
  const state = { attempts: 0 };
  stats.calls++;
  try {
    const value = await currentCall.run(state, fn);
    stats.ok++;
    stats.latenciesMs.push(Math.round(performance.now() - t0));
    return value;
  } catch (error) {
    const code = error?.code ?? error?.name ?? 'error';
    if (code === 'PHASE_OVER' || error?.cause?.code === 'PHASE_OVER') {
      if (state.attempts === 0)
        stats.calls--; // never sent: not part of the workload
      else {
        // Sent, then waiting to retry when the phase ended: it counts, with its latency so far (a lower bound).
        stats.cut++;
        stats.latenciesMs.push(Math.round(performance.now() - t0));
      }
      return null;
    }
    stats.failures[code] = (stats.failures[code] ?? 0) + 1;
    stats.latenciesMs.push(Math.round(performance.now() - t0));
    return null;
  }
}

async function loop(n) {
  for (let i = 0; Date.now() < cfg.endMs; i++) {
    const page = await call(() =>
      client.pages.create({
        parent: { database_id: cfg.databaseId },
        properties: {
          Name: { title: [{ text: { content: `${cfg.mode} ${process.pid}.${n}.${i}` } }] },
          N: { number: i },
        },
      }),
    );
    if (Date.now() >= cfg.endMs) break;
    if (page) {
      await call(() => client.pages.retrieve({ page_id: page.id }));
      if (Date.now() >= cfg.endMs) break;
      await call(() => client.pages.update({ page_id: page.id, properties: { N: { number: i + 1 } } }));
      if (Date.now() >= cfg.endMs) break;
    }
    await call(() => client.users.me({}));
  }
}

await new Promise((resolve) => setTimeout(resolve, Math.max(0, cfg.startMs - Date.now())));
// Calls still waiting at the end (an SDK retry sleeping out a Retry-After) would send nothing more: don't wait
// for them.
const grace = new Promise((resolve) => setTimeout(resolve, Math.max(0, cfg.endMs - Date.now()) + 3_000));
await Promise.race([Promise.all(Array.from({ length: cfg.concurrency }, (_, n) => loop(n))), grace]);
await Promise.race([store?.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
process.stdout.write(`${JSON.stringify(stats)}\n`);
process.exit(0);
