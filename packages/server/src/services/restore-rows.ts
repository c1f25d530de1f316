// The inverse of serialize for the blocks table (domain/serialize.ts, serialize-databases.ts): a clone bundle's
// pages, databases, data sources and blocks become block rows with their own ids, parents, paths, positions,
// timestamps and authors. Answers carry minutes only; within a minute, rows keep the order the source answered
// them in (a data source's query: created first; search: edited last) by spreading their times over milliseconds.
import { plainText } from '../domain/rich-text.js';
import { restoreRowValues, restoreSchema } from './restore-values.js';

type Json = Record<string, unknown>;
export type ApiObject = Json & { id: string };

/** What services/restore.ts reads of a clone bundle (the toolkit's `CloneBundle`, Notion-Version 2025-09-03). */
export interface CloneBundleInput {
  me: ApiObject;
  users: ApiObject[];
  pages: ApiObject[];
  databases: ApiObject[];
  data_sources: ApiObject[];
  blocks: ApiObject[];
  children: Record<string, string[]>;
  rows: Record<string, string[]>;
  references: Record<string, Record<string, string[]>>;
  comments: ApiObject[];
  search?: string[];
  search_databases?: string[];
  read_comments: boolean;
  read_users: boolean;
  unreadable: { id: string; kind: string; reason: string }[];
}

export interface RestoredBlock {
  id: string;
  workspace_id: string;
  object: 'page' | 'block' | 'database' | 'data_source';
  type: string;
  parent_type: string;
  parent_id: string | null;
  path: string[];
  position: number;
  content: Json;
  properties: Json | null;
  icon: unknown;
  cover: unknown;
  title: string;
  archived: boolean;
  created_time: Date;
  created_by: string;
  last_edited_time: Date;
  last_edited_by: string;
  props: Json | null;
}

interface Node {
  object: RestoredBlock['object'];
  source: ApiObject;
  parentType: string;
  parentId: string | null;
  /** ancestors above a parent that is not in the bundle (a row's database) */
  above: string[];
}

const rich = (value: unknown) => (Array.isArray(value) ? (value as { plain_text: string }[]) : []);
const userId = (value: unknown, fallback: string) => String((value as Json | undefined)?.id ?? fallback);

function parentOf(source: ApiObject): Pick<Node, 'parentType' | 'parentId' | 'above'> {
  const parent = (source.parent ?? { type: 'workspace' }) as Json;
  const type = String(parent.type);
  if (type === 'workspace') return { parentType: 'workspace', parentId: null, above: [] };
  if (type === 'data_source_id')
    return { parentType: type, parentId: String(parent.data_source_id), above: [String(parent.database_id)] };
  return { parentType: type, parentId: String(parent[type]), above: [] };
}

function nodesOf(bundle: CloneBundleInput): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const add = (object: Node['object'], source: ApiObject) => {
    if (!nodes.has(source.id)) nodes.set(source.id, { object, source, ...parentOf(source) });
  };
  for (const source of bundle.databases) add('database', source);
  for (const source of bundle.data_sources) add('data_source', source);
  for (const source of bundle.pages) add('page', source);
  for (const source of bundle.blocks) add('block', source);
  return nodes;
}

function positionsOf(bundle: CloneBundleInput): Map<string, number> {
  const positions = new Map<string, number>();
  const number = (ids: readonly string[]) => ids.forEach((id, i) => positions.set(id, i + 1));
  for (const ids of Object.values(bundle.children)) number(ids);
  for (const ids of Object.values(bundle.rows)) number(ids);
  for (const database of bundle.databases)
    number(((database.data_sources ?? []) as ApiObject[]).map((source) => source.id));
  let top = 0;
  for (const page of [...bundle.pages, ...bundle.databases]) if (!positions.has(page.id)) positions.set(page.id, ++top);
  return positions;
}

/** The path of every node: its ancestors' ids and its own; a parent outside the bundle stays in it. */
function pathsOf(nodes: Map<string, Node>): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const pathOf = (id: string, depth: number): string[] => {
    const known = paths.get(id);
    if (known) return known;
    const node = nodes.get(id)!;
    let path: string[];
    if (node.parentId === null) path = [id];
    else if (nodes.has(node.parentId) && depth < 1000) path = [...pathOf(node.parentId, depth + 1), id];
    else path = [...node.above.filter((a) => a !== 'undefined'), node.parentId, id];
    paths.set(id, path);
    return path;
  };
  for (const id of nodes.keys()) pathOf(id, 0);
  return paths;
}

/** Spreads the times of `ids` (newest first) over the milliseconds of their minute, keeping their order. */
function keepOrder(ids: readonly string[], times: Map<string, Date>): void {
  let group: string[] = [];
  const flush = () => {
    group.forEach((id, i) => times.set(id, new Date(times.get(id)!.getTime() + (group.length - 1 - i))));
    group = [];
  };
  let minute: number | null = null;
  for (const id of ids) {
    const at = times.get(id)?.getTime();
    if (at === undefined) continue;
    if (at !== minute) flush();
    minute = at;
    group.push(id);
  }
  flush();
}

/**
 * One order consistent with two answers of search (pages and data sources; pages and databases): both list the
 * same pages in the same order, so each stretch of one list up to a page goes before that page.
 */
