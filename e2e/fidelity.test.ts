// Keys and request forms that outside clients met on Notion and relied on (reference §4, §5.1, §8.3, §8.4, §8.5,
// §8.9, §19.1), through the running server, in 2022-06-28 and in 2025-09-03 (SDK v4 and SDK v5).
import { describe, expect, it } from 'vitest';
import type { Client } from '@notionhq/client';
import { Client as ClientV5, LogLevel } from 'notion-client-v5';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';

const VERSIONS = ['2022-06-28', '2025-09-03'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const URL_A = 'https://example.com/docs';
/** A rich text item as markdown converters send it: the link with `type: "url"`. */
const linked = (content: string, url: string) => ({ type: 'text', text: { content, link: { type: 'url', url } } });
const linkedOut = (content: string, url: string) => ({
  type: 'text',
  text: { content, link: { url } },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: url,
});
const out = (content: string) => ({ ...linkedOut(content, ''), text: { content, link: null }, href: null });
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const ERROR_KEYS = ['object', 'status', 'code', 'message', 'additional_data', 'request_id'];

describe.each(storeKinds())('fidelity for outside clients (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  const v5 = (token: string) => new ClientV5({ auth: token, baseUrl: t.baseUrl, logLevel: LogLevel.ERROR });
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  describe('text.link as {type:"url", url} (reference §8.5)', () => {
    it.each(VERSIONS)('is accepted in appended blocks and answered as {url} (%s)', async (version) => {
      const res = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        version,
        body: { children: [{ paragraph: { rich_text: [linked('docs', URL_A)] } }] },
      });
      expect(res.status).toBe(200);
      expect(res.body.results[0].paragraph).toEqual({
        rich_text: [linkedOut('docs', URL_A)],
        icon: null,
        color: 'default',
      });
    });

    it('is accepted in a page title and in a comment', async () => {
      const page = await t.raw('/v1/pages', {
        method: 'POST',
        body: { parent: { page_id: IDS.sharedRoot }, properties: { title: { title: [linked('Linked', URL_A)] } } },
      });
      expect(page.status).toBe(200);
      expect(page.body.properties.title.title).toEqual([linkedOut('Linked', URL_A)]);
      const comment = await t.raw('/v1/comments', {
        method: 'POST',
        body: { parent: { page_id: IDS.sharedRoot }, rich_text: [linked('see', URL_A)] },
      });
      expect(comment.status).toBe(200);
      expect(comment.body.rich_text).toEqual([linkedOut('see', URL_A)]);
    });

    it('still refuses a link of another type', async () => {
      const res = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        body: {
          children: [{ paragraph: { rich_text: [{ text: { content: 'x', link: { type: 'page', url: URL_A } } }] } }],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.message).toBe(
        'body failed validation. Fix one:\n' +
          'body.children[0].paragraph.rich_text[0].text.link.type should be `"url"`, instead was `"page"`.\n' +
          'body.children[0].paragraph.rich_text[0].mention should be defined, instead was `undefined`.\n' +
          'body.children[0].paragraph.rich_text[0].equation should be defined, instead was `undefined`.',
      );
    });
  });

  describe('paragraph icon (reference §8.3)', () => {
    it.each(VERSIONS)('seeded paragraphs answer icon:null; other text blocks have no icon (%s)', async (version) => {
      const res = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, { version });
      expect(res.status).toBe(200);
      const [paragraph, todo] = res.body.results;
      expect(paragraph.paragraph).toEqual({ rich_text: [out('First paragraph')], icon: null, color: 'default' });
      expect(Object.keys(paragraph.paragraph)).toEqual(['rich_text', 'icon', 'color']);
      expect(todo.to_do).toEqual({ rich_text: [out('A task')], color: 'default', checked: false });
      const one = await t.raw(`/v1/blocks/${paragraph.id}`, { version });
      expect(one.body.paragraph).toEqual(paragraph.paragraph);
    });

    it('blocks made through the API and updated answer it too', async () => {
      const appended = await notion.blocks.children.append({
        block_id: IDS.sharedRoot,
        children: [{ paragraph: { rich_text: [{ text: { content: 'new' } }] } }, { quote: { rich_text: [] } }],
      });
      const [p, q] = appended.results as Array<Record<string, any>>;
      expect(p!.paragraph).toEqual({ rich_text: [out('new')], icon: null, color: 'default' });
      expect(q!.quote).toEqual({ rich_text: [], color: 'default' });
      const updated = (await notion.blocks.update({
        block_id: p!.id,
        paragraph: { rich_text: [{ text: { content: 'edited' } }], color: 'blue' },
      })) as Record<string, any>;
      expect(updated.paragraph).toEqual({ rich_text: [out('edited')], icon: null, color: 'blue' });
    });

    it('a paragraph takes an icon, and a paragraph read can be written back as it came', async () => {
      const icon = { type: 'emoji', emoji: '📌' };
      const made = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        body: { children: [{ paragraph: { rich_text: [{ text: { content: 'pin' } }], icon: { emoji: '📌' } } }] },
      });
      expect(made.status).toBe(200);
      const block = made.body.results[0];
      expect(block.paragraph).toEqual({ rich_text: [out('pin')], icon, color: 'default' });
      const cleared = await t.raw(`/v1/blocks/${block.id}`, { method: 'PATCH', body: { paragraph: { icon: null } } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.paragraph).toEqual({ rich_text: [out('pin')], icon: null, color: 'default' });
      const copy = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
        method: 'PATCH',
        body: { children: [{ type: 'paragraph', paragraph: cleared.body.paragraph }] },
      });
      expect(copy.status).toBe(200);
      expect(copy.body.results[0].paragraph).toEqual(cleared.body.paragraph);
    });
  });

  describe('users (reference §8.4)', () => {
    const me = {
      object: 'user',
      id: IDS.full,
      name: 'Full',
      avatar_url: null,
      type: 'bot',
      bot: {
        owner: { type: 'workspace', workspace: true },
        workspace_name: 'Acme',
        workspace_id: IDS.acme,
        workspace_limits: { max_file_upload_size_in_bytes: 5368709120 },
      },
    };

    it.each(VERSIONS)('users/me carries workspace_id and workspace_limits (%s)', async (version) => {
      const res = await t.raw('/v1/users/me', { version });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...me, request_id: expect.stringMatching(UUID) });
      const other = await t.raw('/v1/users/me', { token: TOKENS.otherBot, version });
      expect(other.body.bot).toMatchObject({ workspace_name: 'Other Co', workspace_id: IDS.other });
    });

    it('SDK v5: users.me and users.list as Notion answers them', async () => {
      const client = v5(TOKENS.full);
      expect(await client.users.me({})).toMatchObject(me);
      const list = await client.users.list({});
      const ada = list.results.find((u) => u.id === IDS.ada);
      expect(ada).toEqual({
        object: 'user',
        id: IDS.ada,
        name: 'Ada Lovelace',
        avatar_url: null,
        type: 'person',
        person: { email: 'ada@example.com', email_verified: true },
      });
      // The caller sees itself in full in the list, other bots as bot:{}.
      expect(list.results.find((u) => u.id === IDS.full)).toEqual(me);
      expect(list.results.find((u) => u.id === IDS.readOnly)).toMatchObject({ bot: {} });
    });

    it('without the email capability a person has neither email nor email_verified', async () => {
      const res = await t.raw(`/v1/users/${IDS.grace}`, { token: TOKENS.noEmail });
      expect(res.body).toMatchObject({ type: 'person', person: {} });
      expect(JSON.stringify(res.body)).not.toContain('email_verified');
    });
  });

  describe('comments (reference §8.9, §19.1)', () => {
    it.each(VERSIONS)(
      'answer display_name (and no attachments key without attachments) on create, retrieve and list (%s)',
      async (version) => {
        const first = await t.raw('/v1/comments', {
          method: 'POST',
          version,
          body: { parent: { page_id: IDS.sharedRoot }, rich_text: [{ text: { content: 'First!' } }] },
        });
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({
          created_by: { object: 'user', id: IDS.full },
          rich_text: [out('First!')],
          display_name: { type: 'integration', resolved_name: 'Full' },
        });
        // Observed 2026 comments carry no attachments key when there are none (reference §19.1).
        expect(Object.keys(first.body).slice(-3)).toEqual(['rich_text', 'display_name', 'request_id']);
        const reply = await t.raw('/v1/comments', {
          method: 'POST',
          token: TOKENS.commenter,
          version,
          body: { discussion_id: first.body.discussion_id, rich_text: [{ text: { content: 'Reply' } }] },
        });
        expect(reply.body.display_name).toEqual({ type: 'integration', resolved_name: 'Commenter' });
        const got = await t.raw(`/v1/comments/${reply.body.id}`, { version });
        expect(got.body).toEqual({ ...reply.body, request_id: got.body.request_id });
        const list = await t.raw(`/v1/comments?block_id=${IDS.sharedRoot}`, { version });
        expect(list.body.results.map((c: { display_name: unknown }) => c.display_name)).toEqual([
          { type: 'integration', resolved_name: 'Full' },
          { type: 'integration', resolved_name: 'Commenter' },
        ]);
      },
    );

    it('SDK v5 reads display_name as its types say', async () => {
      const client = v5(TOKENS.full);
      const created = await client.comments.create({
        parent: { page_id: IDS.sharedRoot },
        rich_text: [{ text: { content: 'Hello' } }],
      });
      const listed = await client.comments.list({ block_id: IDS.sharedRoot });
      const comment = listed.results.find((c) => c.id === created.id);
      expect(comment && 'display_name' in comment ? comment.display_name : null).toEqual({
        type: 'integration',
        resolved_name: 'Full',
      });
    });
  });

  describe('404 object_not_found names the integration (reference §4, §5.1)', () => {
    it.each(VERSIONS)('pages, blocks, comments and users: additional_data before request_id (%s)', async (version) => {
      const cases: Array<[string, string]> = [
        [`/v1/pages/${IDS.privatePage}`, notFound('page', IDS.privatePage)],
        [`/v1/blocks/${IDS.missing.replace(/-/g, '')}`, notFound('block', IDS.missing)],
        [`/v1/users/${IDS.missing}`, notFound('user', IDS.missing)],
        [`/v1/comments/${IDS.missing}`, notFound('comment', IDS.missing)],
      ];
      for (const [path, message] of cases) {
        const res = await t.raw(path, { version });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({
          object: 'error',
          status: 404,
          code: 'object_not_found',
          message,
          additional_data: { integration_id: IDS.full },
          request_id: res.headers.get('x-notion-request-id'),
        });
        expect(Object.keys(res.body)).toEqual(ERROR_KEYS);
      }
    });

    it('names whichever integration called, and is reported by both SDKs', async () => {
      const other = await t.raw(`/v1/pages/${IDS.sharedRoot}`, { token: TOKENS.otherBot });
      expect(other.body.additional_data).toEqual({ integration_id: IDS.otherBot });
      await expect(notion.pages.retrieve({ page_id: IDS.privatePage })).rejects.toMatchObject({
        status: 404,
        code: 'object_not_found',
        message: notFound('page', IDS.privatePage),
      });
      await expect(v5(TOKENS.full).pages.retrieve({ page_id: IDS.privatePage })).rejects.toMatchObject({
        code: 'object_not_found',
        additional_data: { integration_id: IDS.full },
      });
    });

    it('other errors carry no additional_data', async () => {
      const unauthorized = await t.raw(`/v1/pages/${IDS.privatePage}`, { token: 'secret_nope' });
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body).not.toHaveProperty('additional_data');
      const badUrl = await t.raw('/v1/nowhere');
      expect(badUrl.status).toBe(400);
      expect(badUrl.body).not.toHaveProperty('additional_data');
      const validation = await t.raw(`/v1/pages/${IDS.sharedRoot}`, { method: 'PATCH', body: { nope: 1 } });
      expect(validation.status).toBe(400);
      expect(validation.body).not.toHaveProperty('additional_data');
    });
  });
});
