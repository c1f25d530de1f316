// The part of `import` and `sync` that talks to people: read the file, run the toolkit's importer with
// a progress bar (plain lines when stderr is not a terminal), then print the summary — or one JSON
// document — and choose the exit code.
import { basename, resolve } from 'node:path';
import {
  createProgress,
  importTable,
  parseMapFlags,
  parseNotionId,
  readRecords,
  FORMATS,
  type ImportSummary,
  type ImportTarget,
  type RecordFormat,
} from '@notion-local/toolkit';
import { CliError } from '../cli-error.js';
import { openSession, painter, printJson, toCliError, type CommonFlags, type ToolkitEnv } from './common.js';
import { TOOLKIT_EXIT } from './exit-codes.js';

export interface ImportRun {
  readonly verb: 'import' | 'sync';
  readonly file: string;
  readonly target: ImportTarget;
  readonly format?: string;
  readonly key?: string;
  readonly map: string[];
  readonly dryRun: boolean;
  readonly archiveMissing: boolean;
  readonly journal: string | false | undefined;
  readonly concurrency?: string;
}

export function parseFormat(raw: string | undefined, allowed: readonly string[] = FORMATS): RecordFormat | undefined {
  if (raw === undefined) return undefined;
  if (!allowed.includes(raw))
    throw new CliError(`--format must be one of ${allowed.join(', ')}, got "${raw}"`, TOOLKIT_EXIT.usage);
  return raw as RecordFormat;
}

export function requireId(raw: string, flag: string): string {
  const id = parseNotionId(raw);
  if (!id) throw new CliError(`${flag} expects a Notion id or URL, got "${raw}"`, TOOLKIT_EXIT.usage);
  return id;
}

const MAX_ISSUES_SHOWN = 20;

function printSummary(summary: ImportSummary, run: ImportRun, env: ToolkitEnv): void {
  const paint = painter(env.stdout, env);
  const would = summary.dry_run ? 'would be ' : '';
  const out = env.stdout;
  const verb = summary.dry_run ? 'Dry run — nothing was written. Checked' : run.verb === 'sync' ? 'Synced' : 'Imported';
  out.write(
    `${verb} ${summary.rows} rows ${summary.dry_run ? 'against' : 'into'} database ${summary.database_id ?? '(new)'}:\n`,
  );
  out.write(
    `  ${paint('green', `${summary.created} ${would}created`)}, ${summary.updated} ${would}updated, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.failed ? paint('red', `${summary.failed} failed`) : '0 failed'}${run.archiveMissing ? `, ${summary.archived} ${would}archived` : ''}\n`,
  );
  if (summary.resumed) out.write(`  resumed from journal ${summary.journal}\n`);
  for (const w of summary.warnings.slice(0, MAX_ISSUES_SHOWN)) out.write(`  ${paint('yellow', 'warning')}: ${w}\n`);
  for (const issue of summary.issues.slice(0, MAX_ISSUES_SHOWN)) {
    const where = issue.row > 0 ? `row ${issue.row}` : 'database';
    out.write(
      `  ${paint(issue.outcome === 'failed' ? 'red' : 'gray', issue.outcome)} ${where}${issue.key ? ` (key ${issue.key})` : ''}: ${issue.reason}\n`,
    );
  }
  if (summary.issues.length > MAX_ISSUES_SHOWN)
    out.write(`  … and ${summary.issues.length - MAX_ISSUES_SHOWN} more (use --json for all)\n`);
}

export async function runImport(run: ImportRun, flags: CommonFlags, env: ToolkitEnv): Promise<void> {
  const format = parseFormat(run.format);
  let map: Record<string, string>;
  try {
    map = parseMapFlags(run.map);
  } catch (error) {
    throw new CliError((error as Error).message, TOOLKIT_EXIT.usage);
  }
  const concurrency = run.concurrency === undefined ? 4 : Number(run.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new CliError(`--concurrency expects a whole number ≥ 1, got "${run.concurrency}"`, TOOLKIT_EXIT.usage);
  let records;
  try {
    records = await readRecords(run.file, format);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new CliError(`cannot read ${run.file}: ${code}`, TOOLKIT_EXIT.usage);
    throw toCliError(error, flags.baseUrl);
  }
  const journalPath =
    run.journal === false
      ? null
      : resolve(typeof run.journal === 'string' ? run.journal : `${run.file}.${run.verb}-journal.jsonl`);
  const session = openSession(flags, env);
  const progress = createProgress({ label: run.verb, total: records.rows.length, stream: env.stderr });
  let summary: ImportSummary;
  try {
    summary = await importTable({
      client: session.toolkit.api,
      records,
      target: run.target,
      ...(run.key !== undefined ? { keyColumn: run.key } : {}),
      map,
      dryRun: run.dryRun,
      archiveMissing: run.archiveMissing,
      journalPath: run.verb === 'import' ? journalPath : null,
      concurrency,
      onProgress: (p) =>
        progress.update(
          p.processed,
          `${p.counts.created} created · ${p.counts.updated} updated · ${p.counts.failed} failed`,
        ),
    });
  } catch (error) {
    throw toCliError(error, flags.baseUrl);
  } finally {
    progress.stop();
    await session.close();
  }
  const stats = session.toolkit.http.stats;
  if (flags.json)
    printJson(env, {
      ...summary,
      file: basename(run.file),
      requests: stats.requests,
      retries: stats.retries,
      rate_limited: stats.rateLimited,
    });
  else printSummary(summary, run, env);
  if (summary.failed > 0) {
    throw new CliError(
      `${run.verb}: ${summary.failed} of ${summary.rows} rows failed${flags.json ? '' : ' (listed above)'}`,
      TOOLKIT_EXIT.partial,
    );
  }
}
