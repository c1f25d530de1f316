// Pages as Markdown (reference §17): GET renders a page's (or a block's) content as enhanced Markdown v1;
// PATCH applies one of four text operations to that Markdown and writes the difference back as block writes —
// the top-level blocks whose Markdown is unchanged keep their ids, the others are trashed and the new ones
// appended in their place — through the same pieces as the blocks API (block-types validation and child rules,
// block-trees inserts, block-repo positions, the same Change records). Child pages and databases named by a
// `<page url>` / `<database url>` tag are kept (moved under a new parent block when their old one changed);
// dropping one needs `allow_deleting_content`. POST /v1/pages with `markdown` creates the page with those blocks.
import { z } from 'zod';
import { errors, ApiError } from '../errors.js';
import { childRuleViolation, MAX_NESTING_DEPTH, zBlockInput, type BlockInput } from '../domain/block-types.js';
import { allowsDeleting, applyEdit, zMarkdownEdit, type MarkdownEdit } from '../domain/markdown/edit.js';
import { parseMarkdown, type MarkdownNode, type ParsedChunk } from '../domain/markdown/parse.js';
import { renderMarkdown, type MarkdownBlock, type RenderedMarkdown } from '../domain/markdown/render.js';
import { notionUrl } from '../domain/serialize.js';
import { parseWith } from '../domain/validation.js';
import { undashed } from '../ids.js';
import type { BlockRow } from '../model/rows.js';
import {
  editBlock,
  insertRows,
  listPageContent,
  moveRow,
  reservePositions,
  touch,
  type ParentRef,
  type RowInsert,
} from '../store/block-repo.js';
import type { SqlExecutor } from '../store/sql-store.js';
import { startAsyncTask } from './async-tasks.js';
import { blockTreeRows } from './block-trees.js';
import { commitWrite, type Change } from './changes.js';
import { botActor, contentChange, createdChange, trashChange } from './content-changes.js';
import { mentionResolver } from './mention-resolvers.js';
import { fileUrlSigner, SIGNED_URL_IN_TEXT } from './file-urls.js';
import { placeholderParts } from '../domain/file-objects.js';
import { assertEditable, loadVisible, type ServiceContext } from './service-context.js';

/** A page is loaded up to this many records; past that the Markdown is truncated (reference §17.2). */
export const MAX_PAGE_RECORDS = 20_000;

const zRetrieveQuery = z.object({ include_transcript: z.enum(['true', 'false']).optional() }).strict();

/** A page's content as a tree of Markdown blocks, and whether some of it was not loaded. */
interface LoadedContent {
  blocks: MarkdownBlock[];
  byId: Map<string, MarkdownBlock>;
  rows: Map<string, BlockRow>;
  truncated: boolean;
}

function markdownBlock(row: BlockRow): MarkdownBlock {
  const object = row.object === 'page' || row.object === 'database' ? row.object : 'block';
  const url = object === 'database' ? `https://www.notion.so/${undashed(row.id)}` : notionUrl(row.id, row.title);
  const type = object === 'page' ? 'child_page' : object === 'database' ? 'child_database' : row.type;
  return { id: row.id, object, type, content: row.content ?? {}, title: row.title, url, children: [] };
}

/** The live content below `rootId` (down to, not into, child pages and databases) as a tree. */
async function loadContent(db: SqlExecutor, rootId: string): Promise<LoadedContent> {
  const rows = await listPageContent(db, rootId, MAX_PAGE_RECORDS + 1);
  const truncated = rows.length > MAX_PAGE_RECORDS;
  const kept = truncated ? rows.slice(0, MAX_PAGE_RECORDS) : rows;
  const byId = new Map(kept.map((row) => [row.id, markdownBlock(row)]));
  const blocks: MarkdownBlock[] = [];
  for (const row of kept) {
    const node = byId.get(row.id)!;
    if (row.parent_id === rootId) blocks.push(node);
    else byId.get(row.parent_id ?? '')?.children.push(node);
  }
  if (truncated) {
    for (const row of kept) {
      const node = byId.get(row.id)!;
      if (row.object === 'block' && row.has_children && node.children.length === 0) node.unloaded = true;
    }
  }
  return { blocks, byId, rows: new Map(kept.map((row) => [row.id, row])), truncated };
}

