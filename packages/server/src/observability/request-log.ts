// The request log: every API request (time, integration, method, route, status, error code, duration,
// request id — never a token or a body) written to the store in small batches off the hot path, kept
// to a retention limit, and read back with filters and cursor pagination.
import type { Clock } from '../clock.js';
import { fixedPlan, type Store } from '../store/sql-store.js';

export interface RequestLogEntry {
  time: Date;
  requestId: string;
  workspaceId: string | null;
  integrationId: string | null;
  method: string;
  route: string | null;
  path: string;
  status: number;
  code: string | null;
  message: string | null;
  durationMs: number;
  notFoundReason: string | null;
}

export interface RequestLogConfig {
  readonly enabled: boolean;
  readonly maxEntries: number;
  readonly flushIntervalMs: number;
}

export const DEFAULT_REQUEST_LOG: RequestLogConfig = Object.freeze({
  enabled: true,
  maxEntries: 50_000,
  flushIntervalMs: 100,
});

const COLUMNS = 12;

export class RequestLog {
  private buffer: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private flushes = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: RequestLogConfig = DEFAULT_REQUEST_LOG,
  ) {}

  record(entry: RequestLogEntry): void {
    if (!this.config.enabled) return;
    this.buffer.push(entry);
    if (this.buffer.length >= 200) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.config.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes what is buffered; resolves when every earlier record is in the store. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      // One statement text whatever the batch size (a column of values per array), so it is prepared once.
      const columns: unknown[][] = Array.from({ length: COLUMNS }, () => []);
      for (const e of batch) {
        const values = [
          e.time,
          e.requestId,
          e.workspaceId,
          e.integrationId,
          e.method,
          e.route,
          e.path,
          e.status,
          e.code,
          e.message,
          e.durationMs,
          e.notFoundReason,
        ];
        for (let k = 0; k < COLUMNS; k++) columns[k]!.push(values[k]);
      }
      await this.store
        .query(
          fixedPlan(`INSERT INTO request_log (time, request_id, workspace_id, integration_id, method, route, path, status, code, message, duration_ms, not_found_reason)
           SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[],
             $9::text[], $10::text[], $11::float8[], $12::text[])`),
          columns,
        )
        .catch(() => undefined); // a log write must never fail a request
      if (++this.flushes % 50 === 0) await this.prune().catch(() => undefined);
    });
    return this.flushing;
  }

  async prune(): Promise<void> {
    await this.store.query('DELETE FROM request_log WHERE seq <= (SELECT max(seq) FROM request_log) - $1', [
      this.config.maxEntries,
    ]);
  }

  async close(): Promise<void> {
    await this.flush();
  }

  now(): Date {
    return this.clock.now();
  }
}
