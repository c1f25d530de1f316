// Page property values, one table entry per property type (reference §9.2): the request schema of the
// value, how a validated value is stored, and how a stored value is answered.
// Stored in two places: the wire value in `properties` (json, keyed by property id, for types whose
// answer is the value as written: rich text, dates, files, url/email/phone) and the comparable form in
// `props` (jsonb, keyed by property id: folded text, numbers, option ids, id arrays, UTC dates).
import { z, type ZodTypeAny } from 'zod';
import { toMinuteIso } from '../../clock.js';
import { normalizeRichText, plainText, zRichText, type MentionResolver, type RichTextInput } from '../rich-text.js';
import { zId, zUrl } from '../validation.js';
import { fileUploadLookupOf, zFileUploadRef } from '../file-objects.js';
import { isTimeZone, parseIsoDate, toUtcMs, utcIso } from './dates.js';
import { OPTION_COLORS, options, type PropertySchema, type PropertyType, type SelectOption } from './schema.js';
import type { BlockRow } from '../../model/rows.js';

/** Most references a page object carries per relation/people property (reference §6.3). */
export const MAX_REFERENCES_IN_PAGE = 25;
export const MAX_ITEMS_PER_REQUEST = 100;
export const MAX_URL_LENGTH = 2000;
export const MAX_EMAIL_LENGTH = 200;
export const MAX_PHONE_LENGTH = 200;

/** Text as filters compare it: case-folded the same way for stored values and filter values. */
export function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

export interface OptionRef {
  id?: string | undefined;
  name?: string | undefined;
  color?: string | undefined;
}

export interface WriteEnv {
  property: PropertySchema;
  resolver: MentionResolver;
  /** The option a reference names; select/multi_select create unknown names (Notion does). */
  option(ref: OptionRef, path: readonly (string | number)[]): SelectOption;
  /** Throws a validation error naming the path when an id is not a user of the workspace. */
  checkUsers(ids: readonly string[], path: readonly (string | number)[]): Promise<void>;
  /** Throws when an id is not a page of the related database the caller can see. */
  checkRelated(ids: readonly string[], path: readonly (string | number)[]): Promise<void>;
  path: readonly (string | number)[];
}

export interface Stored {
  /** wire value kept in `properties` (json) */
  json?: unknown;
  /** comparable value kept in `props` (jsonb); undefined = empty */
  prop?: unknown;
  /** title only: the plain text, kept in the `title` column */
  plain?: string;
}

export interface RenderEnv {
  row: BlockRow;
  /** A user object as the caller may see it (redacted by the user-information capability). */
  user(id: string): unknown;
  /** The related ids the caller can see, in order. */
  visible(ids: readonly string[]): string[];
  /** formula and rollup values, computed in SQL */
  computed(p: PropertySchema): unknown;
}

interface ValueType {
  readonly writable: boolean;
  readonly input?: ZodTypeAny;
  store?(value: never, env: WriteEnv): Promise<Stored> | Stored;
  /** The response value (the object under the type key). */
  render(json: unknown, prop: unknown, p: PropertySchema, env: RenderEnv): unknown;
}

const zOptionColor = z.enum(OPTION_COLORS);
const zOptionRef = z
  .object({
    id: z.string().optional(),
    name: z.string().max(100).optional(),
    color: zOptionColor.optional(),
    description: z.string().nullable().optional(),
  })
  .strict()
  .refine((o) => o.id !== undefined || o.name !== undefined, { message: 'should have an `id` or a `name`' })
  .refine((o) => !o.name?.includes(','), { message: 'should not contain commas', path: ['name'] });

const zDateString = z
  .string()
  .refine((v) => parseIsoDate(v) !== null, { message: 'should be a valid ISO 8601 date or datetime string' });
const zDate = z
  .object({
    start: zDateString,
    end: zDateString.nullable().optional(),
    time_zone: z.string().refine(isTimeZone, { message: 'should be a valid IANA time zone' }).nullable().optional(),
  })
  .strict()
  .nullable();

const zText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => v !== '', { message: 'should be populated or `null`' })
    .nullable();

const zFile = z.union([
  z
    .object({
      name: z.string().min(1).max(100),
      type: z.literal('external').optional(),
      external: z.object({ url: zUrl }).strict(),
    })
    .strict(),
  // An uploaded file (reference §9.2): its name defaults to the upload's file name.
  z
    .object({
      name: z.string().min(1).max(100).optional(),
      type: z.literal('file_upload').optional(),
      file_upload: zFileUploadRef,
    })
    .strict(),
]);
type FileInput = z.infer<typeof zFile>;

/** A `files` item as stored and answered: an external URL, or an upload as a Notion-hosted file. */
async function storedFile(f: FileInput, resolver: MentionResolver) {
  if ('external' in f) return { name: f.name, type: 'external', external: { url: f.external.url } };
  const attached = await fileUploadLookupOf(resolver)(f.file_upload.id);
  return { name: f.name ?? attached.filename, ...attached.file };
}

const ids = (items: readonly { id: string }[]) => [...new Set(items.map((i) => i.id))];
const nonEmpty = <T>(list: readonly T[]) => (list.length > 0 ? list : undefined);

const richText: ValueType = {
  writable: true,
  input: zRichText,
  async store(value: RichTextInput[], env) {
    const rt = await normalizeRichText(value, env.resolver);
    const plain = plainText(rt);
    return { json: rt, prop: plain ? fold(plain) : undefined, plain };
  },
  render: (json) => json ?? [],
};

const text = (max: number): ValueType => ({
  writable: true,
  input: zText(max),
  store: (value: string | null) => ({ json: value, prop: value === null ? undefined : fold(value) }),
  render: (json) => json ?? null,
});

