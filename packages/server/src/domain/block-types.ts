// Every block type we accept, as one table: its request payload schema, whether it takes children,
// and how its stored/response payload is filled with Notion's defaults (reference §8.3).
import { z, ZodError, type ZodIssue, type ZodTypeAny } from 'zod';
import { normalizeRichText, zRichText, type MentionResolver, type RichTextInput } from './rich-text.js';
import { ApiError, errors } from '../errors.js';
import { zColor, zId, zUrl } from './validation.js';
import {
  fileUploadLookupOf,
  fileUploadNotFound,
  zFileUploadObject,
  zFileUploadRef,
  type FileUploadLookup,
  type HostedFile,
} from './file-objects.js';

export const MAX_CHILDREN_PER_REQUEST = 100;
/** Children may nest two levels in one request (reference §6.3). */
export const MAX_NESTING_DEPTH = 2;

export const CODE_LANGUAGES = [
  'abap',
  'abc',
  'agda',
  'arduino',
  'ascii art',
  'assembly',
  'bash',
  'basic',
  'bnf',
  'c',
  'c#',
  'c++',
  'clojure',
  'coffeescript',
  'coq',
  'css',
  'dart',
  'dhall',
  'diff',
  'docker',
  'ebnf',
  'elixir',
  'elm',
  'erlang',
  'f#',
  'flow',
  'fortran',
  'gherkin',
  'glsl',
  'go',
  'graphql',
  'groovy',
  'haskell',
  'hcl',
  'html',
  'idris',
  'java',
  'javascript',
  'json',
  'julia',
  'kotlin',
  'latex',
  'less',
  'lisp',
  'livescript',
  'llvm ir',
  'lua',
  'makefile',
  'markdown',
  'markup',
  'matlab',
  'mathematica',
  'mermaid',
  'nix',
  'notion formula',
  'objective-c',
  'ocaml',
  'pascal',
  'perl',
  'php',
  'plain text',
  'powershell',
  'prolog',
  'protobuf',
  'purescript',
  'python',
  'r',
  'racket',
  'reason',
  'ruby',
  'rust',
  'sass',
  'scala',
  'scheme',
  'scss',
  'shell',
  'smalltalk',
  'solidity',
  'sql',
  'swift',
  'toml',
  'typescript',
  'vb.net',
  'verilog',
  'vhdl',
  'visual basic',
  'webassembly',
  'xml',
  'yaml',
  'java/c/c++/c#',
] as const;

export const zIcon = z.union([
  z.object({ type: z.literal('emoji').optional(), emoji: z.string().min(1).max(32) }).strict(),
  z.object({ type: z.literal('external').optional(), external: z.object({ url: zUrl }).strict() }).strict(),
  // A custom emoji of the workspace, named by its id (SDK v5 also lets name and url be sent: the stored ones win).
  z
    .object({
      type: z.literal('custom_emoji').optional(),
      custom_emoji: z.object({ id: zId, name: z.string().optional(), url: z.string().optional() }).strict(),
    })
    .strict(),
  // An uploaded file (reference §8.7), stored as a Notion-hosted file.
  zFileUploadObject,
]);
export const zCover = z.union([
  z.object({ type: z.literal('external').optional(), external: z.object({ url: zUrl }).strict() }).strict(),
  zFileUploadObject,
]);

/** A custom emoji as an icon answers it (reference §19.3). */
export interface CustomEmoji {
  id: string;
  name: string;
  url: string;
}

export type Icon =
  | { type: 'emoji'; emoji: string }
  | { type: 'external'; external: { url: string } }
  | { type: 'custom_emoji'; custom_emoji: CustomEmoji }
  | HostedFile;

export type IconInput = z.infer<typeof zIcon>;

/** Finds a custom emoji of the writer's workspace by id (null: there is none). */
export type CustomEmojiLookup = (id: string) => Promise<CustomEmoji | null>;

/**
 * An icon as stored and answered, without looking anything up: a custom emoji keeps the name and URL the input
 * gives (the seed loader fills them in from the seed's emojis). Writes of the API use resolveIcon.
 */
