// A tiny route table matcher: `/v1/pages/:page_id` patterns, so routes live in per-resource tables and the
// pipeline can tell "no such route" (400 invalid_request_url) from "no such method" apart in one place.

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface RouteDef<H> {
  method: Method;
  path: string;
  handler: H;
}

interface Compiled<H> extends RouteDef<H> {
  segments: string[];
}

export type Match<H> = { route: RouteDef<H>; params: Record<string, string> } | { route: null; pathExists: boolean };

export class Router<H> {
  private readonly routes: Compiled<H>[] = [];

  add(route: RouteDef<H>): void {
    this.routes.push({ ...route, segments: route.path.split('/').filter(Boolean) });
  }

  match(method: string, pathname: string): Match<H> {
    const parts = pathname.split('/').filter(Boolean);
    let pathExists = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathExists = true;
      if (route.method === method) return { route, params };
    }
    return { route: null, pathExists };
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const part = parts[i] as string;
    if (expected.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        decoded = part;
      }
      params[expected.slice(1)] = decoded;
    } else if (expected !== part) return null;
  }
  return params;
}
