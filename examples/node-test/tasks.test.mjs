// node:test with notion-local started in this process (one per test file), a fresh workspace per test.
// Run: node --test examples/node-test/
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionLocal } from 'notion-local/testing';

/** The code under test: the titles of the pages under a page. */
async function childTitles(notion, pageId) {
  const { results } = await notion.blocks.children.list({ block_id: pageId });
  return results.filter((b) => b.type === 'child_page').map((b) => b.child_page.title);
}

const SEED = {
  name: 'Docs',
  integrations: [{ name: 'Reader', capabilities: ['read_content'] }],
  pages: [{ title: 'Handbook', shared_with: ['Reader'], children: [{ title: 'Onboarding' }, { title: 'Holidays' }] }],
};

describe('childTitles', () => {
  let nl;
  let ws;

  before(async () => {
    nl = await startNotionLocal({ seed: null });
  });
  after(() => nl.close());
  beforeEach(async () => {
    ws = await nl.workspace(SEED);
  });

  it('lists the child pages in order', async () => {
    const notion = nl.client({ auth: ws.tokens.Reader });
    assert.deepEqual(await childTitles(notion, ws.ids.Handbook), ['Onboarding', 'Holidays']);
  });

  it('is refused writes with a read-only integration', async () => {
    const notion = nl.client({ auth: ws.tokens.Reader, logLevel: 'error' });
    await assert.rejects(
      notion.pages.create({ parent: { page_id: ws.ids.Handbook }, properties: { title: { title: [] } } }),
      { code: 'restricted_resource', status: 403 },
    );
  });
});