export function normalizeIcon(icon: IconInput): Icon {
  if ('emoji' in icon) return { type: 'emoji', emoji: icon.emoji };
  if ('external' in icon) return { type: 'external', external: { url: icon.external.url } };
  // Only the API attaches uploads (resolveIcon); the portal and seeds cannot name one.
  if ('file_upload' in icon) throw fileUploadNotFound(icon.file_upload.id);
  const { id, name, url } = icon.custom_emoji;
  return { type: 'custom_emoji', custom_emoji: { id, name: name ?? '', url: url ?? '' } };
}

/**
 * An icon as stored and answered: a custom emoji takes its name and URL from the workspace's emoji, an uploaded
 * file becomes a Notion-hosted file (`files` finds the writer's upload; without it uploads are refused).
 */
export async function resolveIcon(icon: IconInput, lookup: CustomEmojiLookup, files?: FileUploadLookup): Promise<Icon> {
  if ('file_upload' in icon) return (await (files ?? fileUploadLookupOf({}))(icon.file_upload.id)).file;
  if (!('custom_emoji' in icon)) return normalizeIcon(icon);
  const emoji = await lookup(icon.custom_emoji.id);
  if (!emoji) throw unknownCustomEmoji(icon.custom_emoji.id);
  return { type: 'custom_emoji', custom_emoji: { id: emoji.id, name: emoji.name, url: emoji.url } };
}

/** The 400 for an icon naming a custom emoji the workspace does not have. */
export function unknownCustomEmoji(id: string): ApiError {
  return new ApiError('validation_error', `Could not find custom emoji with ID: ${id}.`);
}

/**
 * A block's icon: the resolver of services/mention-resolvers.ts also finds custom emojis (`customEmoji`);
 * one without that lookup knows none.
 */
function blockIcon(icon: unknown, r: MentionResolver): Promise<Icon> {
  const lookup: CustomEmojiLookup =
    'customEmoji' in r && typeof r.customEmoji === 'function'
      ? (r.customEmoji as CustomEmojiLookup)
      : () => Promise.resolve(null);
  return resolveIcon(icon as IconInput, lookup, fileUploadLookupOf(r));
}

export type Cover = { type: 'external'; external: { url: string } } | HostedFile;

/** A page's or database's cover as stored and answered: an external file (uploads: resolveCover). */
export function normalizeCover(cover: z.infer<typeof zCover>): Cover {
  if ('file_upload' in cover) throw fileUploadNotFound(cover.file_upload.id);
  return { type: 'external', external: { url: cover.external.url } };
}

/** A cover as stored and answered, an uploaded file found by `files` (the writer's uploads). */
export async function resolveCover(cover: z.infer<typeof zCover>, files: FileUploadLookup): Promise<Cover> {
  if ('file_upload' in cover) return (await files(cover.file_upload.id)).file;
  return normalizeCover(cover);
}

/** Where children are allowed: anywhere, only when toggleable (headings), of one type only, or never. */
type ChildRule = 'any' | 'toggleable' | 'column' | 'table_row' | 'none';

interface BlockType {
  readonly fields: Record<string, ZodTypeAny>;
  readonly children: ChildRule;
  /** Children are required on creation (column_list, column, table). */
  readonly childrenRequired?: boolean;
  /** false for types made by other endpoints (child_database: POST /v1/databases) */
  readonly creatable?: boolean;
  /** A rule across the payload's fields, checked after each field's own (media: a file or an external URL). */
  readonly check?: (payload: Record<string, unknown>, ctx: z.RefinementCtx) => void;
  /** Builds the stored payload from validated input (children removed). */
  normalize(input: Record<string, unknown>, r: MentionResolver): Promise<Record<string, unknown>>;
}

const rt = (v: unknown, r: MentionResolver) => normalizeRichText((v ?? []) as RichTextInput[], r);

