import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, TOKENS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

describe('smoke: the official SDK against the real server', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads the bot user and a shared page', async () => {
    const notion = t.client(TOKENS.full);
    const me = await notion.users.me({});
    expect(me).toMatchObject({ object: 'user', id: IDS.full, type: 'bot', name: 'Full' });
    const page = await notion.pages.retrieve({ page_id: IDS.sharedRoot });
    expect(page).toMatchObject({ object: 'page', id: IDS.sharedRoot, parent: { type: 'workspace', workspace: true } });
  });

  it('answers 404 for a private page', async () => {
    const notion = t.client(TOKENS.full);
    await expect(notion.pages.retrieve({ page_id: IDS.privatePage })).rejects.toMatchObject({
      status: 404,
      code: 'object_not_found',
      message: `Could not find page with ID: ${IDS.privatePage}. Make sure the relevant pages and databases are shared with your integration.`,
    });
  });
});
