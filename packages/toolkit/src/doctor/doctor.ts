// `doctor`: walks the path every integration author walks — base URL, token, capabilities, sharing,
// Notion-Version, rate limits, schema — and says in plain words what is wrong and how to fix it.
// Raw HTTP through the paced fetch (no retries) so every status and header is seen as sent.
import { checkCapabilities, checkNotionVersion, rateLimitCheck } from './capability-checks.js';
import { checkBaseUrl, checkTokenShape, checkTokenValid } from './connection-checks.js';
import { DoctorSession } from './doctor-session.js';
import type { DoctorOptions, DoctorReport } from './doctor-types.js';
import { checkAccess, databaseSchemaCheck } from './object-checks.js';

export type { CheckResult, CheckStatus, DoctorOptions, DoctorReport } from './doctor-types.js';

/** Runs the checks in order; a failed base URL, missing token or refused token stops the run there. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const session = new DoctorSession(options);
  if (!(await checkBaseUrl(session))) return session.report(true);
  if (!checkTokenShape(session)) return session.report(true);
  if (!(await checkTokenValid(session))) return session.report(true);
  await checkCapabilities(session);
  if (options.pageId) await checkAccess(session, 'page', options.pageId);
  const database = options.databaseId ? await checkAccess(session, 'database', options.databaseId) : null;
  await checkNotionVersion(session);
  session.add(rateLimitCheck(session));
  if (options.databaseId) session.add(databaseSchemaCheck(database));
  return session.report();
}
