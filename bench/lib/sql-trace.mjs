// Per-SQL-statement call counts and wall time on a Store, for the diagnostics of `--profile` runs.
import { performance } from 'node:perf_hooks';

let trace = null;

/** One key per statement shape: multi-row VALUES lists of any length collapse to one. */
export function normalizeSql(sql) {
  return sql
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\$\d+/g, '$n')
    .replace(/(\((?:\$n, )*\$n\))(?:, \((?:\$n, )*\$n\))+/g, '$1, …');
}

/**
 * Wraps store.query and the executors handed out by store.transaction with timers (own properties, removed
 * on stop).
 */
export function startTrace(store) {
  trace = new Map();
  const record = (key, ms) => {
    const e = trace.get(key) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += ms;
    trace.set(key, e);
  };
  const timed = (exec) => async (sql, params) => {
    const t0 = performance.now();
    try {
      return await exec(sql, params);
    } finally {
      record(normalizeSql(sql), performance.now() - t0);
    }
  };
  const proto = Object.getPrototypeOf(store);
  store.exec = timed((sql) => proto.exec.call(store, sql));
  store.query = timed((sql, params) => proto.query.call(store, sql, params));
  store.transaction = async (fn) => {
    const t0 = performance.now();
    try {
      return await proto.transaction.call(store, (tx) =>
        fn({ exclusive: tx.exclusive, query: timed((sql, params) => tx.query(sql, params)) }),
      );
    } finally {
      record('(whole transaction, incl. BEGIN/COMMIT and the statements above)', performance.now() - t0);
    }
  };
}

export function stopTrace(store) {
  delete store.query;
  delete store.transaction;
  delete store.exec;
  const out = [...trace.entries()].map(([sql, e]) => ({ sql, calls: e.calls, totalMs: e.ms }));
  trace = null;
  return out.sort((a, b) => b.totalMs - a.totalMs);
}
