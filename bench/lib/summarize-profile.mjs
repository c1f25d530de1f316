#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`, or `bench/run.mjs --cpu-prof`):
//   node bench/lib/summarize-profile.mjs FILE.cpuprofile [--top 30] [--focus SUBSTRING]
// Prints self time by function and by file/package, and inclusive (total) time of functions in the
// project's own code (packages/*/dist), so a report can say "x % of the server's CPU is in file:function".
import { readFileSync } from 'node:fs';
import { parseArgs } from './common.mjs';

const args = parseArgs();
const file = process.argv.slice(2).find((a) => a.endsWith('.cpuprofile'));
if (!file) {
  console.error('usage: node bench/lib/summarize-profile.mjs FILE.cpuprofile [--top N] [--focus SUBSTRING]');
  process.exit(2);
}
const top = Number(args.top ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from samples × timeDeltas.
const self = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  total += dt;
}

const shortUrl = (url) => {
  if (!url) return '';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const pk = u.indexOf('/packages/');
  if (pk >= 0) return u.slice(pk + 1);
  return u;
};
const label = (n) => {
  const cf = n.callFrame;
  const name = cf.functionName || '(anonymous)';
  return cf.url ? `${name}  ${shortUrl(cf.url)}:${cf.lineNumber + 1}` : name;
};
const bucket = (n) => {
  const cf = n.callFrame;
  if (!cf.url) return cf.functionName.startsWith('(') ? cf.functionName : `native/wasm: ${cf.functionName.replace(/\[\d+\]$/, '[…]')}`;
  const u = shortUrl(cf.url);
  if (u.startsWith('node:')) return u;
  if (u.startsWith('packages/')) return u;
  const parts = u.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  console.log(`\n## ${title}`);
  for (const [k, v] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
};

const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  const n = nodes.get(id);
  byFn.set(label(n), (byFn.get(label(n)) ?? 0) + t);
  byFile.set(bucket(n), (byFile.get(bucket(n)) ?? 0) + t);
}

// Inclusive time: each sample counts once for every distinct project function on its stack.
const inclusive = new Map();
const focus = args.focus ? String(args.focus) : '/packages/';
for (const [id, t] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodes.get(cur);
    if (!(n.callFrame.url ?? '').includes(focus)) continue;
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + t);
  }
}

console.log(`# ${file}\ntotal sampled ${(total / 1000).toFixed(0)} ms`);
print('Self time by file / package', byFile);
print('Self time by function', byFn);
print(`Inclusive time of functions whose file contains "${focus}"`, inclusive);
