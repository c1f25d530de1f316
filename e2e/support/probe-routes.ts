// The cross-tenant probe generator: every route of packages/server/src/http/routes*.ts × every parameter
// that takes an id (path, body, query, cursor, parent, `after`, relation and people values, mentions,
// link_to_page, filters, filter_properties; data source ids and the page move route, sent as 2022-06-28 or, where
// a slot says so, as 2025-09-03). A probe sends the id of a foreign-workspace object, of an
// object of the caller's workspace not shared with it, or of a trashed one (where the trash must look
// missing: cursors of lists that leave trashed objects out, `after`), and its twin the same request with
// a random missing id. The two answers must be equal: status, and body but for request_id, the id itself
// (the message echoes it), ids of objects a successful write created, and timestamps.
import fc from 'fast-check';
import { IDS, TOKENS } from './fixtures.js';
import { idPools, type ApiCall, type ProbeWorld } from './probe-world.js';

/** Data sources (reference §1.3): the version whose shapes name them. */
const DS_VERSION = '2025-09-03';

export type IdClass = 'foreign' | 'unshared' | 'trashed';
export const ID_CLASSES: readonly IdClass[] = ['foreign', 'unshared', 'trashed'];

export interface ProbeRequest {
  method: string;
  path: string;
  body?: unknown;
  /** the Notion-Version to send (default PROBE_VERSION, 2022-06-28) */
  version?: string;
}

export interface ProbeSlot {
  /** the route as routes.ts writes it: `METHOD /v1/path/:param` */
  route: string;
  /** where the id goes */
  slot: string;
  /** the trash must look missing here (the list leaves trashed objects out; `after` must be live) */
  trashed?: boolean;
  /** the probe and its twin write one shared object and answer it: no other lane may write it between them */
  serial?: boolean;
  /** which ids: objects (default), database query cursors, or property ids */
  pool?: 'objects' | 'cursors' | 'properties';
  build(id: string, w: ProbeWorld): ProbeRequest;
}

const rt = (content: string) => [{ type: 'text', text: { content } }];
const mention = (kind: 'page' | 'user' | 'database', id: string) => [
  { type: 'mention', mention: { [kind]: { id } } },
  ...rt(' w'),
];
const q = encodeURIComponent;

const relationTo = (id: string) => ({ relation: { data_source_id: id, single_property: {} } });

