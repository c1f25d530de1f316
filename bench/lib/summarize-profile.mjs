#!/usr/bin/env node
// Prints a summary of a V8 .cpuprofile (e.g. bench/results/profiles/*.cpuprofile from `--profile`, or
// one from `node --cpu-prof`):  node bench/lib/summarize-profile.mjs FILE [--top 30] [--focus /packages/]
import { readFileSync } from 'node:fs';
import { parseArgs } from './common.mjs';
import { summarizeProfile } from './profile.mjs';

const args = parseArgs();
const file = process.argv.slice(2).find((a) => a.endsWith('.cpuprofile'));
if (!file) {
  console.error('usage: node bench/lib/summarize-profile.mjs FILE.cpuprofile [--top N] [--focus SUBSTRING]');
  process.exit(2);
}
const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), {
  top: Number(args.top ?? 30),
  focus: args.focus ?? '/packages/',
});
const print = (title, rows) => {
  console.log(`\n## ${title}`);
  for (const r of rows) console.log(`${r.pct.toFixed(1).padStart(5)} %  ${r.name}`);
};
console.log(`# ${file}: ${s.totalMs} ms sampled`);
print('Self time by layer', s.byCategory);
print('Self time by file / package', s.byFile);
print('Self time by function', s.byFunction);
print('Self time in project code, by function', s.projectSelf);
print('Inclusive (synchronous stack) time, project code', s.inclusive);
