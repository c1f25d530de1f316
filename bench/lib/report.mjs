// Markdown table and JSON output of benchmark results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(n);
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
        `${fmt(r.ratio, 2)}${r.contextBaseline ? ` (${fmt(r.contextBaseline.ratio, 2)} vs ${fmt(r.contextBaseline.opsPerSec)} ${r.id === 'page-retrieve' ? 'prepared selects' : 'scratch-table inserts'}/s)` : ''}`,
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
    case 'limiter-accuracy':
      return [
        'Rate limiter, 3 processes, one integration',
        r.store,
        `${fmt(r.admitted)} admitted of ${fmt(r.offered)} offered (${r.clients} clients, ${fmt(r.seconds, 1)} s, ${fmt(r.overload, 1)}× overload); most in one window ${fmt(r.maxInAnyWindow)}`,
        `ideal ${fmt(r.ideal)} (${fmt(r.budgetPerMinute)}/window × ${r.windowsTouched} window${r.windowsTouched === 1 ? '' : 's'})`,
        `${r.deviationPct >= 0 ? '+' : ''}${fmt(r.deviationPct, 2)} %`,
        'within ±1 %, never over budget in a window, ≥ 10× overload',
        met,
      ];
    case 'limiter-cost':
      return [
        'Rate limiter cost, `GET /v1/users/me`',
        r.store,
        `p50 ${ms(r.p50OnMs)} with the limiter on (+${ms(r.addedMs)})`,
        `p50 ${ms(r.p50OffMs)} with it off`,
        `${fmt(r.ratio, 2)}×`,
        '—',
        'n/a',
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

/** Human-readable lines for a diagnostics block. */
function formatHttpDiagnostics(r) {
  const g = r.diagnostics;
  if (!g) return '';
  const lines = [
    `### ${r.id} [${r.store}] diagnostics`,
    '',
    `CPU profile of the server process (${g.cpuProfile.file}, ${g.cpuProfile.totalMs} ms sampled at ${g.cpuProfile.underLoadReqPerSec} req/s) — self time by layer:`,
  ];
  for (const x of g.cpuProfile.byCategory.slice(0, 12)) lines.push(`  ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);
  lines.push('  top functions:');
  for (const x of g.cpuProfile.byFunction.slice(0, 10)) lines.push(`  ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);
  lines.push('  top notion-local functions (self):');
  for (const x of g.cpuProfile.projectSelf.slice(0, 8)) lines.push(`  ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);
  const o = g.oneConnection;
  lines.push(
    '',
    `One connection: ${o.reqPerSec} req/s = ${o.usPerRequest} µs per request, of which ${o.sqlStatementsUsPerRequest} µs in SQL statements${o.transactionUsPerRequest ? ` (whole transactions: ${o.transactionUsPerRequest} µs)` : ''}:`,
  );
  for (const s of o.statements)
    lines.push(
      `  ${String(s.usPerRequest).padStart(6)} µs/req  ${String(s.perRequest).padStart(5)}×  ${String(s.meanUs).padStart(5)} µs each  ${s.sql}`,
    );
  return lines.join('\n');
}

const pctLines = (rows, n) => rows.slice(0, n).map((x) => `  ${x.pct.toFixed(1).padStart(5)} %  ${x.name}`);

/** Human-readable diagnostics of any benchmark result (present after a --profile run). */
export function formatDiagnostics(r) {
  const g = r.diagnostics;
  if (!g) return '';
  if (r.id === 'page-retrieve' || r.id === 'page-create') return formatHttpDiagnostics(r);
  if (r.id === 'startup') {
    const p = g.phases;
    return [
      `### startup diagnostics (${p.note})`,
      '',
      ...Object.entries(p)
        .filter(([k]) => k !== 'note')
        .map(([k, v]) => `  ${String(v).padStart(8)} ms  ${k}`),
      '',
      `CPU profile of one start (${g.cpuProfile.file}, ${g.cpuProfile.totalMs} ms sampled) by layer:`,
      ...pctLines(g.cpuProfile.byCategory, 8),
      '  by file / package:',
      ...pctLines(g.cpuProfile.byFile, 12),
      '  inclusive (synchronous stack) in notion-local code:',
      ...pctLines(g.cpuProfile.inclusive, 8),
    ].join('\n');
  }
  if (r.id === 'reset') {
    return [
      '### reset diagnostics',
      '',
      'SQL per reset (10 traced):',
      ...g.sqlPerReset.map(
        (s) => `  ${String(s.msPerReset).padStart(7)} ms  ${String(s.perReset).padStart(4)}×  ${s.sql}`,
      ),
      '',
      `CPU profile (${g.cpuProfile.file}, ${g.cpuProfile.totalMs} ms) by layer:`,
      ...pctLines(g.cpuProfile.byCategory, 8),
    ].join('\n');
  }
  return JSON.stringify(g, null, 2);
}
