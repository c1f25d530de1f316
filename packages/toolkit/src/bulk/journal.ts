// A local journal of bulk work, one JSON object per line, appended synchronously before and after
// each write — so a run killed at any instant (even SIGKILL) can be resumed: finished rows are
// skipped, and a row whose create was started but not confirmed is looked up before it is retried.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type JournalEntry =
  | { kind: 'header'; version: 1; source: string; target: string }
  | { kind: 'database'; id: string }
  | { kind: 'intent'; row: number; key: string | null; at: number }
  | { kind: 'done'; row: number; page_id: string; action: 'created' | 'updated' | 'unchanged' | 'found' }
  | { kind: 'failed'; row: number; reason: string };

export interface JournalState {
  databaseId: string | null;
  /** Rows confirmed written (row → page id). */
  done: Map<number, string>;
  /** Rows whose create started but was never confirmed (row → when it started). */
  uncertain: Map<number, number>;
}

export class Journal {
  private constructor(
    readonly path: string,
    readonly state: JournalState,
    readonly resumed: boolean,
  ) {}

  /**
   * Opens the journal for `source` (a digest of the input) and `target`. A journal written for other
   * input or another target is replaced. A torn last line (a crash mid-write) is ignored.
   */
  static open(path: string, source: string, target: string): Journal {
    const state: JournalState = { databaseId: null, done: new Map(), uncertain: new Map() };
    let matches = false;
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      const entries: JournalEntry[] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          entries.push(JSON.parse(line) as JournalEntry);
        } catch {
          // torn write at the end of a killed run
        }
      }
      const header = entries[0];
      matches = header?.kind === 'header' && header.source === source && header.target === target;
      if (matches) {
        for (const entry of entries) {
          if (entry.kind === 'database') state.databaseId = entry.id;
          else if (entry.kind === 'intent') state.uncertain.set(entry.row, entry.at);
          else if (entry.kind === 'done') {
            state.done.set(entry.row, entry.page_id);
            state.uncertain.delete(entry.row);
          } else if (entry.kind === 'failed') state.uncertain.delete(entry.row);
        }
      }
    }
    if (!matches) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify({ kind: 'header', version: 1, source, target } satisfies JournalEntry)}\n`);
    }
    return new Journal(path, state, matches);
  }

  append(entry: JournalEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
    if (entry.kind === 'database') this.state.databaseId = entry.id;
    if (entry.kind === 'done') {
      this.state.done.set(entry.row, entry.page_id);
      this.state.uncertain.delete(entry.row);
    }
  }
}