/** The data source routes (reference §11.2), sent as 2022-06-28 (they answer in every version) or 2025-09-03. */
const DATA_SOURCE_SLOTS: readonly ProbeSlot[] = [
  {
    route: 'POST /v1/data_sources',
    slot: 'body parent.database_id',
    build: (id) => ({
      method: 'POST',
      path: '/v1/data_sources',
      body: { parent: { type: 'database_id', database_id: id }, properties: { Name: { title: {} } } },
    }),
  },
  {
    route: 'POST /v1/data_sources',
    slot: 'body properties.<relation>.data_source_id',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/data_sources',
      body: {
        parent: { type: 'database_id', database_id: w.sandboxSourcesDb },
        properties: { Name: { title: {} }, R: relationTo(id) },
      },
    }),
  },
  {
    route: 'GET /v1/data_sources/:data_source_id',
    slot: 'path data_source_id',
    build: (id) => ({ method: 'GET', path: `/v1/data_sources/${id}` }),
  },
  {
    route: 'GET /v1/data_sources/:data_source_id',
    slot: 'path data_source_id (2025-09-03)',
    build: (id) => ({ method: 'GET', path: `/v1/data_sources/${id}`, version: DS_VERSION }),
  },
  {
    route: 'PATCH /v1/data_sources/:data_source_id',
    slot: 'path data_source_id',
    build: (id) => ({ method: 'PATCH', path: `/v1/data_sources/${id}`, body: { title: rt('w') } }),
  },
  {
    route: 'PATCH /v1/data_sources/:data_source_id',
    slot: 'body properties.<relation>.data_source_id',
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/data_sources/${w.sandboxDs}`,
      body: { properties: { R3: relationTo(id) } },
    }),
  },
  {
    route: 'POST /v1/data_sources/:data_source_id/query',
    slot: 'path data_source_id',
    build: (id) => ({ method: 'POST', path: `/v1/data_sources/${id}/query`, body: {} }),
  },
  {
    route: 'POST /v1/data_sources/:data_source_id/query',
    slot: 'body start_cursor',
    pool: 'cursors',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/data_sources/${w.mine.ds}/query`,
      version: DS_VERSION,
      body: { start_cursor: id, page_size: 1 },
    }),
  },
  ...(['Rel relation', 'People people'] as const).map((pair): ProbeSlot => {
    const [property, type] = pair.split(' ') as [string, string];
    return {
      route: 'POST /v1/data_sources/:data_source_id/query',
      slot: `body filter ${type}.contains`,
      build: (id, w) => ({
        method: 'POST',
        path: `/v1/data_sources/${w.mine.ds}/query`,
        version: DS_VERSION,
        body: { filter: { property, [type]: { contains: id } } },
      }),
    };
  }),
  {
    route: 'POST /v1/data_sources/:data_source_id/query',
    slot: 'query filter_properties',
    pool: 'properties',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/data_sources/${w.mine.ds}/query?filter_properties=${q(id)}`,
      body: {},
    }),
  },
  {
    route: 'GET /v1/data_sources/:data_source_id/templates',
    slot: 'path data_source_id',
    build: (id) => ({ method: 'GET', path: `/v1/data_sources/${id}/templates`, version: DS_VERSION }),
  },
  {
    route: 'GET /v1/databases/:database_id',
    slot: 'path database_id (2025-09-03)',
    build: (id) => ({ method: 'GET', path: `/v1/databases/${id}`, version: DS_VERSION }),
  },
];

/** Pages as Markdown, async tasks, comment edits and custom emojis (reference §17, §19). */
const SURFACE_2026_SLOTS: readonly ProbeSlot[] = [
  {
    route: 'GET /v1/pages/:page_id/markdown',
    slot: 'path page_id',
    build: (id) => ({ method: 'GET', path: `/v1/pages/${id}/markdown` }),
  },
  {
    route: 'PATCH /v1/pages/:page_id/markdown',
    slot: 'path page_id',
    build: (id) => ({
      method: 'PATCH',
      path: `/v1/pages/${id}/markdown`,
      body: { type: 'replace_content', replace_content: { new_str: 'w' } },
    }),
  },
  {
    route: 'PATCH /v1/pages/:page_id/markdown',
    slot: 'path page_id (allow_async)',
    build: (id) => ({
      method: 'PATCH',
      path: `/v1/pages/${id}/markdown`,
      body: { type: 'replace_content', replace_content: { new_str: 'w' }, allow_async: true },
    }),
  },
  {
    route: 'GET /v1/async_tasks/:task',
    slot: 'path task',
    build: (id) => ({ method: 'GET', path: `/v1/async_tasks/task_${id.replace(/-/g, '')}` }),
  },
  {
    route: 'PATCH /v1/comments/:comment_id',
    slot: 'path comment_id',
    build: (id) => ({ method: 'PATCH', path: `/v1/comments/${id}`, body: { rich_text: rt('w') } }),
  },
  {
    route: 'DELETE /v1/comments/:comment_id',
    slot: 'path comment_id',
    build: (id) => ({ method: 'DELETE', path: `/v1/comments/${id}` }),
  },
  {
    route: 'GET /v1/custom_emojis',
    slot: 'query start_cursor',
    build: (id) => ({ method: 'GET', path: `/v1/custom_emojis?start_cursor=${id}` }),
  },
  {
    route: 'GET /v1/file_uploads',
    slot: 'query start_cursor',
    build: (id) => ({ method: 'GET', path: `/v1/file_uploads?start_cursor=${id}` }),
  },
  {
    route: 'GET /v1/file_uploads/:file_upload_id',
    slot: 'path file_upload_id',
    build: (id) => ({ method: 'GET', path: `/v1/file_uploads/${id}` }),
  },
  {
    route: 'POST /v1/file_uploads/:file_upload_id/send',
    slot: 'path file_upload_id',
    build: (id) => ({ method: 'POST', path: `/v1/file_uploads/${id}/send`, body: {} }),
  },
  {
    route: 'POST /v1/file_uploads/:file_upload_id/complete',
    slot: 'path file_upload_id',
    build: (id) => ({ method: 'POST', path: `/v1/file_uploads/${id}/complete` }),
  },
];

/** Views and view queries (reference §18), sent as 2025-09-03 (older versions do not route them). */
const VIEW_SLOTS: readonly ProbeSlot[] = [
  {
    route: 'GET /v1/views',
    slot: 'query database_id',
    build: (id) => ({ method: 'GET', path: `/v1/views?database_id=${id}`, version: DS_VERSION }),
  },
  {
    route: 'GET /v1/views',
    slot: 'query data_source_id',
    build: (id) => ({ method: 'GET', path: `/v1/views?data_source_id=${id}`, version: DS_VERSION }),
  },
  {
    route: 'POST /v1/views',
    slot: 'body database_id',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/views',
      body: { database_id: id, data_source_id: w.sandboxDs, name: 'w', type: 'table' },
      version: DS_VERSION,
    }),
  },
  {
    route: 'POST /v1/views',
    slot: 'body data_source_id',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/views',
      body: { database_id: w.sandboxDb, data_source_id: id, name: 'w', type: 'table' },
      version: DS_VERSION,
    }),
  },
  {
    route: 'GET /v1/views/:view_id',
    slot: 'path view_id',
    build: (id) => ({ method: 'GET', path: `/v1/views/${id}`, version: DS_VERSION }),
  },
  {
    route: 'PATCH /v1/views/:view_id',
    slot: 'path view_id',
    build: (id) => ({ method: 'PATCH', path: `/v1/views/${id}`, body: { name: 'w' }, version: DS_VERSION }),
  },
  {
    route: 'DELETE /v1/views/:view_id',
    slot: 'path view_id',
    build: (id) => ({ method: 'DELETE', path: `/v1/views/${id}`, version: DS_VERSION }),
  },
  {
    route: 'POST /v1/views/:view_id/queries',
    slot: 'path view_id',
    build: (id) => ({ method: 'POST', path: `/v1/views/${id}/queries`, body: {}, version: DS_VERSION }),
  },
  {
    route: 'GET /v1/views/:view_id/queries/:query_id',
    slot: 'path view_id',
    build: (id) => ({ method: 'GET', path: `/v1/views/${id}/queries/${id}`, version: DS_VERSION }),
  },
  {
    route: 'GET /v1/views/:view_id/queries/:query_id',
    slot: 'path query_id',
    build: (id, w) => ({ method: 'GET', path: `/v1/views/${w.sandboxView}/queries/${id}`, version: DS_VERSION }),
  },
  {
    route: 'DELETE /v1/views/:view_id/queries/:query_id',
    slot: 'path view_id',
    build: (id) => ({ method: 'DELETE', path: `/v1/views/${id}/queries/${id}`, version: DS_VERSION }),
  },
  {
    route: 'DELETE /v1/views/:view_id/queries/:query_id',
    slot: 'path query_id',
    build: (id, w) => ({ method: 'DELETE', path: `/v1/views/${w.sandboxView}/queries/${id}`, version: DS_VERSION }),
  },
];

/** Every id-taking parameter of every route (GET /v1/users/me takes none: it is in NO_ID_ROUTES). */
export const PROBE_SLOTS: readonly ProbeSlot[] = [
  ...SURFACE_2026_SLOTS,
  ...VIEW_SLOTS,
  {
    route: 'GET /v1/users/:user_id',
    slot: 'path user_id',
    build: (id) => ({ method: 'GET', path: `/v1/users/${id}` }),
  },
  {
    route: 'GET /v1/users',
    slot: 'query start_cursor',
    build: (id) => ({ method: 'GET', path: `/v1/users?start_cursor=${id}` }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body parent.page_id',
    build: (id) => ({
      method: 'POST',
      path: '/v1/pages',
      body: { parent: { page_id: id }, properties: { title: { title: rt('w') } } },
    }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body parent.database_id',
    build: (id) => ({
      method: 'POST',
      path: '/v1/pages',
      body: { parent: { database_id: id }, properties: { Name: { title: rt('w') } } },
    }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body properties.<relation>',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/pages',
      body: {
        parent: { database_id: w.sandboxDb },
        properties: { Name: { title: rt('w') }, Rel: { relation: [{ id }] } },
      },
    }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body properties.<people>',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/pages',
      body: {
        parent: { database_id: w.sandboxDb },
        properties: { Name: { title: rt('w') }, People: { people: [{ id }] } },
      },
    }),
  },
  ...(['page', 'user', 'database'] as const).map((kind): ProbeSlot => ({
    route: 'POST /v1/pages',
    slot: `body title mention.${kind}`,
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/pages',
      body: { parent: { page_id: w.sandbox }, properties: { title: { title: mention(kind, id) } } },
    }),
  })),
  {
    route: 'POST /v1/pages',
    slot: 'body children link_to_page',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/pages',
      body: {
        parent: { page_id: w.sandbox },
        properties: { title: { title: rt('w') } },
        children: [{ link_to_page: { page_id: id } }],
      },
    }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body parent.data_source_id',
    build: (id) => ({
      method: 'POST',
      path: '/v1/pages',
      body: { parent: { type: 'data_source_id', data_source_id: id }, properties: { Name: { title: rt('w') } } },
    }),
  },
  {
    route: 'POST /v1/pages',
    slot: 'body parent.data_source_id (2025-09-03)',
    build: (id) => ({
      method: 'POST',
      path: '/v1/pages',
      version: DS_VERSION,
      body: { parent: { type: 'data_source_id', data_source_id: id }, properties: { Name: { title: rt('w') } } },
    }),
  },
  {
    route: 'GET /v1/pages/:page_id',
    slot: 'path page_id',
    build: (id) => ({ method: 'GET', path: `/v1/pages/${id}` }),
  },
  {
    route: 'POST /v1/pages/:page_id/move',
    slot: 'path page_id',
    build: (id, w) => ({ method: 'POST', path: `/v1/pages/${id}/move`, body: { parent: { page_id: w.sandbox } } }),
  },
  ...(['page_id', 'data_source_id'] as const).map((key): ProbeSlot => ({
    route: 'POST /v1/pages/:page_id/move',
    slot: `body parent.${key}`,
    build: (id, w) => ({ method: 'POST', path: `/v1/pages/${w.sandboxMover}/move`, body: { parent: { [key]: id } } }),
  })),
  {
    route: 'PATCH /v1/pages/:page_id',
    slot: 'path page_id (icon)',
    build: (id) => ({ method: 'PATCH', path: `/v1/pages/${id}`, body: { icon: { emoji: '🔑' } } }),
  },
  {
    route: 'PATCH /v1/pages/:page_id',
    slot: 'path page_id (trash)',
    build: (id) => ({ method: 'PATCH', path: `/v1/pages/${id}`, body: { in_trash: true } }),
  },
  {
    route: 'PATCH /v1/pages/:page_id',
    slot: 'body properties.<relation>',
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/pages/${w.sandboxRow}`,
      body: { properties: { Rel: { relation: [{ id }] } } },
    }),
  },
  {
    route: 'PATCH /v1/pages/:page_id',
    slot: 'body properties.<people>',
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/pages/${w.sandboxRow}`,
      body: { properties: { People: { people: [{ id }] } } },
    }),
  },
  {
    route: 'GET /v1/pages/:page_id/properties/:property_id',
    slot: 'path page_id',
    build: (id) => ({ method: 'GET', path: `/v1/pages/${id}/properties/title` }),
  },
  {
    route: 'GET /v1/pages/:page_id/properties/:property_id',
    slot: 'path property_id',
    pool: 'properties',
    build: (id, w) => ({ method: 'GET', path: `/v1/pages/${w.mine.row2}/properties/${q(id)}` }),
  },
  {
    route: 'GET /v1/pages/:page_id/properties/:property_id',
    slot: 'query start_cursor',
    build: (id, w) => ({
      method: 'GET',
      path: `/v1/pages/${w.mine.row2}/properties/${q(w.mine.relProp)}?start_cursor=${id}`,
    }),
  },
  ...(['page_id', 'block_id'] as const).map((key): ProbeSlot => ({
    route: 'POST /v1/databases',
    slot: `body parent.${key}`,
    build: (id) => ({
      method: 'POST',
      path: '/v1/databases',
      body: { parent: { [key]: id }, title: rt('w'), properties: { Name: { title: {} } } },
    }),
  })),
  {
    route: 'POST /v1/databases',
    slot: 'body properties.<relation>.database_id',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/databases',
      body: {
        parent: { page_id: w.sandbox },
        title: rt('w'),
        properties: { Name: { title: {} }, R: { relation: { database_id: id, single_property: {} } } },
      },
    }),
  },
  {
    route: 'POST /v1/databases',
    slot: 'body title mention.page',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/databases',
      body: { parent: { page_id: w.sandbox }, title: mention('page', id), properties: { Name: { title: {} } } },
    }),
  },
  {
    route: 'GET /v1/databases',
    slot: 'query start_cursor',
    trashed: true,
    build: (id) => ({ method: 'GET', path: `/v1/databases?start_cursor=${id}` }),
  },
  {
    route: 'GET /v1/databases/:database_id',
    slot: 'path database_id',
    build: (id) => ({ method: 'GET', path: `/v1/databases/${id}` }),
  },
  {
    route: 'PATCH /v1/databases/:database_id',
    slot: 'path database_id',
    build: (id) => ({ method: 'PATCH', path: `/v1/databases/${id}`, body: { title: rt('w') } }),
  },
  {
    route: 'PATCH /v1/databases/:database_id',
    slot: 'body properties.<relation>.database_id',
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/databases/${w.sandboxDb}`,
      body: { properties: { R2: { relation: { database_id: id, single_property: {} } } } },
    }),
  },
  {
    route: 'POST /v1/databases/:database_id/query',
    slot: 'path database_id',
    build: (id) => ({ method: 'POST', path: `/v1/databases/${id}/query`, body: {} }),
  },
  {
    route: 'POST /v1/databases/:database_id/query',
    slot: 'body start_cursor',
    pool: 'cursors',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/databases/${w.mine.db}/query`,
      body: { start_cursor: id, page_size: 1 },
    }),
  },
  {
    route: 'POST /v1/databases/:database_id/query',
    slot: 'body filter relation.contains',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/databases/${w.mine.db}/query`,
      body: { filter: { property: 'Rel', relation: { contains: id } } },
    }),
  },
  {
    route: 'POST /v1/databases/:database_id/query',
    slot: 'body filter people.contains',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/databases/${w.mine.db}/query`,
      body: { filter: { property: 'People', people: { contains: id } } },
    }),
  },
  {
    route: 'POST /v1/databases/:database_id/query',
    slot: 'query filter_properties',
    pool: 'properties',
    build: (id, w) => ({
      method: 'POST',
      path: `/v1/databases/${w.mine.db}/query?filter_properties=${q(id)}`,
      body: {},
    }),
  },
  ...DATA_SOURCE_SLOTS,
  {
    route: 'GET /v1/blocks/:block_id',
    slot: 'path block_id',
    build: (id) => ({ method: 'GET', path: `/v1/blocks/${id}` }),
  },
  {
    route: 'PATCH /v1/blocks/:block_id',
    slot: 'path block_id',
    build: (id) => ({ method: 'PATCH', path: `/v1/blocks/${id}`, body: { archived: false } }),
  },
  {
    route: 'PATCH /v1/blocks/:block_id',
    slot: 'body paragraph mention.page',
    serial: true,
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/blocks/${w.sandboxBlock}`,
      body: { paragraph: { rich_text: mention('page', id) } },
    }),
  },
  {
    route: 'DELETE /v1/blocks/:block_id',
    slot: 'path block_id',
    build: (id) => ({ method: 'DELETE', path: `/v1/blocks/${id}` }),
  },
  {
    route: 'GET /v1/blocks/:block_id/children',
    slot: 'path block_id',
    build: (id) => ({ method: 'GET', path: `/v1/blocks/${id}/children` }),
  },
  {
    route: 'GET /v1/blocks/:block_id/children',
    slot: 'query start_cursor',
    trashed: true,
    build: (id) => ({ method: 'GET', path: `/v1/blocks/${IDS.sharedRoot}/children?start_cursor=${id}` }),
  },
  {
    route: 'PATCH /v1/blocks/:block_id/children',
    slot: 'path block_id',
    build: (id) => ({
      method: 'PATCH',
      path: `/v1/blocks/${id}/children`,
      body: { children: [{ paragraph: { rich_text: rt('w') } }] },
    }),
  },
  {
    route: 'PATCH /v1/blocks/:block_id/children',
    slot: 'body after',
    trashed: true,
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/blocks/${w.sandbox}/children`,
      body: { children: [{ paragraph: { rich_text: rt('w') } }], after: id },
    }),
  },
  ...(['page', 'user', 'database'] as const).map((kind): ProbeSlot => ({
    route: 'PATCH /v1/blocks/:block_id/children',
    slot: `body paragraph mention.${kind}`,
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/blocks/${w.sandbox}/children`,
      body: { children: [{ paragraph: { rich_text: mention(kind, id) } }] },
    }),
  })),
  ...(['page_id', 'database_id'] as const).map((key): ProbeSlot => ({
    route: 'PATCH /v1/blocks/:block_id/children',
    slot: `body link_to_page.${key}`,
    build: (id, w) => ({
      method: 'PATCH',
      path: `/v1/blocks/${w.sandbox}/children`,
      body: { children: [{ link_to_page: { [key]: id } }] },
    }),
  })),
  ...(['page_id', 'block_id'] as const).map((key): ProbeSlot => ({
    route: 'POST /v1/comments',
    slot: `body parent.${key}`,
    build: (id) => ({ method: 'POST', path: '/v1/comments', body: { parent: { [key]: id }, rich_text: rt('w') } }),
  })),
  {
    route: 'POST /v1/comments',
    slot: 'body discussion_id',
    build: (id) => ({ method: 'POST', path: '/v1/comments', body: { discussion_id: id, rich_text: rt('w') } }),
  },
  {
    route: 'POST /v1/comments',
    slot: 'body rich_text mention.page',
    build: (id, w) => ({
      method: 'POST',
      path: '/v1/comments',
      body: { parent: { page_id: w.sandbox }, rich_text: mention('page', id) },
    }),
  },
  {
    route: 'GET /v1/comments',
    slot: 'query block_id',
    build: (id) => ({ method: 'GET', path: `/v1/comments?block_id=${id}` }),
  },
  {
    route: 'GET /v1/comments',
    slot: 'query start_cursor',
    build: (id, w) => ({ method: 'GET', path: `/v1/comments?block_id=${w.mine.page}&start_cursor=${id}` }),
  },
  {
    route: 'GET /v1/comments/:comment_id',
    slot: 'path comment_id',
    build: (id) => ({ method: 'GET', path: `/v1/comments/${id}` }),
  },
  {
    route: 'POST /v1/search',
    slot: 'body start_cursor',
    trashed: true,
    build: (id) => ({ method: 'POST', path: '/v1/search', body: { start_cursor: id } }),
  },
  {
    route: 'POST /v1/search',
    slot: 'body start_cursor (filter database)',
    trashed: true,
    build: (id) => ({
      method: 'POST',
      path: '/v1/search',
      body: { start_cursor: id, filter: { property: 'object', value: 'database' } },
    }),
  },
  {
    route: 'POST /v1/search',
    slot: 'body start_cursor (filter data_source, 2025-09-03)',
    trashed: true,
    build: (id) => ({
      method: 'POST',
      path: '/v1/search',
      version: DS_VERSION,
      body: { start_cursor: id, filter: { property: 'object', value: 'data_source' } },
    }),
  },
];

