// Fault rules stay within the workspace that owns them (limits/fault-injector.ts). A rule made in one
// workspace's portal names its integration by id: it never matches another workspace's integration — not
// even one named after that id — and the other workspace's owner neither sees nor deletes it (404, as for
// a missing rule). The admin API resolves the integration a rule names: by id anywhere, by name with
// workspace_id, and refuses a name found in several workspaces. Config rules stay global (by id or name).
// A workspace's rule also matches only requests made in its workspace, whatever integration id it names.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PortalIssuedSecret, PortalLimits } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { PortalVisitor } from './support/portal-visitor.js';
import {
  POSTGRES_URL,
  startTestPlatform,
  TEST_CONFIG,
  type StoreKind,
  type TestPlatform,
} from './support/test-platform.js';

const PASSWORDS = { ada: 'ada-password-1', olga: 'olga-password-3' };

function faultSeed() {
  const seed = testSeed();
  Object.assign(seed.workspaces[0]!.users[0]!, { password: PASSWORDS.ada });
  Object.assign(seed.workspaces[1]!.users[0]!, { password: PASSWORDS.olga });
  return seed;
}

describe.each<StoreKind>(['pglite', 'postgres'])('fault rules stay in their workspace (%s)', (kind) => {
  let t: TestPlatform;
  let ada: PortalVisitor;
  let olga: PortalVisitor;
  /** Other Co's integrations named after Acme's "Full": its id, and its name. */
  let namedAfterId: PortalIssuedSecret;
  let namedFull: PortalIssuedSecret;
  const skip = kind === 'postgres' && !POSTGRES_URL;
  const admin = (method: string, path: string, body?: unknown) =>
    t.raw(`/__admin${path}`, {
      method,
      token: TEST_CONFIG.adminToken!,
      version: null,
      ...(body !== undefined ? { body } : {}),
    });
  const me = async (token: string) => (await t.raw('/v1/users/me', { token })).status;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestPlatform(kind, faultSeed());
    ada = await new PortalVisitor(t.baseUrl).signIn('ada@example.com', PASSWORDS.ada);
    olga = await new PortalVisitor(t.baseUrl).signIn('olga@other.example', PASSWORDS.olga);
    const create = async (name: string) => {
      const res = await olga.call<PortalIssuedSecret>('POST', '/portal/api/integrations', { name });
      expect(res.status).toBe(201);
      return res.body;
    };
    namedAfterId = await create(IDS.full);
    namedFull = await create('Full');
  }, 60_000);
  afterAll(async () => t?.close());
  beforeEach(() => {
    if (!skip) t.platform.faults.replace([]);
  });

  it.skipIf(skip)('a portal rule matches its own integration only, and only its owner sees or deletes it', async () => {
    const made = await ada.call<PortalLimits>('POST', '/portal/api/faults', {
      integration_id: IDS.full,
      route: 'GET /v1/users/me',
      status: 503,
    });
    expect(made.status).toBe(200);
    const rule = made.body.faults[0]!;
    expect(rule).toMatchObject({ integration_id: IDS.full, status: 503 });

    expect(await me(TOKENS.full)).toBe(503);
    expect(await me(namedAfterId.token)).toBe(200);
    expect(await me(namedFull.token)).toBe(200);
    expect(await me(TOKENS.otherBot)).toBe(200);

    const seen = await olga.call<PortalLimits>('GET', '/portal/api/limits');
    expect(seen.body.faults).toEqual([]);
    expect(seen.body.global_fault_count).toBe(0);
    const deleted = await olga.call('DELETE', `/portal/api/faults/${rule.id}`);
    expect(deleted.status).toBe(404);
    const missing = await olga.call('DELETE', '/portal/api/faults/fault_999999');
    expect(deleted.body).toEqual(missing.body);
    expect((await ada.call<PortalLimits>('GET', '/portal/api/limits')).body.faults.map((f) => f.id)).toEqual([rule.id]);

    expect((await ada.call<PortalLimits>('DELETE', `/portal/api/faults/${rule.id}`)).body.faults).toEqual([]);
    expect(await me(TOKENS.full)).toBe(200);
  });

  it.skipIf(skip)(
    "a workspace's rule is decided against the caller's workspace as well as its integration",
    async () => {
      // Rules added through platform.faults are taken as given: this one is Other Co's but names Acme's
      // integration (neither the portal nor the admin API would make it). Deciding by the integration id alone
      // would fail Acme's requests on Other Co's behalf; the caller's workspace keeps the rule at home.
      const route = 'GET /v1/users/me';
      const stray = t.platform.faults.add({ workspace_id: IDS.other, integration: IDS.full, route, status: 503 });
      expect(await me(TOKENS.full)).toBe(200);
      expect(await me(TOKENS.otherBot)).toBe(200);
      expect(await me(namedAfterId.token)).toBe(200);
      const home = t.platform.faults.add({ workspace_id: IDS.acme, integration: IDS.full, route, status: 502 });
      expect(await me(TOKENS.full)).toBe(502);
      expect(t.platform.faults.list().map((r) => [r.id, r.matched])).toEqual([
        [stray.id, 0],
        [home.id, 1],
      ]);
    },
  );

  it.skipIf(skip)('the admin API resolves an integration by id or by name within one workspace', async () => {
    const ambiguous = await admin('POST', '/faults', { integration: 'Full', status: 500 });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body).toMatchObject({
      code: 'validation_error',
      message:
        'body failed validation: body.integration `"Full"` names integrations in 2 workspaces; add body.workspace_id to say which.',
    });
    const unknown = await admin('PUT', '/faults', { rules: [{ integration: 'Nobody', status: 500 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(
      'body failed validation: body.rules[0].integration should be the id or name of an integration, instead was `"Nobody"`.',
    );
    const noIntegration = await admin('POST', '/faults', { workspace_id: IDS.acme, status: 500 });
    expect(noIntegration.status).toBe(400);
    expect(t.platform.faults.list()).toEqual([]);

    const byName = await admin('POST', '/faults', {
      integration: 'Full',
      workspace_id: IDS.acme,
      route: 'GET /v1/users/me',
      status: 502,
    });
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ integration: IDS.full, workspace_id: IDS.acme });
    const byId = await admin('POST', '/faults', { integration: IDS.otherBot, route: 'GET /v1/users/me', status: 504 });
    expect(byId.body).toMatchObject({ integration: IDS.otherBot, workspace_id: IDS.other });

    expect(await me(TOKENS.full)).toBe(502);
    expect(await me(TOKENS.otherBot)).toBe(504);
    expect(await me(namedFull.token)).toBe(200);
    expect(await me(namedAfterId.token)).toBe(200);

    // Each workspace's owner sees the rule aimed at its own integration, not the other's.
    const acme = (await ada.call<PortalLimits>('GET', '/portal/api/limits')).body.faults;
    expect(acme.map((f) => [f.id, f.integration_id])).toEqual([[byName.body.id, IDS.full]]);
    const other = (await olga.call<PortalLimits>('GET', '/portal/api/limits')).body.faults;
    expect(other.map((f) => [f.id, f.integration_id])).toEqual([[byId.body.id, IDS.otherBot]]);
    expect((await olga.call('DELETE', `/portal/api/faults/${byName.body.id}`)).status).toBe(404);
  });

  it.skipIf(skip)(
    'config rules are global: an id matches that integration, a name every integration of that name',
    async () => {
      t.platform.faults.replace([
        { integration: 'Full', route: 'GET /v1/users/me', status: 500 },
        { integration: IDS.otherBot, route: 'GET /v1/users/me', status: 529, retry_after: 0 },
      ]);
      expect(await me(TOKENS.full)).toBe(500);
      expect(await me(namedFull.token)).toBe(500);
      expect(await me(TOKENS.otherBot)).toBe(529);
      // A name shaped as an id is matched by id only.
      expect(await me(namedAfterId.token)).toBe(200);
      // Counted, not listed, in the portal of each workspace they reach.
      expect((await ada.call<PortalLimits>('GET', '/portal/api/limits')).body).toMatchObject({
        faults: [],
        global_fault_count: 1,
      });
      expect((await olga.call<PortalLimits>('GET', '/portal/api/limits')).body).toMatchObject({
        faults: [],
        global_fault_count: 2,
      });
    },
  );
});
