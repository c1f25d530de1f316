// The routes of pages as Markdown and async tasks (reference §17, §19.4); http/routes.ts adds them to the route table.
import type { ApiRoute } from './route-types.js';

export const MARKDOWN_ROUTES: readonly ApiRoute[] = [];
