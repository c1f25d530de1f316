// `notion-local clone --out FILE [--page ID …] [--database ID …] [--max-pages N] [--include-comments] [--redact]`:
// crawl what the token can see (the toolkit, Notion-Version 2025-09-03, paced and retried, journaled next to
// --out so an interrupted clone resumes), restore it into a fresh in-memory store (the server's restore service)
// and write that store as a state file for `serve --import`. Prints the local integration's new token once, and
// what could not be read.
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import {
  bundleSize,
  cloneProgress,
  CloneReader,
  crawl,
  fetchTransport,
  redactBundle,
  type CloneBundle,
} from '@notion-local/toolkit';
import { cloneBundleToState } from '@notion-local/server';
import { CliError } from '../cli-error.js';
import { openSession, printJson, toCliError, type CommonFlags, type ToolkitEnv } from '../toolkit/common.js';
import { TOOLKIT_EXIT } from '../toolkit/exit-codes.js';
import { requireId } from '../toolkit/run-import.js';

export interface CloneFlags extends CommonFlags {
  out?: string;
  page: string[];
  database: string[];
  maxPages?: string;
  includeComments?: boolean;
  redact?: boolean;
  journal?: string | false;
}

const MAX_UNREADABLE_SHOWN = 20;

function parseMaxPages(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`--max-pages expects a whole number ≥ 1, got "${raw}"`, TOOLKIT_EXIT.usage);
  return n;
}

async function readBundle(flags: CloneFlags, env: ToolkitEnv, out: string) {
  const pages = flags.page.map((raw) => requireId(raw, '--page'));
  const databases = flags.database.map((raw) => requireId(raw, '--database'));
  const maxPages = parseMaxPages(flags.maxPages);
  const session = openSession(flags, env);
  const request = fetchTransport(session.toolkit.http.fetch, session.toolkit.baseUrl, session.toolkit.token);
  const journal = flags.journal === false ? null : (flags.journal ?? `${out}.clone-journal.jsonl`);
  const header = JSON.stringify({
    source: session.toolkit.baseUrl,
    pages,
    databases,
    maxPages,
    c: !!flags.includeComments,
  });
  const reader = CloneReader.open(request, journal, header);
  if (reader.resumable > 0 && !flags.json)
    env.stderr.write(`clone: resuming from ${journal} (${reader.resumable} answers already read)\n`);
  const progress = flags.json ? null : cloneProgress(env.stderr);
  const started = Date.now();
  try {
    const bundle = await crawl(reader, session.toolkit.baseUrl, {
      pages,
      databases,
      ...(maxPages !== undefined ? { maxPages } : {}),
      includeComments: flags.includeComments === true,
      ...(progress ? { onProgress: (done, known, detail) => progress.update(done, known, detail) } : {}),
    });
    return { bundle, journal, stats: { ...reader.stats, ms: Date.now() - started } };
  } catch (error) {
    throw toCliError(error, flags.baseUrl);
  } finally {
    progress?.stop();
    await session.close();
  }
}

function printSummary(env: ToolkitEnv, out: string, bundle: CloneBundle, result: { token: string; counts: object }) {
  const counts = result.counts as Record<string, number>;
  const parts = Object.entries(counts).map(([kind, n]) => `${n} ${kind.replace('_', ' ')}`);
  env.stdout.write(`Cloned ${parts.join(', ')} into ${out}\n`);
  env.stdout.write(`Token of the local integration (shown once): ${result.token}\n`);
  env.stdout.write(`Serve it: notion-local serve --in-memory --import ${out}\n`);
  if (bundle.unreadable.length === 0) return;
  env.stdout.write(`Could not be read (${bundle.unreadable.length}):\n`);
  for (const item of bundle.unreadable.slice(0, MAX_UNREADABLE_SHOWN))
    env.stdout.write(`  ${item.kind} ${item.id}: ${item.reason}\n`);
  if (bundle.unreadable.length > MAX_UNREADABLE_SHOWN)
    env.stdout.write(`  … and ${bundle.unreadable.length - MAX_UNREADABLE_SHOWN} more\n`);
}

export async function cloneCommand(flags: CloneFlags, env: ToolkitEnv): Promise<void> {
  const out = flags.out;
  if (!out) throw new CliError('clone needs --out FILE (the state file to write)', TOOLKIT_EXIT.usage);
  const read = await readBundle(flags, env, out);
  const bundle = flags.redact ? redactBundle(read.bundle) : read.bundle;
  const result = await cloneBundleToState(bundle);
  try {
    await writeFile(out, result.state);
  } catch (error) {
    throw new CliError(
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      TOOLKIT_EXIT.failure,
    );
  }
  if (read.journal) rmSync(read.journal, { force: true });
  if (flags.json) {
    printJson(env, {
      out,
      token: result.token,
      workspace_id: result.workspaceId,
      integration_id: result.integrationId,
      capabilities: result.capabilities,
      shared_roots: result.sharedRoots,
      counts: result.counts,
      objects: bundleSize(bundle),
      requests: read.stats.requests,
      replayed: read.stats.replayed,
      ms: read.stats.ms,
      unreadable: bundle.unreadable,
    });
  } else printSummary(env, out, bundle, result);
}
