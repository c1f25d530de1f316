// Every property type as one row of a table: is it writable, how a plain value (a CSV cell, a JSON
// field) becomes a request value, how a page's value becomes plain again (export, sync comparisons),
// and which request shapes the API refuses (reference §6.3, §9.2). Add a type here, nowhere else.
import { MAX_ARRAY_LENGTH, MAX_TEXT_CONTENT_LENGTH, plainText, richText } from './rich-text.js';
import type { PagePropertyValue, PlainDate, PlainValue, PropertyType, PropertyValueRequest } from './types.js';

export const INVALID: unique symbol = Symbol('invalid');
export type Coerced = PlainValue | typeof INVALID;

export interface PropertyRule {
  readonly writable: boolean;
  /** A plain value or its text form → the plain value, or INVALID. */
  coerce(input: unknown): Coerced;
  /** Plain → request value (writable types only). */
  toRequest(plain: PlainValue): PropertyValueRequest;
  fromResponse(value: PagePropertyValue): PlainValue;
  toText(plain: PlainValue): string;
  /** Size/shape problems of a request's inner value, in the API's words (`at` = `body.properties.<Name>`). */
  check(inner: unknown, at: string): string[];
}

const MAX_URL_LENGTH = 2000;
const MAX_EMAIL_LENGTH = 200;
const MAX_PHONE_LENGTH = 200;
const UUID_32 = /^[0-9a-f]{32}$/i;

/** Notion's validation grammar (reference §5.3). */
export function tooLong(path: string, limit: number, actual: number): string {
  return `body failed validation: ${path} should be ≤ \`${limit}\`, instead was \`${actual}\`.`;
}

const asString = (plain: PlainValue): string =>
  typeof plain === 'string' ? plain : plain === null ? '' : String(plain);
const asList = (plain: PlainValue): string[] =>
  Array.isArray(plain) ? plain : typeof plain === 'string' && plain !== '' ? [plain] : [];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function normalizeId(id: string): string {
  const trimmed = id.trim().toLowerCase();
  return UUID_32.test(trimmed)
    ? `${trimmed.slice(0, 8)}-${trimmed.slice(8, 12)}-${trimmed.slice(12, 16)}-${trimmed.slice(16, 20)}-${trimmed.slice(20)}`
    : trimmed;
}

function coerceText(input: unknown): Coerced {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return INVALID;
}

function coerceNullableString(input: unknown): Coerced {
  if (input === null || input === undefined) return null;
  if (typeof input === 'number') return String(input);
  if (typeof input !== 'string') return INVALID;
  const trimmed = input.trim();
  return trimmed === '' ? null : trimmed;
}