const textual = (
  extra: Record<string, ZodTypeAny> = {},
  more?: (i: Record<string, unknown>, r: MentionResolver) => Record<string, unknown> | Promise<Record<string, unknown>>,
): BlockType => ({
  fields: { rich_text: zRichText, color: zColor.optional(), ...extra },
  children: 'any',
  async normalize(i, r) {
    return { rich_text: await rt(i.rich_text, r), color: i.color ?? 'default', ...(more ? await more(i, r) : {}) };
  },
});

const heading: BlockType = {
  ...textual({ is_toggleable: z.boolean().optional() }, (i) => ({ is_toggleable: i.is_toggleable ?? false })),
  children: 'toggleable',
};

const media = (withName: boolean): BlockType => ({
  fields: {
    type: z.enum(['external', 'file_upload']).optional(),
    external: z.object({ url: zUrl }).strict().optional(),
    // An uploaded file (reference §8.6), stored as a Notion-hosted file.
    file_upload: zFileUploadRef.optional(),
    caption: zRichText.optional(),
    ...(withName ? { name: z.string().max(900).optional() } : {}),
  },
  check: (payload, ctx) => {
    if (payload.external === undefined && payload.file_upload === undefined)
      ctx.addIssue({ code: 'invalid_type', expected: 'object', received: 'undefined', path: ['external'] });
  },
  children: 'none',
  async normalize(i, r) {
    const out: Record<string, unknown> = { caption: await rt(i.caption, r) };
    // An update merges its patch over the stored payload: a new upload wins, then an external URL, then the
    // stored Notion-hosted file.
    if (i.file_upload) {
      const attached = await fileUploadLookupOf(r)((i.file_upload as { id: string }).id);
      Object.assign(out, attached.file);
      if (withName) out.name = (i.name as string | undefined) ?? attached.filename;
      return out;
    }
    if (!i.external && i.file) {
      Object.assign(out, { type: 'file', file: i.file });
      if (withName) out.name = (i.name as string | undefined) ?? '';
      return out;
    }
    const ext = i.external as { url: string };
    Object.assign(out, { type: 'external', external: { url: ext.url } });
    if (withName) out.name = (i.name as string | undefined) ?? ext.url.split('/').pop() ?? '';
    return out;
  },
});

const linkish: BlockType = {
  fields: { url: zUrl, caption: zRichText.optional() },
  children: 'none',
  async normalize(i, r) {
    return { caption: await rt(i.caption, r), url: i.url };
  },
};

const empty = (children: ChildRule = 'none', childrenRequired = false): BlockType => ({
  fields: {},
  children,
  childrenRequired,
  async normalize() {
    return {};
  },
});

