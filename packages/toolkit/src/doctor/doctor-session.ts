// One doctor run: the raw calls it makes (through the paced fetch, never retried, so every status and
// header is seen as sent), the checks reported so far, and what the rate-limit check needs afterwards.
import type { CheckResult, DoctorOptions, DoctorReport } from './doctor-types.js';

export interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
}

/** A check's id and title, for checks reported as skipped. */
export type CheckName = [id: string, title: string];

/** The checks after the token shape, in the order they run; skipped together when an earlier one fails. */
export const LATER_CHECKS: readonly CheckName[] = [
  ['token-valid', 'Token valid'],
  ['capabilities', 'Capabilities'],
  ['page-access', 'Page access'],
  ['database-access', 'Database access'],
  ['notion-version', 'Notion-Version'],
  ['rate-limit', 'Rate-limit headroom'],
  ['database-schema', 'Database schema'],
];

export interface CallOptions {
  /** `null` sends no token; left out, the token under test. */
  token?: string | null;
  body?: unknown;
  version?: string;
}

export class DoctorSession {
  readonly base: string;
  readonly version: string;
  readonly checks: CheckResult[] = [];
  /** Every answer 429 seen, newest last. */
  readonly seen429: Answer[] = [];
  requests = 0;
  /** The last answer to an authenticated request that was not a 429: its rate-limit headers are reported. */
  lastAnswer: Answer | null = null;
  /** The integration's name once users/me has answered; the hints name it. */
  botName = 'your integration';

  constructor(readonly options: DoctorOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.version = options.notionVersion ?? '2022-06-28';
  }

  add(check: CheckResult): void {
    this.checks.push(check);
  }

  /** Reports the checks that apply to this run (page/database checks only when asked for) as skipped. */
  skip(names: readonly CheckName[], why: string): void {
    for (const [id, title] of this.relevant(names)) this.add({ id, title, status: 'skip', detail: why });
  }

  relevant(names: readonly CheckName[]): CheckName[] {
    return names.filter(
      ([id]) =>
        (id !== 'page-access' || this.options.pageId) && (!id.startsWith('database-') || this.options.databaseId),
    );
  }

  /** The report so far; `ok` is false when the run stopped early, else every check passed or only warned. */
  report(stoppedEarly = false): DoctorReport {
    const ok = !stoppedEarly && this.checks.every((c) => c.status === 'pass' || c.status === 'warn');
    return { ok, base_url: this.base, checks: this.checks };
  }

  async call(method: string, path: string, init: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'Notion-Version': init.version ?? this.version };
    const token = init.token === undefined ? this.options.token : init.token;
    if (token) headers.authorization = `Bearer ${token.trim()}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    this.requests++;
    const res = await this.options.fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const answer = { status: res.status, body: parseJsonObject(await res.text()), headers: res.headers };
    if (res.status === 429) this.seen429.push(answer);
    else if (token) this.lastAnswer = answer;
    return answer;
  }
}

/** The body as a JSON object, or null when it is not one. */
function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The Notion error message of an answer, or its HTTP status. */
export function messageOf(answer: Answer): string {
  return typeof answer.body?.message === 'string' ? answer.body.message : `HTTP ${answer.status}`;
}
