// The title of a page that is not a database row: one `title` property (reference §11.6), whoever writes it.
// The API gives it as rich text; a person (portal) or a seed gives plain text.
import { z } from 'zod';
import { errors } from '../errors.js';
import { plainText, textRichText, zRichText, type RichText, type RichTextInput } from '../domain/rich-text.js';
import { parseWith } from '../domain/validation.js';

const zTitleValue = z.union([
  zRichText,
  z.object({ id: z.literal('title').optional(), type: z.literal('title').optional(), title: zRichText }).strict(),
]);
const zTitleProperties = z.object({ properties: z.object({ title: zTitleValue }) });

/** The title in an API body's `properties`, or undefined when none is given; any other property is refused. */
export function readTitle(properties: Record<string, unknown> | undefined): RichTextInput[] | undefined {
  if (!properties) return undefined;
  const unknown = Object.keys(properties).filter((k) => k !== 'title');
  if (unknown.length > 0) throw errors.validation(unknown.map((k) => `${k} is not a property that exists.`).join(' '));
  if (!('title' in properties)) return undefined;
  // Parsed in place so validation messages name the full path (body.properties.title…).
  const value = parseWith(zTitleProperties, { properties: { title: properties.title } }).properties.title;
  return Array.isArray(value) ? value : value.title;
}

/** The stored `properties` of a page with this (normalised) title. */
export function titleProperties(title: readonly RichText[]): Record<string, unknown> {
  return { title: { id: 'title', type: 'title', title } };
}

/** A plain-text title as rich text: one text item, none for the empty title. */
export function plainTitle(title: string): RichText[] {
  return title ? textRichText(title) : [];
}

/** The columns a title is stored in: the `title` property (what the API returns) and the search column. */
export function titleColumns(title: readonly RichText[]): { properties: Record<string, unknown>; title: string } {
  return { properties: titleProperties(title), title: plainText(title) };
}
