// Every request size limit of reference §6.3 at N (accepted) and N+1 (400 validation_error with
// Notion's message), over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDS } from './support/fixtures.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const text = (content: string) => ({ text: { content } });
const para = (rich: unknown[] = [text('x')]) => ({ paragraph: { rich_text: rich } });
const append = (children: unknown[]) => ({
  method: 'PATCH',
  path: `/v1/blocks/${IDS.sharedRoot}/children`,
  body: { children },
});

interface Limit {
  name: string;
  n: number;
  build(n: number): { method: string; path: string; body?: unknown };
  message(n: number): string;
}

const LIMITS: Limit[] = [
  {
    name: 'children per append',
    n: 100,
    build: (n) => append(Array.from({ length: n }, () => ({ divider: {} }))),
    message: (n) => `body failed validation: body.children.length should be ≤ \`100\`, instead was \`${n}\`.`,
  },
  {
    name: 'rich text items per array',
    n: 100,
    build: (n) => append([para(Array.from({ length: n }, () => text('a')))]),
    message: (n) =>
      `body failed validation: body.children[0].paragraph.rich_text.length should be ≤ \`100\`, instead was \`${n}\`.`,
  },
  {
    name: 'characters per text.content',
    n: 2000,
    build: (n) => append([para([text('é'.repeat(n))])]),
    message: (n) =>
      `body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ \`2000\`, instead was \`${n}\`.`,
  },
  {
    name: 'characters per text.link.url',
    n: 2000,
    build: (n) =>
      append([para([{ text: { content: 'link', link: { url: `https://example.com/${'a'.repeat(n - 20)}` } } }])]),
    message: (n) =>
      `body failed validation: body.children[0].paragraph.rich_text[0].text.link.url.length should be ≤ \`2000\`, instead was \`${n}\`.`,
  },
  {
    name: 'characters per equation.expression',
    n: 1000,
    build: (n) => append([para([{ equation: { expression: 'x'.repeat(n) } }])]),
    message: (n) =>
      `body failed validation: body.children[0].paragraph.rich_text[0].equation.expression.length should be ≤ \`1000\`, instead was \`${n}\`.`,
  },
  {
    name: 'characters per equation block',
    n: 1000,
    build: (n) => append([{ equation: { expression: 'y'.repeat(n) } }]),
    message: (n) =>
      `body failed validation: body.children[0].equation.expression.length should be ≤ \`1000\`, instead was \`${n}\`.`,
  },
  {
    name: 'block elements per request (all levels)',
    n: 1000,
    build: (n) => {
      const toggles = Array.from({ length: 10 }, () => ({
        toggle: { rich_text: [], children: Array.from({ length: 99 }, () => ({ divider: {} })) },
      }));
      return append([...toggles, ...Array.from({ length: n - 1000 }, () => ({ divider: {} }))]);
    },
    message: (n) =>
      `body failed validation: body.children should contain ≤ \`1000\` block elements, instead was \`${n}\`.`,
  },
  {
    name: 'children when creating a page',
    n: 100,
    build: (n) => ({
      method: 'POST',
      path: '/v1/pages',
      body: {
        parent: { page_id: IDS.sharedRoot },
        properties: { title: [text('t')] },
        children: Array.from({ length: n }, () => para()),
      },
    }),
    message: (n) => `body failed validation: body.children.length should be ≤ \`100\`, instead was \`${n}\`.`,
  },
  {
    name: 'rich text items in a page title',
    n: 100,
    build: (n) => ({
      method: 'POST',
      path: '/v1/pages',
      body: { parent: { page_id: IDS.sharedRoot }, properties: { title: Array.from({ length: n }, () => text('t')) } },
    }),
    message: (n) => `body failed validation: body.properties.title.length should be ≤ \`100\`, instead was \`${n}\`.`,
  },
  {
    name: 'rich text items in a comment',
    n: 100,
    build: (n) => ({
      method: 'POST',
      path: '/v1/comments',
      body: { parent: { page_id: IDS.sharedRoot }, rich_text: Array.from({ length: n }, () => text('c')) },
    }),
    message: (n) => `body failed validation: body.rich_text.length should be ≤ \`100\`, instead was \`${n}\`.`,
  },
  {
    name: 'page_size (query string)',
    n: 100,
    build: (n) => ({ method: 'GET', path: `/v1/blocks/${IDS.sharedRoot}/children?page_size=${n}` }),
    message: (n) =>
      `query failed validation: query.page_size should be ≤ \`100\` or \`undefined\`, instead was \`${n}\`.`,
  },
  {
    name: 'page_size (body)',
    n: 100,
    build: (n) => ({ method: 'POST', path: '/v1/search', body: { page_size: n } }),
    message: (n) =>
      `body failed validation: body.page_size should be ≤ \`100\` or \`undefined\`, instead was \`${n}\`.`,
  },
];

describe('size limits at N and N+1', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  beforeEach(async () => t.platform.reset());
  afterAll(async () => t?.close());

  it.each(LIMITS)('$name: $n accepted, one more refused', async ({ n, build, message }) => {
    const ok = build(n);
    const accepted = await t.raw(ok.path, { method: ok.method, body: ok.body });
    expect(accepted.status, JSON.stringify(accepted.body).slice(0, 300)).toBe(200);
    const over = build(n + 1);
    const refused = await t.raw(over.path, { method: over.method, body: over.body });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      object: 'error',
      status: 400,
      code: 'validation_error',
      message: message(n + 1),
    });
  });

  it('nesting: two levels of children accepted, a third refused', async () => {
    const level = (depth: number): unknown => ({
      toggle: { rich_text: [], ...(depth > 1 ? { children: [level(depth - 1)] } : {}) },
    });
    expect(
      (await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, { method: 'PATCH', body: { children: [level(2)] } }))
        .status,
    ).toBe(200);
    const refused = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, {
      method: 'PATCH',
      body: { children: [level(3)] },
    });
    expect(refused.body.message).toBe(
      'body failed validation: body.children[0].toggle.children[0].toggle.children should be not present, instead was `[{"toggle":{"rich_text":[]}}]`.',
    );
  });

  it('whole body: 500,000 bytes accepted, 500,001 refused while streaming, in Notion’s shape', async () => {
    const base = JSON.stringify({ children: [para([text('z'.repeat(10))])] });
    const padded = (bytes: number) => base.slice(0, -1) + ' '.repeat(bytes - base.length) + '}';
    expect(
      (await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, { method: 'PATCH', body: padded(500_000) })).status,
    ).toBe(200);
    const refused = await t.raw(`/v1/blocks/${IDS.sharedRoot}/children`, { method: 'PATCH', body: padded(500_001) });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      object: 'error',
      code: 'validation_error',
      message: 'Request body too large.',
    });
    expect(refused.body.request_id).toBe(refused.headers.get('x-notion-request-id'));
  });
});
