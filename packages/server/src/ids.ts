// Notion ids: UUIDs accepted dashed or as 32 hex digits, always emitted dashed and lowercase.
import { randomUUID } from 'node:crypto';

const UNDASHED = /^[0-9a-fA-F]{32}$/;
const DASHED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Returns the dashed lowercase form of an id, or null when it is not a UUID in either form. */
export function normalizeId(raw: string): string | null {
  if (DASHED.test(raw)) return raw.toLowerCase();
  if (UNDASHED.test(raw)) {
    const h = raw.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return null;
}

export function isId(raw: unknown): raw is string {
  return typeof raw === 'string' && normalizeId(raw) !== null;
}

export function newId(): string {
  return randomUUID();
}

export function undashed(id: string): string {
  return id.replace(/-/g, '');
}
