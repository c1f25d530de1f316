// `notion-local query --database ID [--filter JSON|@FILE] [--sort PROPERTY[:desc]] [--limit N]`: a
// database query printed as a table, or as one JSON document with --json. Under 2025-09-03 the query
// goes to the database's one data source (or to the data source --database names).
import { readFileSync } from 'node:fs';
import { completeReferences, exportColumns, pageToPlain, ruleFor, isNotionClientError } from '@notion-local/toolkit';
import { CliError } from '../cli-error.js';
import { openSession, painter, printJson, toCliError, type CommonFlags, type ToolkitEnv } from '../toolkit/common.js';
import { TOOLKIT_EXIT } from '../toolkit/exit-codes.js';
import { requireId } from '../toolkit/run-import.js';

export interface QueryFlags extends CommonFlags {
  database: string;
  filter?: string;
  sort: string[];
  limit?: string;
}

const MAX_CELL = 32;

function parseFilter(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(
        `cannot read filter file ${raw.slice(1)}: ${(error as NodeJS.ErrnoException).code}`,
        TOOLKIT_EXIT.usage,
      );
    }
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `--filter expects a JSON filter object (Notion's filter syntax): ${(error as Error).message}`,
      TOOLKIT_EXIT.usage,
    );
  }
}

function parseSorts(sorts: string[]): { property: string; direction: 'ascending' | 'descending' }[] {
  return sorts.map((s) => {
    const m = /^(.*?)(?::(asc|ascending|desc|descending))?$/i.exec(s)!;
    return { property: m[1]!, direction: m[2]?.toLowerCase().startsWith('desc') ? 'descending' : 'ascending' };
  });
}

/** A text table; cells are clipped to MAX_CELL characters, except the first column (page ids, to copy). */
function table(columns: string[], rows: string[][]): string {
  const clip = (raw: string, i: number) => {
    const s = raw.replace(/\s*\n\s*/g, ' ');
    if (i === 0 || s.length <= MAX_CELL) return s;
    const high = s.charCodeAt(MAX_CELL - 2);
    return `${s.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_CELL - 2 : MAX_CELL - 1)}…`; // never half an emoji
  };
  const widths = columns.map((c, i) => Math.max(clip(c, i).length, ...rows.map((r) => clip(r[i] ?? '', i).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => clip(c, i).padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export async function queryCommand(flags: QueryFlags, env: ToolkitEnv): Promise<void> {
  const databaseId = requireId(flags.database, '--database');
  const filter = parseFilter(flags.filter);
  const limit = flags.limit === undefined ? Number.POSITIVE_INFINITY : Number(flags.limit);
  if (!(limit > 0)) throw new CliError(`--limit expects a number ≥ 1, got "${flags.limit}"`, TOOLKIT_EXIT.usage);
  const session = openSession(flags, env);
  const { api } = session.toolkit;
  const results: { id: string; url: string; properties: Record<string, unknown> }[] = [];
  let columns: string[] = [];
  const types: Record<string, string> = {};
  let ids: { database_id: string; data_source_id: string | null } = { database_id: databaseId, data_source_id: null };
  try {
    const collection = await api.collection(databaseId);
    ids = { database_id: collection.databaseId, data_source_id: collection.dataSourceId };
    columns = exportColumns(collection.schema);
    for (const [name, p] of Object.entries(collection.schema)) types[name] = p.type;
    const query = {
      ...(filter ? { filter: filter as never } : {}),
      ...(flags.sort.length ? { sorts: parseSorts(flags.sort) } : {}),
    };
    for await (const page of api.iterate(collection, query)) {
      results.push({ id: page.id, url: page.url, properties: pageToPlain(await completeReferences(api, page)) });
      if (results.length >= limit) break;
    }
  } catch (error) {
    if (isNotionClientError(error) && error.code === 'validation_error')
      throw new CliError(`the filter or sort was refused: ${error.message}`, TOOLKIT_EXIT.usage);
    throw toCliError(error, flags.baseUrl);
  } finally {
    await session.close();
  }
  if (flags.json) {
    printJson(env, { ...ids, count: results.length, results });
    return;
  }
  const rows = results.map((r) => [
    r.id,
    ...columns.map((c) => ruleFor(types[c] ?? '').toText((r.properties[c] ?? null) as never)),
  ]);
  env.stdout.write(`${table(['id', ...columns], rows)}\n`);
  env.stderr.write(`${painter(env.stderr, env)('gray', `${results.length} page${results.length === 1 ? '' : 's'}`)}\n`);
}
