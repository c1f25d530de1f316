// Reads a V8 CPU profile (.cpuprofile) and aggregates self time by function and by file/package.
const shortUrl = (url) => {
  if (!url) return '';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const pk = u.indexOf('/packages/');
  if (pk >= 0) return u.slice(pk + 1);
  return u;
};

function label(node) {
  const cf = node.callFrame;
  const name = cf.functionName || '(anonymous)';
  return cf.url ? `${name} ${shortUrl(cf.url)}:${cf.lineNumber + 1}` : name;
}

function bucket(node) {
  const cf = node.callFrame;
  if (cf.url.startsWith('wasm://')) return 'PGlite WebAssembly (Postgres itself)';
  if (!cf.url) return cf.functionName.startsWith('(') ? cf.functionName : `native: ${cf.functionName}`;
  const u = shortUrl(cf.url);
  if (u.startsWith('node:') || u.startsWith('packages/')) return u;
  const parts = u.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const PROFILER = 'profiler itself (inspector)';

/** A coarse owner for a sample: which layer of the stack the CPU time belongs to. */
function category(node, parentOf, nodes) {
  let n = node;
  // Native frames without a URL (writev, runMicrotasks, ...) belong to their nearest JS caller.
  while (!n.callFrame.url && !n.callFrame.functionName.startsWith('(')) {
    const up = parentOf.get(n.id);
    if (up === undefined) break;
    n = nodes.get(up);
  }
  const { url, functionName } = n.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'V8 garbage collector';
    if (functionName === '(idle)') return 'idle (waiting for I/O)';
    if (functionName === '(program)') return 'V8 / native (program)';
    return `native: ${functionName}`;
  }
  if (url.startsWith('wasm://')) return 'PGlite: Postgres itself (WebAssembly)';
  const u = shortUrl(url);
  if (u.startsWith('@electric-sql/pglite')) return 'PGlite: JS glue (wire-protocol encode/parse, memory FS)';
  if (u.startsWith('packages/')) return 'notion-local code (packages/*/dist)';
  if (u === 'node:inspector' || u.startsWith('node:internal/inspector')) return PROFILER;
  if (/^node:(_http|http|net|internal\/(stream|streams|http|net|dns))/.test(u)) return 'Node HTTP, sockets, streams';
  if (
    /^(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|toad-cache|process-warning|abstract-logging|rfdc|secure-json-parse)/.test(
      u,
    )
  )
    return 'Fastify and its helpers';
  if (/^(pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free|atomic-sleep)/.test(u))
    return 'pino (logging)';
  if (u.startsWith('zod')) return 'zod (validation)';
  if (u.startsWith('pg') || u.startsWith('pg-')) return 'node-postgres driver';
  if (u.startsWith('node:')) return 'Node internals, other';
  return 'other JS';
}

/**
 * @returns {{totalMs, byCategory, byFile: {name, pct}[], byFunction: {name, pct}[], inclusive: {name, pct}[]}}
 * `inclusive` counts, for functions whose URL contains `focus`, every sample with the function on the
 * synchronous stack (work resumed after an await is not attributed to the caller).
 */
export function summarizeProfile(profile, { top = 25, focus = '/packages/' } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  let total = 0;
  let profilerMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    // Time spent stopping the profiler itself is not the program's: leave it out of every percentage.
    if (category(nodes.get(profile.samples[i]), parent, nodes) === PROFILER) {
      profilerMs += dt;
      continue;
    }
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const byFn = new Map();
  const byFile = new Map();
  const byCategory = new Map();
  const projectFns = new Map();
  const inclusive = new Map();
  for (const [id, t] of self) {
    const n = nodes.get(id);
    byFn.set(label(n), (byFn.get(label(n)) ?? 0) + t);
    byFile.set(bucket(n), (byFile.get(bucket(n)) ?? 0) + t);
    const c = category(n, parent, nodes);
    byCategory.set(c, (byCategory.get(c) ?? 0) + t);
    if ((n.callFrame.url ?? '').includes(focus)) projectFns.set(label(n), (projectFns.get(label(n)) ?? 0) + t);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const p = nodes.get(cur);
      if (!(p.callFrame.url ?? '').includes(focus)) continue;
      const l = label(p);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    }
  }
  const list = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, pct: Math.round((1000 * t) / total) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    excludedProfilerMs: Math.round(profilerMs / 1000),
    byCategory: list(byCategory),
    byFile: list(byFile),
    byFunction: list(byFn),
    projectSelf: list(projectFns),
    inclusive: list(inclusive),
  };
}