function pageMarkdown(id: string, rendered: RenderedMarkdown, truncated: boolean): Record<string, unknown> {
  return {
    object: 'page_markdown',
    id,
    markdown: rendered.markdown,
    truncated,
    unknown_block_ids: rendered.unknownIds,
  };
}

/** The upload ids of the files uploaded to the loaded content (stored as placeholders: domain/file-objects.ts). */
function uploadedFiles(content: LoadedContent): Map<MarkdownBlock, string> {
  const found = new Map<MarkdownBlock, string>();
  for (const block of content.byId.values()) {
    const parts = placeholderParts((block.content.file as { url?: unknown } | undefined)?.url);
    if (block.content.type === 'file' && parts) found.set(block, parts.uploadId);
  }
  return found;
}

/**
 * Uploaded media show their file by a signed URL, valid for an hour, as the JSON answers do (without a base URL,
 * as in the portal, the URL is root-relative). The blocks are this read's own: they are changed in place.
 */
async function signUploadedFiles(ctx: MarkdownReader, content: LoadedContent): Promise<void> {
  const uploaded = uploadedFiles(content);
  if (uploaded.size === 0) return;
  const sign = await fileUrlSigner(ctx.store, ctx.clock, ctx.baseUrl ?? '');
  for (const block of uploaded.keys()) {
    const signed = sign((block.content.file as { url: string }).url);
    if (signed) block.content = { ...block.content, external: { url: signed.url } };
  }
}

/**
 * An edit's Markdown with the signed URLs of the page's own uploaded files taken out, so that a block a client
 * sends back as it read it reads as the stored one (which renders without a URL) and is kept.
 */
function withoutSignedUrls(markdown: string, content: LoadedContent): string {
  const ids = new Set(uploadedFiles(content).values());
  if (ids.size === 0) return markdown;
  return markdown.replace(SIGNED_URL_IN_TEXT, (url, id: string) => (ids.has(id) ? '' : url));
}

type MarkdownReader = Pick<ServiceContext, 'store' | 'clock' | 'baseUrl'>;

async function readMarkdown(ctx: MarkdownReader, id: string): Promise<Record<string, unknown>> {
  const content = await loadContent(ctx.store, id);
  await signUploadedFiles(ctx, content);
  return pageMarkdown(id, renderMarkdown(id, content.blocks), content.truncated);
}

/** GET /v1/pages/{id}/markdown: a page, or a block's subtree; a database is not a page of Markdown. */
export async function retrievePageMarkdown(
  ctx: ServiceContext,
  id: string,
  query: Record<string, unknown>,
): Promise<unknown> {
  parseWith(zRetrieveQuery, query, 'query');
  const row = await loadVisible(ctx.store, ctx.principal, id, 'block', { flags: 'none' });
  if (row.object === 'database') throw errors.invalidUrl();
  return readMarkdown(ctx, row.id);
}

/** PATCH targets pages only (reference §17.3). */
function checkTarget(row: BlockRow, id: string): void {
  if (row.object === 'database') {
    throw errors.validation(
      `Provided ID ${id} is a database, not a page. Only a page's content can be edited as Markdown.`,
    );
  }
  if (row.object !== 'page') {
    throw errors.validation(
      `Provided ID ${id} is a block, not a page. Only a page's content can be edited as Markdown.`,
    );
  }
}

/** PATCH /v1/pages/{id}/markdown; with `allow_async` the edit runs after a 202 with its task. */
export async function updatePageMarkdown(ctx: ServiceContext, id: string, body: unknown): Promise<unknown> {
  const edit = parseWith(zMarkdownEdit, body);
  if (!edit.allow_async) return editMarkdown(ctx, id, edit);
  const row = await loadVisible(ctx.store, ctx.principal, id, 'block', { flags: 'none' });
  checkTarget(row, id);
  return startAsyncTask(ctx, 'PATCH /v1/pages/:page_id/markdown', async () => {
    const result = await editMarkdown(ctx, id, edit);
    // A task's result lists `object` and `id` last, as Notion's do (reference §19.4).
    const { object, id: resultId, ...rest } = result;
    return { ...rest, id: resultId, object };
  });
}

