// `clone --redact`: a bundle fit to share publicly. Text content, titles, URLs, emails and names become fakes of
// the same length (letters stay letters of the same case, digits stay digits, the rest is kept), the same text
// always giving the same fake — so a mention's text still matches its page's title. Ids, structure, schemas
// (property names, options), relations, dates, numbers and checkboxes are kept.
import { createHash } from 'node:crypto';
import type { CloneBundle } from './bundle.js';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The same-length fake of a text: every letter and digit shifted by a step (1–25 or 1–9) the text picks. */
export function fakeText(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let i = 0;
  let out = '';
  for (const ch of text) {
    const step = digest[i++ % digest.length]!;
    const code = ch.charCodeAt(0);
    if (ch >= 'a' && ch <= 'z') out += String.fromCharCode(97 + ((code - 97 + 1 + (step % 25)) % 26));
    else if (ch >= 'A' && ch <= 'Z') out += String.fromCharCode(65 + ((code - 65 + 1 + (step % 25)) % 26));
    else if (ch >= '0' && ch <= '9') out += String.fromCharCode(48 + ((code - 48 + 1 + (step % 9)) % 10));
    else if (/\p{L}/u.test(ch)) out += 'x';
    else out += ch;
  }
  return out;
}

/** A URL's fake: its scheme kept, the rest faked. */
function fakeUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(url);
  return match ? `${match[1]}${fakeText(match[2]!)}` : fakeText(url);
}

/** A rich text item: its text, link, equation and plain text faked alike. */
function redactRichText(item: Json): void {
  const plain = typeof item.plain_text === 'string' ? item.plain_text : '';
  item.plain_text = fakeText(plain);
  if (typeof item.href === 'string') item.href = fakeUrl(item.href);
  const text = item.text;
  if (isRecord(text)) {
    if (typeof text.content === 'string') text.content = fakeText(text.content);
    if (isRecord(text.link) && typeof text.link.url === 'string') text.link.url = fakeUrl(text.link.url);
  }
  const equation = item.equation;
  if (isRecord(equation) && typeof equation.expression === 'string')
    equation.expression = fakeText(equation.expression);
  const mention = item.mention;
  if (isRecord(mention)) walk(mention);
}

/** A property value whose type holds free text or a URL. */
const TEXT_VALUES = new Set(['url', 'email', 'phone_number']);
/** Keys whose string values are free text or addresses wherever they appear. */
const TEXT_KEYS = new Set(['name', 'email', 'workspace_name', 'resolved_name', 'expression']);
const URL_KEYS = new Set(['url']);
/** Objects whose `name` is structure (schema properties, options, status groups), not content. */
const isSchemaLike = (node: Json) =>
  typeof node.color === 'string' || (typeof node.type === 'string' && typeof node.id === 'string' && !node.object);

function walk(node: unknown, parentKey = ''): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, parentKey);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.plain_text === 'string') {
    redactRichText(node);
    return;
  }
  const valueKey = typeof node.type === 'string' && TEXT_VALUES.has(node.type) ? node.type : null;
  if (valueKey && typeof node[valueKey] === 'string')
    node[valueKey] = valueKey === 'url' ? fakeUrl(node[valueKey] as string) : fakeText(node[valueKey] as string);
  const keepNames = parentKey === 'properties' || isSchemaLike(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === valueKey) continue;
    if (typeof value === 'string') {
      if (TEXT_KEYS.has(key) && !(key === 'name' && keepNames && node.object !== 'user')) node[key] = fakeText(value);
      else if (URL_KEYS.has(key) && parentKey !== 'root') node[key] = fakeUrl(value);
    } else walk(value, key);
  }
}

/** A copy of the bundle with its text replaced by same-length fakes. */
export function redactBundle(bundle: CloneBundle): CloneBundle {
  const copy = structuredClone(bundle);
  const schemas = [...copy.databases, ...copy.data_sources];
  for (const schema of schemas) {
    walk(schema.title);
    walk(schema.description);
  }
  for (const list of [copy.pages, copy.blocks, copy.comments, copy.users, [copy.me]]) walk(list, 'root');
  return copy;
}
