// The routes of database views and view queries (reference §18); http/routes.ts adds them to the route table.
import * as views from '../services/views.js';
import { param, type ApiRoute } from './route-types.js';

export const VIEW_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/v1/views', requirement: 'read_content', handle: (c, r) => views.listViews(c, r.query) },
  { method: 'POST', path: '/v1/views', requirement: 'insert_content', handle: (c, r) => views.createView(c, r.body) },
  {
    method: 'GET',
    path: '/v1/views/:view_id',
    requirement: 'read_content',
    handle: (c, r) => views.retrieveView(c, param(r, 'view_id')),
  },
  {
    method: 'PATCH',
    path: '/v1/views/:view_id',
    requirement: 'update_content',
    handle: (c, r) => views.updateView(c, param(r, 'view_id'), r.body),
  },
  {
    method: 'DELETE',
    path: '/v1/views/:view_id',
    requirement: 'update_content',
    handle: (c, r) => views.deleteView(c, param(r, 'view_id')),
  },
  {
    method: 'POST',
    path: '/v1/views/:view_id/queries',
    requirement: 'read_content',
    handle: (c, r) => views.createViewQuery(c, param(r, 'view_id'), r.body),
  },
  {
    method: 'GET',
    path: '/v1/views/:view_id/queries/:query_id',
    requirement: 'read_content',
    handle: (c, r) => views.viewQueryResults(c, param(r, 'view_id'), param(r, 'query_id'), r.query),
  },
  {
    method: 'DELETE',
    path: '/v1/views/:view_id/queries/:query_id',
    requirement: 'read_content',
    handle: (c, r) => views.deleteViewQuery(c, param(r, 'view_id'), param(r, 'query_id')),
  },
];