export const BLOCK_TYPES: Record<string, BlockType> = {
  // A paragraph takes an icon (SDK v5's ContentWithRichTextColorAndIconRequest); null or absent means none, and
  // serializeBlock answers `icon: null` then, so a paragraph read can be written back as it came.
  paragraph: textual({ icon: zIcon.nullable().optional() }, async (i, r) =>
    i.icon ? { icon: await blockIcon(i.icon, r) } : {},
  ),
  bulleted_list_item: textual(),
  numbered_list_item: textual(),
  quote: textual(),
  toggle: textual(),
  heading_1: heading,
  heading_2: heading,
  heading_3: heading,
  to_do: textual({ checked: z.boolean().optional() }, (i) => ({ checked: i.checked ?? false })),
  callout: {
    ...textual({ icon: zIcon.optional() }, async (i, r) => ({
      icon: i.icon ? await blockIcon(i.icon, r) : { type: 'emoji', emoji: '💡' },
    })),
  },
  code: {
    fields: { rich_text: zRichText, caption: zRichText.optional(), language: z.enum(CODE_LANGUAGES).optional() },
    children: 'none',
    async normalize(i, r) {
      return {
        caption: await rt(i.caption, r),
        rich_text: await rt(i.rich_text, r),
        language: i.language ?? 'plain text',
      };
    },
  },
  equation: {
    fields: { expression: z.string().max(1000) },
    children: 'none',
    async normalize(i) {
      return { expression: i.expression };
    },
  },
  divider: empty(),
  breadcrumb: empty(),
  table_of_contents: {
    fields: { color: zColor.optional() },
    children: 'none',
    async normalize(i) {
      return { color: i.color ?? 'default' };
    },
  },
  image: media(false),
  video: media(false),
  pdf: media(false),
  audio: media(false),
  file: media(true),
  bookmark: linkish,
  embed: linkish,
  link_to_page: {
    fields: {
      type: z.enum(['page_id', 'database_id']).optional(),
      page_id: zId.optional(),
      database_id: zId.optional(),
    },
    children: 'none',
    async normalize(i) {
      return i.page_id ? { type: 'page_id', page_id: i.page_id } : { type: 'database_id', database_id: i.database_id };
    },
  },
  column_list: empty('column', true),
  column: {
    fields: { width_ratio: z.number().gt(0).lte(1).optional() },
    children: 'any',
    childrenRequired: true,
    async normalize(i) {
      return i.width_ratio === undefined ? {} : { width_ratio: i.width_ratio };
    },
  },
  table: {
    fields: {
      table_width: z.number().int().min(1),
      has_column_header: z.boolean().optional(),
      has_row_header: z.boolean().optional(),
    },
    children: 'table_row',
    childrenRequired: true,
    async normalize(i) {
      return {
        table_width: i.table_width,
        has_column_header: i.has_column_header ?? false,
        has_row_header: i.has_row_header ?? false,
      };
    },
  },
  table_row: {
    fields: { cells: z.array(zRichText).max(100) },
    children: 'none',
    async normalize(i, r) {
      return { cells: await Promise.all((i.cells as unknown[]).map((c) => rt(c, r))) };
    },
  },
  // A database seen as a block of its parent page: made by POST /v1/databases, never appended, and
  // its rows are not block children (nothing can be appended to it).
  child_database: { ...empty('none'), creatable: false },
};

export const CREATABLE_BLOCK_TYPES = Object.keys(BLOCK_TYPES).filter((t) => BLOCK_TYPES[t]?.creatable !== false) as [
  string,
  ...string[],
];

/** Fields accepted when updating a block of this type (children never; immutable fields never). */
const IMMUTABLE_ON_UPDATE: Record<string, readonly string[]> = {
  table: ['table_width'],
  image: ['type'],
  video: ['type'],
  pdf: ['type'],
  audio: ['type'],
  file: ['type'],
};

export function updateSchema(type: string): ZodTypeAny | null {
  const def = BLOCK_TYPES[type];
  if (!def || def.creatable === false) return null;
  const fields: Record<string, ZodTypeAny> = {};
  for (const [k, s] of Object.entries(def.fields)) {
    if (IMMUTABLE_ON_UPDATE[type]?.includes(k)) continue;
    fields[k] = s.optional();
  }
  return z.object(fields).strict();
}

export interface BlockInput {
  type: string;
  payload: Record<string, unknown>;
  children: BlockInput[];
}

/** `issue` with `prefix` before its path and before the paths of a union's alternatives, at any depth. */
function prefixed(issue: ZodIssue, prefix: readonly (string | number)[]): ZodIssue {
  return rerooted({ ...issue, path: [...prefix, ...issue.path] }, prefix);
}

/**
 * An issue of the inner parse below, to pass on through `ctx.addIssue` (which puts the block's own path before
 * `issue.path`): a union's alternatives carry paths from the inner root, so they get that path here.
 */
function rerooted(issue: ZodIssue, prefix: readonly (string | number)[]): ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const unionErrors = issue.unionErrors.map((e) => new ZodError(e.issues.map((i) => prefixed(i, prefix))));
  return { ...issue, unionErrors };
}

