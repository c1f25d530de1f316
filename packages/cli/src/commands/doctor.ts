// `notion-local doctor [--page ID] [--database ID]`: the checks of toolkit/doctor, printed one per
// line (✔ ⚠ ✘ –) with a hint under each failure; exit 0 only when every check passes.
import { RateLimiter, budgetKeyForToken, createNotionFetch, runDoctor, type CheckStatus } from '@notion-local/toolkit';
import { CliError } from '../cli-error.js';
import {
  budgetStoreFor,
  painter,
  parseBurst,
  parseNotionVersion,
  parseRate,
  printJson,
  toCliError,
  type CommonFlags,
  type ToolkitEnv,
} from '../toolkit/common.js';
import { TOOLKIT_EXIT } from '../toolkit/exit-codes.js';

export interface DoctorFlags extends CommonFlags {
  page?: string;
  database?: string;
}

const MARKS: Record<CheckStatus, { mark: string; color: 'green' | 'yellow' | 'red' | 'gray' }> = {
  pass: { mark: '✔', color: 'green' },
  warn: { mark: '⚠', color: 'yellow' },
  fail: { mark: '✘', color: 'red' },
  skip: { mark: '–', color: 'gray' },
};

export async function doctor(flags: DoctorFlags, env: ToolkitEnv): Promise<void> {
  const rate = parseRate(flags.rate);
  const burst = parseBurst(flags.burst);
  const notionVersion = parseNotionVersion(flags.notionVersion);
  const token = (flags.token ?? env.token)?.toString();
  const store = budgetStoreFor(flags.budgetUrl);
  const limiter = new RateLimiter({
    requestsPerSecond: rate,
    key: budgetKeyForToken(token ?? ''),
    ...(burst !== undefined ? { burst } : {}),
    ...(store ? { store } : {}),
  });
  // No retries and no waiting out Retry-After: doctor wants to see a 429 as it is.
  const http = createNotionFetch({ limiter, maxRetries: 0, pauseOnRetryAfter: false, attemptTimeoutMs: 15_000 });
  let report;
  try {
    report = await runDoctor({
      baseUrl: flags.baseUrl,
      token,
      fetch: http.fetch,
      requestsPerSecond: rate,
      notionVersion,
      ...(flags.page ? { pageId: flags.page } : {}),
      ...(flags.database ? { databaseId: flags.database } : {}),
    });
  } catch (error) {
    throw toCliError(error, flags.baseUrl);
  } finally {
    await store?.close();
  }

  if (flags.json) printJson(env, report);
  else {
    const paint = painter(env.stdout, env);
    for (const check of report.checks) {
      const { mark, color } = MARKS[check.status];
      env.stdout.write(`${paint(color, mark)} ${paint('bold', check.title)}: ${check.detail}\n`);
      if (check.hint && check.status !== 'pass') env.stdout.write(`    ${paint('gray', '→')} ${check.hint}\n`);
    }
    const warnings = report.checks.filter((c) => c.status === 'warn').length;
    env.stdout.write(
      report.ok
        ? `${paint('green', 'All checks passed')}${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.\n`
        : '',
    );
  }
  if (!report.ok) {
    const failed = report.checks.filter((c) => c.status === 'fail');
    const first = failed[0];
    const code = failed.some((c) => c.id === 'rate-limit')
      ? TOOLKIT_EXIT.failure
      : first?.id === 'token-valid' || first?.id === 'token-shape'
        ? TOOLKIT_EXIT.auth
        : first?.id === 'page-access' || first?.id === 'database-access' || first?.id === 'capabilities'
          ? TOOLKIT_EXIT.access
          : TOOLKIT_EXIT.failure;
    throw new CliError(
      `doctor: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((c) => c.title).join(', ')})`,
      code,
    );
  }
}
