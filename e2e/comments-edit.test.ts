// Comment edits and deletes through SDK v5 (reference §19.1–§19.2): PATCH with rich_text or inline Markdown,
// DELETE answering the comment as it stood, the author rule (another integration's comment is missing), the
// capability (insert_comments), a deleted thread, and the changes the feed describes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client as ClientV5, CommentObjectResponse } from 'notion-client-v5';
import { ManualClock, type Platform } from '@notion-local/server';
import { IDS, TOKENS } from './support/fixtures.js';
import { failure, startClockedPlatform, v5Client, type ClockedPlatform } from './support/sdk-v5.js';
import { storeKinds, type StoreKind } from './support/test-platform.js';

const START = Date.UTC(2026, 6, 4, 9, 11, 0);
const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const out = (content: string, annotations: Partial<typeof ANNOTATIONS> = {}, url: string | null = null) => ({
  type: 'text',
  text: { content, link: url ? { url } : null },
  annotations: { ...ANNOTATIONS, ...annotations },
  plain_text: content,
  href: url,
});
const notFound = (id: string) =>
  `Could not find comment with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`;
const RESTRICTED = { status: 403, code: 'restricted_resource', message: 'Insufficient permissions for this endpoint.' };

describe.each(storeKinds())('comment edits and deletes (%s)', (kind: StoreKind) => {
  let started: ClockedPlatform | undefined;
  let platform: Platform;
  let changes: ClockedPlatform['changes'] = [];
  const clock = new ManualClock(START);
  const v5 = (token: string) => v5Client(platform.url, token);
  let full: ClientV5;
  let commenter: ClientV5;

  beforeAll(async () => {
    started = await startClockedPlatform(kind, clock);
    ({ platform, changes } = started);
    full = v5(TOKENS.full);
    commenter = v5(TOKENS.commenter);
  });
  afterAll(async () => {
    await started?.close();
  });

  const raw = async (method: string, path: string, body?: unknown, token: string = TOKENS.full) => {
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'notion-version': '2026-03-11',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const start = async (client: ClientV5, text: string, pageId: string = IDS.sharedRoot) =>
    (await client.comments.create({ parent: { page_id: pageId }, rich_text: rt(text) })) as CommentObjectResponse;
  const reply = async (client: ClientV5, first: CommentObjectResponse, text: string) =>
    (await client.comments.create({
      discussion_id: first.discussion_id,
      rich_text: rt(text),
    })) as CommentObjectResponse;

  it('edits its own comment with rich_text: the full comment, a later last_edited_time, comment.updated', async () => {
    const made = await start(full, 'First draft');
    clock.advance(3 * 60_000);
    changes.length = 0;
    const edited = await full.comments.update({ comment_id: made.id.replace(/-/g, ''), rich_text: rt('Second draft') });
    expect(edited).toEqual({
      ...made,
      last_edited_time: new Date(START + 3 * 60_000).toISOString(),
      rich_text: [out('Second draft')],
      request_id: expect.any(String),
    });
    expect(made.last_edited_time).toBe(made.created_time);
    const { request_id: _, ...stored } = edited as CommentObjectResponse & { request_id: string };
    expect(await full.comments.retrieve({ comment_id: made.id })).toEqual({
      ...stored,
      request_id: expect.any(String),
    });
    expect(changes).toEqual([
      {
        kind: 'comment.updated',
        workspaceId: IDS.acme,
        entity: { type: 'comment', id: made.id },
        actor: { type: 'bot', id: IDS.full },
        at: new Date(START + 3 * 60_000),
        parent: { type: 'page', id: IDS.sharedRoot },
        details: { discussion_id: made.discussion_id },
      },
    ]);
  });

  it('edits with inline Markdown: bold, italic, strike, code, links, equations, mentions, escapes', async () => {
    const made = await start(full, 'plain');
    const markdown =
      '**bold** *it* _also it_ ~~gone~~ `a*b` [site](https://example.com/x) $E=mc^2$ ' +
      '***both*** \\*literal\\* snake_case 2*3 <mention-user url="user://' +
      IDS.ada +
      '"/> <span underline="true" color="red">under</span>';
    const edited = (await full.comments.update({ comment_id: made.id, markdown })) as CommentObjectResponse;
    expect(edited.rich_text).toEqual([
      out('bold', { bold: true }),
      out(' '),
      out('it', { italic: true }),
      out(' '),
      out('also it', { italic: true }),
      out(' '),
      out('gone', { strikethrough: true }),
      out(' '),
      out('a*b', { code: true }),
      out(' '),
      out('site', {}, 'https://example.com/x'),
      out(' '),
      {
        type: 'equation',
        equation: { expression: 'E=mc^2' },
        annotations: ANNOTATIONS,
        plain_text: 'E=mc^2',
        href: null,
      },
      out(' '),
      out('both', { bold: true, italic: true }),
      out(' *literal* snake_case 2*3 '),
      {
        type: 'mention',
        mention: { type: 'user', user: { object: 'user', id: IDS.ada } },
        annotations: ANNOTATIONS,
        plain_text: '@Ada Lovelace',
        href: null,
      },
      out(' '),
      out('under', { underline: true, color: 'red' }),
    ]);
    // Unclosed delimiters stay text.
    const loose = (await full.comments.update({ comment_id: made.id, markdown: '**open *and [x](' })) as never;
    expect((loose as CommentObjectResponse).rich_text).toEqual([out('**open *and [x](')]);
  });

  it('refuses a body with both or neither of rich_text and markdown, with the exact messages', async () => {
    const made = await start(full, 'unchanged');
    const neither = await raw('PATCH', `/v1/comments/${made.id}`, {});
    expect(neither).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message:
          'body failed validation. Fix one:\n' +
          'body.rich_text should be defined, instead was `undefined`.\n' +
          'body.markdown should be defined, instead was `undefined`.',
      },
    });
    const both = await raw('PATCH', `/v1/comments/${made.id}`, { rich_text: rt('x'), markdown: 'x' });
    expect(both).toMatchObject({
      status: 400,
      body: {
        code: 'validation_error',
        message: 'body failed validation: body.markdown should be not present, instead was `"x"`.',
      },
    });
    // Markdown that does not fit one comment, or that the parser gives up on, is a 400 too.
    expect(await failure(full.comments.update({ comment_id: made.id, markdown: '*a* b '.repeat(51) }))).toEqual({
      status: 400,
      code: 'validation_error',
      message: 'body failed validation: body.markdown should make at most 100 rich text items, instead was `102`.',
    });
    expect(
      await failure(full.comments.update({ comment_id: made.id, markdown: '<span>'.repeat(5000) + '</span>' })),
    ).toEqual({
      status: 400,
      code: 'validation_error',
      message:
        'body failed validation: body.markdown should be inline markdown the server can parse, instead was too complex.',
    });
    expect(await full.comments.retrieve({ comment_id: made.id })).toMatchObject({ rich_text: [out('unchanged')] });
  });

  it("answers another integration's comment, a foreign one and a missing one with the same 404", async () => {
    const theirs = await start(commenter, 'Not yours');
    const other = v5(TOKENS.otherBot);
    const foreign = await start(other, 'Elsewhere', IDS.otherRoot);
    for (const id of [theirs.id, foreign.id, IDS.missing]) {
      const expected = { status: 404, code: 'object_not_found', message: notFound(id) };
      expect(await failure(full.comments.update({ comment_id: id, rich_text: rt('mine now') }))).toEqual(expected);
      expect(await failure(full.comments.delete({ comment_id: id }))).toEqual(expected);
    }
    // Nothing changed: the author still reads both as they were.
    expect(await commenter.comments.retrieve({ comment_id: theirs.id })).toMatchObject({
      rich_text: [out('Not yours')],
    });
    expect(await other.comments.retrieve({ comment_id: foreign.id })).toMatchObject({ rich_text: [out('Elsewhere')] });
    // The author may edit it.
    expect(await commenter.comments.update({ comment_id: theirs.id, markdown: '*fixed*' })).toMatchObject({
      rich_text: [out('fixed', { italic: true })],
    });
  });

  it('needs insert_comments (403 otherwise) and validates the id', async () => {
    const made = await start(full, 'guarded');
    for (const token of [TOKENS.readOnly, TOKENS.noEmail]) {
      expect(await failure(v5(token).comments.update({ comment_id: made.id, rich_text: rt('x') }))).toEqual(RESTRICTED);
      expect(await failure(v5(token).comments.delete({ comment_id: made.id }))).toEqual(RESTRICTED);
    }
    const bad = await raw('DELETE', '/v1/comments/not-an-id');
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_error' } });
    expect(await full.comments.retrieve({ comment_id: made.id })).toMatchObject({ rich_text: [out('guarded')] });
  });

  it('deletes a reply: answers it as it stood, the thread stays, a second delete is 404', async () => {
    const first = await start(full, 'Thread');
    const mine = await reply(full, first, 'Reply to delete');
    const theirs = await reply(commenter, first, 'Reply to keep');
    changes.length = 0;
    const deleted = await full.comments.delete({ comment_id: mine.id });
    expect(deleted).toEqual({ ...mine, request_id: expect.any(String) });
    expect(Object.keys(deleted)).not.toContain('in_trash');
    expect(changes.map((c) => [c.kind, c.entity.id])).toEqual([['comment.deleted', mine.id]]);
    const left = await full.comments.list({ block_id: IDS.sharedRoot });
    expect(left.results.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, theirs.id]));
    expect(left.results.map((c) => c.id)).not.toContain(mine.id);
    expect(await failure(full.comments.delete({ comment_id: mine.id }))).toEqual({
      status: 404,
      code: 'object_not_found',
      message: notFound(mine.id),
    });
    expect(await failure(full.comments.retrieve({ comment_id: mine.id }))).toMatchObject({ status: 404 });
  });

  it("deleting a discussion's first comment removes the whole thread", async () => {
    const first = await start(full, 'Opening');
    const r1 = await reply(commenter, first, 'One');
    const r2 = await reply(full, first, 'Two');
    const elsewhere = await start(full, 'Another thread');
    changes.length = 0;
    expect(await full.comments.delete({ comment_id: first.id })).toEqual({ ...first, request_id: expect.any(String) });
    expect(changes.map((c) => [c.kind, c.entity.id])).toEqual([
      ['comment.deleted', first.id],
      ['comment.deleted', r1.id],
      ['comment.deleted', r2.id],
    ]);
    for (const id of [first.id, r1.id, r2.id])
      expect(await failure(full.comments.retrieve({ comment_id: id }))).toMatchObject({ status: 404 });
    const ids = (await full.comments.list({ block_id: IDS.sharedRoot })).results.map((c) => c.id);
    expect(ids).toContain(elsewhere.id);
    expect(ids).not.toContain(r1.id);
    // The discussion is gone: a reply to it is refused.
    expect(
      await failure(full.comments.create({ discussion_id: first.discussion_id, rich_text: rt('late') })),
    ).toMatchObject({ status: 404, code: 'object_not_found' });
  });
});
