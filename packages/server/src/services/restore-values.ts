// The inverse of rendering a database row's values (domain/properties/value-types.ts): from a page object's
// properties as the API answered them, the wire values kept in `properties` (by property id) and the comparable
// values in `props`. Formulas, rollups and the created/edited properties are computed on read: nothing is kept.
import { plainText } from '../domain/rich-text.js';
import { fold, VALUE_TYPES } from '../domain/properties/value-types.js';

type Json = Record<string, unknown>;

export interface RestoredValues {
  properties: Json;
  props: Json;
  title: string;
  /** unique_id values by property id (the data source's counters start after the largest) */
  uniqueIds: Record<string, number>;
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const nonEmpty = <T>(items: readonly T[]) => (items.length > 0 ? [...new Set(items)] : undefined);
const WIRE_KEPT = new Set(['title', 'rich_text', 'date', 'files', 'url', 'email', 'phone_number']);

/** One value's stored forms: its wire json (kept for the WIRE_KEPT types) and its comparable prop. */
function storedForms(
  type: string,
  value: unknown,
  references: string[] | undefined,
): { json?: unknown; prop?: unknown } {
  switch (type) {
    case 'title':
    case 'rich_text': {
      const plain = plainText(list(value) as { plain_text: string }[]);
      return { json: list(value), prop: plain ? fold(plain) : undefined };
    }
    case 'number':
      return { prop: typeof value === 'number' ? value : undefined };
    case 'select':
    case 'status':
      return { prop: (value as Json | null)?.id ?? undefined };
    case 'multi_select':
      return { prop: nonEmpty(list(value).map((o) => o.id)) };
    case 'date': {
      if (value === null || value === undefined) return { json: null };
      const store = VALUE_TYPES.date.store as (v: unknown) => { json?: unknown; prop?: unknown };
      return store(value);
    }
    case 'people':
    case 'relation':
      return { prop: nonEmpty(references ?? list(value).map((item) => String(item.id))) };
    case 'files':
      return { json: list(value), prop: nonEmpty(list(value).map((f) => fold(String(f.name ?? '')))) };
    case 'checkbox':
      return { prop: value === true ? true : undefined };
    case 'url':
    case 'email':
    case 'phone_number':
      return { json: value ?? null, prop: typeof value === 'string' ? fold(value) : undefined };
    case 'unique_id':
      return { prop: typeof (value as Json | null)?.number === 'number' ? (value as Json).number : undefined };
    default:
      return {};
  }
}

/** A row's stored values from its page object's `properties` (keyed by name, each `{id, type, <type>}`). */
export function restoreRowValues(properties: Json, references: Record<string, string[]> = {}): RestoredValues {
  const out: RestoredValues = { properties: {}, props: {}, title: '', uniqueIds: {} };
  for (const entry of Object.values(properties) as Json[]) {
    const id = String(entry.id);
    const type = String(entry.type);
    const forms = storedForms(type, entry[type], references[id]);
    if (WIRE_KEPT.has(type)) out.properties[id] = { id, type, [type]: forms.json ?? null };
    if (forms.prop !== undefined) out.props[id] = forms.prop;
    if (type === 'title') out.title = plainText(list(entry.title) as { plain_text: string }[]);
    if (type === 'unique_id' && typeof forms.prop === 'number') out.uniqueIds[id] = forms.prop;
  }
  return out;
}

/** A data source's schema as stored (data-sources.ts `schema.toWire()`): `{id, name, type, <type>}` by name. */
export function restoreSchema(properties: unknown): Json {
  const out: Json = {};
  for (const [name, entry] of Object.entries((properties ?? {}) as Record<string, Json>)) {
    const type = String(entry.type);
    out[name] = { id: entry.id, name: entry.name ?? name, type, [type]: entry[type] ?? {} };
  }
  return out;
}
