// What a route is: method, path, the capability it needs (reference §3.2) and its handler. The route
// tables (routes.ts and its routes-*.ts parts) are lists of these.
import type { Requirement } from '../auth/capabilities.js';
import type { ServiceContext } from '../services/service-context.js';
import type { Method } from './router.js';

export interface ApiRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface ApiRoute {
  method: Method;
  path: string;
  requirement: Requirement;
  /** The body is multipart/form-data (http/multipart.ts), not JSON: a file upload's content. */
  multipart?: true;
  handle(ctx: ServiceContext, req: ApiRequest): Promise<unknown>;
}

/** A path parameter of the matched route (present: the route pattern names it). */
export const param = (req: ApiRequest, name: string) => req.params[name] as string;