const computed = (render: ValueType['render']): ValueType => ({ writable: false, render });

function optionById(p: PropertySchema, id: unknown): SelectOption | null {
  const o = options(p).find((x) => x.id === id);
  return o ? { id: o.id, name: o.name, color: o.color } : null;
}

export const VALUE_TYPES: Record<PropertyType, ValueType> = {
  title: richText,
  rich_text: richText,
  number: {
    writable: true,
    input: z.number().nullable(),
    store: (value: number | null) => ({ prop: value ?? undefined }),
    render: (_json, prop) => (typeof prop === 'number' ? prop : null),
  },
  select: {
    writable: true,
    input: zOptionRef.nullable(),
    store: (value: OptionRef | null, env) => ({ prop: value === null ? undefined : env.option(value, env.path).id }),
    render: (_json, prop, p) => optionById(p, prop),
  },
  status: {
    writable: true,
    input: zOptionRef.nullable(),
    store: (value: OptionRef | null, env) => ({ prop: value === null ? undefined : env.option(value, env.path).id }),
    render: (_json, prop, p) => optionById(p, prop),
  },
  multi_select: {
    writable: true,
    input: z.array(zOptionRef).max(MAX_ITEMS_PER_REQUEST),
    store: (value: OptionRef[], env) => ({
      prop: nonEmpty([...new Set(value.map((v, i) => env.option(v, [...env.path, i]).id))]),
    }),
    render: (_json, prop, p) =>
      Array.isArray(prop) ? prop.map((id) => optionById(p, id)).filter((o) => o !== null) : [],
  },
  date: {
    writable: true,
    input: zDate,
    store(value: z.infer<typeof zDate>) {
      if (value === null) return { json: null };
      const tz = value.time_zone ?? null;
      const at = (s: string) => utcIso(toUtcMs(parseIsoDate(s)!, tz));
      return {
        json: { start: value.start, end: value.end ?? null, time_zone: tz },
        prop: { s: at(value.start), e: value.end ? at(value.end) : null },
      };
    },
    render: (json) => json ?? null,
  },
  people: {
    writable: true,
    input: z
      .array(z.object({ id: zId, object: z.literal('user').optional() }).passthrough())
      .max(MAX_ITEMS_PER_REQUEST),
    async store(value: { id: string }[], env) {
      const list = ids(value);
      await env.checkUsers(list, env.path);
      return { prop: nonEmpty(list) };
    },
    render: (_json, prop, _p, env) =>
      Array.isArray(prop) ? prop.slice(0, MAX_REFERENCES_IN_PAGE).map((id) => env.user(String(id))) : [],
  },
  files: {
    writable: true,
    input: z.array(zFile).max(MAX_ITEMS_PER_REQUEST),
    async store(value: FileInput[], env) {
      const json: { name: string }[] = [];
      for (const f of value) json.push(await storedFile(f, env.resolver));
      return { json, prop: nonEmpty(json.map((f) => fold(f.name))) };
    },
    render: (json) => json ?? [],
  },
  checkbox: {
    writable: true,
    input: z.boolean(),
    store: (value: boolean) => ({ prop: value ? true : undefined }),
    render: (_json, prop) => prop === true,
  },
  url: text(MAX_URL_LENGTH),
  email: text(MAX_EMAIL_LENGTH),
  phone_number: text(MAX_PHONE_LENGTH),
  relation: {
    writable: true,
    input: z.array(z.object({ id: zId }).strict()).max(MAX_ITEMS_PER_REQUEST),
    async store(value: { id: string }[], env) {
      const list = ids(value);
      await env.checkRelated(list, env.path);
      return { prop: nonEmpty(list) };
    },
    render: (_json, prop, _p, env) =>
      env
        .visible(Array.isArray(prop) ? prop.map(String) : [])
        .slice(0, MAX_REFERENCES_IN_PAGE)
        .map((id) => ({ id })),
  },
  formula: computed((_json, _prop, p, env) => env.computed(p)),
  rollup: computed((_json, _prop, p, env) => env.computed(p)),
  created_time: computed((_j, _p, _s, env) => toMinuteIso(env.row.created_time)),
  last_edited_time: computed((_j, _p, _s, env) => toMinuteIso(env.row.last_edited_time)),
  created_by: computed((_j, _p, _s, env) => env.user(env.row.created_by)),
  last_edited_by: computed((_j, _p, _s, env) => env.user(env.row.last_edited_by)),
  unique_id: computed((_json, prop, p) => ({
    prefix: (p.config.prefix as string | null | undefined) ?? null,
    number: typeof prop === 'number' ? prop : null,
  })),
};

/** The stored wire value of a property on a row, when it was written as the current type. */
export function storedJson(row: Pick<BlockRow, 'properties'>, p: PropertySchema): unknown {
  const entry = row.properties?.[p.id] as ({ type?: string } & Record<string, unknown>) | undefined;
  return entry && entry.type === p.type ? entry[p.type] : undefined;
}

/** A page's value of one property, as Notion answers it: `{id, type, <type>: value}` (+ `has_more` for relations). */
export function renderValue(row: BlockRow, p: PropertySchema, env: RenderEnv): Record<string, unknown> {
  const prop = row.props?.[p.id];
  const value = VALUE_TYPES[p.type].render(storedJson(row, p), prop, p, env);
  if (p.type !== 'relation') return { id: p.id, type: p.type, [p.type]: value };
  const visible = env.visible(Array.isArray(prop) ? prop.map(String) : []);
  return { id: p.id, type: 'relation', relation: value, has_more: visible.length > MAX_REFERENCES_IN_PAGE };
}
