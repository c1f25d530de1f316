// `notion-local export-state [--data-dir DIR | --database-url URL] --out FILE`: everything a store holds, as the
// state file `serve --import` loads. A PGlite data dir is locked meanwhile (a running server holds it: stop it
// first, or use `serve --export-on-exit`).
import {
  DataDirLockedError,
  StoreUnavailableError,
  exportState,
  lockForStore,
  openStore,
  type StoreOptions,
} from '@notion-local/server';
import { CliError, EXIT } from '../cli-error.js';
import { DEFAULT_DATA_DIR } from '../serve-config.js';
import { writeStateFile } from './state-file.js';

export async function exportStateCommand(
  flags: { dataDir?: string; databaseUrl?: string; out: string },
  out: NodeJS.WritableStream,
): Promise<void> {
  if (flags.dataDir && flags.databaseUrl)
    throw new CliError('--data-dir and --database-url cannot be used together: pick one store', EXIT.usage);
  const store: StoreOptions = flags.databaseUrl
    ? { kind: 'postgres', url: flags.databaseUrl }
    : { kind: 'pglite', dataDir: flags.dataDir ?? DEFAULT_DATA_DIR };
  let unlock: (() => void) | null = null;
  try {
    unlock = lockForStore(store);
    const opened = await openStore(store);
    try {
      const text = await exportState(opened);
      await writeStateFile(flags.out, text);
      out.write(`State written to ${flags.out} (${text.length} bytes)\n`);
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof StoreUnavailableError)
      throw new CliError(error.message);
    throw error;
  } finally {
    unlock?.();
  }
}
