// Side-effect-free probes for each capability: a request the API checks for the capability before it
// looks the (random, never existing) object up. 403 `restricted_resource` = capability missing; any
// other answer (404, 400) = present. Endpoint → capability per reference §3.2.
import { randomUUID } from 'node:crypto';

export interface CapabilityProbe {
  readonly capability: string;
  /** The endpoints that answer 403 without it, in words. */
  readonly endpoints: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  path(): string;
  body?(): unknown;
}

export const CAPABILITY_PROBES: readonly CapabilityProbe[] = [
  {
    capability: 'read content',
    endpoints: 'GET pages, blocks, databases; POST databases/{id}/query',
    method: 'GET',
    path: () => `/v1/blocks/${randomUUID()}`,
  },
  {
    capability: 'update content',
    endpoints: 'PATCH pages, blocks, databases; DELETE blocks',
    method: 'PATCH',
    path: () => `/v1/blocks/${randomUUID()}`,
    body: () => ({ archived: false }),
  },
  {
    capability: 'insert content',
    endpoints: 'POST pages, databases; PATCH blocks/{id}/children',
    method: 'PATCH',
    path: () => `/v1/blocks/${randomUUID()}/children`,
    body: () => ({ children: [] }),
  },
  {
    capability: 'read comments',
    endpoints: 'GET comments',
    method: 'GET',
    path: () => `/v1/comments?block_id=${randomUUID()}`,
  },
  {
    capability: 'insert comments',
    endpoints: 'POST comments',
    method: 'POST',
    path: () => '/v1/comments',
    body: () => ({ parent: { page_id: randomUUID() }, rich_text: [{ text: { content: 'doctor probe' } }] }),
  },
  {
    capability: 'user information',
    endpoints: 'GET users, users/{id}',
    method: 'GET',
    path: () => '/v1/users?page_size=100',
  },
];