async function editMarkdown(ctx: ServiceContext, id: string, edit: MarkdownEdit): Promise<Record<string, unknown>> {
  const { principal } = ctx;
  const pageId = await commitWrite(ctx.store, ctx.changes, async ({ tx, record }) => {
    const page = await loadVisible(tx, principal, id, 'block', { lock: true });
    checkTarget(page, id);
    assertEditable(page);
    const content = await loadContent(tx, page.id);
    const current = renderMarkdown(page.id, content.blocks);
    const next = parseMarkdown(withoutSignedUrls(applyEdit(current.markdown, edit), content));
    const plan = planEdit(content, current, next);
    checkDeletions(plan, allowsDeleting(edit));
    const actor = principal.integrationId;
    const now = ctx.clock.now();
    const ref: ParentRef = { workspaceId: page.workspace_id, id: page.id, type: 'page_id', path: page.path };
    const changes = await writePlan(tx, ctx, ref, plan, content, now);
    if (changes.length > 0) await touch(tx, page.id, actor, now);
    changes.forEach(record);
    return page.id;
  });
  return readMarkdown(ctx, pageId);
}

/** What an edit does to the top level: blocks removed, and runs of new nodes after a kept block (null: first). */
interface EditPlan {
  removed: MarkdownBlock[];
  runs: { after: string | null; nodes: MarkdownNode[] }[];
  /** Every existing page, database or block a kept tag names (they stay, or move under a new parent). */
  keptRefs: Set<string>;
}

/** A chunk's key: its Markdown with list numbers left out (a numbered item's number depends on what precedes it). */
const keyOf = (markdown: string) => markdown.replace(/^(\t*)\d+\. /gm, '$11. ');

function planEdit(content: LoadedContent, current: RenderedMarkdown, next: ParsedChunk[]): EditPlan {
  const oldKeys = current.chunks.map(keyOf);
  const newKeys = next.map((c) => keyOf(c.source));
  const pairs = commonSubsequence(oldKeys, newKeys);
  const keptOld = new Set(pairs.map(([i]) => i));
  const keptNew = new Map(pairs.map(([i, j]) => [j, i]));
  const runs: EditPlan['runs'] = [];
  let after: string | null = null;
  let run: MarkdownNode[] = [];
  next.forEach((chunk, j) => {
    const old = keptNew.get(j);
    if (old === undefined) return void run.push(chunk.node);
    if (run.length > 0) runs.push({ after, nodes: run });
    run = [];
    after = content.blocks[old]!.id;
  });
  if (run.length > 0) runs.push({ after, nodes: run });
  const keptRefs = new Set<string>();
  const collect = (node: MarkdownNode) =>
    node.kind === 'keep' ? keptRefs.add(node.id) : node.children.forEach(collect);
  next.forEach((chunk, j) => {
    if (!keptNew.has(j)) collect(chunk.node);
  });
  const removed = content.blocks.filter((_, i) => !keptOld.has(i) && !keptRefs.has(content.blocks[i]!.id));
  return { removed, runs, keptRefs };
}

