// Notion-Version 2026-03-11 request deltas on blocks and pages (reference §1.2, §5.4, §11.5, §11.6): append
// children at a `position` ({type:"end"} default, {type:"start"}, {type:"after_block"}), `after` refused in
// 2026-03-11 but still accepted before it (alone, not with `position`), `position` accepted by every version
// (additive, §1.1), and `archived` refused in 2026-03-11 requests while responses keep `archived` and `in_trash`.
import { describe, expect, it } from 'vitest';
import {
  Client as ClientV5,
  collectPaginatedAPI,
  LogLevel as LogLevelV5,
  type BlockObjectResponse,
} from 'notion-client-v5';
import { IDS, TOKENS } from './support/fixtures.js';
import { storeKinds, type TestPlatform, useTestPlatform } from './support/test-platform.js';

const V2026 = '2026-03-11';
const rt = (content: string) => [{ type: 'text' as const, text: { content } }];
const para = (content: string) => ({ paragraph: { rich_text: rt(content) } });
/** The first plain text of a block's rich text, whatever its type; else its type. */
const textOf = (b: unknown) => {
  const block = b as BlockObjectResponse;
  // Indexed by its type: the block's payload, read as the rich-text shape the text types share.
  const payloads = block as unknown as Record<string, { rich_text?: { plain_text: string }[] }>;
  return payloads[block.type]?.rich_text?.[0]?.plain_text ?? block.type;
};
const notPresent = (field: string, value: unknown) =>
  `body failed validation: ${field} should be not present, instead was \`${JSON.stringify(value)}\`.`;
const notAChild = (field: string, id: string) =>
  `body failed validation: ${field} should be the id of a child of the block, instead was \`"${id}"\`.`;

