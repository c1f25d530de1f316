// The code under test (addComment) in jest, against the notion-local of global-setup.mjs: startNotionLocal
// sees NOTION_LOCAL_URL and connects to it; each test gets its own workspace.
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startNotionLocal } from 'notion-local/testing';

/** The code under test: comments on a page and answers the comment's text. */
async function addComment(notion, pageId, content) {
  const comment = await notion.comments.create({ parent: { page_id: pageId }, rich_text: [{ text: { content } }] });
  return comment.rich_text.map((t) => t.plain_text).join('');
}

const SEED = {
  name: 'Reviews',
  integrations: [
    { name: 'Reviewer', capabilities: ['read_content', 'read_comments', 'insert_comments'] },
    { name: 'Silent', capabilities: ['read_content'] },
  ],
  pages: [{ title: 'Draft', shared_with: ['Reviewer', 'Silent'] }],
};

describe('addComment', () => {
  let nl;
  let ws;

  beforeAll(async () => {
    nl = await startNotionLocal({ seed: null });
  });
  beforeEach(async () => {
    ws = await nl.workspace(SEED);
  });

  it('comments on the page', async () => {
    const notion = nl.client({ auth: ws.tokens.Reviewer });
    expect(await addComment(notion, ws.ids.Draft, 'Looks good')).toBe('Looks good');
    const { results } = await notion.comments.list({ block_id: ws.ids.Draft });
    expect(results).toHaveLength(1);
  });

  it('is refused without the comment capability', async () => {
    const notion = nl.client({ auth: ws.tokens.Silent, logLevel: 'error' });
    await expect(addComment(notion, ws.ids.Draft, 'Hi')).rejects.toMatchObject({ status: 403 });
    expect(nl.inProcess).toBe(false);
  });
});
