// Reading and writing state files (notion-local export-state, serve --import / --export-on-exit). A state file is
// written next to its final name and renamed into place, so a crash never leaves half a file under that name.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { CliError, EXIT } from '../cli-error.js';

export async function readStateFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read state file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.usage,
    );
  }
}

export async function writeStateFile(path: string, text: string): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  await writeFile(partial, text);
  await rename(partial, path);
}
