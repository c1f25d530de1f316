// Comments, search and users through the official SDK (reference §3, §4, §7, §8.4, §8.9, §11.1, §11.6).
import { describe, expect, it } from 'vitest';
import {
  collectPaginatedAPI,
  isFullComment,
  isFullUser,
  type Client,
  type CommentObjectResponse,
  type PageObjectResponse,
} from '@notionhq/client';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';
import { REQUEST_ID, withoutRequestId } from './support/answers.js';

const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const out = (content: string) => ({
  type: 'text',
  text: { content, link: null },
  annotations: ANNOTATIONS,
  plain_text: content,
  href: null,
});
const notFound = (kind: string, id: string) =>
  `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const RESTRICTED = { status: 403, code: 'restricted_resource', message: 'Insufficient permissions for this endpoint.' };

describe.each(storeKinds())('comments, search and users (%s)', (kind) => {
  let t: TestPlatform;
  let notion: Client;
  useTestPlatform(kind, (platform) => {
    t = platform;
    notion = t.client(TOKENS.full);
  });

  describe('comments', () => {
    const comment = async (c: Client, args: Parameters<Client['comments']['create']>[0]) =>
      (await c.comments.create(args)) as CommentObjectResponse;

    it('starts a discussion on a page, replies by discussion_id, retrieves and lists it', async () => {
      const first = await comment(notion, { parent: { page_id: IDS.sharedRoot }, rich_text: rt('First!') });
      expect(isFullComment(first)).toBe(true);
      expect(first).toEqual({
        object: 'comment',
        id: expect.stringMatching(UUID),
        parent: { type: 'page_id', page_id: IDS.sharedRoot },
        discussion_id: expect.stringMatching(UUID),
        created_time: expect.stringMatching(MINUTE_ISO),
        last_edited_time: expect.stringMatching(MINUTE_ISO),
        created_by: { object: 'user', id: IDS.full },
        rich_text: [out('First!')],
        display_name: { type: 'integration', resolved_name: 'Full' },
        request_id: REQUEST_ID,
      });
      const reply = await comment(t.client(TOKENS.commenter), {
        discussion_id: first.discussion_id.replace(/-/g, ''),
        rich_text: rt('Reply'),
      });
      expect(reply).toMatchObject({
        discussion_id: first.discussion_id,
        parent: first.parent,
        created_by: { object: 'user', id: IDS.commenter },
        rich_text: [out('Reply')],
      });
      expect(reply.id).not.toBe(first.id);

      const got = await t.raw(`/v1/comments/${reply.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ ...reply, request_id: REQUEST_ID });
      expect(got.body.request_id).not.toBe((reply as { request_id?: string }).request_id);

      const list = await notion.comments.list({ block_id: IDS.sharedRoot });
      expect(list).toEqual({
        object: 'list',
        results: [withoutRequestId(first), withoutRequestId(reply)],
        next_cursor: null,
        has_more: false,
        type: 'comment',
        comment: {},
        request_id: REQUEST_ID,
      });
      // Inside a list, objects carry no request_id.
      for (const item of list.results) expect(item).not.toHaveProperty('request_id');
    });

    it('paginates comments by block_id', async () => {
      const made: string[] = [];
      for (const s of ['a', 'b', 'c', 'd'])
        made.push((await comment(notion, { parent: { page_id: IDS.child }, rich_text: rt(s) })).id);
      const page1 = await notion.comments.list({ block_id: IDS.child, page_size: 3 });
      expect(page1).toMatchObject({ has_more: true, next_cursor: made[3] });
      expect(page1.results.map((c) => c.id)).toEqual(made.slice(0, 3));
      const page2 = await notion.comments.list({ block_id: IDS.child, page_size: 3, start_cursor: page1.next_cursor! });
      expect(page2).toMatchObject({ has_more: false, next_cursor: null });
      expect(await collectPaginatedAPI(notion.comments.list, { block_id: IDS.child, page_size: 1 })).toHaveLength(4);
      // Comments of one page never show up under another.
      expect((await notion.comments.list({ block_id: IDS.grandchild })).results).toEqual([]);
    });

    it('requires rich_text and block_id with the exact messages', async () => {
      const missing = await t.raw('/v1/comments', { method: 'POST', body: { parent: { page_id: IDS.sharedRoot } } });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({
        code: 'validation_error',
        message: 'body failed validation: body.rich_text should be defined, instead was `undefined`.',
      });
      const noBlock = await t.raw('/v1/comments');
      expect(noBlock.status).toBe(400);
      expect(noBlock.body).toMatchObject({
        code: 'validation_error',
        message: 'query failed validation: query.block_id should be defined, instead was `undefined`.',
      });
    });

    it('hides comments and discussions of pages the caller cannot see', async () => {
      const first = await comment(notion, { parent: { page_id: IDS.sharedRoot }, rich_text: rt('secret') });
      const other = t.client(TOKENS.otherBot);
      const got = await t.raw(`/v1/comments/${first.id}`, { token: TOKENS.otherBot });
      expect(got.status).toBe(404);
      expect(got.body).toMatchObject({ code: 'object_not_found', message: notFound('comment', first.id) });
      await expect(
        other.comments.create({ discussion_id: first.discussion_id, rich_text: rt('sneak') }),
      ).rejects.toMatchObject({ status: 404, code: 'object_not_found' });
      await expect(other.comments.list({ block_id: IDS.sharedRoot })).rejects.toMatchObject({
        status: 404,
        message: notFound('block', IDS.sharedRoot),
      });
      await expect(
        t.client(TOKENS.unshared).comments.create({ parent: { page_id: IDS.sharedRoot }, rich_text: rt('x') }),
      ).rejects.toMatchObject({
        status: 404,
        message: notFound('page', IDS.sharedRoot),
      });
    });

    it('needs the comment capabilities', async () => {
      const ro = t.client(TOKENS.readOnly);
      await expect(
        ro.comments.create({ parent: { page_id: IDS.sharedRoot }, rich_text: rt('x') }),
      ).rejects.toMatchObject(RESTRICTED);
      await expect(ro.comments.list({ block_id: IDS.sharedRoot })).rejects.toMatchObject(RESTRICTED);
      expect((await t.raw(`/v1/comments/${IDS.missing}`, { token: TOKENS.readOnly })).body).toMatchObject(RESTRICTED);
    });
  });

  describe('search', () => {
    const ids = (results: readonly { id: string }[]) => results.map((r) => r.id);
    const searchAll = (c: Client, args: Parameters<Client['search']>[0] = {}) => collectPaginatedAPI(c.search, args);

    it('returns the shared pages and their descendants only, as full page objects', async () => {
      const res = await notion.search({});
      expect(res).toMatchObject({
        object: 'list',
        next_cursor: null,
        has_more: false,
        type: 'page_or_database',
        page_or_database: {},
      });
      expect(new Set(ids(res.results))).toEqual(new Set([IDS.sharedRoot, IDS.child, IDS.grandchild]));
      const root = res.results.find((r) => r.id === IDS.sharedRoot) as PageObjectResponse;
      expect(root).toEqual(withoutRequestId(await notion.pages.retrieve({ page_id: IDS.sharedRoot })));
      expect(root).not.toHaveProperty('request_id');
      expect(ids(await searchAll(t.client(TOKENS.otherBot)))).toEqual([IDS.otherRoot]);
      expect(await searchAll(t.client(TOKENS.unshared))).toEqual([]);
    });

    it('matches titles by case-insensitive substring', async () => {
      expect(new Set(ids(await searchAll(notion, { query: 'child' })))).toEqual(new Set([IDS.child, IDS.grandchild]));
      expect(ids(await searchAll(notion, { query: 'GRAND' }))).toEqual([IDS.grandchild]);
      expect(await searchAll(notion, { query: 'Private' })).toEqual([]);
      expect(await searchAll(notion, { query: 'Other Root' })).toEqual([]);
      expect(await searchAll(notion, { query: '%' })).toEqual([]); // no LIKE wildcards leak through
    });

    it('filters by object type', async () => {
      const pages = await searchAll(notion, { filter: { property: 'object', value: 'page' } });
      expect(pages).toHaveLength(3);
      expect(pages.every((p) => p.object === 'page')).toBe(true);
      expect(await searchAll(notion, { filter: { property: 'object', value: 'database' } })).toEqual([]);
      const bad = await t.raw('/v1/search', {
        method: 'POST',
        body: { filter: { property: 'object', value: 'block' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({
        code: 'validation_error',
        message: 'body failed validation: body.filter.value should be "page" or "database", instead was `"block"`.',
      });
    });

    it('sorts by last_edited_time ascending and descending', async () => {
      for (const id of [IDS.sharedRoot, IDS.child, IDS.grandchild])
        await notion.pages.update({ page_id: id, icon: { emoji: '✅' } });
      const desc = await searchAll(notion, { sort: { timestamp: 'last_edited_time', direction: 'descending' } });
      expect(ids(desc)).toEqual([IDS.grandchild, IDS.child, IDS.sharedRoot]);
      const asc = await searchAll(notion, { sort: { timestamp: 'last_edited_time', direction: 'ascending' } });
      expect(ids(asc)).toEqual([IDS.sharedRoot, IDS.child, IDS.grandchild]);
      const created = await notion.pages.create({
        parent: { page_id: IDS.grandchild },
        properties: { title: { title: rt('Newest') } },
      });
      expect(
        ids(await searchAll(notion, { sort: { timestamp: 'last_edited_time', direction: 'descending' } }))[0],
      ).toBe(created.id);
    });

    it('paginates with page_size 1 and next_cursor', async () => {
      const first = await notion.search({
        page_size: 1,
        sort: { timestamp: 'last_edited_time', direction: 'ascending' },
      });
      expect(first.results).toHaveLength(1);
      expect(first).toMatchObject({ has_more: true, next_cursor: expect.stringMatching(UUID) });
      const rest = await notion.search({
        page_size: 2,
        start_cursor: first.next_cursor!,
        sort: { timestamp: 'last_edited_time', direction: 'ascending' },
      });
      expect(rest).toMatchObject({ has_more: false, next_cursor: null });
      const all = await searchAll(notion, { page_size: 1 });
      expect(new Set(ids(all))).toEqual(new Set([IDS.sharedRoot, IDS.child, IDS.grandchild]));
      expect(all).toHaveLength(3);
    });

    it('leaves out trashed pages and everything below them', async () => {
      await notion.pages.update({ page_id: IDS.child, archived: true });
      expect(ids(await searchAll(notion))).toEqual([IDS.sharedRoot]);
      await notion.pages.update({ page_id: IDS.child, archived: false });
      expect(await searchAll(notion)).toHaveLength(3);
    });
  });

  describe('users', () => {
    it('users.me is the bot, with its workspace, for any capability set', async () => {
      expect(await notion.users.me({})).toEqual({
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
        request_id: REQUEST_ID,
      });
      expect(await t.client(TOKENS.readOnly).users.me({})).toMatchObject({
        id: IDS.readOnly,
        type: 'bot',
        name: 'ReadOnly',
      });
      expect(await t.client(TOKENS.otherBot).users.me({})).toMatchObject({
        id: IDS.otherBot,
        bot: { workspace_name: 'Other Co' },
      });
    });

    it('lists the workspace people and bots, paginated', async () => {
      const list = await notion.users.list({});
      expect(list).toMatchObject({ object: 'list', next_cursor: null, has_more: false, type: 'user', user: {} });
      expect(list.results.map((u) => (isFullUser(u) ? u.name : null))).toEqual([
        'Ada Lovelace',
        'Grace Hopper',
        'Full',
        'ReadOnly',
        'InsertOnly',
        'NoEmail',
        'Commenter',
        'Unshared',
      ]);
      expect(list.results[0]).toEqual({
        object: 'user',
        id: IDS.ada,
        name: 'Ada Lovelace',
        avatar_url: null,
        type: 'person',
        person: { email: 'ada@example.com', email_verified: true },
      });
      expect(list.results[3]).toEqual({
        object: 'user',
        id: IDS.readOnly,
        name: 'ReadOnly',
        avatar_url: null,
        type: 'bot',
        bot: {},
      });
      const p1 = await notion.users.list({ page_size: 3 });
      expect(p1).toMatchObject({ has_more: true, next_cursor: IDS.readOnly });
      expect(await collectPaginatedAPI(notion.users.list, { page_size: 3 })).toEqual(list.results);
      const others = await t.client(TOKENS.otherBot).users.list({});
      expect(others.results.map((u) => (isFullUser(u) ? u.name : null))).toEqual(['Olga Other', 'OtherBot']);
    });

    it('shows email only with read_user_with_email; NoEmail sees the name without it', async () => {
      expect(await notion.users.retrieve({ user_id: IDS.grace })).toEqual({
        object: 'user',
        id: IDS.grace,
        name: 'Grace Hopper',
        avatar_url: null,
        type: 'person',
        person: { email: 'grace@example.com', email_verified: true },
        request_id: REQUEST_ID,
      });
      const noEmail = t.client(TOKENS.noEmail);
      const grace = await noEmail.users.retrieve({ user_id: IDS.grace.replace(/-/g, '') });
      expect(grace).toEqual({
        object: 'user',
        id: IDS.grace,
        name: 'Grace Hopper',
        avatar_url: null,
        type: 'person',
        person: {},
        request_id: REQUEST_ID,
      });
      expect(JSON.stringify(await noEmail.users.list({}))).not.toContain('@example.com');
    });

    it('refuses the user endpoints without a user capability', async () => {
      for (const token of [TOKENS.readOnly, TOKENS.insertOnly, TOKENS.commenter]) {
        const c = t.client(token);
        await expect(c.users.list({})).rejects.toMatchObject(RESTRICTED);
        await expect(c.users.retrieve({ user_id: IDS.ada })).rejects.toMatchObject(RESTRICTED);
      }
    });

    it('answers 404 for users of another workspace and unknown ids', async () => {
      await expect(notion.users.retrieve({ user_id: IDS.otherBot })).rejects.toMatchObject({
        status: 404,
        code: 'object_not_found',
        message: notFound('user', IDS.otherBot),
      });
      await expect(notion.users.retrieve({ user_id: IDS.missing })).rejects.toMatchObject({
        status: 404,
        message: notFound('user', IDS.missing),
      });
      const bad = await t.raw('/v1/users/not-a-uuid');
      expect(bad.body).toMatchObject({
        status: 400,
        code: 'validation_error',
        message: 'path failed validation: path.user_id should be a valid uuid, instead was `"not-a-uuid"`.',
      });
    });
  });
});
