// The doctor's checks of the page and database the author named: shared with the integration (a 404
// means "not shared" as much as "does not exist"), and the database's schema in one line. Under
// 2025-09-03 the schema is the database's data source's: `--database` may name the database (its one
// data source is read) or the data source itself.
import { parseNotionId } from '../ids.js';
import type { CheckResult } from './doctor-types.js';
import { messageOf, type Answer, type DoctorSession } from './doctor-session.js';

type ObjectKind = 'page' | 'database';
const DATA_SOURCES_SINCE = '2025-09-03';
type PropertySchema = { type: string; [k: string]: unknown };

/** 5. Page or database access. Returns the answer when the object could be read, else null. */
export async function checkAccess(session: DoctorSession, kind: ObjectKind, raw: string): Promise<Answer | null> {
  const id = parseNotionId(raw) ?? raw;
  let a = await session.call('GET', `/v1/${kind}s/${encodeURIComponent(id)}`);
  const checkId = `${kind}-access`;
  const title = kind === 'page' ? 'Page access' : 'Database access';
  const dataSources = kind === 'database' && session.version >= DATA_SOURCES_SINCE;
  if (dataSources && a.status === 404) {
    const source = await session.call('GET', `/v1/data_sources/${encodeURIComponent(id)}`);
    if (source.status === 200) a = source;
  }
  if (a.status === 200) {
    const name = kind === 'page' ? pageTitle(a) : databaseTitle(a);
    const what = a.body?.object === 'data_source' ? 'data source' : kind;
    session.add({
      id: checkId,
      title,
      status: 'pass',
      detail: `${what} "${name || 'Untitled'}" (${id}) is shared with "${session.botName}"`,
    });
    return dataSources ? dataSourceOf(session, a) : a;
  }
  session.add({ id: checkId, title, status: 'fail', ...accessFailure(kind, id, a, session.botName) });
  return null;
}

/**
 * Under 2025-09-03 the answer holding the schema: a data source as it is, a database's one data source
 * (read); a database with several (or none) answers with its list, which the schema check reports.
 */
async function dataSourceOf(session: DoctorSession, a: Answer): Promise<Answer> {
  if (a.body?.object !== 'database') return a;
  const sources = (a.body.data_sources ?? []) as { id: string }[];
  if (sources.length !== 1) return a;
  const source = await session.call('GET', `/v1/data_sources/${encodeURIComponent(sources[0]!.id)}`);
  return source.status === 200 ? source : a;
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
  const sources = database.body?.data_sources as { id: string; name: string }[] | undefined;
  if (sources && !database.body?.properties)
    return {
      id: 'database-schema',
      title: 'Database schema',
      status: sources.length > 1 ? 'warn' : 'fail',
      detail: `the database has ${sources.length} data sources${sources.length ? `: ${sources.map((s) => `"${s.name}" ${s.id}`).join(', ')}` : ''}`,
      ...(sources.length > 1 ? { hint: 'Pass one data source id as --database to see its schema.' } : {}),
    };
  const parent = database.body?.object === 'data_source' ? (database.body.parent as { database_id?: string }) : null;
  const props = Object.entries((database.body?.properties ?? {}) as Record<string, PropertySchema>);
  const describe = ([name, p]: [string, PropertySchema]) => {
    const options = (p[p.type] as { options?: unknown[] } | undefined)?.options;
    return `${name} (${p.type}${Array.isArray(options) ? `, ${options.length} options` : ''})`;
  };
  return {
    id: 'database-schema',
    title: 'Database schema',
    status: 'pass',
    detail: `${parent ? `data source ${String(database.body?.id)} of database ${parent.database_id}: ` : ''}${props.length} properties: ${props.map(describe).join(', ')}`,
  };
}