function coerceList(input: unknown): Coerced {
  if (input === null || input === undefined || input === '') return [];
  if (Array.isArray(input)) {
    const items = input.map((x) => (isRecord(x) ? (x.name ?? x.url ?? x.id) : x));
    if (!items.every((x) => typeof x === 'string')) return INVALID;
    return (items as string[]).map((x) => x.trim()).filter((x) => x !== '');
  }
  if (typeof input !== 'string') return INVALID;
  return input
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function coerceIds(input: unknown): Coerced {
  const list = coerceList(input);
  return Array.isArray(list) ? list.map(normalizeId) : list;
}

const NUMBER_TEXT = /^[-+]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?([eE][-+]?\d+)?$/;

function coerceNumber(input: unknown): Coerced {
  if (input === null || input === undefined) return null;
  if (typeof input === 'number') return Number.isFinite(input) ? input : INVALID;
  if (typeof input !== 'string') return INVALID;
  const trimmed = input.trim();
  if (trimmed === '') return null;
  if (!NUMBER_TEXT.test(trimmed) || !/\d/.test(trimmed)) return INVALID;
  return Number(trimmed.replace(/,/g, ''));
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'x', '✓', '✔', 'checked', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', '', 'unchecked', 'off']);

function coerceCheckbox(input: unknown): Coerced {
  if (typeof input === 'boolean') return input;
  if (input === null || input === undefined) return false;
  const word = String(input).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return INVALID;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function coerceDate(input: unknown): Coerced {
  if (input === null || input === undefined || input === '') return null;
  if (isRecord(input)) {
    const { start, end, time_zone: tz } = input;
    if (typeof start !== 'string' || !ISO_DATE.test(start)) return INVALID;
    if (end !== undefined && end !== null && (typeof end !== 'string' || !ISO_DATE.test(end))) return INVALID;
    return { start, end: typeof end === 'string' ? end : null, time_zone: typeof tz === 'string' ? tz : null };
  }
  if (typeof input !== 'string') return INVALID;
  const [start = '', end, ...more] = input.trim().split(/\s*(?:\/|→)\s*/);
  if (more.length > 0 || !ISO_DATE.test(start) || (end !== undefined && end !== '' && !ISO_DATE.test(end)))
    return INVALID;
  return { start, end: end ? end : null, time_zone: null };
}

function dateText(plain: PlainValue): string {
  if (!isRecord(plain)) return '';
  // `isRecord` narrows to a plain record; a record here is the PlainDate member of PlainValue.
  const d = plain as unknown as PlainDate;
  return d.end ? `${d.start}/${d.end}` : d.start;
}

function checkRichText(inner: unknown, at: string, key: string): string[] {
  if (!Array.isArray(inner)) return [];
  const problems: string[] = [];
  if (inner.length > MAX_ARRAY_LENGTH) problems.push(tooLong(`${at}.${key}.length`, MAX_ARRAY_LENGTH, inner.length));
  inner.forEach((item, i) => {
    const content = isRecord(item) && isRecord(item.text) ? item.text.content : undefined;
    if (typeof content === 'string' && content.length > MAX_TEXT_CONTENT_LENGTH) {
      problems.push(tooLong(`${at}.${key}[${i}].text.content.length`, MAX_TEXT_CONTENT_LENGTH, content.length));
    }
  });
  return problems;
}

function checkStringLength(limit: number, key: string) {
  return (inner: unknown, at: string): string[] =>
    typeof inner === 'string' && inner.length > limit ? [tooLong(`${at}.${key}.length`, limit, inner.length)] : [];
}

function checkArrayLength(key: string) {
  return (inner: unknown, at: string): string[] =>
    Array.isArray(inner) && inner.length > MAX_ARRAY_LENGTH
      ? [tooLong(`${at}.${key}.length`, MAX_ARRAY_LENGTH, inner.length)]
      : [];
}

const noChecks = (): string[] => [];
const notWritable = (): never => {
  throw new Error('this property type is read-only');
};

/** Loosely typed access to a response value's inner part (the SDK's union is exhaustive but deep). */
function innerOf(value: PagePropertyValue): unknown {
  // The SDK's value union has one member per type; reading `value[value.type]` needs the loose record view.
  return (value as unknown as Record<string, unknown>)[value.type];
}

function textRule(key: 'title' | 'rich_text'): PropertyRule {
  return {
    writable: true,
    coerce: coerceText,
    toRequest: (plain) =>
      key === 'title' ? { title: richText(asString(plain)) } : { rich_text: richText(asString(plain)) },
    fromResponse: (v) => plainText(innerOf(v) as never),
    toText: asString,
    check: (inner, at) => checkRichText(inner, at, key),
  };
}

function nullableStringRule(key: 'url' | 'email' | 'phone_number', limit: number): PropertyRule {
  return {
    writable: true,
    coerce: coerceNullableString,
    toRequest: (plain) => {
      const value = plain === null || plain === '' ? null : asString(plain);
      return key === 'url' ? { url: value } : key === 'email' ? { email: value } : { phone_number: value };
    },
    fromResponse: (v) => (innerOf(v) as string | null) ?? null,
    toText: asString,
    check: checkStringLength(limit, key),
  };
}

function optionRule(key: 'select' | 'status'): PropertyRule {
  return {
    writable: true,
    coerce: coerceNullableString,
    toRequest: (plain) => {
      const option = plain === null || plain === '' ? null : { name: asString(plain) };
      return key === 'select' ? { select: option } : { status: option };
    },
    fromResponse: (v) => (innerOf(v) as { name?: string } | null)?.name ?? null,
    toText: asString,
    check: noChecks,
  };
}

function idListRule(key: 'people' | 'relation'): PropertyRule {
  return {
    writable: true,
    coerce: coerceIds,
    toRequest: (plain) => {
      const ids = asList(plain).map((id) => ({ id }));
      return key === 'people' ? { people: ids } : { relation: ids };
    },
    fromResponse: (v) => ((innerOf(v) as { id: string }[] | null) ?? []).map((x) => normalizeId(x.id)),
    toText: (plain) => asList(plain).join(', '),
    check: checkArrayLength(key),
  };
}

function readOnlyRule(fromResponse: (v: PagePropertyValue) => PlainValue): PropertyRule {
  return {
    writable: false,
    coerce: (input) => (input === undefined ? null : (input as PlainValue)),
    toRequest: notWritable,
    fromResponse,
    toText: (plain) => (isRecord(plain) ? dateText(plain) : Array.isArray(plain) ? plain.join(', ') : asString(plain)),
    check: noChecks,
  };
}

function fileName(url: string): string {
  const last = url.split('?')[0]?.split('/').filter(Boolean).pop() ?? '';
  return (last ? decodeURIComponent(last) : 'file').slice(0, 100);
}

function formulaOrRollupValue(inner: unknown): PlainValue {
  if (!isRecord(inner) || typeof inner.type !== 'string') return null;
  const value = inner[inner.type];
  // A formula/rollup date is the response's date object, which has the PlainDate shape.
  if (inner.type === 'date') return isRecord(value) ? (value as unknown as PlainDate) : null;
  if (inner.type === 'array' && Array.isArray(value)) {
    return value.map((item) => {
      const plain =
        isRecord(item) && typeof item.type === 'string'
          ? PROPERTY_RULES[item.type as PropertyType]?.fromResponse(item as never)
          : null;
      return Array.isArray(plain) ? plain.join(', ') : isRecord(plain) ? dateText(plain) : asString(plain ?? null);
    });
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

export const PROPERTY_RULES: Record<PropertyType, PropertyRule> = {
  title: textRule('title'),
  rich_text: textRule('rich_text'),
  number: {
    writable: true,
    coerce: coerceNumber,
    toRequest: (plain) => ({ number: typeof plain === 'number' ? plain : null }),
    fromResponse: (v) => (innerOf(v) as number | null) ?? null,
    toText: asString,
    check: noChecks,
  },
  select: optionRule('select'),
  status: optionRule('status'),
  multi_select: {
    writable: true,
    coerce: coerceList,
    toRequest: (plain) => ({ multi_select: asList(plain).map((name) => ({ name })) }),
    fromResponse: (v) => ((innerOf(v) as { name: string }[] | null) ?? []).map((o) => o.name),
    toText: (plain) => asList(plain).join(', '),
    check: checkArrayLength('multi_select'),
  },
  date: {
    writable: true,
    coerce: coerceDate,
    toRequest: (plain) => {
      if (!isRecord(plain)) return { date: null };
      // `isRecord` narrows to a plain record; a record here is the PlainDate member of PlainValue.
      const d = plain as unknown as PlainDate;
      return {
        date: {
          start: d.start,
          ...(d.end ? { end: d.end } : {}),
          ...(d.time_zone ? { time_zone: d.time_zone as never } : {}),
        },
      };
    },
    fromResponse: (v) => {
      const d = innerOf(v) as PlainDate | null;
      return d ? { start: d.start, end: d.end ?? null, time_zone: d.time_zone ?? null } : null;
    },
    toText: dateText,
    check: noChecks,
  },
  people: idListRule('people'),
  relation: idListRule('relation'),
  files: {
    writable: true,
    coerce: coerceList,
    toRequest: (plain) => ({ files: asList(plain).map((url) => ({ name: fileName(url), external: { url } })) }),
    fromResponse: (v) =>
      ((innerOf(v) as Record<string, unknown>[] | null) ?? []).map((f) => {
        const inner = f[f.type as string];
        return isRecord(inner) && typeof inner.url === 'string' ? inner.url : String(f.name ?? '');
      }),
    toText: (plain) => asList(plain).join(', '),
    check: checkArrayLength('files'),
  },
  checkbox: {
    writable: true,
    coerce: coerceCheckbox,
    toRequest: (plain) => ({ checkbox: plain === true }),
    fromResponse: (v) => innerOf(v) === true,
    toText: (plain) => (plain === true ? 'true' : 'false'),
    check: noChecks,
  },
  url: nullableStringRule('url', MAX_URL_LENGTH),
  email: nullableStringRule('email', MAX_EMAIL_LENGTH),
  phone_number: nullableStringRule('phone_number', MAX_PHONE_LENGTH),
  formula: readOnlyRule((v) => formulaOrRollupValue(innerOf(v))),
  rollup: readOnlyRule((v) => formulaOrRollupValue(innerOf(v))),
  created_time: readOnlyRule((v) => (innerOf(v) as string | null) ?? null),
  last_edited_time: readOnlyRule((v) => (innerOf(v) as string | null) ?? null),
  created_by: readOnlyRule((v) => (innerOf(v) as { id?: string } | null)?.id ?? null),
  last_edited_by: readOnlyRule((v) => (innerOf(v) as { id?: string } | null)?.id ?? null),
  unique_id: readOnlyRule((v) => {
    const u = innerOf(v) as { prefix: string | null; number: number | null } | null;
    if (!u || u.number === null) return null;
    return u.prefix ? `${u.prefix}-${u.number}` : String(u.number);
  }),
  verification: readOnlyRule((v) => (innerOf(v) as { state?: string } | null)?.state ?? null),
  button: readOnlyRule(() => null),
};

/** The rule for a type, with a read-only fallback for types newer than this table. */
export function ruleFor(type: string): PropertyRule {
  return PROPERTY_RULES[type as PropertyType] ?? readOnlyRule((v) => JSON.stringify(innerOf(v) ?? null));
}

const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Offset of an IANA zone from UTC at `utcMs`, in ms (0 for an unknown zone). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  try {
    const parts: Record<string, number> = {};
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return (
      Date.UTC(
        parts.year ?? 1970,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      ) -
      Math.floor(utcMs / 1000) * 1000
    );
  } catch {
    return 0;
  }
}

/**
 * A date bound as a comparable key: a date stays a date; a datetime becomes its instant (its offset,
 * else the time zone, else UTC), so `09:30+02:00` and `09:30:00.000+02:00` (how Notion echoes it) match.
 */
function dateKey(value: string, timeZone: string | null): string {
  const m = DATE_PARTS.exec(value.trim());
  if (!m) return value;
  if (m[4] === undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  const wall = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')),
  );
  const zone = m[8];
  let utc = wall;
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    utc = wall - (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  } else if (!zone && timeZone) {
    utc = wall - zoneOffsetMs(wall - zoneOffsetMs(wall, timeZone), timeZone);
  }
  return new Date(utc).toISOString();
}

function sameDate(a: PlainDate | null, b: PlainDate | null): boolean {
  if (a === null || b === null) return a === b;
  if (dateKey(a.start, a.time_zone) !== dateKey(b.start, b.time_zone)) return false;
  if ((a.end ? dateKey(a.end, a.time_zone) : null) !== (b.end ? dateKey(b.end, b.time_zone) : null)) return false;
  // A time zone is compared only when both sides name one (Notion may answer with an offset instead).
  return a.time_zone === null || b.time_zone === null || a.time_zone === b.time_zone;
}

/**
 * Plain values compared as sync does: lists of options/ids/files as sets, numbers by value, dates by
 * the day or instant they denote.
 */
export function samePlain(type: string, a: PlainValue, b: PlainValue): boolean {
  if (type === 'date') {
    // `isRecord` narrows to a plain record; a record here is the PlainDate member of PlainValue.
    const asDate = (v: PlainValue) => (isRecord(v) ? (v as unknown as PlainDate) : null);
    if ((a === null || isRecord(a)) && (b === null || isRecord(b))) return sameDate(asDate(a), asDate(b));
  }
  const norm = (v: PlainValue): string => {
    if (Array.isArray(v))
      return JSON.stringify(
        type === 'multi_select' || type === 'people' || type === 'relation' || type === 'files' ? [...v].sort() : v,
      );
    if (type === 'title' || type === 'rich_text') return JSON.stringify(v ?? '');
    return JSON.stringify(v ?? null);
  };
  return norm(a) === norm(b);
}
