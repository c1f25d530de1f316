// The doctor's first three checks, each of which stops the run when it fails: the base URL answers like
// the Notion API, a token is given (and looks like one), and the API accepts it.
import { networkErrorCode } from '../http/retry-policy.js';
import { rateLimitCheck } from './capability-checks.js';
import type { CheckResult } from './doctor-types.js';
import { LATER_CHECKS, messageOf, type Answer, type DoctorSession } from './doctor-session.js';

const TOKEN_PAGE = 'https://www.notion.so/profile/integrations';

/** 1. Base URL reachable, and answering like the Notion API. False when unreachable (the run stops). */
export async function checkBaseUrl(session: DoctorSession): Promise<boolean> {
  const base = session.base;
  let probe: Answer;
  try {
    probe = await session.call('GET', '/v1/users/me', { token: null });
  } catch (error) {
    const code = networkErrorCode(error) ?? (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    session.add({
      id: 'base-url',
      title: 'Base URL reachable',
      status: 'fail',
      detail: `cannot reach ${base} (${code})`,
      hint: 'Check --base-url: https://api.notion.com for Notion, or the URL `notion-local serve` printed.',
    });
    session.skip([['token-shape', 'Token shape'], ...LATER_CHECKS], 'base URL unreachable');
    return false;
  }
  const looksLikeNotion = probe.body?.object === 'error' && typeof probe.body.code === 'string';
  session.add(
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
  return true;
}

/**
 * 2. Token shape: warns only — Notion says tokens are opaque (secret_… and ntn_… are both valid).
 * False when no token is given (the run stops).
 */
export function checkTokenShape(session: DoctorSession): boolean {
  const token = session.options.token;
  if (!token) {
    session.add({
      id: 'token-shape',
      title: 'Token shape',
      status: 'fail',
      detail: 'no token given',
      hint: 'Set NOTION_TOKEN or pass --token (the integration\'s "Internal Integration Secret").',
    });
    session.skip(LATER_CHECKS, 'no token');
    return false;
  }
  const warnings = tokenShapeWarnings(token);
  const trimmed = token.trim();
  const prefix = trimmed.slice(0, trimmed.indexOf('_') + 1) || trimmed.slice(0, 4);
  session.add(
    warnings.length === 0
      ? { id: 'token-shape', title: 'Token shape', status: 'pass', detail: `${prefix}… (${token.length} characters)` }
      : { id: 'token-shape', title: 'Token shape', status: 'warn', detail: warnings.join('; ') },
  );
  return true;
}

function tokenShapeWarnings(token: string): string[] {
  const trimmed = token.trim();
  const warnings: string[] = [];
  if (token !== trimmed) warnings.push('it has leading or trailing whitespace (trimmed for these checks)');
  if (/^bearer\s/i.test(trimmed)) warnings.push('it starts with "Bearer " — pass the token alone');
  if (/^["']|["']$/.test(trimmed)) warnings.push('it is wrapped in quotes');
  if (!/^(ntn_|secret_)/.test(trimmed.replace(/^bearer\s+/i, '')))
    warnings.push('it does not start with ntn_ or secret_, as Notion tokens do (trying it anyway)');
  return warnings;
}

/** 3. Token valid: users/me answers with any capabilities. False when it does not (the run stops). */
export async function checkTokenValid(session: DoctorSession): Promise<boolean> {
  const me = await session.call('GET', '/v1/users/me');
  if (me.status === 429) {
    session.add({
      id: 'token-valid',
      title: 'Token valid',
      status: 'fail',
      detail: 'could not check: users/me answered 429 (rate limited)',
    });
    session.skip(
      LATER_CHECKS.slice(1).filter(([id]) => id !== 'rate-limit'),
      'rate limited',
    );
    session.add(rateLimitCheck(session));
    return false;
  }
  if (me.status !== 200) {
    session.add(tokenRefused(session, me));
    session.skip(LATER_CHECKS.slice(1), 'token not accepted');
    return false;
  }
  if (typeof me.body?.name === 'string') session.botName = me.body.name;
  const bot = me.body?.bot as { workspace_name?: string; owner?: { type?: string } } | undefined;
  session.add({
    id: 'token-valid',
    title: 'Token valid',
    status: 'pass',
    detail: `integration "${session.botName}"${bot?.workspace_name ? ` in workspace "${bot.workspace_name}"` : ''}`,
  });
  return true;
}

function tokenRefused(session: DoctorSession, me: Answer): CheckResult {
  const invalid = me.status === 401;
  return {
    id: 'token-valid',
    title: 'Token valid',
    status: 'fail',
    detail: invalid
      ? 'the token is invalid, or it was refreshed (rotated) after you copied it'
      : `users/me answered ${me.status}: ${messageOf(me)}`,
    ...(invalid
      ? {
          hint: `Copy the current secret from the integration's settings (${TOKEN_PAGE} → your integration → Internal Integration Secret → Show → Copy); on notion-local, from the portal at ${session.base}/ → Integrations → Reveal token.`,
        }
      : {}),
  };
}
