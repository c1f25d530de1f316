// Custom emojis through SDK v5 (reference §19.3, §8.7): seeded per workspace, listed with Notion's observed list
// shape, paged and filtered by exact name, and usable as the icon of pages, databases, data sources and callouts
// (named by id, answered with id, name and url; an id the workspace does not have is a 400). Seed validation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client as ClientV5, DatabaseObjectResponse, PageObjectResponse } from 'notion-client-v5';
import { SeedError, validateSeed } from '@notion-local/server';
import { IDS, TOKENS, testSeed } from './support/fixtures.js';
import { failure, v5Client } from './support/sdk-v5.js';
import { startTestPlatform, storeKinds, type StoreKind, type TestPlatform } from './support/test-platform.js';

const EMOJI = {
  parrot: '0a000000-0000-4000-8000-0000000000e1',
  shipit: '0a000000-0000-4000-8000-0000000000e2',
  party: '0a000000-0000-4000-8000-0000000000e3',
  otherCo: '0b000000-0000-4000-8000-0000000000e1',
} as const;
const EMOJI_PAGE = '0a000000-0000-4000-8000-0000000000c9';
const ACME_EMOJIS = [
  { id: EMOJI.parrot, name: 'partyparrot', url: 'https://emoji.example/partyparrot.gif' },
  { id: EMOJI.shipit, name: 'shipit', url: 'https://emoji.example/shipit.png' },
  { id: EMOJI.party, name: 'party-blob', url: 'https://emoji.example/party-blob.png' },
];
const OTHER_EMOJIS = [{ id: EMOJI.otherCo, name: 'shipit', url: 'https://other.example/shipit.png' }];
const icon = (e: { id: string; name: string; url: string }) => ({ type: 'custom_emoji', custom_emoji: e });
const unknownEmoji = (id: string) => ({
  status: 400,
  code: 'validation_error',
  message: `Could not find custom emoji with ID: ${id}.`,
});
const calloutIcon = (block: unknown) => (block as { callout: { icon: unknown } }).callout.icon;
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];

/** The test seed with custom emojis in both workspaces and a page whose icon is one of them. */
function emojiSeed() {
  // A copy loose enough to add keys to (the fixture's type is exact).
  const seed = JSON.parse(JSON.stringify(testSeed())) as { workspaces: Record<string, unknown>[] };
  const [acme, other] = seed.workspaces as [Record<string, unknown>, Record<string, unknown>];
  acme.custom_emojis = ACME_EMOJIS.map(({ id, name, url }) => ({ id, name, url }));
  other.custom_emojis = OTHER_EMOJIS.map(({ id, name, url }) => ({ id, name, url }));
  (acme.pages as unknown[]).push({
    id: EMOJI_PAGE,
    title: 'Emoji page',
    icon: { type: 'custom_emoji', custom_emoji: { id: EMOJI.shipit } },
    shared_with: ['Full'],
  });
  return seed;
}