function mergeOrders(first: readonly string[], second: readonly string[]): string[] {
  const inFirst = new Set(first);
  const inSecond = new Set(second);
  const merged: string[] = [];
  let j = 0;
  for (const id of first) {
    if (inSecond.has(id)) {
      while (j < second.length && second[j] !== id) {
        if (!inFirst.has(second[j]!)) merged.push(second[j]!);
        j++;
      }
      j++;
    }
    merged.push(id);
  }
  for (; j < second.length; j++) if (!inFirst.has(second[j]!)) merged.push(second[j]!);
  return merged;
}

interface Times {
  created: Map<string, Date>;
  edited: Map<string, Date>;
}

function timesOf(bundle: CloneBundleInput, nodes: Map<string, Node>): Times {
  const created = new Map<string, Date>();
  const edited = new Map<string, Date>();
  for (const [id, node] of nodes) {
    created.set(id, new Date(String(node.source.created_time)));
    edited.set(id, new Date(String(node.source.last_edited_time)));
  }
  for (const ids of Object.values(bundle.rows)) keepOrder(ids, created);
  keepOrder(mergeOrders(bundle.search ?? [], bundle.search_databases ?? []), edited);
  return { created, edited };
}

interface RowContext {
  workspaceId: string;
  meId: string;
  bundle: CloneBundleInput;
  paths: Map<string, string[]>;
  positions: Map<string, number>;
  times: Times;
  /** data source id → unique_id property id → largest number seen */
  uniqueIds: Map<string, Record<string, number>>;
}

function contentOf(
  node: Node,
  ctx: RowContext,
): Pick<RestoredBlock, 'type' | 'content' | 'properties' | 'props' | 'title'> {
  const s = node.source;
  switch (node.object) {
    case 'database': {
      const content: Json = { title: s.title ?? [], description: s.description ?? [], is_inline: s.is_inline === true };
      if (s.is_locked === true) content.is_locked = true;
      return { type: 'child_database', content, properties: null, props: null, title: plainText(rich(s.title)) };
    }
    case 'data_source':
      return {
        type: 'data_source',
        content: { title: s.title ?? [], description: s.description ?? [] },
        properties: restoreSchema(s.properties),
        props: null,
        title: plainText(rich(s.title)),
      };
    case 'block':
      return {
        type: String(s.type),
        content: (s[String(s.type)] ?? {}) as Json,
        properties: null,
        props: null,
        title: '',
      };
    case 'page':
      return pageContent(node, ctx);
  }
}

function pageContent(
  node: Node,
  ctx: RowContext,
): Pick<RestoredBlock, 'type' | 'content' | 'properties' | 'props' | 'title'> {
  const s = node.source;
  const content: Json = s.is_locked === true ? { is_locked: true } : {};
  const properties = (s.properties ?? {}) as Json;
  if (node.parentType !== 'data_source_id') {
    const title = (properties.title as Json | undefined)?.title;
    return { type: 'page', content, properties, props: null, title: plainText(rich(title)) };
  }
  const values = restoreRowValues(properties, ctx.bundle.references[s.id]);
  const counters = ctx.uniqueIds.get(node.parentId!) ?? {};
  for (const [property, n] of Object.entries(values.uniqueIds))
    counters[property] = Math.max(counters[property] ?? 0, n);
  ctx.uniqueIds.set(node.parentId!, counters);
  return { type: 'page', content, properties: values.properties, props: values.props, title: values.title };
}

/** Who created and last edited a node; a database takes its first data source's (2025-09-03 answers lack them). */
function authorsOf(node: Node, ctx: RowContext): { created_by: string; last_edited_by: string } {
  let source = node.source;
  if (node.object === 'database') {
    const first = ((source.data_sources ?? []) as ApiObject[])[0];
    source = ctx.bundle.data_sources.find((ds) => ds.id === first?.id) ?? source;
  }
  return {
    created_by: userId(source.created_by, ctx.meId),
    last_edited_by: userId(source.last_edited_by, ctx.meId),
  };
}

/** Every page, database, data source and block of the bundle as a blocks row, parents first. */
export function restoreBlocks(
  bundle: CloneBundleInput,
  workspaceId: string,
): { rows: RestoredBlock[]; uniqueIds: Map<string, Record<string, number>>; roots: string[] } {
  const nodes = nodesOf(bundle);
  const ctx: RowContext = {
    workspaceId,
    meId: bundle.me.id,
    bundle,
    paths: pathsOf(nodes),
    positions: positionsOf(bundle),
    times: timesOf(bundle, nodes),
    uniqueIds: new Map(),
  };
  const rows: RestoredBlock[] = [];
  for (const [id, node] of nodes) {
    rows.push({
      id,
      workspace_id: workspaceId,
      object: node.object,
      ...contentOf(node, ctx),
      parent_type: node.parentType,
      parent_id: node.parentId,
      path: ctx.paths.get(id)!,
      position: ctx.positions.get(id) ?? 1,
      icon: node.source.icon ?? null,
      cover: node.object === 'data_source' ? null : (node.source.cover ?? null),
      archived: node.source.in_trash === true || node.source.archived === true,
      created_time: ctx.times.created.get(id)!,
      last_edited_time: ctx.times.edited.get(id)!,
      ...authorsOf(node, ctx),
    });
  }
  rows.sort((a, b) => a.path.length - b.path.length);
  const roots = rows
    .filter((row) => row.object !== 'block' && row.object !== 'data_source')
    .filter((row) => row.parent_id === null || !nodes.has(row.parent_id))
    .map((row) => row.id);
  return { rows, uniqueIds: ctx.uniqueIds, roots };
}
