import { describe, expect, it } from 'vitest';
import { canSee, type Principal } from '../src/auth/access.js';
import { satisfies, userVisibility, type Capability, type Requirement } from '../src/auth/capabilities.js';
import { API_ROUTES } from '../src/http/routes.js';

const principal = (shared: string[], caps: Capability[] = []): Principal => ({
  integrationId: 'bot',
  integrationName: 'Bot',
  workspaceId: 'w1',
  workspaceName: 'W',
  ownerUserId: null,
  capabilities: new Set(caps),
  sharedRootIds: new Set(shared),
});

describe('canSee: explicit sharing, inherited by descendants, scoped to the workspace', () => {
  const cases: [string, string[], { workspaceId: string; path: string[] }, boolean][] = [
    ['the shared page itself', ['root'], { workspaceId: 'w1', path: ['root'] }, true],
    ['a child of a shared page', ['root'], { workspaceId: 'w1', path: ['root', 'child'] }, true],
    ['a block deep below a shared page', ['root'], { workspaceId: 'w1', path: ['root', 'child', 'b1', 'b2'] }, true],
    ['a sibling page nobody shared', ['root'], { workspaceId: 'w1', path: ['other'] }, false],
    ['the parent of a shared child', ['child'], { workspaceId: 'w1', path: ['root'] }, false],
    ['a page with a shared id in another workspace', ['root'], { workspaceId: 'w2', path: ['root'] }, false],
    ['anything, with nothing shared', [], { workspaceId: 'w1', path: ['root', 'child'] }, false],
  ];
  it.each(cases)('%s', (_name, shared, object, expected) => {
    expect(canSee(principal(shared), object)).toBe(expected);
  });
});

describe('capabilities', () => {
  const cases: [Requirement, Capability[], boolean][] = [
    ['none', [], true],
    ['read_content', ['read_content'], true],
    ['read_content', ['insert_content', 'update_content'], false],
    ['insert_content', ['insert_content'], true],
    ['update_content', ['read_content'], false],
    ['read_comments', ['insert_comments'], false],
    ['insert_comments', ['insert_comments'], true],
    ['user_information', ['read_user_without_email'], true],
    ['user_information', ['read_user_with_email'], true],
    ['user_information', ['read_content'], false],
  ];
  it.each(cases)('%s with %j → %s', (req, caps, expected) => {
    expect(satisfies(new Set(caps), req)).toBe(expected);
  });

  it('maps user-information capabilities to what is shown', () => {
    expect(userVisibility(new Set())).toBe('none');
    expect(userVisibility(new Set(['read_user_without_email'] as Capability[]))).toBe('without_email');
    expect(userVisibility(new Set(['read_user_with_email'] as Capability[]))).toBe('with_email');
  });

  it('every route needs exactly the capability Notion documents (reference §3.2)', () => {
    const table = Object.fromEntries(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r.requirement]));
    expect(table).toEqual({
      'GET /v1/users/me': 'none',
      'GET /v1/users': 'user_information',
      'GET /v1/users/:user_id': 'user_information',
      'POST /v1/pages': 'insert_content',
      'GET /v1/pages/:page_id': 'read_content',
      'PATCH /v1/pages/:page_id': 'update_content',
      'GET /v1/pages/:page_id/properties/:property_id': 'read_content',
      'GET /v1/blocks/:block_id': 'read_content',
      'PATCH /v1/blocks/:block_id': 'update_content',
      'DELETE /v1/blocks/:block_id': 'update_content',
      'GET /v1/blocks/:block_id/children': 'read_content',
      'PATCH /v1/blocks/:block_id/children': 'insert_content',
      'POST /v1/comments': 'insert_comments',
      'GET /v1/comments': 'read_comments',
      'GET /v1/comments/:comment_id': 'read_comments',
      'POST /v1/databases': 'insert_content',
      'GET /v1/databases': 'read_content',
      'GET /v1/databases/:database_id': 'read_content',
      'PATCH /v1/databases/:database_id': 'update_content',
      'POST /v1/databases/:database_id/query': 'read_content',
      'POST /v1/search': 'read_content',
    });
  });
});
