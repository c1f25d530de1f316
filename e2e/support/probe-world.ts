// The objects the cross-tenant probe aims at, made through the API itself: for the caller (the Full
// integration of Acme) its own content, a sandbox where probes that succeed may write, and trashed objects;
// the same content made by the Unshared integration of Acme under a page only it can see (unshared with
// the caller) and by OtherBot in the other workspace (foreign). A snapshot of the unshared and foreign
// content, read with the tokens that can see it, shows after a run that no probe wrote across a boundary.
import { IDS, TOKENS, testSeed } from './fixtures.js';

/** The Notion-Version calls are made with unless one is given. */
export const PROBE_VERSION = '2022-06-28';

/** One API call as a token; GET/DELETE carry no body. Answers status and parsed JSON (or text). */
export type ApiCall = (
  token: string,
  method: string,
  path: string,
  body?: unknown,
  version?: string,
) => Promise<{ status: number; body: any }>;

/** An ApiCall over fetch, round-robin across one or more base URLs (several server processes). */
export function fetchCall(baseUrls: readonly string[]): ApiCall {
  let next = 0;
  return async (token, method, path, body, version = PROBE_VERSION) => {
    const base = baseUrls[next++ % baseUrls.length]!;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'notion-version': version };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
    // A keep-alive connection the server closed just as it was reused ("other side closed") is retried
    // once on a new connection; a second failure is thrown.
    const res = await fetch(`${base}${path}`, init).catch(() => fetch(`${base}${path}`, init));
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch {
      return { status: res.status, body: text };
    }
  };
}

/**
 * The e2e seed with Acme's private page shared with the Unshared integration only (invisible to Full), and
 * the other workspace seeded first: its users are older than Acme's, so a list cursor that resolved a
 * foreign user would answer Acme's users after it.
 */
export function probeSeed(): ReturnType<typeof testSeed> {
  const seed = testSeed();
  seed.workspaces.reverse();
  for (const page of seed.workspaces.find((w) => w.id === IDS.acme)!.pages) {
    if (page.id === IDS.privatePage) (page as { shared_with?: string[] }).shared_with = ['Unshared'];
  }
  return seed;
}

/** What one integration made under one of its pages. */
export interface Content {
  root: string;
  page: string;
  block: string;
  db: string;
  /** the data source of `db` (read through Notion-Version 2025-09-03) */
  ds: string;
  row: string;
  row2: string;
  comment: string;
  discussion: string;
  /** property ids of `db`: its relation and people properties */
  relProp: string;
  peopleProp: string;
}

export interface ProbeWorld {
  mine: Content;
  /** a page of the caller's where probes that succeed write (mentions, link_to_page, …) */
  sandbox: string;
  sandboxBlock: string;
  sandboxDb: string;
  /** the data source of sandboxDb */
  sandboxDs: string;
  sandboxRow: string;
  /** a page of the sandbox that move probes would move (none may succeed) */
  sandboxMover: string;
  /** a database of the sandbox under which data source creations would land (none may succeed) */
  sandboxSourcesDb: string;
  /** the default view of sandboxDb (view probes that name a second object) */
  sandboxView: string;
  foreign: Content & { users: string[]; cursor: string };
  unshared: Content & { cursor: string };
  trashed: { page: string; block: string; db: string; ds: string; row: string };
  /** every id the world holds (normalisation keeps these, replaces others by <NEW>) */
  known: Set<string>;
}

const rt = (content: string) => [{ type: 'text', text: { content } }];

