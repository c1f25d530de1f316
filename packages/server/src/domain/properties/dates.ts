// Dates as Notion takes them (reference §9.2, §10.2): ISO 8601 date (`2023-02-23`) or datetime with or
// without an offset (`2020-12-08T12:00:00Z`, `…-04:00`), an optional IANA `time_zone` for datetimes
// without an offset. Stored for comparison as UTC `YYYY-MM-DDTHH:MM:SS.sssZ` strings, which order as text.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface ParsedDate {
  /** true for `YYYY-MM-DD` */
  dateOnly: boolean;
  /** true when the string carried `Z` or an offset */
  hasOffset: boolean;
  /** wall-clock fields as written */
  fields: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number };
  offsetMinutes: number;
}

export function parseIsoDate(raw: string): ParsedDate | null {
  const m = ISO.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const dateOnly = m[4] === undefined;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (h > 23 || mi > 59 || s > 59) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 18 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return { dateOnly, hasOffset: zone !== undefined, fields: { y, mo, d, h, mi, s, ms }, offsetMinutes };
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of an IANA zone from UTC at an instant, in milliseconds. */
function zoneOffsetMs(utcMs: number, tz: string): number {
  let fmt = zoneFormats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(tz, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** The instant a parsed date denotes: its own offset, else the time zone, else UTC. */
export function toUtcMs(date: ParsedDate, timeZone: string | null): number {
  const { y, mo, d, h, mi, s, ms } = date.fields;
  const wall = new Date(0);
  wall.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which maps years 0–99 to 1900–1999
  wall.setUTCHours(h, mi, s, ms);
  const local = wall.getTime();
  if (date.dateOnly) return local;
  if (date.hasOffset) return local - date.offsetMinutes * 60_000;
  if (!timeZone) return local;
  // Two passes settle the offset around daylight-saving changes.
  let guess = local - zoneOffsetMs(local, timeZone);
  guess = local - zoneOffsetMs(guess, timeZone);
  return guess;
}

export function utcIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(ms: number): string {
  return utcIso(ms).slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, days: number): string {
  return utcDay(dayStartMs(day) + days * 86_400_000);
}

export function addMonths(day: string, months: number): string {
  const d = new Date(dayStartMs(day));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const dim = daysInMonth(target.getUTCFullYear(), target.getUTCMonth() + 1);
  target.setUTCDate(Math.min(d.getUTCDate(), dim));
  return utcDay(target.getTime());
}

/** Monday of the ISO week containing `day` (weeks start on Monday, in UTC; see docs/limitations.md). */
export function weekStart(day: string): string {
  const dow = new Date(dayStartMs(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** Relative date values accepted where a date string is (reference §10.2 ⁺). */
export const RELATIVE_DATE_VALUES: Record<string, (today: string) => string> = {
  today: (t) => t,
  tomorrow: (t) => addDays(t, 1),
  yesterday: (t) => addDays(t, -1),
  one_week_ago: (t) => addDays(t, -7),
  one_week_from_now: (t) => addDays(t, 7),
  one_month_ago: (t) => addMonths(t, -1),
  one_month_from_now: (t) => addMonths(t, 1),
};

/** Day ranges [from, to) of the relative conditions, relative to today (UTC), both ends as days. */
export const RELATIVE_RANGES: Record<string, (today: string) => [string, string]> = {
  past_week: (t) => [addDays(t, -7), addDays(t, 1)],
  past_month: (t) => [addMonths(t, -1), addDays(t, 1)],
  past_year: (t) => [addMonths(t, -12), addDays(t, 1)],
  next_week: (t) => [t, addDays(t, 8)],
  next_month: (t) => [t, addDays(addMonths(t, 1), 1)],
  next_year: (t) => [t, addDays(addMonths(t, 12), 1)],
  this_week: (t) => [weekStart(t), addDays(weekStart(t), 7)],
};
