// An integration's code under test (addTask) against notion-local: a fresh workspace per test, the
// official SDK, a fault to see the retry path, and the request log to see what was sent.
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { APIResponseError, Client } from '@notionhq/client';
import { startNotionLocal, type NotionLocal, type TestWorkspace } from 'notion-local/testing';

/** The code under test: adds a to-do page under a project page. */
async function addTask(notion: Client, projectId: string, title: string): Promise<string> {
  const page = await notion.pages.create({
    parent: { page_id: projectId },
    properties: { title: { title: [{ text: { content: title } }] } },
  });
  return page.id;
}

const SEED = {
  name: 'Team',
  integrations: [{ name: 'Task bot' }],
  pages: [{ title: 'Projects', shared_with: ['Task bot'] }, { title: 'HR' }],
};

describe('addTask', () => {
  let nl: NotionLocal;
  let ws: TestWorkspace;
  let notion: Client;

  beforeAll(async () => {
    const { NOTION_LOCAL_URL, NOTION_LOCAL_ADMIN_TOKEN } = inject('notionLocal');
    nl = await startNotionLocal({ url: NOTION_LOCAL_URL, adminToken: NOTION_LOCAL_ADMIN_TOKEN, seed: null });
  });

  beforeEach(async () => {
    ws = await nl.workspace(SEED); // milliseconds; nothing shared with other tests
    notion = nl.client<Client>({ auth: ws.tokens['Task bot'] });
  });

  it('creates the page under the project', async () => {
    const id = await addTask(notion, ws.ids.Projects!, 'Write the docs');
    const children = await notion.blocks.children.list({ block_id: ws.ids.Projects! });
    expect(children.results.map((b) => b.id)).toEqual([id]);
    const logged = await nl.requests({ workspace_id: ws.id });
    expect(logged.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
      'GET /v1/blocks/:block_id/children 200',
      'POST /v1/pages 200',
    ]);
  });

  it('cannot write where the page was not shared with it', async () => {
    await expect(addTask(notion, ws.ids.HR!, 'Secret')).rejects.toMatchObject({ code: 'object_not_found' });
  });

  it('surfaces a Notion outage as the SDK error', async () => {
    await nl.faults.add({ integration: ws.integrations['Task bot']!, route: 'POST /v1/pages', status: 503 });
    try {
      const error = await addTask(notion, ws.ids.Projects!, 'Later').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIResponseError);
      expect((error as APIResponseError).status).toBe(503);
    } finally {
      await nl.faults.clear();
    }
  });
});