describe.each(storeKinds())('blocks and pages under Notion-Version 2026-03-11 (%s)', (kind) => {
  let t: TestPlatform;
  let notion: ClientV5;
  /** The same SDK at its default version, 2025-09-03. */
  let notion2025: ClientV5;
  useTestPlatform(kind, (platform) => {
    t = platform;
    const options = { auth: TOKENS.full, baseUrl: t.baseUrl, logLevel: LogLevelV5.ERROR };
    notion = new ClientV5({ ...options, notionVersion: V2026 });
    notion2025 = new ClientV5(options);
  });

  const newPage = async (...texts: string[]) => {
    const page = await notion.pages.create({
      parent: { page_id: IDS.sharedRoot },
      properties: { title: { title: rt('Scratch') } },
    });
    const children = texts.length
      ? (await notion.blocks.children.append({ block_id: page.id, children: texts.map(para) })).results
      : [];
    return { id: page.id, children: children.map((b) => b.id) };
  };
  const texts = async (blockId: string) =>
    (await collectPaginatedAPI(notion.blocks.children.list, { block_id: blockId, page_size: 2 })).map(textOf);
  const rawAppend = (blockId: string, body: unknown, version: string = V2026) =>
    t.raw(`/v1/blocks/${blockId}/children`, { method: 'PATCH', version, body });

  describe('append position', () => {
    it('puts children at the start, after a block, at the end, and at the end by default (SDK v5)', async () => {
      const page = await newPage('A', 'B', 'C');
      const [, b] = page.children;
      const start = await notion.blocks.children.append({
        block_id: page.id,
        children: [para('S1'), para('S2')],
        position: { type: 'start' },
      });
      expect(start.results.map(textOf)).toEqual(['S1', 'S2']);
      expect(await texts(page.id)).toEqual(['S1', 'S2', 'A', 'B', 'C']);
      const after = await notion.blocks.children.append({
        block_id: page.id,
        children: [para('X'), para('Y')],
        position: { type: 'after_block', after_block: { id: b!.replaceAll('-', '') } },
      });
      expect(after.results.map(textOf)).toEqual(['X', 'Y']);
      expect(await texts(page.id)).toEqual(['S1', 'S2', 'A', 'B', 'X', 'Y', 'C']);
      await notion.blocks.children.append({ block_id: page.id, children: [para('E')], position: { type: 'end' } });
      await notion.blocks.children.append({ block_id: page.id, children: [para('D')] });
      expect(await texts(page.id)).toEqual(['S1', 'S2', 'A', 'B', 'X', 'Y', 'C', 'E', 'D']);
    });

    it('inserts after the last child, at the start of an empty parent, and inside a block', async () => {
      const page = await newPage('A', 'B');
      await notion.blocks.children.append({
        block_id: page.id,
        children: [para('Z')],
        position: { type: 'after_block', after_block: { id: page.children[1]! } },
      });
      expect(await texts(page.id)).toEqual(['A', 'B', 'Z']);
      const empty = await newPage();
      await notion.blocks.children.append({
        block_id: empty.id,
        children: [para('only')],
        position: { type: 'start' },
      });
      expect(await texts(empty.id)).toEqual(['only']);
      const [toggle] = (
        await notion.blocks.children.append({
          block_id: page.id,
          children: [{ toggle: { rich_text: rt('T'), children: [para('t1'), para('t2')] } }],
        })
      ).results;
      await notion.blocks.children.append({
        block_id: toggle!.id,
        children: [para('t0')],
        position: { type: 'start' },
      });
      expect(await texts(toggle!.id)).toEqual(['t0', 't1', 't2']);
      expect(await texts(page.id)).toEqual(['A', 'B', 'Z', 'T']);
    });

    it('is accepted by older versions too, and `after` still works there', async () => {
      const page = await newPage('A', 'B');
      const res = await rawAppend(page.id, { children: [para('S')], position: { type: 'start' } }, '2022-06-28');
      expect(res.status).toBe(200);
      expect(res.body.results.map(textOf)).toEqual(['S']);
      await notion2025.blocks.children.append({
        block_id: page.id,
        children: [para('X')],
        position: { type: 'after_block', after_block: { id: page.children[0]! } },
      });
      await notion2025.blocks.children.append({ block_id: page.id, children: [para('Y')], after: page.children[1]! });
      expect(await texts(page.id)).toEqual(['S', 'A', 'X', 'B', 'Y']);
    });
  });

  describe('append refusals', () => {
    it('refuses `after` under 2026-03-11 and adds nothing', async () => {
      const page = await newPage('A', 'B');
      const a = page.children[0]!;
      const raw = await rawAppend(page.id, { children: [para('X')], after: a });
      expect(raw.status).toBe(400);
      expect(raw.body).toMatchObject({
        object: 'error',
        code: 'validation_error',
        message: notPresent('body.after', a),
      });
      await expect(
        notion.blocks.children.append({ block_id: page.id, children: [para('X')], after: a }),
      ).rejects.toMatchObject({ status: 400, code: 'validation_error', message: notPresent('body.after', a) });
      expect(await texts(page.id)).toEqual(['A', 'B']);
    });

    it('refuses `after` together with `position` before 2026-03-11', async () => {
      const page = await newPage('A');
      const a = page.children[0]!;
      for (const version of ['2022-06-28', '2025-09-03']) {
        const res = await rawAppend(page.id, { children: [para('X')], after: a, position: { type: 'end' } }, version);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'validation_error', message: notPresent('body.after', a) });
      }
      expect(await texts(page.id)).toEqual(['A']);
    });

    it('refuses an after_block that is not a live child of the parent, as `after` does', async () => {
      const page = await newPage('A');
      const other = await newPage('elsewhere');
      const toggle = (
        await notion.blocks.children.append({
          block_id: page.id,
          children: [{ toggle: { rich_text: rt('T'), children: [para('nested')] } }],
        })
      ).results[0]!;
      const nested = (await notion.blocks.children.list({ block_id: toggle.id })).results[0]!.id;
      const trashed = page.children[0]!;
      await notion.blocks.delete({ block_id: trashed });
      for (const id of [other.children[0]!, nested, trashed, page.id, IDS.missing]) {
        const res = await rawAppend(page.id, {
          children: [para('X')],
          position: { type: 'after_block', after_block: { id } },
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'validation_error',
          message: notAChild('body.position.after_block.id', id),
        });
        const old = await rawAppend(page.id, { children: [para('X')], after: id }, '2022-06-28');
        expect(old.status).toBe(400);
        expect(old.body).toMatchObject({ code: 'validation_error', message: notAChild('body.after', id) });
      }
      expect(await texts(page.id)).toEqual(['T']);
    });

    it('validates the position object in the validation grammar', async () => {
      const page = await newPage('A');
      const cases: [unknown, string][] = [
        [
          { type: 'middle' },
          'body failed validation. Fix one:\n' +
            'body.position.type should be `"after_block"`, instead was `"middle"`.\n' +
            'body.position.type should be `"start"`, instead was `"middle"`.\n' +
            'body.position.type should be `"end"`, instead was `"middle"`.',
        ],
        [
          { type: 'after_block' },
          'body failed validation. Fix one:\n' +
            'body.position.after_block should be defined, instead was `undefined`.\n' +
            'body.position.type should be `"start"`, instead was `"after_block"`.\n' +
            'body.position.type should be `"end"`, instead was `"after_block"`.',
        ],
        [
          { type: 'after_block', after_block: { id: 'nope' } },
          'body failed validation. Fix one:\n' +
            'body.position.after_block.id should be a valid uuid, instead was `"nope"`.\n' +
            'body.position.type should be `"start"`, instead was `"after_block"`.\n' +
            'body.position.type should be `"end"`, instead was `"after_block"`.',
        ],
        [
          { type: 'start', after_block: { id: page.children[0] } },
          `body failed validation: body.position.after_block should be not present, instead was \`{"id":"${page.children[0]}"}\`.`,
        ],
        ['start', 'body failed validation: body.position should be an object, instead was `"start"`.'],
      ];
      for (const [position, message] of cases) {
        for (const version of [V2026, '2022-06-28']) {
          const res = await rawAppend(page.id, { children: [para('X')], position }, version);
          expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({
            status: 400,
            code: 'validation_error',
            message,
          });
        }
      }
      expect(await texts(page.id)).toEqual(['A']);
    });
  });

  describe('archived in requests', () => {
    const archivedTrue = notPresent('body.archived', true);

    it('refuses `archived` on PATCH /v1/pages/:id and trashes with `in_trash`', async () => {
      const { id } = await newPage();
      const refused = await t.raw(`/v1/pages/${id}`, { method: 'PATCH', version: V2026, body: { archived: true } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ object: 'error', code: 'validation_error', message: archivedTrue });
      const refusedFalse = await t.raw(`/v1/pages/${id}`, {
        method: 'PATCH',
        version: V2026,
        body: { archived: false },
      });
      expect(refusedFalse.body.message).toBe(notPresent('body.archived', false));
      expect(await notion.pages.retrieve({ page_id: id })).toMatchObject({ archived: false, in_trash: false });
      const trashed = await notion.pages.update({ page_id: id, in_trash: true });
      expect(trashed).toMatchObject({ id, archived: true, in_trash: true });
      const restored = await notion.pages.update({ page_id: id, in_trash: false });
      expect(restored).toMatchObject({ archived: false, in_trash: false });
      // Older versions still take `archived`.
      const old = await t.raw(`/v1/pages/${id}`, { method: 'PATCH', version: '2025-09-03', body: { archived: true } });
      expect(old.status).toBe(200);
      expect(old.body).toMatchObject({ archived: true, in_trash: true });
    });

    it('refuses `archived` on PATCH /v1/blocks/:id and trashes with `in_trash`', async () => {
      const page = await newPage('A');
      const a = page.children[0]!;
      const refused = await t.raw(`/v1/blocks/${a}`, { method: 'PATCH', version: V2026, body: { archived: true } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ object: 'error', code: 'validation_error', message: archivedTrue });
      expect(await notion.blocks.retrieve({ block_id: a })).toMatchObject({ archived: false, in_trash: false });
      const trashed = await notion.blocks.update({ block_id: a, in_trash: true });
      expect(trashed).toMatchObject({ id: a, archived: true, in_trash: true });
      expect(await texts(page.id)).toEqual([]);
      const restored = await t.raw(`/v1/blocks/${a}`, { method: 'PATCH', version: V2026, body: { in_trash: false } });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ archived: false, in_trash: false });
      const old = await t.raw(`/v1/blocks/${a}`, { method: 'PATCH', version: '2022-06-28', body: { archived: true } });
      expect(old.status).toBe(200);
      expect(old.body).toMatchObject({ archived: true, in_trash: true });
    });
  });
});