/** The index pairs of a longest common subsequence of `a` and `b` (common ends first, then dynamic programming). */
function commonSubsequence(a: readonly string[], b: readonly string[]): [number, number][] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
  const n = endA - start;
  const m = endB - start;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] =
        a[start + i] === b[start + j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  for (let k = 0; k < start; k++) pairs.push([k, k]);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[start + i] === b[start + j]) (pairs.push([start + i, start + j]), i++, j++);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  for (let k = 0; endA + k < a.length; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

/** The child pages and databases in removed blocks that no tag keeps: refused unless deleting is allowed. */
function checkDeletions(plan: EditPlan, allowed: boolean): void {
  const lost: MarkdownBlock[] = [];
  const walk = (b: MarkdownBlock) => {
    if (b.object !== 'block' && !plan.keptRefs.has(b.id)) lost.push(b);
    if (b.unloaded) throw unloadedEdit();
    b.children.forEach(walk);
  };
  plan.removed.forEach(walk);
  if (lost.length === 0 || allowed) return;
  const names = lost.map((b) => `${b.object === 'page' ? 'page' : 'database'} "${b.title}" (${b.id})`).join(', ');
  throw errors.validation(
    `The edit would delete ${lost.length === 1 ? 'a child page or database' : 'child pages or databases'}: ` +
      `${names}. Set allow_deleting_content to true to delete them.`,
  );
}

const unloadedEdit = () =>
  new ApiError(
    'validation_error',
    'The edit touches content of the page that was not loaded (the page is too large).',
    {
      limit_kind: 'page_record_count',
    },
  );

/** A node checked as the blocks API checks a child: a block to create, or an existing row to keep (null: none). */
type Placed = { kind: 'block'; input: BlockInput; children: Placed[] } | { kind: 'keep'; row: BlockRow | null };

/**
 * Checks a node and its children: each block against its type's request schema (domain/block-types.ts, as one
 * appended child) and the parent/child rules; a kept tag must name a row of this page's content.
 */
function placed(
  node: MarkdownNode,
  parentType: string,
  parentPayload: Record<string, unknown>,
  rows: Map<string, BlockRow> | null,
): Placed {
  const type = node.kind === 'keep' ? (node.ref === 'block' ? 'unsupported' : `child_${node.ref}`) : node.type;
  const problem = childRuleViolation(parentType, parentPayload, type);
  if (problem) throw errors.validation(`body failed validation: the Markdown puts a ${type} where ${problem}`);
  if (node.kind === 'keep') return { kind: 'keep', row: rows?.get(node.id) ?? null };
  const input = parseWith(zBlockInput(MAX_NESTING_DEPTH), node.block) as BlockInput;
  return { kind: 'block', input, children: node.children.map((c) => placed(c, input.type, input.payload, rows)) };
}

const holdsKeep = (p: Placed): boolean => (p.kind === 'keep' ? p.row !== null : p.children.some(holdsKeep));
const countPlaced = (ps: readonly Placed[]): number =>
  ps.reduce((n, p) => n + (p.kind === 'block' ? 1 + countPlaced(p.children) : 0), 0);

/** A placed block without kept rows below it, as the block-trees input. */
function tree(p: Placed & { kind: 'block' }): BlockInput {
  const children = p.children.filter((c): c is Placed & { kind: 'block' } => c.kind === 'block').map(tree);
  return { ...p.input, children };
}

/** Checks every node of a Markdown text; refuses a page past the record limit. */
function placeAll(nodes: readonly MarkdownNode[], rows: Map<string, BlockRow> | null): Placed[] {
  const out = nodes.map((n) => placed(n, 'child_page', {}, rows));
  if (countPlaced(out) > MAX_PAGE_RECORDS) {
    throw new ApiError('validation_error', `The page after the edit is too large: over ${MAX_PAGE_RECORDS} blocks.`, {
      limit_kind: 'page_record_count',
    });
  }
  return out;
}

interface Placement {
  rows: RowInsert[];
  moves: { row: BlockRow; parent: ParentRef; position: number }[];
  created: { id: string; parent: ParentRef }[];
  actorId: string;
  now: Date;
  resolver: ReturnType<typeof mentionResolver>;
}

/** The rows (block-trees) and moves that put `nodes` under `parent` from position `first` on. */
async function placeNodes(nodes: readonly Placed[], parent: ParentRef, first: number, into: Placement): Promise<void> {
  let position = first;
  for (const p of nodes) {
    const at = position++;
    if (p.kind === 'keep') {
      if (p.row) into.moves.push({ row: p.row, parent, position: at });
      continue;
    }
    const whole = !holdsKeep(p);
    const input = whole ? tree(p) : { ...p.input, children: [] };
    const [id] = await blockTreeRows(into.rows, parent, [input], at, into.actorId, into.now, into.resolver);
    into.created.push({ id: id!, parent });
    if (!whole) {
      const ref: ParentRef = {
        workspaceId: parent.workspaceId,
        id: id!,
        type: 'block_id',
        path: [...parent.path, id!],
      };
      await placeNodes(p.children, ref, 1, into);
    }
  }
}

const MOVED_KINDS = { page: 'page.moved', database: 'database.moved', block: 'block.updated' } as const;

/** Writes an edit plan under the page `ref`: trash the removed blocks, insert the new ones, move the kept rows. */
async function writePlan(
  tx: SqlExecutor,
  ctx: ServiceContext,
  ref: ParentRef,
  plan: EditPlan,
  content: LoadedContent,
  now: Date,
): Promise<Change[]> {
  const runs = plan.runs.map((run) => ({ after: run.after, nodes: placeAll(run.nodes, content.rows) }));
  const actorId = ctx.principal.integrationId;
  const actor = botActor(actorId);
  const changes: Change[] = [];
  for (const b of plan.removed) {
    await editBlock(tx, b.id, { archived: true }, actorId, now);
    const row = { id: b.id, workspace_id: ref.workspaceId, object: b.object, parent_type: ref.type, parent_id: ref.id };
    changes.push(trashChange(row, true, actor, now));
  }
  const into: Placement = {
    rows: [],
    moves: [],
    created: [],
    actorId,
    now,
    resolver: mentionResolver(tx, ctx.principal),
  };
  for (const run of runs) {
    // After a kept block, or first: the page's own id is no child of it, which reservePositions reads as position 0.
    const first = await reservePositions(tx, ref, run.nodes.length, run.after ?? ref.id!);
    await placeNodes(run.nodes, ref, first, into);
  }
  await insertRows(tx, into.rows);
  for (const { id, parent } of into.created) {
    const row = {
      id,
      workspace_id: ref.workspaceId,
      object: 'block' as const,
      parent_type: parent.type,
      parent_id: parent.id,
    };
    changes.push(createdChange(row, actor, now));
  }
  for (const move of into.moves) {
    const { row, parent, position } = move;
    const moved = { position, properties: row.properties ?? {}, props: row.props };
    await moveRow(tx, row.id, parent, moved, actorId, now);
    const kind = MOVED_KINDS[row.object === 'page' || row.object === 'database' ? row.object : 'block'];
    changes.push(contentChange(kind, { ...row, parent_type: parent.type, parent_id: parent.id }, actor, now));
  }
  return changes;
}

/** The blocks of a new page's Markdown, and the title its first `# heading` gives when the body names none. */
export interface MarkdownPage {
  children: BlockInput[];
  title: unknown[] | null;
}

const zMarkdownCreate = z
  .object({ markdown: z.string(), allow_async: z.boolean().optional() })
  .passthrough()
  .superRefine((body, ctx) => {
    for (const key of ['children', 'content']) {
      if (key in body) ctx.addIssue({ code: 'custom', path: [key], message: 'should be not present' });
    }
  });

/** Whether a POST /v1/pages body is a Markdown create. */
export const isMarkdownCreate = (body: unknown): boolean =>
  body !== null && typeof body === 'object' && !Array.isArray(body) && 'markdown' in body;

/**
 * POST /v1/pages with `markdown` (reference §17.1, §17.4): the Markdown's blocks are the page's children; under a
 * page with no title given, the first `# heading` is the title. `create` is the page create (services/pages.ts),
 * given the body without `markdown`/`allow_async` and the blocks; with `allow_async` it runs after a 202.
 */
export async function createPageFromMarkdown(
  ctx: ServiceContext,
  body: unknown,
  create: (ctx: ServiceContext, body: unknown, children: BlockInput[]) => Promise<unknown>,
): Promise<unknown> {
  const { markdown, allow_async: async, ...rest } = parseWith(zMarkdownCreate, body);
  const nodes = parseMarkdown(markdown).map((c) => c.node);
  const parent = rest.parent as Record<string, unknown> | undefined;
  const properties = (rest.properties ?? {}) as Record<string, unknown>;
  const first = nodes.findIndex((n) => n.kind === 'block');
  const heading = first >= 0 ? (nodes[first] as MarkdownNode & { kind: 'block' }) : null;
  const takesTitle =
    parent !== undefined && 'page_id' in parent && !('title' in properties) && heading?.type === 'heading_1';
  if (takesTitle) nodes.splice(first, 1);
  const placedNodes = placeAll(nodes, null).filter((p): p is Placed & { kind: 'block' } => p.kind === 'block');
  const title = takesTitle ? (heading!.block.heading_1 as { rich_text: unknown[] }).rich_text : null;
  const pageBody = title ? { ...rest, properties: { ...properties, title: { title } } } : rest;
  const run = () => create(ctx, pageBody, placedNodes.map(tree));
  return async ? startAsyncTask(ctx, 'POST /v1/pages', run) : run();
}