describe.each(storeKinds())('custom emojis (%s)', (kind: StoreKind) => {
  let t: TestPlatform;
  let notion: ClientV5;
  const v5 = (token: string) => v5Client(t.baseUrl, token);
  beforeAll(async () => {
    t = await startTestPlatform(kind, emojiSeed());
    notion = v5(TOKENS.full);
  });
  afterAll(async () => t?.close());
  beforeEach(async () => t.platform.reset());

  it("lists the workspace's emojis in the observed shape: type before results, no custom_emoji member", async () => {
    const raw = await t.raw('/v1/custom_emojis', { version: '2026-03-11' });
    expect(raw.status).toBe(200);
    expect(Object.keys(raw.body)).toEqual(['object', 'type', 'results', 'has_more', 'next_cursor', 'request_id']);
    expect(raw.body).toEqual({
      object: 'list',
      type: 'custom_emoji',
      results: ACME_EMOJIS,
      has_more: false,
      next_cursor: null,
      request_id: expect.any(String),
    });
    expect(await v5(TOKENS.otherBot).customEmojis.list()).toEqual({
      object: 'list',
      type: 'custom_emoji',
      results: OTHER_EMOJIS,
      has_more: false,
      next_cursor: null,
      request_id: expect.any(String),
    });
  });

  it('pages with start_cursor and page_size; name is an exact match', async () => {
    const first = await notion.customEmojis.list({ page_size: 2 });
    expect(first).toMatchObject({ results: ACME_EMOJIS.slice(0, 2), has_more: true, next_cursor: EMOJI.party });
    const second = await notion.customEmojis.list({ page_size: 2, start_cursor: first.next_cursor! });
    expect(second).toMatchObject({ results: ACME_EMOJIS.slice(2), has_more: false, next_cursor: null });
    expect((await notion.customEmojis.list({ name: 'shipit' })).results).toEqual([ACME_EMOJIS[1]]);
    expect((await notion.customEmojis.list({ name: 'ship' })).results).toEqual([]);
    expect((await notion.customEmojis.list({ name: 'SHIPIT' })).results).toEqual([]);
    // Another workspace's emoji as a cursor finds nothing, as a missing id does.
    const foreign = await t.raw(`/v1/custom_emojis?start_cursor=${EMOJI.otherCo}`);
    const missing = await t.raw(`/v1/custom_emojis?start_cursor=${IDS.missing}`);
    expect(foreign.body).toMatchObject({ results: [], has_more: false, next_cursor: null });
    expect({ ...foreign.body, request_id: '' }).toEqual({ ...missing.body, request_id: '' });
  });

  it('validates the query and needs read_content, with the exact errors', async () => {
    expect(await t.raw('/v1/custom_emojis?page_size=101')).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message: 'query failed validation: query.page_size should be ≤ `100` or `undefined`, instead was `101`.',
      },
    });
    expect(await t.raw('/v1/custom_emojis?colour=red')).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message: 'query failed validation: query.colour should be not present, instead was `"red"`.',
      },
    });
    expect(await failure(v5(TOKENS.insertOnly).customEmojis.list())).toEqual({
      status: 403,
      code: 'restricted_resource',
      message: 'Insufficient permissions for this endpoint.',
    });
  });

  it('is a page icon: seeded, created and updated by id, answered with name and url', async () => {
    const seeded = (await notion.pages.retrieve({ page_id: EMOJI_PAGE })) as PageObjectResponse;
    expect(seeded.icon).toEqual(icon(ACME_EMOJIS[1]!));
    const page = (await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: rt('Parrot') } },
      icon: { type: 'custom_emoji', custom_emoji: { id: EMOJI.parrot.replace(/-/g, '') } },
    })) as PageObjectResponse;
    expect(page.icon).toEqual(icon(ACME_EMOJIS[0]!));
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).icon).toEqual(
      icon(ACME_EMOJIS[0]!),
    );
    // The name and url a client sends are not taken: the workspace's are.
    const updated = (await notion.pages.update({
      page_id: page.id,
      icon: { custom_emoji: { id: EMOJI.party, name: 'renamed', url: 'https://evil.example/x.png' } },
    })) as PageObjectResponse;
    expect(updated.icon).toEqual(icon(ACME_EMOJIS[2]!));
    const cleared = (await notion.pages.update({ page_id: page.id, icon: null })) as PageObjectResponse;
    expect(cleared.icon).toBeNull();
  });

  it("refuses an emoji id the workspace does not have (another workspace's too) and writes nothing", async () => {
    for (const id of [EMOJI.otherCo, IDS.missing]) {
      expect(
        await failure(
          notion.pages.create({
            parent: { page_id: IDS.sharedRoot },
            properties: { title: { title: rt('Nope') } },
            icon: { custom_emoji: { id } },
          }),
        ),
      ).toEqual(unknownEmoji(id));
      expect(await failure(notion.pages.update({ page_id: EMOJI_PAGE, icon: { custom_emoji: { id } } }))).toEqual(
        unknownEmoji(id),
      );
    }
    expect(((await notion.pages.retrieve({ page_id: EMOJI_PAGE })) as PageObjectResponse).icon).toEqual(
      icon(ACME_EMOJIS[1]!),
    );
    const children = await notion.blocks.children.list({ block_id: IDS.sharedRoot });
    expect(children.results.some((b) => 'type' in b && b.type === 'child_page')).toBe(true);
    expect(
      children.results.filter((b) => 'child_page' in b && (b.child_page as { title: string }).title === 'Nope'),
    ).toEqual([]);
  });

  it('is a database, data source and callout icon', async () => {
    const db = (await notion.databases.create({
      parent: { type: 'page_id', page_id: IDS.sharedRoot },
      title: rt('Emoji db'),
      icon: { custom_emoji: { id: EMOJI.parrot } },
      initial_data_source: { properties: { Name: { title: {} } } },
    })) as DatabaseObjectResponse;
    expect(db.icon).toEqual(icon(ACME_EMOJIS[0]!));
    const dsId = db.data_sources[0]!.id;
    const ds = await notion.dataSources.update({ data_source_id: dsId, icon: { custom_emoji: { id: EMOJI.shipit } } });
    expect((ds as { icon: unknown }).icon).toEqual(icon(ACME_EMOJIS[1]!));
    const dbUpdated = await notion.databases.update({
      database_id: db.id,
      icon: { custom_emoji: { id: EMOJI.party } },
    });
    expect((dbUpdated as { icon: unknown }).icon).toEqual(icon(ACME_EMOJIS[2]!));
    expect(
      await failure(notion.dataSources.update({ data_source_id: dsId, icon: { custom_emoji: { id: EMOJI.otherCo } } })),
    ).toEqual(unknownEmoji(EMOJI.otherCo));

    const appended = await notion.blocks.children.append({
      block_id: IDS.sharedRoot,
      children: [{ callout: { rich_text: rt('Ship it'), icon: { custom_emoji: { id: EMOJI.shipit } } } }],
    });
    const callout = appended.results[0] as { id: string; callout: { icon: unknown } };
    expect(callout.callout.icon).toEqual(icon(ACME_EMOJIS[1]!));
    // An edit of the text keeps the icon; an edit of the icon resolves the new emoji.
    const retitled = await notion.blocks.update({ block_id: callout.id, callout: { rich_text: rt('Shipped') } });
    expect(calloutIcon(retitled)).toEqual(icon(ACME_EMOJIS[1]!));
    const reiconed = await notion.blocks.update({
      block_id: callout.id,
      callout: { icon: { custom_emoji: { id: EMOJI.parrot } } },
    });
    expect(calloutIcon(reiconed)).toEqual(icon(ACME_EMOJIS[0]!));
    expect(
      await failure(
        notion.blocks.children.append({
          block_id: IDS.sharedRoot,
          children: [{ callout: { rich_text: rt('No'), icon: { custom_emoji: { id: IDS.missing } } } }],
        }),
      ),
    ).toEqual(unknownEmoji(IDS.missing));
  });

  it('keeps the same emojis and ids across a reset', async () => {
    const before = await notion.customEmojis.list();
    await t.platform.reset();
    expect(await notion.customEmojis.list()).toEqual({ ...before, request_id: expect.any(String) });
  });
});