async function ok(call: ApiCall, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(token, method, path, body);
  if (res.status !== 200) throw new Error(`probe setup: ${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function createPage(call: ApiCall, token: string, parent: string, title: string): Promise<string> {
  const body = { parent: { page_id: parent }, properties: { title: { title: rt(title) } } };
  return (await ok(call, token, 'POST', '/v1/pages', body)).id;
}

async function createRow(call: ApiCall, token: string, db: string, properties: Record<string, unknown>) {
  return (await ok(call, token, 'POST', '/v1/pages', { parent: { database_id: db }, properties })).id as string;
}

async function appendParagraph(call: ApiCall, token: string, parent: string, text: string): Promise<string> {
  const body = { children: [{ paragraph: { rich_text: rt(text) } }] };
  return (await ok(call, token, 'PATCH', `/v1/blocks/${parent}/children`, body)).results[0].id;
}

/** A database with a title, a relation to itself and a people property. */
async function createDatabase(call: ApiCall, token: string, parent: string, relatedTo?: string) {
  const created = await ok(call, token, 'POST', '/v1/databases', {
    parent: { page_id: parent },
    title: rt('Probe DB'),
    properties: { Name: { title: {} }, People: { people: {} } },
  });
  const db = created.id as string;
  const related = relatedTo ?? db;
  const updated = await ok(call, token, 'PATCH', `/v1/databases/${db}`, {
    properties: { Rel: { relation: { database_id: related, single_property: {} } } },
  });
  return { db, relProp: updated.properties.Rel.id as string, peopleProp: updated.properties.People.id as string };
}

async function makeContent(call: ApiCall, token: string, root: string, person: string): Promise<Content> {
  const page = await createPage(call, token, root, 'Probe page');
  const block = await appendParagraph(call, token, page, 'Probe block');
  const { db, relProp, peopleProp } = await createDatabase(call, token, root);
  const ds = await dataSourceOf(call, token, db);
  const row = await createRow(call, token, db, { Name: { title: rt('Row 1') }, People: { people: [{ id: person }] } });
  const row2 = await createRow(call, token, db, { Name: { title: rt('Row 2') }, Rel: { relation: [{ id: row }] } });
  const comment = await ok(call, token, 'POST', '/v1/comments', { parent: { page_id: page }, rich_text: rt('Hi') });
  return {
    root,
    page,
    block,
    db,
    ds,
    row,
    row2,
    comment: comment.id,
    discussion: comment.discussion_id,
    relProp,
    peopleProp,
  };
}

/** The data source of a database, as Notion-Version 2025-09-03 lists it. */
async function dataSourceOf(call: ApiCall, token: string, db: string): Promise<string> {
  const res = await call(token, 'GET', `/v1/databases/${db}`, undefined, '2025-09-03');
  const id = res.body?.data_sources?.[0]?.id;
  if (res.status !== 200 || typeof id !== 'string')
    throw new Error(`probe setup: no data source of ${db}: ${res.status} ${JSON.stringify(res.body)}`);
  return id as string;
}

/** A cursor of a database query (page_size 1 over two rows), issued to `token`. */
async function queryCursor(call: ApiCall, token: string, db: string): Promise<string> {
  const res = await ok(call, token, 'POST', `/v1/databases/${db}/query`, { page_size: 1 });
  if (!res.next_cursor) throw new Error('probe setup: the query gave no cursor');
  return res.next_cursor as string;
}

async function makeTrashed(call: ApiCall, mine: Content) {
  const page = await createPage(call, TOKENS.full, mine.root, 'Trashed page');
  await ok(call, TOKENS.full, 'PATCH', `/v1/pages/${page}`, { in_trash: true });
  const block = await appendParagraph(call, TOKENS.full, mine.page, 'Trashed block');
  await ok(call, TOKENS.full, 'DELETE', `/v1/blocks/${block}`);
  const { db } = await createDatabase(call, TOKENS.full, mine.root);
  const ds = await dataSourceOf(call, TOKENS.full, db);
  await ok(call, TOKENS.full, 'PATCH', `/v1/databases/${db}`, { in_trash: true });
  const row = await createRow(call, TOKENS.full, mine.db, { Name: { title: rt('Trashed row') } });
  await ok(call, TOKENS.full, 'PATCH', `/v1/pages/${row}`, { in_trash: true });
  return { page, block, db, ds, row };
}

/** Makes the world on a freshly seeded platform (probeSeed()). */
export async function buildProbeWorld(call: ApiCall): Promise<ProbeWorld> {
  const mine = await makeContent(call, TOKENS.full, IDS.sharedRoot, IDS.ada);
  const sandbox = await createPage(call, TOKENS.full, IDS.sharedRoot, 'Sandbox');
  const sandboxBlock = await appendParagraph(call, TOKENS.full, sandbox, 'Sandbox block');
  const sandboxDb = (await createDatabase(call, TOKENS.full, sandbox, mine.db)).db;
  const sandboxDs = await dataSourceOf(call, TOKENS.full, sandboxDb);
  const sandboxRow = await createRow(call, TOKENS.full, sandboxDb, { Name: { title: rt('Sandbox row') } });
  const sandboxMover = await createPage(call, TOKENS.full, sandbox, 'Sandbox mover');
  const sandboxSourcesDb = (await createDatabase(call, TOKENS.full, sandbox)).db;
  const views = await call(TOKENS.full, 'GET', `/v1/views?database_id=${sandboxDb}`, undefined, '2025-09-03');
  const sandboxView = views.body?.results?.[0]?.id as string;
  const otherUsers = await ok(call, TOKENS.otherBot, 'GET', '/v1/users');
  const users = (otherUsers.results as { id: string }[]).map((u) => u.id);
  const olga = (otherUsers.results as { id: string; type: string }[]).find((u) => u.type === 'person')!.id;
  const foreignContent = await makeContent(call, TOKENS.otherBot, IDS.otherRoot, olga);
  const foreign = { ...foreignContent, users, cursor: await queryCursor(call, TOKENS.otherBot, foreignContent.db) };
  const unsharedContent = await makeContent(call, TOKENS.unshared, IDS.privatePage, IDS.grace);
  const unshared = { ...unsharedContent, cursor: await queryCursor(call, TOKENS.unshared, unsharedContent.db) };
  const trashed = await makeTrashed(call, mine);
  // A comment newer than the foreign and unshared ones: a comment cursor that resolved theirs would list it.
  await ok(call, TOKENS.full, 'POST', '/v1/comments', { parent: { page_id: mine.page }, rich_text: rt('Later') });
  const world = {
    mine,
    sandbox,
    sandboxBlock,
    sandboxDb,
    sandboxDs,
    sandboxRow,
    sandboxMover,
    sandboxSourcesDb,
    sandboxView,
    foreign,
    unshared,
    trashed,
    known: new Set<string>(),
  };
  collectIds(world, world.known);
  for (const id of Object.values(IDS)) world.known.add(id);
  world.known.delete(IDS.missing);
  return world;
}

function collectIds(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value)) into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectIds(v, into));
  else if (value && typeof value === 'object' && !(value instanceof Set))
    Object.values(value).forEach((v) => collectIds(v, into));
}

/** The id pools a probe draws from: ids the caller must not be able to tell from missing ones. */
export function idPools(world: ProbeWorld) {
  const objects = (c: Content) => [c.root, c.page, c.block, c.db, c.ds, c.row, c.row2, c.comment, c.discussion];
  return {
    foreign: [...objects(world.foreign), ...world.foreign.users],
    unshared: objects(world.unshared),
    trashed: Object.values(world.trashed),
    /** database query cursors issued to another integration, and property ids of other databases */
    foreignCursors: [world.foreign.cursor],
    unsharedCursors: [world.unshared.cursor],
    foreignProps: [world.foreign.relProp, world.foreign.peopleProp],
    unsharedProps: [world.unshared.relProp, world.unshared.peopleProp],
  };
}

/** An answer without the request_id of its body (new for every request). */
async function stable(answer: Promise<{ status: number; body: any }>): Promise<{ status: number; body: any }> {
  const { status, body } = await answer;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { request_id: _dropped, ...rest } = body as Record<string, unknown>;
    return { status, body: rest };
  }
  return { status, body };
}

/**
 * What the unshared and foreign content looks like to the integrations that can see it: pages, rows,
 * children, databases (2022-06-28 and as containers of data sources), their data sources, their rows,
 * comments and users, each answer without its request_id. Equal before and after a run ⇔ nothing landed
 * there.
 */
export async function snapshotOthers(call: ApiCall, world: ProbeWorld): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const read = async (token: string, c: Content) => {
    const get = (path: string, version?: string) => stable(call(token, 'GET', path, undefined, version));
    for (const id of [c.root, c.page, c.row, c.row2]) out[`${token} page ${id}`] = await get(`/v1/pages/${id}`);
    for (const id of [c.root, c.page, c.block]) out[`${token} children ${id}`] = await get(`/v1/blocks/${id}/children`);
    out[`${token} block ${c.block}`] = await get(`/v1/blocks/${c.block}`);
    out[`${token} db ${c.db}`] = await get(`/v1/databases/${c.db}`);
    out[`${token} db 2025-09-03 ${c.db}`] = await get(`/v1/databases/${c.db}`, '2025-09-03');
    out[`${token} data source ${c.ds}`] = await get(`/v1/data_sources/${c.ds}`, '2025-09-03');
    out[`${token} query ${c.db}`] = await stable(call(token, 'POST', `/v1/databases/${c.db}/query`, {}));
    for (const id of [c.root, c.page]) out[`${token} comments ${id}`] = await get(`/v1/comments?block_id=${id}`);
    out[`${token} users`] = await get('/v1/users');
  };
  await read(TOKENS.otherBot, world.foreign);
  await read(TOKENS.unshared, world.unshared);
  return out;
}
