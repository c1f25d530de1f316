import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed, SeedError, validateSeed } from '../src/seed/seed-loader.js';
import { demoSeed } from '../src/seed/demo-seed.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/sql-store.js';
import { hashToken } from '../src/auth/tokens.js';
import { ChangeFeed, type Change } from '../src/services/changes.js';

const ok = () => ({
  workspaces: [
    {
      name: 'Acme',
      users: [{ name: 'Ada', email: 'ada@example.com', role: 'owner' }],
      integrations: [{ name: 'Importer', capabilities: ['read_content'] }],
      pages: [{ title: 'Projects', shared_with: ['Importer'], children: [{ title: 'Roadmap' }] }],
    },
  ],
});

describe('seed validation names the JSON path of the problem', () => {
  const cases: [string, (s: any) => void, string][] = [
    [
      'unknown capability',
      (s) => (s.workspaces[0].integrations[0].capabilities = ['read_content', 'fly']),
      'seed.workspaces[0].integrations[0].capabilities[1] should be',
    ],
    [
      'unknown key',
      (s) => (s.workspaces[0].pages[0].colour = 'red'),
      'seed.workspaces[0].pages[0].colour should be not present',
    ],
    ['missing name', (s) => delete s.workspaces[0].name, 'seed.workspaces[0].name should be defined'],
    ['bad role', (s) => (s.workspaces[0].users[0].role = 'admin'), 'seed.workspaces[0].users[0].role should be'],
    [
      'shared with an unknown integration',
      (s) => (s.workspaces[0].pages[0].children[0].shared_with = ['Nobody']),
      'seed.workspaces[0].pages[0].children[0].shared_with[0] "Nobody" is not an integration of this workspace',
    ],
    [
      'both user-information capabilities',
      (s) => (s.workspaces[0].integrations[0].capabilities = ['read_user_with_email', 'read_user_without_email']),
      'seed.workspaces[0].integrations[0].capabilities should hold at most one',
    ],
    [
      'duplicate ids',
      (s) => {
        s.workspaces[0].pages[0].id = '0d000000-0000-4000-8000-000000000001';
        s.workspaces[0].pages[0].children[0].id = '0d000000-0000-4000-8000-000000000001';
      },
      'seed.workspaces[0].pages[0].children[0].id 0d000000-0000-4000-8000-000000000001 is used twice',
    ],
    [
      'bad block in page content',
      (s) =>
        (s.workspaces[0].pages[0].blocks = [{ paragraph: { rich_text: [{ text: { content: 'x'.repeat(2001) } }] } }]),
      'seed.workspaces[0].pages[0].blocks[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`',
    ],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    const seed = ok();
    mutate(seed);
    expect(() => validateSeed(seed)).toThrow(SeedError);
    expect(() => validateSeed(seed)).toThrow(expected);
  });

  it('accepts the documented example and the demo seed', () => {
    expect(() => validateSeed(ok())).not.toThrow();
    expect(() => validateSeed(demoSeed())).not.toThrow();
  });
});

describe('loading a seed', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: 'memory' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('generates a token when none is given, stores only its hash, and applies nothing from a bad seed', async () => {
    const bad = ok();
    (bad.workspaces[0]!.pages[0] as any).shared_with = ['Missing'];
    await expect(loadSeed(store, bad, new Date())).rejects.toThrow(SeedError);
    expect(await store.query('SELECT id FROM workspaces')).toEqual([]);

    const result = await loadSeed(store, ok(), new Date());
    expect(result?.issued).toHaveLength(1);
    const token = result!.issued[0]!.token;
    expect(token).toMatch(/^ntn_/);
    const rows = await store.query<{ token_hash: string }>('SELECT token_hash FROM tokens');
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
    const dump =
      JSON.stringify(await store.query('SELECT * FROM tokens')) +
      JSON.stringify(await store.query('SELECT seed FROM seeds'));
    expect(dump).not.toContain(token);
  });

  it('stores passwords as salted scrypt hashes, in users and in the resolved seed, never as written', async () => {
    const seeded = await openStore({ kind: 'memory' });
    try {
      const seed = ok();
      const password = 'same-password-for-both';
      seed.workspaces[0]!.users = [
        { name: 'Ada', email: 'ada@example.com', role: 'owner', password } as any,
        { name: 'Grace', email: 'grace@example.com', role: 'member', password } as any,
      ];
      await loadSeed(seeded, seed, new Date());
      const users = await seeded.query<{ password_hash: string }>(
        "SELECT password_hash FROM users WHERE type = 'person' ORDER BY name",
      );
      const hashes = users.map((u) => u.password_hash);
      for (const hash of hashes) expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(hashes[0]).not.toBe(hashes[1]); // a salt per user: the same password, two hashes
      const [row] = await seeded.query<{ seed: { users: { password_hash: string }[] } }>('SELECT seed FROM seeds');
      const kept = row!.seed;
      expect(kept.users.map((u) => u.password_hash)).toEqual(hashes);
      const dump = JSON.stringify(await seeded.query('SELECT * FROM users')) + JSON.stringify(kept);
      expect(dump).not.toContain(password);
      expect(dump).not.toContain('sha256:');
    } finally {
      await seeded.close();
    }
  });

  it('records what it wrote on the change feed after commit, as the platform, with no token in any change', async () => {
    const seeded = await openStore({ kind: 'memory' });
    try {
      const changes = new ChangeFeed();
      const seen: Change[] = [];
      changes.subscribe((batch) => seen.push(...batch));
      const result = await loadSeed(seeded, ok(), new Date(), { changes });
      expect(seen.map((c) => c.kind)).toEqual([
        'workspace.created',
        'user.created',
        'integration.created',
        'page.created',
        'sharing.updated',
        'page.created',
      ]);
      expect(new Set(seen.map((c) => c.actor.type))).toEqual(new Set(['system']));
      expect(new Set(seen.map((c) => c.workspaceId))).toEqual(new Set(result!.workspaceIds));
      const token = result!.issued[0]!.token;
      expect(JSON.stringify(seen)).not.toContain(token);
      expect(JSON.stringify(seen)).not.toContain(hashToken(token));
    } finally {
      await seeded.close();
    }
  });
});
