// The routes of pages as Markdown and async tasks (reference §17, §19.4); http/routes.ts adds them to the route table.
// A task id is `task_<32 hex>`, not a UUID: its path parameter is named `:task` so that the UUID check of *_id
// parameters (app.ts checkPathParams) leaves it alone; an id of another form is a 404 like a missing task.
import { retrieveAsyncTask } from '../services/async-tasks.js';
import { retrievePageMarkdown, updatePageMarkdown } from '../services/page-markdown.js';
import { param, type ApiRoute } from './route-types.js';

export const MARKDOWN_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/pages/:page_id/markdown',
    requirement: 'read_content',
    handle: (c, r) => retrievePageMarkdown(c, param(r, 'page_id'), r.query),
  },
  {
    method: 'PATCH',
    path: '/v1/pages/:page_id/markdown',
    requirement: 'update_content',
    handle: (c, r) => updatePageMarkdown(c, param(r, 'page_id'), r.body),
  },
  {
    method: 'GET',
    path: '/v1/async_tasks/:task',
    requirement: 'none',
    handle: (c, r) => retrieveAsyncTask(c, param(r, 'task')),
  },
];
