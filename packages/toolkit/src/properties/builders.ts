// Typed builders for page property values, one per writable type, so callers never hand-write the
// request shapes. Text is split into ≤ 2000-character items; values come out as the SDK's types.
import { richText, type TextItemRequest } from './rich-text.js';
import type { PropertyValueRequest } from './types.js';

type Color = NonNullable<TextItemRequest['annotations']>['color'];

export const prop = {
  title: (text: string): PropertyValueRequest => ({ title: richText(text) }),
  richText: (
    text: string,
    options: { link?: string; annotations?: TextItemRequest['annotations'] } = {},
  ): PropertyValueRequest => ({ rich_text: richText(text, options) }),
  number: (value: number | null): PropertyValueRequest => ({ number: value }),
  select: (name: string | null, color?: Color): PropertyValueRequest => ({
    select: name === null ? null : { name, ...(color ? { color } : {}) },
  }),
  multiSelect: (names: readonly string[]): PropertyValueRequest => ({ multi_select: names.map((name) => ({ name })) }),
  status: (name: string | null): PropertyValueRequest => ({ status: name === null ? null : { name } }),
  date: (start: string | Date | null, end?: string | Date | null, timeZone?: string): PropertyValueRequest => {
    if (start === null) return { date: null };
    const iso = (d: string | Date) => (typeof d === 'string' ? d : d.toISOString());
    return {
      date: {
        start: iso(start),
        ...(end ? { end: iso(end) } : {}),
        ...(timeZone ? { time_zone: timeZone as never } : {}),
      },
    };
  },
  people: (userIds: readonly string[]): PropertyValueRequest => ({ people: userIds.map((id) => ({ id })) }),
  files: (files: readonly (string | { name: string; url: string })[]): PropertyValueRequest => ({
    files: files.map((f) =>
      typeof f === 'string'
        ? { name: f.split('/').pop()?.slice(0, 100) || 'file', external: { url: f } }
        : { name: f.name, external: { url: f.url } },
    ),
  }),
  checkbox: (checked: boolean): PropertyValueRequest => ({ checkbox: checked }),
  url: (url: string | null): PropertyValueRequest => ({ url }),
  email: (email: string | null): PropertyValueRequest => ({ email }),
  phoneNumber: (phone: string | null): PropertyValueRequest => ({ phone_number: phone }),
  relation: (pageIds: readonly string[]): PropertyValueRequest => ({ relation: pageIds.map((id) => ({ id })) }),
} as const;
