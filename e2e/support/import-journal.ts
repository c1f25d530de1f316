// Following an import's journal while the importer runs: it appends each line synchronously, so every
// line is a change the file system reports, and tests act on the count of finished rows as it grows
// (to kill the importer at a chosen point) instead of re-reading the file on a timer.
import { closeSync, existsSync, openSync, readSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** The journal `import FILE` keeps next to FILE. */
export function journalOf(file: string): string {
  return `${file}.import-journal.jsonl`;
}

/** Counts the journal's "done" lines as it grows, reading only what was appended since the last call. */
export function journalDone(path: string): () => number {
  let offset = 0;
  let carry = '';
  let done = 0;
  return () => {
    if (!existsSync(path)) return done;
    const size = statSync(path).size;
    if (size <= offset) return done;
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      const lines = (carry + buffer.toString('utf8')).split('\n');
      carry = lines.pop() ?? '';
      done += lines.filter((l) => l.includes('"kind":"done"')).length;
    } finally {
      closeSync(fd);
    }
    return done;
  };
}

/**
 * Calls `listener` each time the journal is created or appended to (its folder is watched, so the
 * journal need not exist yet). Returns the function that stops watching.
 */
export function onJournalChange(path: string, listener: () => void): () => void {
  const name = basename(path);
  const watcher = watch(dirname(path), (_event, changed) => {
    if (changed === name) listener();
  });
  return () => watcher.close();
}
