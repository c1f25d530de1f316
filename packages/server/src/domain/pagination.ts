// Cursor pagination (reference §7): page_size ≤ 100 (default 100); the cursor is the id of the first
// item of the next page, as Notion's block-children cursors are; the envelope is built in one place.
import { z } from 'zod';
import { isId, normalizeId } from '../ids.js';
import { ApiError } from '../errors.js';
import { renderPath, renderValue, type Location } from './validation.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 100;

export interface PageRequest {
  startCursor: string | null;
  pageSize: number;
}

/** Reads start_cursor/page_size from a query string (GET) or a body (POST). */
export function readPageRequest(location: Location, raw: { start_cursor?: unknown; page_size?: unknown }): PageRequest {
  let pageSize = DEFAULT_PAGE_SIZE;
  if (raw.page_size !== undefined) {
    const n =
      location === 'query' && typeof raw.page_size === 'string' && raw.page_size.trim() !== ''
        ? Number(raw.page_size)
        : raw.page_size;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new ApiError(
        'validation_error',
        `${location} failed validation: ${renderPath(location, ['page_size'])} should be a number or \`undefined\`, instead was ${renderValue(raw.page_size)}.`,
      );
    }
    if (n > MAX_PAGE_SIZE) {
      throw new ApiError(
        'validation_error',
        `${location} failed validation: ${renderPath(location, ['page_size'])} should be ≤ \`${MAX_PAGE_SIZE}\` or \`undefined\`, instead was \`${n}\`.`,
      );
    }
    if (n < 1 || !Number.isInteger(n)) {
      throw new ApiError(
        'validation_error',
        `${location} failed validation: ${renderPath(location, ['page_size'])} should be a positive integer or \`undefined\`, instead was \`${n}\`.`,
      );
    }
    pageSize = n;
  }
  let startCursor: string | null = null;
  if (raw.start_cursor !== undefined && raw.start_cursor !== null) {
    if (!isId(raw.start_cursor)) {
      throw new ApiError(
        'validation_error',
        `${location} failed validation: ${renderPath(location, ['start_cursor'])} should be a valid uuid or \`undefined\`, instead was ${renderValue(raw.start_cursor)}.`,
      );
    }
    startCursor = normalizeId(raw.start_cursor);
  }
  return { startCursor, pageSize };
}

/** Zod fields for bodies that carry cursor parameters (validated again, precisely, by readPageRequest). */
export const zPageFields = { start_cursor: z.unknown().optional(), page_size: z.unknown().optional() };

export interface ListEnvelope {
  object: 'list';
  results: unknown[];
  next_cursor: string | null;
  has_more: boolean;
  type: string;
  [key: string]: unknown;
}

/**
 * Builds the list envelope from rows fetched with LIMIT pageSize + 1: the extra row, if any, is the
 * next page's first item and its id the cursor.
 */
export function listEnvelope<Row extends { id: string }>(
  type: string,
  rows: readonly Row[],
  pageSize: number,
  serialize: (row: Row) => unknown,
  typeObject: Record<string, unknown> = {},
): ListEnvelope {
  const page = rows.slice(0, pageSize);
  const next = rows.length > pageSize ? rows[pageSize] : undefined;
  return {
    object: 'list',
    results: page.map(serialize),
    next_cursor: next ? next.id : null,
    has_more: next !== undefined,
    type,
    [type]: typeObject,
  };
}
