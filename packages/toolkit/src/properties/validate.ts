// Checks page property values against a database schema before anything is sent, and reports each
// problem in the words the API would use (reference §5.3–5.4, §9.2): unknown property, wrong type,
// size limits; plus what the API would silently do (a new select option is created).
import { ruleFor } from './property-types.js';
import type { DatabaseSchema, Problem, PropertySchema } from './types.js';

/** Finds a schema property by name, or by id (ids may arrive URL-encoded or decoded). */
export function findProperty(schema: DatabaseSchema, key: string): { name: string; property: PropertySchema } | null {
  const byName = schema[key];
  if (byName) return { name: key, property: byName };
  for (const [name, property] of Object.entries(schema)) {
    if (property.id === key || safeDecode(property.id) === key) return { name, property };
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The inner value of a request property, accepting `{type, <type>: …}`, `{<type>: …}` and, for titles, a bare
 * array.
 */
function innerValue(value: unknown, type: string): { found: boolean; inner: unknown } {
  if (type === 'title' && Array.isArray(value)) return { found: true, inner: value };
  if (!isRecord(value)) return { found: false, inner: undefined };
  if (value.type !== undefined && value.type !== type) return { found: false, inner: undefined };
  return type in value ? { found: true, inner: value[type] } : { found: false, inner: undefined };
}

function expectedShape(type: string, inner: unknown): boolean {
  switch (type) {
    case 'title':
    case 'rich_text':
    case 'multi_select':
    case 'people':
    case 'relation':
    case 'files':
      return Array.isArray(inner);
    case 'number':
      return inner === null || (typeof inner === 'number' && Number.isFinite(inner));
    case 'checkbox':
      return typeof inner === 'boolean';
    case 'url':
    case 'email':
    case 'phone_number':
      return inner === null || typeof inner === 'string';
    case 'select':
    case 'status':
      return inner === null || (isRecord(inner) && (typeof inner.name === 'string' || typeof inner.id === 'string'));
    case 'date':
      return inner === null || (isRecord(inner) && typeof inner.start === 'string');
    default:
      return true;
  }
}

function optionNames(property: PropertySchema): Set<string> | null {
  // The schema union has one member per type; reading `property[property.type]` needs the loose record view.
  const config = (property as unknown as Record<string, unknown>)[property.type];
  if (!isRecord(config) || !Array.isArray(config.options)) return null;
  return new Set(config.options.map((o: unknown) => (isRecord(o) ? String(o.name) : '')));
}

function optionProblems(name: string, property: PropertySchema, inner: unknown): Problem[] {
  const known = optionNames(property);
  if (!known) return [];
  const wanted =
    property.type === 'multi_select'
      ? (Array.isArray(inner) ? inner : []).map((o) => (isRecord(o) && typeof o.name === 'string' ? o.name : null))
      : [isRecord(inner) && typeof inner.name === 'string' ? inner.name : null];
  const problems: Problem[] = [];
  for (const option of wanted) {
    if (option === null || known.has(option)) continue;
    if (option.includes(',')) {
      problems.push({
        property: name,
        severity: 'error',
        message: `Option name "${option}" of ${name} contains a comma, which Notion does not allow in option names.`,
      });
    } else if (property.type === 'status') {
      problems.push({
        property: name,
        severity: 'error',
        message: `"${option}" is not an option of status property ${name}; status options cannot be created through the API.`,
      });
    } else {
      problems.push({
        property: name,
        severity: 'warning',
        message: `"${option}" is not yet an option of ${name}; Notion will create it.`,
      });
    }
  }
  return problems;
}

/**
 * Validates request-form page property values (`{ Name: { title: [...] }, Price: { number: 2.5 } }`)
 * against a database schema. Returns every problem; an empty list means the API should accept them.
 */
export function validate(schema: DatabaseSchema, values: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const found = findProperty(schema, key);
    if (!found) {
      problems.push({ property: key, severity: 'error', message: `${key} is not a property that exists.` });
      continue;
    }
    const { name, property } = found;
    const rule = ruleFor(property.type);
    const { found: hasType, inner } = innerValue(value, property.type);
    if (!hasType || !expectedShape(property.type, inner)) {
      problems.push({ property: name, severity: 'error', message: `${name} is expected to be ${property.type}.` });
      continue;
    }
    if (!rule.writable) {
      problems.push({
        property: name,
        severity: 'error',
        message: `${name} is a ${property.type} property, which cannot be set through the API.`,
      });
      continue;
    }
    for (const message of rule.check(inner, `body.properties.${name}`))
      problems.push({ property: name, severity: 'error', message });
    problems.push(...optionProblems(name, property, inner));
  }
  return problems;
}

export function errorsOnly(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Several problems in one sentence, as the API joins semantic errors (reference §5.3). */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => p.message).join(' ');
}
