// Markdown table and JSON output of benchmark results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(n));
const ms = (n) => (n < 1 ? `${fmt(n, 3)} ms` : n < 100 ? `${fmt(n, 1)} ms` : `${fmt(n, 0)} ms`);

function row(r) {
  const met = r.met ? 'yes' : '**no**';
  switch (r.id) {
    case 'page-retrieve':
    case 'page-create':
      return [
        r.id === 'page-retrieve' ? 'Page retrieve `GET /v1/pages/{id}`' : 'Page create `POST /v1/pages`',
        r.store,
        `${fmt(r.http.reqPerSec)} req/s, p99 ${ms(r.http.latencyMs.p99)} (${r.http.connections} conn, ${fmt(r.http.durationSeconds)} s)`,
        `${fmt(r.baseline.opsPerSec)} ${r.id === 'page-retrieve' ? 'PK selects' : 'inserts'}/s (${fmt(r.baseline.perOpUs, 0)} µs each)`,
        `${fmt(r.ratio, 2)}`,
        `ratio ≥ ${r.target.ratioAtLeast}`,
        met,
      ];
    case 'startup':
      return [
        'Start-up `serve --in-memory`',
        r.store,
        `median ${ms(r.medianMs)} of ${r.runsMs.length} (cold, template build: ${ms(r.coldStartMs)})`,
        `\`node -e ""\` ${ms(r.baseline.medianMs)}`,
        `${fmt(r.ratio, 1)}×`,
        `median ≤ ${fmt(r.target.medianMsAtMost)} ms`,
        met,
      ];
    case 'reset':
      return [
        '`platform.reset()`, test seed',
        r.store,
        `median ${ms(r.medianMs)}, p95 ${ms(r.p95Ms)} (${r.runs} runs)`,
        `one PK select ${ms(r.baseline.medianMs)}`,
        `${fmt(r.ratio, 0)}×`,
        `median and p95 ≤ ${r.target.medianMsAtMost} ms`,
        met,
      ];
    default:
      return [r.id, r.store ?? '', JSON.stringify(r), '', '', '', met];
  }
}

export function markdownTable(results) {
  const header = ['Benchmark', 'Store', 'Measured', 'Baseline (same run)', 'Ratio', 'Target', 'Met'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of results) lines.push(`| ${row(r).join(' | ')} |`);
  return lines.join('\n');
}

export function printReport({ results, skipped = [] }) {
  console.log(markdownTable(results));
  for (const s of skipped) console.log(`\n_Skipped: ${s}_`);
}

export function writeJson(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