/** Routes that take no id at all. */
export const NO_ID_ROUTES: readonly string[] = ['GET /v1/users/me', 'POST /v1/file_uploads'];

/** `METHOD path` of every route in the text of packages/server/src/http/routes.ts. */
export function routesInTable(routesTs: string): string[] {
  const found: string[] = [];
  for (const m of routesTs.matchAll(/method:\s*'([A-Z]+)',\s*path:\s*'([^']+)'/g)) found.push(`${m[1]} ${m[2]}`);
  return found;
}

/** The routes and path parameters the slots cover, and those of the table they miss. */
export function uncovered(routesTs: string): string[] {
  const missing: string[] = [];
  for (const route of routesInTable(routesTs)) {
    if (NO_ID_ROUTES.includes(route)) continue;
    const slots = PROBE_SLOTS.filter((s) => s.route === route);
    if (slots.length === 0) missing.push(route);
    for (const param of route.match(/:\w+/g) ?? [])
      if (!slots.some((s) => s.slot.startsWith(`path ${param.slice(1)}`))) missing.push(`${route} path ${param}`);
  }
  return missing;
}

export interface Probe {
  slot: ProbeSlot;
  cls: IdClass;
  id: string;
  /** the missing id of the twin, in the same form */
  missing: string;
}

type Form = 'dashed' | 'undashed';
const inForm = (id: string, form: Form) =>
  form === 'undashed' && /^[0-9a-f-]{36}$/.test(id) ? id.replace(/-/g, '') : id;

