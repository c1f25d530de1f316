// `doctor`: walks the path every integration author walks — base URL, token, capabilities, sharing,
// Notion-Version, rate limits, schema — and says in plain words what is wrong and how to fix it.
// Raw HTTP through the paced fetch (no retries) so every status and header is seen as sent.
import type { NotionFetch } from '../http/notion-fetch.js';
import { networkErrorCode } from '../http/retry-policy.js';
import { parseNotionId } from '../ids.js';
import { CAPABILITY_PROBES } from './probes.js';

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

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
}

const TOKEN_PAGE = 'https://www.notion.so/profile/integrations';
const RATE_HEADERS = [
  'x-ratelimit-remaining',
  'ratelimit-remaining',
  'x-ratelimit-limit',
  'ratelimit-limit',
  'x-ratelimit-reset',
  'ratelimit-reset',
];

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const version = options.notionVersion ?? '2022-06-28';
  const checks: CheckResult[] = [];
  const seen429: Answer[] = [];
  let requests = 0;
  const add = (c: CheckResult) => checks.push(c);
  const skipRest = (ids: [string, string][], why: string) =>
    ids.forEach(([id, title]) => add({ id, title, status: 'skip', detail: why }));

  async function call(
    method: string,
    path: string,
    init: { token?: string | null; body?: unknown; version?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'Notion-Version': init.version ?? version };
    const token = init.token === undefined ? options.token : init.token;
    if (token) headers.authorization = `Bearer ${token.trim()}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    requests++;
    const res = await options.fetch(`${base}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      body = null;
    }
    const answer = { status: res.status, body, headers: res.headers };
    if (res.status === 429) seen429.push(answer);
    else if (token) lastAnswer = answer;
    return answer;
  }
  const message = (a: Answer) => (typeof a.body?.message === 'string' ? a.body.message : `HTTP ${a.status}`);
  const offeredHeaders = (a: Answer) =>
    RATE_HEADERS.map((h) => [h, a.headers.get(h)] as const).filter(([, v]) => v !== null);
  let lastAnswer: Answer | null = null;
  /** Notion sends no counters: report any 429 seen, and any rate-limit headers the server offers. */
  const rateLimitCheck = (): CheckResult => {
    const pace =
      options.requestsPerSecond > 0 ? `pacing at ${options.requestsPerSecond} req/s` : 'no pacing (--rate 0)';
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
    const offered = lastAnswer ? offeredHeaders(lastAnswer) : [];
    return {
      id: 'rate-limit',
      title: 'Rate-limit headroom',
      status: 'pass',
      detail: `no 429 in ${requests} requests; ${pace}${offered.length ? `; server reports ${offered.map(([h, v]) => `${h}: ${v}`).join(', ')}` : '; Notion allows an average of 3 requests/s per integration'}`,
    };
  };
  const later: [string, string][] = [
    ['token-valid', 'Token valid'],
    ['capabilities', 'Capabilities'],
    ['page-access', 'Page access'],
    ['database-access', 'Database access'],
    ['notion-version', 'Notion-Version'],
    ['rate-limit', 'Rate-limit headroom'],
    ['database-schema', 'Database schema'],
  ];
  const relevant = (list: [string, string][]) =>
    list.filter(
      ([id]) => (id !== 'page-access' || options.pageId) && (!id.startsWith('database-') || options.databaseId),
    );

  // 1. Base URL reachable, and answering like the Notion API.
  let probe: Answer;
  try {
    probe = await call('GET', '/v1/users/me', { token: null });
  } catch (error) {
    const code = networkErrorCode(error) ?? (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    add({
      id: 'base-url',
      title: 'Base URL reachable',
      status: 'fail',
      detail: `cannot reach ${base} (${code})`,
      hint: 'Check --base-url: https://api.notion.com for Notion, or the URL `notion-local serve` printed.',
    });
    skipRest(relevant([['token-shape', 'Token shape'], ...later]), 'base URL unreachable');
    return { ok: false, base_url: base, checks };
  }
  const looksLikeNotion = probe.body?.object === 'error' && typeof probe.body.code === 'string';
  add(
    looksLikeNotion
      ? {
          id: 'base-url',
          title: 'Base URL reachable',
          status: 'pass',
          detail: `${base} answers like the Notion API (${probe.status} ${String(probe.body?.code)} without a token)`,
        }
      : {
          id: 'base-url',
          title: 'Base URL reachable',
          status: 'warn',
          detail: `${base} answered HTTP ${probe.status}, but not with Notion's JSON error shape`,
          hint: /\/v1$/.test(base)
            ? 'Leave /v1 out of --base-url; the client adds it.'
            : 'Is this the API base URL (without /v1)?',
        },
  );

  // 2. Token shape: warn only — Notion says tokens are opaque (secret_… and ntn_… are both valid).
  const token = options.token;
  if (!token) {
    add({
      id: 'token-shape',
      title: 'Token shape',
      status: 'fail',
      detail: 'no token given',
      hint: 'Set NOTION_TOKEN or pass --token (the integration\'s "Internal Integration Secret").',
    });
    skipRest(relevant(later), 'no token');
    return { ok: false, base_url: base, checks };
  }
  const shapeWarnings: string[] = [];
  if (token !== token.trim()) shapeWarnings.push('it has leading or trailing whitespace (trimmed for these checks)');
  if (/^bearer\s/i.test(token.trim())) shapeWarnings.push('it starts with "Bearer " — pass the token alone');
  if (/^["']|["']$/.test(token.trim())) shapeWarnings.push('it is wrapped in quotes');
  if (!/^(ntn_|secret_)/.test(token.trim().replace(/^bearer\s+/i, '')))
    shapeWarnings.push('it does not start with ntn_ or secret_, as Notion tokens do (trying it anyway)');
  const prefix = token.trim().slice(0, token.trim().indexOf('_') + 1) || token.trim().slice(0, 4);
  add(
    shapeWarnings.length === 0
      ? { id: 'token-shape', title: 'Token shape', status: 'pass', detail: `${prefix}… (${token.length} characters)` }
      : { id: 'token-shape', title: 'Token shape', status: 'warn', detail: shapeWarnings.join('; ') },
  );

  // 3. Token valid: users/me works with any capabilities.
  const me = await call('GET', '/v1/users/me');
  let botName = 'your integration';
  if (me.status === 429) {
    add({
      id: 'token-valid',
      title: 'Token valid',
      status: 'fail',
      detail: 'could not check: users/me answered 429 (rate limited)',
    });
    skipRest(
      relevant(later.slice(1)).filter(([id]) => id !== 'rate-limit'),
      'rate limited',
    );
    add(rateLimitCheck());
    return { ok: false, base_url: base, checks };
  }
  if (me.status !== 200) {
    const invalid = me.status === 401;
    add({
      id: 'token-valid',
      title: 'Token valid',
      status: 'fail',
      detail: invalid
        ? 'the token is invalid, or it was refreshed (rotated) after you copied it'
        : `users/me answered ${me.status}: ${message(me)}`,
      ...(invalid
        ? {
            hint: `Copy the current secret from the integration's settings (${TOKEN_PAGE} → your integration → Internal Integration Secret → Show → Copy); on notion-local, from the portal at ${base}/ → Integrations → Reveal token.`,
          }
        : {}),
    });
    skipRest(relevant(later.slice(1)), 'token not accepted');
    return { ok: false, base_url: base, checks };
  }
  botName = typeof me.body?.name === 'string' ? me.body.name : botName;
  const bot = me.body?.bot as { workspace_name?: string; owner?: { type?: string } } | undefined;
  add({
    id: 'token-valid',
    title: 'Token valid',
    status: 'pass',
    detail: `integration "${botName}"${bot?.workspace_name ? ` in workspace "${bot.workspace_name}"` : ''}`,
  });

  // 4. Capabilities: which endpoints will answer 403.
  const missing: string[] = [];
  const present: string[] = [];
  const unknown: string[] = [];
  let userInfo = '';
  for (const p of CAPABILITY_PROBES) {
    const a = await call(p.method, p.path(), p.body ? { body: p.body() } : {});
    if (a.status === 403) missing.push(`${p.capability} (${p.endpoints} answer 403)`);
    else if (a.status === 429) unknown.push(p.capability);
    else {
      present.push(p.capability);
      if (p.capability === 'user information' && a.status === 200) {
        const people = ((a.body?.results as { type?: string; person?: { email?: string } }[] | undefined) ?? []).filter(
          (u) => u.type === 'person',
        );
        userInfo = people.some((u) => typeof u.person?.email === 'string')
          ? ' with email'
          : people.length
            ? ' without email'
            : '';
      }
    }
  }
  const needsRead = Boolean(options.pageId || options.databaseId) && missing.some((m) => m.startsWith('read content'));
  add({
    id: 'capabilities',
    title: 'Capabilities',
    status: needsRead ? 'fail' : missing.length + unknown.length === 0 ? 'pass' : 'warn',
    detail: `has: ${present.map((c) => (c === 'user information' ? c + userInfo : c)).join(', ') || 'none'}${missing.length ? `; missing: ${missing.join('; ')}` : ''}${unknown.length ? `; not known (rate limited): ${unknown.join(', ')}` : ''}`,
    ...(missing.length
      ? {
          hint: `Turn the missing capabilities on in the integration's settings → Capabilities (on notion-local: the portal → Integrations → "${botName}").`,
        }
      : {}),
  });

  // 5. Access to the page/database: 404 means "not shared" as much as "does not exist".
  const shareHint = (kind: string) =>
    `In Notion, open the ${kind}, click ••• (top right) → Connections → add "${botName}". Sharing a parent page shares everything under it.`;
  const access = async (kind: 'page' | 'database', raw: string) => {
    const id = parseNotionId(raw) ?? raw;
    const a = await call('GET', `/v1/${kind}s/${encodeURIComponent(id)}`);
    const checkId = `${kind}-access`;
    const title = kind === 'page' ? 'Page access' : 'Database access';
    if (a.status === 200) {
      const name =
        kind === 'page'
          ? (Object.values(
              (a.body?.properties ?? {}) as Record<string, { type?: string; title?: { plain_text: string }[] }>,
            )
              .find((p) => p.type === 'title')
              ?.title?.map((t) => t.plain_text)
              .join('') ?? '')
          : ((a.body?.title ?? []) as { plain_text: string }[]).map((t) => t.plain_text).join('');
      add({
        id: checkId,
        title,
        status: 'pass',
        detail: `${kind} "${name || 'Untitled'}" (${id}) is shared with "${botName}"`,
      });
      return a;
    }
    if (a.status === 429) add({ id: checkId, title, status: 'fail', detail: `could not check: rate limited (429)` });
    else if (a.status === 404)
      add({
        id: checkId,
        title,
        status: 'fail',
        detail: `${kind} ${id} is not shared with "${botName}" (or does not exist)`,
        hint: shareHint(kind),
      });
    else if (a.status === 403)
      add({
        id: checkId,
        title,
        status: 'fail',
        detail: `reading the ${kind} needs the "Read content" capability`,
        hint: "Turn on Read content in the integration's Capabilities.",
      });
    else if (a.status === 400 && a.body?.code === 'invalid_request_url')
      add({
        id: checkId,
        title,
        status: 'fail',
        detail: `this server does not serve /v1/${kind}s/{id} (400 invalid_request_url)`,
      });
    else
      add({
        id: checkId,
        title,
        status: 'fail',
        detail: `${a.status} ${String(a.body?.code ?? '')}: ${message(a)}`,
        ...(/is a (page|database), not a/.test(message(a))
          ? { hint: `Use --${kind === 'page' ? 'database' : 'page'} for this id.` }
          : {}),
      });
    return null;
  };
  if (options.pageId) await access('page', options.pageId);
  const database = options.databaseId ? await access('database', options.databaseId) : null;

  // 6. Notion-Version: the version the toolkit speaks was accepted by users/me; say what else is.
  const newer = await call('GET', '/v1/users/me', { version: '2025-09-03' });
  add({
    id: 'notion-version',
    title: 'Notion-Version',
    status: 'pass',
    detail: `${version} accepted${newer.status === 200 ? '; 2025-09-03 accepted too' : `; 2025-09-03 answered ${newer.status}`}`,
  });

  // 7. Rate-limit headroom.
  add(rateLimitCheck());

  // 8. Database schema summary.
  if (options.databaseId) {
    if (!database)
      add({ id: 'database-schema', title: 'Database schema', status: 'skip', detail: 'database not readable' });
    else {
      const props = Object.entries(
        (database.body?.properties ?? {}) as Record<string, { type: string; [k: string]: unknown }>,
      );
      const describe = ([name, p]: [string, { type: string; [k: string]: unknown }]) => {
        const options = (p[p.type] as { options?: unknown[] } | undefined)?.options;
        return `${name} (${p.type}${Array.isArray(options) ? `, ${options.length} options` : ''})`;
      };
      add({
        id: 'database-schema',
        title: 'Database schema',
        status: 'pass',
        detail: `${props.length} properties: ${props.map(describe).join(', ')}`,
      });
    }
  }
  return { ok: checks.every((c) => c.status === 'pass' || c.status === 'warn'), base_url: base, checks };
}
