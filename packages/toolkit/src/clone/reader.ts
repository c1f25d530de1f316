// Every read of a clone goes through one reader: the SDK client (on the toolkit's paced, retrying fetch) behind an
// append-only journal (JSONL next to the output). Each answer — or refusal (403, 404, 400) — is appended as it
// arrives; a clone started again with the same source and roots replays the journal's answers without asking the
// API again and carries on where it stopped. A torn last line (a killed run) is ignored.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isNotionClientError } from '../errors.js';

/** A read the API refused (the crawl notes it as unreadable and goes on). */
export class CloneReadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloneReadError';
  }
}

type Line =
  { header: string } | { k: string; v: unknown } | { k: string; e: { status: number; code: string; m: string } };

/** What the crawl needs of an API: one request. */
export type RequestFn = (args: {
  path: string;
  method: 'get' | 'post';
  query?: Record<string, string | number>;
  body?: Record<string, unknown>;
  /** a Notion-Version other than 2025-09-03 */
  version?: string;
}) => Promise<unknown>;

export interface ReaderStats {
  /** requests sent to the API */
  requests: number;
  /** answers replayed from the journal */
  replayed: number;
}

export class CloneReader {
  readonly stats: ReaderStats = { requests: 0, replayed: 0 };
  private readonly answers = new Map<string, Line>();

  private constructor(
    private readonly request: RequestFn,
    private readonly journal: string | null,
  ) {}

  /**
   * A reader over `request`; with a journal path, answers recorded for the same `header` (source and roots) are
   * replayed, and a journal recorded for another clone is started afresh.
   */
  static open(request: RequestFn, journal: string | null, header: string): CloneReader {
    const reader = new CloneReader(request, journal);
    if (!journal) return reader;
    let lines: Line[] = [];
    if (existsSync(journal)) {
      for (const text of readFileSync(journal, 'utf8').split('\n')) {
        if (!text.trim()) continue;
        try {
          lines.push(JSON.parse(text) as Line);
        } catch {
          // a torn write at the end of a killed run
        }
      }
    }
    const first = lines[0];
    if (!first || !('header' in first) || first.header !== header) {
      writeFileSync(journal, `${JSON.stringify({ header })}\n`);
      lines = [];
    }
    for (const line of lines) if ('k' in line) reader.answers.set(line.k, line);
    return reader;
  }

  /** How many answers the journal held when the reader opened (0 for a fresh clone). */
  get resumable(): number {
    return this.answers.size;
  }

  get(path: string, query?: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    const q = Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number
    >;
    return this.read({ path, method: 'get', query: q });
  }

  post(path: string, body: Record<string, unknown>, version?: string): Promise<Record<string, unknown>> {
    return this.read({ path, method: 'post', body, ...(version ? { version } : {}) });
  }

  private async read(args: Parameters<RequestFn>[0]): Promise<Record<string, unknown>> {
    const key = `${args.version ?? ''}${args.method} ${args.path} ${JSON.stringify(args.query ?? args.body ?? {})}`;
    const known = this.answers.get(key);
    if (known && 'v' in known) {
      this.stats.replayed++;
      return known.v as Record<string, unknown>;
    }
    if (known && 'e' in known) {
      this.stats.replayed++;
      throw new CloneReadError(known.e.status, known.e.code, known.e.m);
    }
    this.stats.requests++;
    try {
      const value = (await this.request(args)) as Record<string, unknown>;
      this.append({ k: key, v: value });
      return value;
    } catch (error) {
      if (error instanceof CloneReadError) {
        this.append({ k: key, e: { status: error.status, code: error.code, m: error.message } });
        throw error;
      }
      const status = (error as { status?: number }).status;
      if (isNotionClientError(error) && status !== undefined && [400, 403, 404].includes(status)) {
        const code = String((error as { code?: string }).code ?? 'error');
        this.append({ k: key, e: { status, code, m: error.message } });
        throw new CloneReadError(status, code, error.message);
      }
      throw error;
    }
  }

  private append(line: Line): void {
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(line)}\n`);
  }
}
