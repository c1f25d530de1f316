// Tabular records in and out: CSV (RFC 4180, header row), JSON (an array of objects) and NDJSON (one
// object per line). Records keep column order; values stay as parsed (CSV cells are strings).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const FORMATS = ['csv', 'json', 'ndjson'] as const;
export type RecordFormat = (typeof FORMATS)[number];
export type Row = Record<string, unknown>;

export interface RecordSet {
  readonly format: RecordFormat;
  readonly columns: string[];
  readonly rows: Row[];
  /** SHA-256 of the file's bytes: ties a journal to exactly this input. */
  readonly digest: string;
}

export class RecordFormatError extends Error {
  override name = 'RecordFormatError';
}

export function formatFromPath(path: string): RecordFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return null;
}

function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function asRow(value: unknown, where: string): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RecordFormatError(`${where} is not an object`);
  return value as Row;
}

export function parseRecords(text: string, format: RecordFormat, name = 'input'): Omit<RecordSet, 'digest'> {
  switch (format) {
    case 'csv': {
      let header: string[] = [];
      const rows = parse(text, {
        bom: true,
        skip_empty_lines: true,
        columns: (h: string[]) => (header = h.map((c) => c.trim())),
      }) as Row[];
      return { format, columns: header, rows };
    }
    case 'json': {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new RecordFormatError(`${name} is not valid JSON: ${(error as Error).message}`);
      }
      const list = Array.isArray(data)
        ? data
        : ((data as { results?: unknown; rows?: unknown } | null)?.results ??
          (data as { rows?: unknown } | null)?.rows);
      if (!Array.isArray(list)) throw new RecordFormatError(`${name} must hold a JSON array of objects`);
      const rows = list.map((item, i) => asRow(item, `${name}[${i}]`));
      return { format, columns: columnsOf(rows), rows };
    }
    case 'ndjson': {
      const rows: Row[] = [];
      text.split('\n').forEach((line, i) => {
        if (!line.trim()) return;
        try {
          rows.push(asRow(JSON.parse(line), `${name} line ${i + 1}`));
        } catch (error) {
          if (error instanceof RecordFormatError) throw error;
          throw new RecordFormatError(`${name} line ${i + 1} is not valid JSON`);
        }
      });
      return { format, columns: columnsOf(rows), rows };
    }
  }
}

export async function readRecords(path: string, format?: RecordFormat): Promise<RecordSet> {
  const chosen = format ?? formatFromPath(path);
  if (!chosen)
    throw new RecordFormatError(`cannot tell the format of ${path} from its extension; pass --format csv|json|ndjson`);
  const bytes = await readFile(path);
  const parsed = parseRecords(bytes.toString('utf8'), chosen, path);
  return { ...parsed, digest: createHash('sha256').update(bytes).digest('hex') };
}

export function formatRecords(format: RecordFormat, columns: readonly string[], rows: readonly Row[]): string {
  switch (format) {
    case 'csv':
      return stringify(
        rows.map((row) => columns.map((c) => cellText(row[c]))),
        { header: true, columns: [...columns] },
      );
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'ndjson':
      return rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