function poolFor(world: ProbeWorld, slot: ProbeSlot, cls: IdClass): string[] {
  const pools = idPools(world);
  if (cls === 'trashed') return slot.trashed && (slot.pool ?? 'objects') === 'objects' ? pools.trashed : [];
  if (slot.pool === 'properties') return cls === 'foreign' ? pools.foreignProps : pools.unsharedProps;
  const objects = cls === 'foreign' ? pools.foreign : pools.unshared;
  if (slot.pool === 'cursors')
    return [...(cls === 'foreign' ? pools.foreignCursors : pools.unsharedCursors), ...objects];
  return objects;
}

/** A missing id of the slot's kind: a random UUID, or a random property id for property slots. */
const missingArb = (slot: ProbeSlot) =>
  slot.pool === 'properties'
    ? fc
        .stringMatching(/^[A-Za-z0-9]{4}$/)
        .map((s) => `%3A${s}`)
        .map(decodeURIComponent)
    : fc.uuid({ version: 4 });

/**
 * Every slot × class × id of the pool, once (the systematic pass), in the order written; `perPool`
 * limits how many ids of each pool (round-robin over the slots so that all are used), but cursors always
 * get every id: which objects a list holds decides whether a cursor leaks, so each kind must be tried.
 */
export function systematicProbes(world: ProbeWorld, seed: number, perPool = Infinity): Probe[] {
  const out: Probe[] = [];
  let n = 0;
  for (const slot of PROBE_SLOTS) {
    for (const cls of ID_CLASSES) {
      const pool = poolFor(world, slot, cls);
      const take = slot.slot.includes('start_cursor') ? pool.length : Math.min(pool.length, perPool);
      for (let i = 0; i < take; i++) {
        const id = pool[(i + n) % pool.length]!;
        const [missing] = fc.sample(missingArb(slot), { seed: seed + out.length, numRuns: 1 });
        const form: Form = (out.length & 1) === 1 ? 'undashed' : 'dashed';
        out.push({ slot, cls, id: inForm(id, form), missing: inForm(missing!, form) });
      }
    }
    n++;
  }
  return out;
}

