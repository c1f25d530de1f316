// The shapes of a doctor run: its options, each check's result, and the report.
import type { NotionFetch } from '../http/notion-fetch.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly hint?: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly base_url: string;
  readonly checks: CheckResult[];
}

export interface DoctorOptions {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly pageId?: string;
  readonly databaseId?: string;
  /** A paced fetch with retries off (`createNotionFetch({ maxRetries: 0 })`). */
  readonly fetch: NotionFetch;
  readonly requestsPerSecond: number;
  readonly notionVersion?: string;
}
