// Keys Notion's answers carry that outside clients rely on (reference §4, §5.1, §8.3, §8.4, §8.5, §8.9), checked
// on the pure mappers and request schemas; e2e/fidelity.test.ts checks the same through the running server.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BLOCK_TYPES, updateSchema, zChildren, type BlockInput } from '../src/domain/block-types.js';
import { normalizeRichText, zRichText, type MentionResolver } from '../src/domain/rich-text.js';
import { serializeBlock, serializeComment, serializeUser } from '../src/domain/serialize.js';
import { parseWith } from '../src/domain/validation.js';
import { ApiError, errors } from '../src/errors.js';
import { errorBody, withIntegrationId } from '../src/http/error-writer.js';
import type { BlockRow, CommentRow, UserRow } from '../src/model/rows.js';

const T = new Date('2026-07-04T09:08:52.123Z');
const BOT = '0a000000-0000-4000-8000-0000000000b1';
const PAGE = '0a000000-0000-4000-8000-0000000000c1';
const RICH = [{ type: 'text', text: { content: 'Hi', link: null }, plain_text: 'Hi', href: null }];

function blockRow(type: string, content: Record<string, unknown>): BlockRow {
  return {
    id: '0a000000-0000-4000-8000-0000000000d1',
    workspace_id: '0a000000-0000-4000-8000-000000000001',
    object: 'block',
    type,
    parent_type: 'page_id',
    parent_id: PAGE,
    path: [PAGE],
    position: 'a',
    content,
    properties: null,
    props: null,
    icon: null,
    cover: null,
    title: '',
    archived: false,
    created_time: T,
    created_by: BOT,
    last_edited_time: T,
    last_edited_by: BOT,
    has_children: false,
    ancestor_archived: false,
  };
}

const user = (over: Partial<UserRow>): UserRow => ({
  id: '0a000000-0000-4000-8000-0000000000a1',
  workspace_id: '0a000000-0000-4000-8000-000000000001',
  type: 'person',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  avatar_url: null,
  role: 'owner',
  created_time: T,
  ...over,
});

const NO_MENTIONS: MentionResolver = { userName: async () => null, pageInfo: async () => null };

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_error');
    return (error as ApiError).message;
  }
  throw new Error('expected a validation error');
}

describe('rich text links (reference §8.5)', () => {
  it('accepts text.link as {type:"url", url} and stores {url}', async () => {
    const input = parseWith(zRichText, [{ text: { content: 'docs', link: { type: 'url', url: 'https://x.test/a' } } }]);
    const [item] = await normalizeRichText(input, NO_MENTIONS);
    expect(item).toMatchObject({
      text: { content: 'docs', link: { url: 'https://x.test/a' } },
      href: 'https://x.test/a',
    });
    expect(Object.keys((item!.text as { link: object }).link)).toEqual(['url']);
  });

  it('still refuses any other link type and unknown link keys', () => {
    expect(
      validationMessage(() =>
        parseWith(zRichText, [{ text: { content: 'x', link: { type: 'page', url: 'https://x.test' } } }]),
      ),
    ).toContain('\nbody[0].text.link.type should be `"url"`, instead was `"page"`.\n');
    expect(
      validationMessage(() =>
        parseWith(zRichText, [{ text: { content: 'x', link: { url: 'https://x.test', title: 'T' } } }]),
      ),
    ).toBe('body failed validation: body[0].text.link.title should be not present, instead was `"T"`.');
  });
});

describe('rich text errors inside blocks name the whole path', () => {
  it('a union failing inside a child block: every alternative under the block path, with its value', () => {
    const link = { type: 'page', url: 'https://x.test' };
    const message = validationMessage(() =>
      parseWith(z.object({ children: zChildren }), {
        children: [{ paragraph: { rich_text: [] } }, { paragraph: { rich_text: [{ text: { content: 'x', link } }] } }],
      }),
    );
    expect(message).toBe(
      'body failed validation. Fix one:\n' +
        'body.children[1].paragraph.rich_text[0].text.link.type should be `"url"`, instead was `"page"`.\n' +
        'body.children[1].paragraph.rich_text[0].mention should be defined, instead was `undefined`.\n' +
        'body.children[1].paragraph.rich_text[0].equation should be defined, instead was `undefined`.',
    );
  });
});

describe('blocks: icon on paragraphs (reference §8.3)', () => {
  it('answers icon:null between rich_text and color, for blocks stored without one', () => {
    const wire = serializeBlock(blockRow('paragraph', { rich_text: RICH, color: 'default' }));
    expect(wire.paragraph).toEqual({ rich_text: RICH, icon: null, color: 'default' });
    expect(Object.keys(wire.paragraph as object)).toEqual(['rich_text', 'icon', 'color']);
  });

  it('keeps a stored icon, and leaves the other text blocks as they were', () => {
    const icon = { type: 'emoji', emoji: '📌' };
    const withIcon = serializeBlock(blockRow('paragraph', { rich_text: RICH, color: 'red', icon }));
    expect(withIcon.paragraph).toEqual({ rich_text: RICH, icon, color: 'red' });
    for (const type of ['bulleted_list_item', 'numbered_list_item', 'quote', 'toggle', 'to_do']) {
      expect(serializeBlock(blockRow(type, { rich_text: RICH, color: 'default' }))[type]).toEqual({
        rich_text: RICH,
        color: 'default',
      });
    }
  });
});

