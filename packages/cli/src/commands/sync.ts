// `notion-local sync FILE --database ID --key COLUMN [--archive-missing]`: one-way sync by key — create
// what is new, update only what changed, optionally trash pages whose key left the file. Running it
// twice writes nothing the second time.
import type { CommonFlags, ToolkitEnv } from '../toolkit/common.js';
import { requireId, runImport } from '../toolkit/run-import.js';

export interface SyncFlags extends CommonFlags {
  database: string;
  key: string;
  format?: string;
  map: string[];
  archiveMissing?: boolean;
  dryRun?: boolean;
  concurrency?: string;
}

export async function syncCommand(file: string, flags: SyncFlags, env: ToolkitEnv): Promise<void> {
  await runImport(
    {
      verb: 'sync',
      file,
      target: { databaseId: requireId(flags.database, '--database') },
      format: flags.format,
      key: flags.key,
      map: flags.map,
      dryRun: Boolean(flags.dryRun),
      archiveMissing: Boolean(flags.archiveMissing),
      journal: false,
      concurrency: flags.concurrency,
    },
    flags,
    env,
  );
}
