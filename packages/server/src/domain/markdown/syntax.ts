// Small pieces of Notion's enhanced Markdown syntax shared by the renderer and the parser: tag attributes
// (`name="value"`) and a block's trailing attribute braces (`{color="red" toggle="true"}`).
import { API_COLORS } from '../validation.js';

type ApiColor = (typeof API_COLORS)[number];

/** An attribute value in double quotes (`"` and `&` as entities). */
export function quoteAttribute(value: string): string {
  return `"${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
}

const unquote = (value: string) => value.replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** `a="1" b="2"` as `{a:"1", b:"2"}`. */
export function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = unquote(m[2]!);
  return out;
}

/** ` name="value"` for each pair with a value, in order. */
export function attributes(pairs: readonly (readonly [string, string | null | undefined])[]): string {
  return pairs
    .filter((p): p is readonly [string, string] => typeof p[1] === 'string')
    .map(([k, v]) => ` ${k}=${quoteAttribute(v)}`)
    .join('');
}

/** ` {name="value" …}` for the pairs with a value, or '' when none has one. */
export function braces(pairs: readonly (readonly [string, string | null | undefined])[]): string {
  const inner = attributes(pairs).trim();
  return inner ? ` {${inner}}` : '';
}

/** A color worth writing, in Markdown's spelling (`red_bg` for `red_background`); null for the default. */
export const colorOf = (color: unknown): string | null =>
  typeof color === 'string' && color !== 'default' ? color.replace(/_background$/, '_bg') : null;

/** A color written in Markdown as the API spells it, or undefined when it names no color. */
export function apiColor(color: string | undefined): ApiColor | undefined {
  const spelt = color?.replace(/_bg$/, '_background');
  return (API_COLORS as readonly string[]).includes(spelt ?? '') ? (spelt as ApiColor) : undefined;
}

const TRAILING_BRACES = /\s*\{((?:[\w-]+="[^"]*"\s*)+)\}\s*$/;

/** A line's text without its trailing attribute braces, and those attributes. */
export function splitBraces(line: string): { text: string; attrs: Record<string, string> } {
  const m = TRAILING_BRACES.exec(line);
  if (!m || line[m.index - 1] === '\\') return { text: line, attrs: {} };
  return { text: line.slice(0, m.index), attrs: parseAttributes(m[1]!) };
}