/** Random probes (fast-check, repeatable with the seed): slot, class, id of the pool, form, missing twin. */
export function randomProbes(world: ProbeWorld, seed: number, count: number): Probe[] {
  const arb = fc
    .record({
      slot: fc.constantFrom(...PROBE_SLOTS),
      cls: fc.constantFrom(...ID_CLASSES),
      pick: fc.nat(),
      form: fc.constantFrom<Form>('dashed', 'undashed'),
    })
    .chain(({ slot, cls, pick, form }) => {
      let pool = poolFor(world, slot, cls);
      let c = cls;
      if (pool.length === 0) {
        c = 'foreign';
        pool = poolFor(world, slot, c);
      }
      const id = inForm(pool[pick % pool.length]!, form);
      return missingArb(slot).map((m): Probe => ({ slot, cls: c, id, missing: inForm(m, form) }));
    });
  return count > 0 ? fc.sample(arb, { seed, numRuns: count }) : [];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The answer with request_id dropped, the probed id → <ID>, ids the world does not know → <NEW>, times → <TIME>. */
export function normalise(body: unknown, id: string, world: ProbeWorld): string {
  const text = JSON.stringify(body, (key, value) => (key === 'request_id' ? undefined : value)) ?? 'undefined';
  const forms = new Set([id, id.replace(/-/g, ''), encodeURIComponent(id)]);
  try {
    forms.add(decodeURIComponent(id));
  } catch {
    // not percent-encoded
  }
  if (/^[0-9a-f]{32}$/i.test(id)) forms.add(id.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'));
  let out = text;
  for (const form of forms) out = out.replace(new RegExp(escapeRe(form), 'gi'), '<ID>');
  out = out.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (m) =>
    world.known.has(m) ? m : '<NEW>',
  );
  out = out.replace(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g, (m) =>
    world.known.has(m.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')) ? m : '<NEW>',
  );
  return out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<TIME>');
}

export interface Difference {
  route: string;
  slot: string;
  cls: IdClass;
  id: string;
  probe: string;
  missing: string;
}

export interface ProbeReport {
  tried: number;
  differences: Difference[];
  /** tried and differences per `route slot class` */
  bySlot: Map<string, { tried: number; differences: number }>;
  statuses: Map<number, number>;
}

/** Runs probes (each with its missing twin right after it), `concurrency` pairs at a time, as the Full integration. */
export async function runProbes(
  call: ApiCall,
  world: ProbeWorld,
  probes: readonly Probe[],
  concurrency = 4,
  progress?: (done: number) => void,
): Promise<ProbeReport> {
  const report: ProbeReport = { tried: 0, differences: [], bySlot: new Map(), statuses: new Map() };
  let next = 0;
  const send = async (r: ProbeRequest) => call(TOKENS.full, r.method, r.path, r.body, r.version);
  const locks = new Map<ProbeSlot, Promise<unknown>>();
  type Answer = Awaited<ReturnType<ApiCall>>;
  /** The probe, then its missing twin. */
  const pair = async (p: Probe): Promise<readonly [Answer, Answer]> => {
    const a = await send(p.slot.build(p.id, world));
    return [a, await send(p.slot.build(p.missing, world))];
  };
  const worker = async () => {
    while (next < probes.length) {
      const p = probes[next++]!;
      let run: Promise<readonly [Answer, Answer]>;
      if (p.slot.serial) {
        // Chained after the previous pair of this slot: the answer shows this pair's write only.
        run = (locks.get(p.slot) ?? Promise.resolve()).then(() => pair(p));
        locks.set(
          p.slot,
          run.catch(() => undefined),
        );
      } else run = pair(p);
      const [a, b] = await run;
      const key = `${p.slot.route} ${p.slot.slot} ${p.cls}`;
      const entry = report.bySlot.get(key) ?? { tried: 0, differences: 0 };
      report.bySlot.set(key, entry);
      entry.tried++;
      report.tried++;
      if (progress && report.tried % 2_000 === 0) progress(report.tried);
      report.statuses.set(a.status, (report.statuses.get(a.status) ?? 0) + 1);
      const probe = `${a.status} ${normalise(a.body, p.id, world)}`;
      const missing = `${b.status} ${normalise(b.body, p.missing, world)}`;
      if (probe !== missing) {
        entry.differences++;
        report.differences.push({ route: p.slot.route, slot: p.slot.slot, cls: p.cls, id: p.id, probe, missing });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/** One line per slot with differences, and the first example of each (for a report). */
export function summariseDifferences(report: ProbeReport, examples = 1): string[] {
  const lines: string[] = [];
  for (const [key, entry] of report.bySlot) {
    if (entry.differences === 0) continue;
    lines.push(`${key}: ${entry.differences}/${entry.tried} differ`);
    const shown = report.differences.filter((d) => `${d.route} ${d.slot} ${d.cls}` === key).slice(0, examples);
    for (const d of shown) {
      lines.push(`    id ${d.id}`);
      lines.push(`    probe:   ${d.probe.slice(0, 300)}`);
      lines.push(`    missing: ${d.missing.slice(0, 300)}`);
    }
  }
  return lines;
}