/** The request schema of one child block at nesting `depth` (1 = top-level children). */
export function zBlockInput(depth: number): ZodTypeAny {
  return z.unknown().transform((value, ctx): BlockInput => {
    const typeNames = Object.keys(BLOCK_TYPES);
    const record =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    if (!record) {
      ctx.addIssue({ code: 'invalid_type', expected: 'object', received: typeof value as 'string' });
      return z.NEVER;
    }
    const declared = typeof record.type === 'string' ? record.type : typeNames.find((t) => t in record);
    const def = declared && BLOCK_TYPES[declared]?.creatable !== false ? BLOCK_TYPES[declared] : undefined;
    if (!declared || !def) {
      const issue = z.object({ type: z.enum(CREATABLE_BLOCK_TYPES) }).safeParse({ type: record.type });
      for (const i of issue.success ? [] : issue.error.issues) ctx.addIssue(i);
      return z.NEVER;
    }
    const childRule = def.children;
    const payloadFields: Record<string, ZodTypeAny> = { ...def.fields };
    if (childRule !== 'none' && depth < MAX_NESTING_DEPTH) {
      const arr = z.array(zBlockInput(depth + 1)).max(MAX_CHILDREN_PER_REQUEST);
      payloadFields.children = def.childrenRequired ? arr : arr.optional();
    }
    const schema = z
      .object({
        object: z.literal('block').optional(),
        type: z.literal(declared).optional(),
        [declared]: def.check
          ? z.object(payloadFields).strict().superRefine(def.check)
          : z.object(payloadFields).strict(),
      })
      .strict();
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const i of parsed.error.issues) ctx.addIssue(rerooted(i, ctx.path));
      return z.NEVER;
    }
    const payload = { ...(parsed.data[declared] as Record<string, unknown>) };
    const children = (payload.children as BlockInput[] | undefined) ?? [];
    delete payload.children;
    return { type: declared, payload, children };
  });
}

/** Every block in one request, at any depth (reference §6.3: 1000 block elements per request). */
export const MAX_BLOCKS_PER_REQUEST = 1000;

export function countBlocks(blocks: readonly BlockInput[]): number {
  return blocks.reduce((n, b) => n + 1 + countBlocks(b?.children ?? []), 0);
}

export const zChildren = z
  .array(zBlockInput(1))
  .max(MAX_CHILDREN_PER_REQUEST)
  .superRefine((blocks, ctx) => {
    if (blocks.some((b) => !b)) return; // elements that failed validation were reported already
    const count = countBlocks(blocks as BlockInput[]);
    if (count > MAX_BLOCKS_PER_REQUEST) {
      ctx.addIssue({
        code: 'custom',
        message: `should contain ≤ \`${MAX_BLOCKS_PER_REQUEST}\` block elements`,
        params: { instead: `\`${count}\`` },
      });
    }
  });

/** Checks the parent/child type rules a schema cannot express; returns a message or null. */
export function childRuleViolation(
  parentType: string,
  parentPayload: Record<string, unknown>,
  childType: string,
): string | null {
  const rule = BLOCK_TYPES[parentType]?.children ?? 'any';
  if (rule === 'column' && childType !== 'column') return `Column lists can only contain columns, not ${childType}.`;
  if (rule === 'table_row' && childType !== 'table_row') return `Tables can only contain table rows, not ${childType}.`;
  if (childType === 'column' && parentType !== 'column_list') return 'Columns can only be added to column lists.';
  if (childType === 'table_row' && parentType !== 'table') return 'Table rows can only be added to tables.';
  if (rule === 'toggleable' && parentPayload.is_toggleable !== true)
    return `Headings can only have children when they are toggleable.`;
  if (rule === 'none') return `Block type ${parentType} does not support children.`;
  return null;
}

/** Checks a tree of children against the parent/child type rules, naming the first child that breaks one. */
export function checkChildren(
  parentType: string,
  parentPayload: Record<string, unknown>,
  children: readonly BlockInput[],
  path = 'body.children',
): void {
  children.forEach((child, i) => {
    const problem = childRuleViolation(parentType, parentPayload, child.type);
    if (problem) throw errors.validation(`${path}[${i}]: ${problem}`);
    checkChildren(child.type, child.payload, child.children, `${path}[${i}].${child.type}.children`);
  });
}
