// The routes of database views and view queries (reference §18); http/routes.ts adds them to the route table.
import type { ApiRoute } from './route-types.js';

export const VIEW_ROUTES: readonly ApiRoute[] = [];
