// The route table of every version (2022-06-28 and the 2025-09-03 additions, reference §11.2): method,
// path, the capability it needs (reference §3.2) and its handler.
// Path params named *_id are validated as UUIDs before the handler runs.
import * as blocks from '../services/blocks.js';
import * as comments from '../services/comments.js';
import { queryDatabase, queryDataSource } from '../services/database-query.js';
import * as dataSources from '../services/data-sources.js';
import * as databases from '../services/databases.js';
import { retrievePageProperty } from '../services/page-property-items.js';
import * as pages from '../services/pages.js';
import { search } from '../services/search.js';
import * as users from '../services/users.js';
import { param, type ApiRoute } from './route-types.js';
import { MARKDOWN_ROUTES } from './routes-markdown.js';
import { VIEW_ROUTES } from './routes-views.js';
import { EXTRA_ROUTES } from './routes-extra.js';
import { FILE_UPLOAD_ROUTES } from './routes-file-uploads.js';

export type { ApiRequest, ApiRoute } from './route-types.js';

const CORE_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/v1/users/me', requirement: 'none', handle: (c) => users.me(c) },
  { method: 'GET', path: '/v1/users', requirement: 'user_information', handle: (c, r) => users.listUsers(c, r.query) },
  {
    method: 'GET',
    path: '/v1/users/:user_id',
    requirement: 'user_information',
    handle: (c, r) => users.retrieveUser(c, param(r, 'user_id')),
  },

  { method: 'POST', path: '/v1/pages', requirement: 'insert_content', handle: (c, r) => pages.createPage(c, r.body) },
  {
    method: 'GET',
    path: '/v1/pages/:page_id',
    requirement: 'read_content',
    handle: (c, r) => pages.retrievePage(c, param(r, 'page_id'), r.query),
  },
  {
    method: 'PATCH',
    path: '/v1/pages/:page_id',
    requirement: 'update_content',
    handle: (c, r) => pages.updatePage(c, param(r, 'page_id'), r.body),
  },
  {
    method: 'POST',
    path: '/v1/pages/:page_id/move',
    requirement: 'update_content',
    handle: (c, r) => pages.movePage(c, param(r, 'page_id'), r.body),
  },
  {
    method: 'GET',
    path: '/v1/pages/:page_id/properties/:property_id',
    requirement: 'read_content',
    handle: (c, r) => retrievePageProperty(c, param(r, 'page_id'), param(r, 'property_id'), r.query),
  },

  {
    method: 'POST',
    path: '/v1/databases',
    requirement: 'insert_content',
    handle: (c, r) => databases.createDatabase(c, r.body),
  },
  {
    method: 'GET',
    path: '/v1/databases',
    requirement: 'read_content',
    handle: (c, r) => databases.listDatabases(c, r.query),
  },
  {
    method: 'GET',
    path: '/v1/databases/:database_id',
    requirement: 'read_content',
    handle: (c, r) => databases.retrieveDatabase(c, param(r, 'database_id')),
  },
  {
    method: 'PATCH',
    path: '/v1/databases/:database_id',
    requirement: 'update_content',
    handle: (c, r) => databases.updateDatabase(c, param(r, 'database_id'), r.body),
  },
  {
    method: 'POST',
    path: '/v1/databases/:database_id/query',
    requirement: 'read_content',
    handle: (c, r) => queryDatabase(c, param(r, 'database_id'), r.query, r.body),
  },

  {
    method: 'POST',
    path: '/v1/data_sources',
    requirement: 'insert_content',
    handle: (c, r) => dataSources.createDataSource(c, r.body),
  },
  {
    method: 'GET',
    path: '/v1/data_sources/:data_source_id',
    requirement: 'read_content',
    handle: (c, r) => dataSources.retrieveDataSource(c, param(r, 'data_source_id')),
  },
  {
    method: 'PATCH',
    path: '/v1/data_sources/:data_source_id',
    requirement: 'update_content',
    handle: (c, r) => dataSources.updateDataSource(c, param(r, 'data_source_id'), r.body),
  },
  {
    method: 'POST',
    path: '/v1/data_sources/:data_source_id/query',
    requirement: 'read_content',
    handle: (c, r) => queryDataSource(c, param(r, 'data_source_id'), r.query, r.body),
  },
  {
    method: 'GET',
    path: '/v1/data_sources/:data_source_id/templates',
    requirement: 'read_content',
    handle: (c, r) => dataSources.listDataSourceTemplates(c, param(r, 'data_source_id'), r.query),
  },

  {
    method: 'GET',
    path: '/v1/blocks/:block_id',
    requirement: 'read_content',
    handle: (c, r) => blocks.retrieveBlock(c, param(r, 'block_id')),
  },
  {
    method: 'PATCH',
    path: '/v1/blocks/:block_id',
    requirement: 'update_content',
    handle: (c, r) => blocks.updateBlock(c, param(r, 'block_id'), r.body),
  },
  {
    method: 'DELETE',
    path: '/v1/blocks/:block_id',
    requirement: 'update_content',
    handle: (c, r) => blocks.deleteBlock(c, param(r, 'block_id')),
  },
  {
    method: 'GET',
    path: '/v1/blocks/:block_id/children',
    requirement: 'read_content',
    handle: (c, r) => blocks.listChildren(c, param(r, 'block_id'), r.query),
  },
  {
    method: 'PATCH',
    path: '/v1/blocks/:block_id/children',
    requirement: 'insert_content',
    handle: (c, r) => blocks.appendChildren(c, param(r, 'block_id'), r.body),
  },

  {
    method: 'POST',
    path: '/v1/comments',
    requirement: 'insert_comments',
    handle: (c, r) => comments.createComment(c, r.body),
  },
  {
    method: 'GET',
    path: '/v1/comments',
    requirement: 'read_comments',
    handle: (c, r) => comments.listComments(c, r.query),
  },
  {
    method: 'GET',
    path: '/v1/comments/:comment_id',
    requirement: 'read_comments',
    handle: (c, r) => comments.retrieveComment(c, param(r, 'comment_id')),
  },

  { method: 'POST', path: '/v1/search', requirement: 'read_content', handle: (c, r) => search(c, r.body) },
];

/** Every route: the core table above, then the tables of the 2026 surface (views, Markdown, …). */
export const API_ROUTES: readonly ApiRoute[] = [
  ...CORE_ROUTES,
  ...MARKDOWN_ROUTES,
  ...VIEW_ROUTES,
  ...EXTRA_ROUTES,
  ...FILE_UPLOAD_ROUTES,
];
