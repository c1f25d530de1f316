// The doctor's checks of the page and database the author named: shared with the integration (a 404
// means "not shared" as much as "does not exist"), and the database's schema in one line.
import { parseNotionId } from '../ids.js';
import type { CheckResult } from './doctor-types.js';
import { messageOf, type Answer, type DoctorSession } from './doctor-session.js';

type ObjectKind = 'page' | 'database';
type PropertySchema = { type: string; [k: string]: unknown };

/** 5. Page or database access. Returns the answer when the object could be read, else null. */
export async function checkAccess(session: DoctorSession, kind: ObjectKind, raw: string): Promise<Answer | null> {
  const id = parseNotionId(raw) ?? raw;
  const a = await session.call('GET', `/v1/${kind}s/${encodeURIComponent(id)}`);
  const checkId = `${kind}-access`;
  const title = kind === 'page' ? 'Page access' : 'Database access';
  if (a.status === 200) {
    const name = kind === 'page' ? pageTitle(a) : databaseTitle(a);
    session.add({
      id: checkId,
      title,
      status: 'pass',
      detail: `${kind} "${name || 'Untitled'}" (${id}) is shared with "${session.botName}"`,
    });
    return a;
  }
  session.add({ id: checkId, title, status: 'fail', ...accessFailure(kind, id, a, session.botName) });
  return null;
}

function pageTitle(page: Answer): string {
  const properties = (page.body?.properties ?? {}) as Record<
    string,
    { type?: string; title?: { plain_text: string }[] }
  >;
  const title = Object.values(properties).find((p) => p.type === 'title')?.title;
  return title?.map((t) => t.plain_text).join('') ?? '';
}

function databaseTitle(database: Answer): string {
  return ((database.body?.title ?? []) as { plain_text: string }[]).map((t) => t.plain_text).join('');
}

/** Why an object could not be read, and how to fix it. */
function accessFailure(kind: ObjectKind, id: string, a: Answer, botName: string): Pick<CheckResult, 'detail' | 'hint'> {
  if (a.status === 429) return { detail: `could not check: rate limited (429)` };
  if (a.status === 404)
    return {
      detail: `${kind} ${id} is not shared with "${botName}" (or does not exist)`,
      hint: `In Notion, open the ${kind}, click ••• (top right) → Connections → add "${botName}". Sharing a parent page shares everything under it.`,
    };
  if (a.status === 403)
    return {
      detail: `reading the ${kind} needs the "Read content" capability`,
      hint: "Turn on Read content in the integration's Capabilities.",
    };
  if (a.status === 400 && a.body?.code === 'invalid_request_url')
    return { detail: `this server does not serve /v1/${kind}s/{id} (400 invalid_request_url)` };
  return {
    detail: `${a.status} ${String(a.body?.code ?? '')}: ${messageOf(a)}`,
    ...(/is a (page|database), not a/.test(messageOf(a))
      ? { hint: `Use --${kind === 'page' ? 'database' : 'page'} for this id.` }
      : {}),
  };
}

/** 8. Database schema summary: each property with its type (and its number of options). */
export function databaseSchemaCheck(database: Answer | null): CheckResult {
  if (!database)
    return { id: 'database-schema', title: 'Database schema', status: 'skip', detail: 'database not readable' };
  const props = Object.entries((database.body?.properties ?? {}) as Record<string, PropertySchema>);
  const describe = ([name, p]: [string, PropertySchema]) => {
    const options = (p[p.type] as { options?: unknown[] } | undefined)?.options;
    return `${name} (${p.type}${Array.isArray(options) ? `, ${options.length} options` : ''})`;
  };
  return {
    id: 'database-schema',
    title: 'Database schema',
    status: 'pass',
    detail: `${props.length} properties: ${props.map(describe).join(', ')}`,
  };
}
