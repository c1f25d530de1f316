// The doctor's checks of what the accepted token may do: its capabilities (which endpoints will answer
// 403), the Notion-Version it can send, and how much rate-limit headroom it has.
import type { CheckResult } from './doctor-types.js';
import type { Answer, DoctorSession } from './doctor-session.js';
import { CAPABILITY_PROBES } from './probes.js';

const RATE_HEADERS = [
  'x-ratelimit-remaining',
  'ratelimit-remaining',
  'x-ratelimit-limit',
  'ratelimit-limit',
  'x-ratelimit-reset',
  'ratelimit-reset',
];

interface CapabilityFindings {
  readonly missing: string[];
  readonly present: string[];
  /** Capabilities whose probe was rate limited. */
  readonly unknown: string[];
  /** ' with email' / ' without email' when users could be listed, after "user information". */
  userInfo: string;
}

/** 4. Capabilities: one side-effect-free probe per capability. */
export async function checkCapabilities(session: DoctorSession): Promise<void> {
  const found: CapabilityFindings = { missing: [], present: [], unknown: [], userInfo: '' };
  for (const p of CAPABILITY_PROBES) {
    const a = await session.call(p.method, p.path(), p.body ? { body: p.body() } : {});
    if (a.status === 403) found.missing.push(`${p.capability} (${p.endpoints} answer 403)`);
    else if (a.status === 429) found.unknown.push(p.capability);
    else {
      found.present.push(p.capability);
      if (p.capability === 'user information' && a.status === 200) found.userInfo = emailVisibility(a);
    }
  }
  const { missing, present, unknown, userInfo } = found;
  const { pageId, databaseId } = session.options;
  const needsRead = Boolean(pageId || databaseId) && missing.some((m) => m.startsWith('read content'));
  session.add({
    id: 'capabilities',
    title: 'Capabilities',
    status: needsRead ? 'fail' : missing.length + unknown.length === 0 ? 'pass' : 'warn',
    detail: `has: ${present.map((c) => (c === 'user information' ? c + userInfo : c)).join(', ') || 'none'}${missing.length ? `; missing: ${missing.join('; ')}` : ''}${unknown.length ? `; not known (rate limited): ${unknown.join(', ')}` : ''}`,
    ...(missing.length
      ? {
          hint: `Turn the missing capabilities on in the integration's settings → Capabilities (on notion-local: the portal → Integrations → "${session.botName}").`,
        }
      : {}),
  });
}

/** Whether the people in a users list carry their email (the "with email" level of user information). */
function emailVisibility(users: Answer): string {
  const results = (users.body?.results as { type?: string; person?: { email?: string } }[] | undefined) ?? [];
  const people = results.filter((u) => u.type === 'person');
  if (people.some((u) => typeof u.person?.email === 'string')) return ' with email';
  return people.length ? ' without email' : '';
}

/** The versions the toolkit speaks: the doctor says whether the one not in use is accepted too. */
const TOOLKIT_VERSIONS = ['2022-06-28', '2025-09-03'];

/** 6. Notion-Version: the version in use was accepted by users/me; says whether the other one is. */
export async function checkNotionVersion(session: DoctorSession): Promise<void> {
  const others = TOOLKIT_VERSIONS.filter((v) => v !== session.version);
  const parts = [`${session.version} accepted`];
  for (const other of others) {
    const answer = await session.call('GET', '/v1/users/me', { version: other });
    parts.push(answer.status === 200 ? `${other} accepted too` : `${other} answered ${answer.status}`);
  }
  session.add({ id: 'notion-version', title: 'Notion-Version', status: 'pass', detail: parts.join('; ') });
}

/** 7. Rate-limit headroom. Notion sends no counters: reports any 429 seen, and any rate-limit headers offered. */
export function rateLimitCheck(session: DoctorSession): CheckResult {
  const { seen429, requests } = session;
  const rate = session.options.requestsPerSecond;
  const pace = rate > 0 ? `pacing at ${rate} req/s` : 'no pacing (--rate 0)';
  const last429 = seen429[seen429.length - 1];
  if (last429) {
    const retryAfter = last429.headers.get('retry-after');
    const reason = (last429.body?.additional_data as { rate_limit_reason?: string } | undefined)?.rate_limit_reason;
    return {
      id: 'rate-limit',
      title: 'Rate-limit headroom',
      status: 'fail',
      detail: `rate limited now (${seen429.length} of ${requests} requests answered 429${reason ? `, ${reason}` : ''}); retry after ${retryAfter ?? '?'} s`,
      hint: 'Another process may be using the same integration; share one budget (--budget-url) or lower --rate, or wait.',
    };
  }
  const offered = session.lastAnswer ? offeredHeaders(session.lastAnswer) : [];
  return {
    id: 'rate-limit',
    title: 'Rate-limit headroom',
    status: 'pass',
    detail: `no 429 in ${requests} requests; ${pace}${offered.length ? `; server reports ${offered.map(([h, v]) => `${h}: ${v}`).join(', ')}` : '; Notion allows an average of 3 requests/s per integration'}`,
  };
}

function offeredHeaders(answer: Answer) {
  return RATE_HEADERS.map((h) => [h, answer.headers.get(h)] as const).filter(([, v]) => v !== null);
}
