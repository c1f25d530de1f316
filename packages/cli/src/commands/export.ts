// `notion-local export --database ID [--format csv|json|ndjson] [--out FILE]` and
// `notion-local export --page ID --format markdown [--out FILE]`: to stdout without --out.
import { writeFile } from 'node:fs/promises';
import { exportDatabase, formatFromPath, pageToMarkdown } from '@notion-local/toolkit';
import { CliError } from '../cli-error.js';
import { openSession, printJson, toCliError, type CommonFlags, type ToolkitEnv } from '../toolkit/common.js';
import { TOOLKIT_EXIT } from '../toolkit/exit-codes.js';
import { parseFormat, requireId } from '../toolkit/run-import.js';

export interface ExportFlags extends CommonFlags {
  database?: string;
  page?: string;
  format?: string;
  out?: string;
}

export async function exportCommand(flags: ExportFlags, env: ToolkitEnv): Promise<void> {
  if (Boolean(flags.database) === Boolean(flags.page))
    throw new CliError('export needs exactly one of --database ID or --page ID', TOOLKIT_EXIT.usage);
  const fromOut =
    flags.out && !flags.format
      ? (formatFromPath(flags.out) ?? (flags.out.endsWith('.md') ? 'markdown' : undefined))
      : undefined;
  const format = flags.format ?? fromOut ?? (flags.page ? 'markdown' : flags.json ? 'json' : 'csv');
  if (flags.page && format !== 'markdown')
    throw new CliError('a page exports as --format markdown', TOOLKIT_EXIT.usage);
  if (flags.database) parseFormat(format);
  if (flags.json && !flags.out && format !== 'json')
    throw new CliError(
      `--json prints one JSON document: use --format json, or --out FILE for ${format}`,
      TOOLKIT_EXIT.usage,
    );

  const session = openSession(flags, env);
  let text: string;
  let rows: number | null = null;
  try {
    if (flags.page) text = await pageToMarkdown(session.toolkit.api, requireId(flags.page, '--page'));
    else {
      const result = await exportDatabase(
        session.toolkit.api,
        requireId(flags.database!, '--database'),
        parseFormat(format)!,
      );
      text = result.text;
      rows = result.rows.length;
    }
  } catch (error) {
    throw toCliError(error, flags.baseUrl);
  } finally {
    await session.close();
  }
  if (!flags.out) {
    env.stdout.write(text);
    return;
  }
  try {
    await writeFile(flags.out, text);
  } catch (error) {
    throw new CliError(
      `cannot write ${flags.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      TOOLKIT_EXIT.failure,
    );
  }
  if (flags.json)
    printJson(env, { out: flags.out, format, ...(rows !== null ? { rows } : {}), bytes: Buffer.byteLength(text) });
  else env.stderr.write(`export: wrote ${rows !== null ? `${rows} rows` : 'the page'} to ${flags.out}\n`);
}
