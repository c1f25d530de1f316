// The request log: every API request (time, integration, method, route, status, error code, duration,
// request id — never a token or a body) written to the store in small batches off the hot path, each batch
// pruned in its own transaction so the table never holds more than `maxEntries` rows, and read back with
// filters and cursor pagination.
import type { Clock } from '../clock.js';
import { insertRequestLogBounded, pruneRequestLog, type RequestLogInsert } from '../store/request-log-repo.js';
import type { Store } from '../store/sql-store.js';

/** One API request as the log keeps it: never a token or a body. */
export type RequestLogEntry = RequestLogInsert;

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

export class RequestLog {
  private buffer: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

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
      // Inserted and pruned to maxEntries together; a log write must never fail a request.
      await insertRequestLogBounded(this.store, batch, this.config.maxEntries).catch(() => undefined);
    });
    return this.flushing;
  }

  async prune(): Promise<void> {
    await pruneRequestLog(this.store, this.config.maxEntries);
  }

  async close(): Promise<void> {
    await this.flush();
  }

  now(): Date {
    return this.clock.now();
  }
}