describe('paragraph icon in requests (SDK v5 ContentWithRichTextColorAndIconRequest)', () => {
  const paragraph = BLOCK_TYPES.paragraph!;

  it('takes an icon, null or none; only a real icon is stored', async () => {
    const [withIcon, withNull] = parseWith(zChildren, [
      { paragraph: { rich_text: [], icon: { emoji: '📌' } } },
      { paragraph: { rich_text: [], icon: null, color: 'default' } },
    ]) as BlockInput[];
    expect(await paragraph.normalize(withIcon!.payload, NO_MENTIONS)).toEqual({
      rich_text: [],
      color: 'default',
      icon: { type: 'emoji', emoji: '📌' },
    });
    expect(await paragraph.normalize(withNull!.payload, NO_MENTIONS)).toEqual({ rich_text: [], color: 'default' });
  });

  it('an update may set or clear it; other text blocks still refuse an icon', async () => {
    const stored = { rich_text: [], color: 'default', icon: { type: 'emoji', emoji: '📌' } };
    const patch = parseWith(updateSchema('paragraph')!, { icon: null }) as Record<string, unknown>;
    expect(await paragraph.normalize({ ...stored, ...patch }, NO_MENTIONS)).toEqual({
      rich_text: [],
      color: 'default',
    });
    expect(await paragraph.normalize(stored, NO_MENTIONS)).toEqual(stored);
    expect(validationMessage(() => parseWith(zChildren, [{ quote: { rich_text: [], icon: null } }]))).toBe(
      'body failed validation: body[0].quote.icon should be not present, instead was `null`.',
    );
  });
});

describe('users (reference §8.4)', () => {
  it('a person with an email seen with the email capability: person {email, email_verified:true}', () => {
    expect(serializeUser(user({}), 'with_email')).toEqual({
      object: 'user',
      id: user({}).id,
      name: 'Ada Lovelace',
      avatar_url: null,
      type: 'person',
      person: { email: 'ada@example.com', email_verified: true },
    });
    expect(serializeUser(user({}), 'without_email')).toMatchObject({ person: {} });
    expect(serializeUser(user({ email: null }), 'with_email')).toMatchObject({ person: {} });
  });

  it('the calling bot: owner, workspace_name, workspace_id, workspace_limits in that order', () => {
    const bot = user({ id: BOT, type: 'bot', name: 'Full', email: null, role: null });
    const self = {
      workspaceName: 'Acme',
      workspaceId: '0a000000-0000-4000-8000-000000000001',
      ownerIsWorkspace: true,
      self: true,
      maxFileUploadSizeInBytes: 5242880,
    };
    const wire = serializeUser(bot, 'none', self);
    expect(wire.bot).toEqual({
      owner: { type: 'workspace', workspace: true },
      workspace_name: 'Acme',
      workspace_id: '0a000000-0000-4000-8000-000000000001',
      workspace_limits: { max_file_upload_size_in_bytes: 5242880 },
    });
    expect(Object.keys(wire.bot as object)).toEqual(['owner', 'workspace_name', 'workspace_id', 'workspace_limits']);
    expect(serializeUser(bot, 'with_email')).toMatchObject({ bot: {} });
  });
});

describe('comments (reference §8.9, §19.1)', () => {
  const row: CommentRow = {
    id: '0a000000-0000-4000-8000-0000000000e1',
    workspace_id: '0a000000-0000-4000-8000-000000000001',
    discussion_id: '0a000000-0000-4000-8000-0000000000e2',
    parent_type: 'page_id',
    parent_id: PAGE,
    rich_text: RICH,
    created_by: BOT,
    created_time: T,
    last_edited_time: T,
  };

  it('names an integration author in display_name, after rich_text', () => {
    const wire = serializeComment(row, { type: 'bot', name: 'Full' });
    expect(Object.keys(wire)).toEqual([
      'object',
      'id',
      'parent',
      'discussion_id',
      'created_time',
      'last_edited_time',
      'created_by',
      'rich_text',
      'display_name',
    ]);
    expect(wire).toMatchObject({
      created_time: '2026-07-04T09:08:00.000Z',
      display_name: { type: 'integration', resolved_name: 'Full' },
    });
  });

  it('a person author is a "user"; an author no longer there is an integration without a name', () => {
    expect(serializeComment(row, { type: 'person', name: 'Ada' }).display_name).toEqual({
      type: 'user',
      resolved_name: 'Ada',
    });
    expect(serializeComment(row, null).display_name).toEqual({ type: 'integration', resolved_name: null });
  });
});

describe('404 bodies name the calling integration (reference §4, §5.1)', () => {
  it('adds additional_data.integration_id before request_id, message unchanged', () => {
    const error = withIntegrationId(errors.notFound('page', PAGE), BOT);
    const body = errorBody(error, 'req-1');
    expect(body).toEqual({
      object: 'error',
      status: 404,
      code: 'object_not_found',
      message: errors.notFound('page', PAGE).message,
      additional_data: { integration_id: BOT },
      request_id: 'req-1',
    });
    expect(Object.keys(body)).toEqual(['object', 'status', 'code', 'message', 'additional_data', 'request_id']);
  });

  it('leaves other errors, unknown callers and existing additional_data alone', () => {
    const validation = errors.validation('x');
    expect(withIntegrationId(validation, BOT)).toBe(validation);
    const notFound = errors.notFound('block', PAGE);
    expect(withIntegrationId(notFound, null)).toBe(notFound);
    const withData = new ApiError('object_not_found', 'gone', { reason: 'r' });
    expect(withIntegrationId(withData, BOT).additionalData).toEqual({ reason: 'r' });
  });
});