describe('custom emojis in a seed', () => {
  const withAcme = (change: (acme: Record<string, unknown>) => void) => {
    const seed = emojiSeed();
    change(seed.workspaces[0]!);
    return seed;
  };
  const seedError = (seed: unknown): string => {
    try {
      validateSeed(seed);
    } catch (error) {
      if (error instanceof SeedError) return error.message;
      throw error;
    }
    return 'valid';
  };

  it('accepts the seed with emojis and an emoji page icon', () => {
    expect(seedError(emojiSeed())).toBe('valid');
  });

  it('names the JSON path of each problem', () => {
    expect(
      seedError(withAcme((a) => (a.custom_emojis as unknown[]).push({ name: 'shipit', url: 'https://e.example/a' }))),
    ).toBe(
      'seed failed validation: seed.workspaces[0].custom_emojis[3].name "shipit" is used by another custom emoji of this workspace.',
    );
    expect(seedError(withAcme((a) => (a.custom_emojis = [{ name: 'a:b', url: 'https://e.example/a' }])))).toBe(
      'seed failed validation: seed.workspaces[0].custom_emojis[0].name should be a name without spaces or colons, instead was `"a:b"`.',
    );
    expect(seedError(withAcme((a) => (a.custom_emojis = [{ name: 'ok', url: 'not a url' }])))).toBe(
      'seed failed validation: seed.workspaces[0].custom_emojis[0].url should be a valid url, instead was `"not a url"`.',
    );
    expect(seedError(withAcme((a) => (a.custom_emojis = [{ name: 'ok', url: 'https://e.example/a', x: 1 }])))).toBe(
      'seed failed validation: seed.workspaces[0].custom_emojis[0].x should be not present, instead was `1`.',
    );
    expect(
      seedError(
        withAcme((a) =>
          (a.custom_emojis as { id: string }[]).splice(1, 1, {
            id: EMOJI.parrot,
            name: 'twin',
            url: 'https://e.x/t',
          } as never),
        ),
      ),
    ).toBe(`seed failed validation: seed.workspaces[0].custom_emojis[1].id ${EMOJI.parrot} is used twice.`);
    expect(seedError(withAcme((a) => (a.custom_emojis = [])))).toBe(
      `seed failed validation: seed.workspaces[0].pages[2].icon.custom_emoji.id ${EMOJI.shipit} is not the id of one of seed.workspaces[0].custom_emojis.`,
    );
  });
});
