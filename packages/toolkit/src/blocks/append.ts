// Appends any amount of content within the API's per-request limits (reference §6.3, §14.3): at most
// 100 children per array, 2 levels of nesting and 1000 block elements per request. Longer lists go in
// follow-up appends in order; deeper levels are appended to the created blocks afterwards.
import {
  collectPaginatedAPI,
  type BlockObjectRequest,
  type Client,
  type CreatePageParameters,
  type CreatePageResponse,
} from '@notionhq/client';
import { sharedEndpoints, type NotionApi, type NotionClient } from '../api/notion-api.js';
import { MAX_ARRAY_LENGTH, richText } from '../properties/rich-text.js';

export const MAX_BLOCK_ELEMENTS_PER_REQUEST = 1000;

type AnyBlock = Record<string, unknown>;

function typeKey(block: AnyBlock): string | null {
  if (typeof block.type === 'string') return block.type;
  return Object.keys(block).find((k) => k !== 'object' && k !== 'type' && typeof block[k] === 'object') ?? null;
}

/** The block's children (they live inside its type object) and a copy of the block without them. */
function splitChildren(block: AnyBlock): { bare: AnyBlock; children: AnyBlock[] } {
  const key = typeKey(block);
  const body = key ? block[key] : undefined;
  if (!key || typeof body !== 'object' || body === null || !Array.isArray((body as AnyBlock).children))
    return { bare: block, children: [] };
  const { children, ...rest } = body as AnyBlock & { children: AnyBlock[] };
  return { bare: { ...block, [key]: rest }, children };
}

function withChildren(block: AnyBlock, children: AnyBlock[]): AnyBlock {
  if (children.length === 0) return block;
  const key = typeKey(block)!;
  return { ...block, [key]: { ...(block[key] as AnyBlock), children } };
}

interface Prepared {
  /** What goes into this request: the block with ≤ 100 children, none of which has children. */
  block: AnyBlock;
  /** Children of the block's children (by child index), for follow-up appends. */
  grandchildren: Map<number, AnyBlock[]>;
  /** Children beyond the first 100, appended to the block afterwards. */
  overflow: AnyBlock[];
  elements: number;
}

function prepare(block: AnyBlock): Prepared {
  const { bare, children } = splitChildren(block);
  const first = children.slice(0, MAX_ARRAY_LENGTH);
  const grandchildren = new Map<number, AnyBlock[]>();
  const firstBare = first.map((child, i) => {
    const split = splitChildren(child);
    if (split.children.length > 0) grandchildren.set(i, split.children);
    return split.bare;
  });
  return {
    block: withChildren(bare, firstBare),
    grandchildren,
    overflow: children.slice(MAX_ARRAY_LENGTH),
    elements: 1 + firstBare.length,
  };
}

/** Groups prepared blocks into requests of ≤ 100 top-level blocks and ≤ 1000 elements. */
function batches(prepared: Prepared[]): Prepared[][] {
  const out: Prepared[][] = [];
  let current: Prepared[] = [];
  let elements = 0;
  for (const p of prepared) {
    if (
      current.length > 0 &&
      (current.length >= MAX_ARRAY_LENGTH || elements + p.elements > MAX_BLOCK_ELEMENTS_PER_REQUEST)
    ) {
      out.push(current);
      current = [];
      elements = 0;
    }
    current.push(p);
    elements += p.elements;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface AppendResult {
  /** Requests sent (appends and the child listings needed to find nested parents). */
  requests: number;
  /** Ids of the new top-level blocks, in order. */
  blockIds: string[];
}

async function followUps(client: Client, parentId: string, p: Prepared, result: AppendResult): Promise<void> {
  if (p.grandchildren.size > 0) {
    const children = await collectPaginatedAPI(client.blocks.children.list, { block_id: parentId });
    result.requests += Math.max(1, Math.ceil(children.length / 100));
    for (const [index, grand] of p.grandchildren) {
      const child = children[index];
      if (!child) throw new Error(`block ${parentId} has no child #${index} to append nested content to`);
      const nested = await appendBlocks(client, child.id, grand as BlockObjectRequest[]);
      result.requests += nested.requests;
    }
  }
  if (p.overflow.length > 0) {
    const more = await appendBlocks(client, parentId, p.overflow as BlockObjectRequest[]);
    result.requests += more.requests;
  }
}

/** Appends `blocks` (any number, any depth) under `parentId`, in order. */
export async function appendBlocks(
  source: NotionClient | NotionApi,
  parentId: string,
  blocks: readonly BlockObjectRequest[],
): Promise<AppendResult> {
  const client = sharedEndpoints(source);
  const result: AppendResult = { requests: 0, blockIds: [] };
  // The SDK's block request union is too deep to walk by type name; blocks are handled as plain records here.
  for (const batch of batches(blocks.map((b) => prepare(b as unknown as AnyBlock)))) {
    const response = await client.blocks.children.append({
      block_id: parentId,
      children: batch.map((p) => p.block) as BlockObjectRequest[],
    });
    result.requests++;
    const ids = response.results.map((r) => r.id);
    result.blockIds.push(...ids);
    for (const [i, p] of batch.entries()) {
      const id = ids[i];
      if (id && (p.grandchildren.size > 0 || p.overflow.length > 0)) await followUps(client, id, p, result);
    }
  }
  return result;
}

/** `pages.create` for content of any size: the first part goes with the page, the rest in appends. */
export async function createPageWithContent(
  source: NotionClient | NotionApi,
  params: CreatePageParameters,
): Promise<CreatePageResponse> {
  const client = sharedEndpoints(source);
  // As above: the children are walked as plain records, not through the SDK's deep request union.
  const children = (params.children ?? []) as unknown as AnyBlock[];
  // Only blocks without deeper nesting go inline; everything from the first nested one on follows.
  const prepared = children.map(prepare);
  const inlineCount = (() => {
    let n = 0;
    let elements = 0;
    for (const p of prepared) {
      if (
        n >= MAX_ARRAY_LENGTH ||
        p.grandchildren.size > 0 ||
        p.overflow.length > 0 ||
        elements + p.elements > MAX_BLOCK_ELEMENTS_PER_REQUEST
      )
        break;
      elements += p.elements;
      n++;
    }
    return n;
  })();
  const { children: _omit, ...rest } = params;
  const page = await client.pages.create({
    ...rest,
    ...(inlineCount > 0 ? { children: children.slice(0, inlineCount) as BlockObjectRequest[] } : {}),
  });
  if (inlineCount < children.length)
    await appendBlocks(client, page.id, children.slice(inlineCount) as BlockObjectRequest[]);
  return page;
}

/** Long text as paragraph blocks: ≤ 2000 characters per item, ≤ 100 items per paragraph, one per line break pair. */
export function paragraphs(text: string): BlockObjectRequest[] {
  const blocks: BlockObjectRequest[] = [];
  for (const para of text.split(/\n{2,}/)) {
    const items = richText(para);
    for (let i = 0; i < Math.max(1, items.length); i += MAX_ARRAY_LENGTH) {
      blocks.push({ type: 'paragraph', paragraph: { rich_text: items.slice(i, i + MAX_ARRAY_LENGTH) } });
    }
  }
  return blocks;
}
