// One write path: a change made in the portal, through the admin API or through the Notion API is
// described once, the same way, on the platform's change feed (services/changes.ts) — the feed that
// webhook events hang on. Each pair below makes the same change from two edges and compares what was
// recorded; only the actor differs. A refused write records nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../packages/server/src/services/changes.js';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import { startTestPlatform, storeKinds, TEST_CONFIG, type TestPlatform } from './support/test-platform.js';

const PASSWORD = 'ada-password-1';

function seedWithPassword() {
  const seed = testSeed();
  Object.assign(seed.workspaces[0]!.users[0]!, { password: PASSWORD });
  return seed;
}

/** What a change says apart from who made it, when, and which new page it is about. */
function shape(change: Change) {
  const { actor: _actor, at: _at, entity, ...rest } = change;
  return { ...rest, entity: { type: entity.type } };
}

describe.each(storeKinds())('change feed (%s)', (kind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  let recorded: Change[] = [];

  beforeAll(async () => {
    t = await startTestPlatform(kind, seedWithPassword(), TEST_CONFIG);
    t.platform.changes.subscribe((changes) => recorded.push(...changes));
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    recorded = [];
  });

  /** The changes one write recorded (published after its commit, before its answer was sent). */
  async function changesOf(write: () => Promise<unknown>): Promise<Change[]> {
    recorded = [];
    await write();
    return recorded;
  }

  it('a page created in the portal and through the API: one page.created each, alike but for the actor', async () => {
    const api = await changesOf(() =>
      t.client(TOKENS.full).pages.create({
        parent: { page_id: IDS.sharedRoot },
        properties: { title: { title: [{ text: { content: 'From the API' } }] } },
      }),
    );
    const portal = await changesOf(async () => {
      const res = await ada.call('POST', '/portal/api/pages', { title: 'From the portal', parent_id: IDS.sharedRoot });
      expect(res.status).toBe(201);
    });
    expect(api.map((c) => c.kind)).toEqual(['page.created']);
    expect(portal.map((c) => c.kind)).toEqual(['page.created']);
    expect(api[0]).toMatchObject({
      workspaceId: IDS.acme,
      parent: { type: 'page', id: IDS.sharedRoot },
      actor: { type: 'bot', id: IDS.full },
    });
    expect(portal[0]!.actor).toEqual({ type: 'person', id: IDS.ada });
    expect(shape(portal[0]!)).toEqual(shape(api[0]!));
  });

  it('a title changed in the portal and through the API: page.properties_updated naming the title', async () => {
    const api = await changesOf(() =>
      t.client(TOKENS.full).pages.update({
        page_id: IDS.child,
        properties: { title: { title: [{ text: { content: 'Renamed by the API' } }] } },
      }),
    );
    const portal = await changesOf(async () => {
      const res = await ada.call('PATCH', `/portal/api/pages/${IDS.child}`, { title: 'Renamed in the portal' });
      expect(res.status).toBe(200);
    });
    expect(api).toHaveLength(1);
    expect(api[0]).toMatchObject({
      kind: 'page.properties_updated',
      entity: { type: 'page', id: IDS.child },
      updatedProperties: ['title'],
    });
    expect(portal.map(shape)).toEqual(api.map(shape));
  });

  it("an integration's rate limit set in the portal and through the admin API: one change, one rule", async () => {
    const admin = await changesOf(async () => {
      const res = await fetch(`${t.baseUrl}/__admin/integrations/${IDS.readOnly}/rate_limit`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_CONFIG.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ requests_per_minute: 600 }),
      });
      expect(res.status).toBe(200);
    });
    const portal = await changesOf(async () => {
      const res = await ada.call('PUT', `/portal/api/integrations/${IDS.readOnly}/rate_limit`, {
        requests_per_minute: 600,
      });
      expect(res.status).toBe(200);
    });
    expect(admin.map(shape)).toEqual([
      {
        kind: 'integration.rate_limit_updated',
        workspaceId: IDS.acme,
        entity: { type: 'integration' },
        details: { requests_per_minute: 600 },
      },
    ]);
    expect(portal.map(shape)).toEqual(admin.map(shape));
    expect(portal[0]!.actor).toEqual({ type: 'person', id: IDS.ada });
  });

  it('sharing a page in the portal records sharing.updated; sharing it again changes nothing and records nothing', async () => {
    const share = () => ada.call('PUT', `/portal/api/pages/${IDS.privatePage}/connections/${IDS.unshared}`);
    const first = await changesOf(share);
    expect(first.map((c) => [c.kind, c.entity.type])).toEqual([['sharing.updated', 'page']]);
    expect(await changesOf(share)).toEqual([]);
    await ada.call('DELETE', `/portal/api/pages/${IDS.privatePage}/connections/${IDS.unshared}`);
  });

  it('a refused write records nothing', async () => {
    const refused = await changesOf(async () => {
      const res = await t.raw('/v1/pages', {
        method: 'POST',
        token: TOKENS.full,
        body: { parent: { page_id: IDS.privatePage }, properties: {} },
      });
      expect(res.status).toBe(404);
    });
    expect(refused).toEqual([]);
  });
});
