// `notion-local import FILE (--database ID | --parent PAGE_ID) [--key COLUMN] [--format …]
//   [--map col=Property …] [--dry-run]`
import { basename, extname } from 'node:path';
import { CliError } from '../cli-error.js';
import type { CommonFlags, ToolkitEnv } from '../toolkit/common.js';
import { TOOLKIT_EXIT } from '../toolkit/exit-codes.js';
import { requireId, runImport } from '../toolkit/run-import.js';

export interface ImportFlags extends CommonFlags {
  database?: string;
  parent?: string;
  key?: string;
  format?: string;
  map: string[];
  dryRun?: boolean;
  journal?: string | false;
  concurrency?: string;
}

export async function importCommand(file: string, flags: ImportFlags, env: ToolkitEnv): Promise<void> {
  if (Boolean(flags.database) === Boolean(flags.parent))
    throw new CliError('import needs exactly one of --database ID or --parent PAGE_ID', TOOLKIT_EXIT.usage);
  const target = flags.database
    ? { databaseId: requireId(flags.database, '--database') }
    : { parentPageId: requireId(flags.parent!, '--parent'), title: basename(file, extname(file)) };
  await runImport(
    {
      verb: 'import',
      file,
      target,
      format: flags.format,
      key: flags.key,
      map: flags.map,
      dryRun: Boolean(flags.dryRun),
      archiveMissing: false,
      journal: flags.journal,
      concurrency: flags.concurrency,
    },
    flags,
    env,
  );
}
