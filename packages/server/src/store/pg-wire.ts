// The few PostgreSQL wire-protocol messages the PGlite driver exchanges (pglite-statements.ts), encoded and
// decoded directly on byte arrays. PGlite ships a general codec, but it copies every field into a fresh
// buffer before decoding it and keeps its state in WeakMap-backed private fields; on a page read that was
// about a fifth of the server's CPU. Message formats: https://www.postgresql.org/docs/current/protocol-message-formats.html
import { messages } from '@electric-sql/pglite';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // a cell starting with U+FEFF keeps it, as with pg

/** Builds one message: a type byte, an int32 length (itself included), the body. */
class MessageWriter {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private offset = 0;

  private ensure(n: number): void {
    if (this.offset + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.offset + n));
    bigger.set(this.buffer.subarray(0, this.offset));
    this.buffer = bigger;
    this.view = new DataView(bigger.buffer);
  }

  start(type: number): this {
    this.offset = 0;
    this.ensure(5);
    this.buffer[0] = type;
    this.offset = 5;
    return this;
  }

  int16(n: number): this {
    this.ensure(2);
    this.view.setInt16(this.offset, n);
    this.offset += 2;
    return this;
  }

  int32(n: number): this {
    this.ensure(4);
    this.view.setInt32(this.offset, n);
    this.offset += 4;
    return this;
  }

  byte(n: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = n;
    return this;
  }

  /** UTF-8 text, with a terminating NUL when `cstring`. */
  text(s: string, cstring = true): this {
    this.ensure(s.length * 3 + 1);
    this.offset += encoder.encodeInto(s, this.buffer.subarray(this.offset)).written;
    if (cstring) this.buffer[this.offset++] = 0;
    return this;
  }

  /** Length-prefixed UTF-8 text (a Bind parameter); -1 for NULL. */
  lengthPrefixed(s: string | null): this {
    if (s === null) return this.int32(-1);
    const at = this.offset;
    this.int32(0);
    const start = this.offset;
    this.text(s, false);
    this.view.setInt32(at, this.offset - start);
    return this;
  }

  end(): Uint8Array {
    this.view.setInt32(1, this.offset - 1);
    const message = this.buffer.slice(0, this.offset);
    if (this.buffer.length > 1 << 20) {
      // one large Bind (a big JSON value) must not keep its buffer for the life of the process
      this.buffer = new Uint8Array(256);
      this.view = new DataView(this.buffer.buffer);
    }
    return message;
  }
}

const writer = new MessageWriter();

const P = 0x50,
  B = 0x42,
  E = 0x45,
  D = 0x44,
  S = 0x53,
  C = 0x43,
  Q = 0x51;

export const wire = {
  parse: (name: string, sql: string) => writer.start(P).text(name).text(sql).int16(0).end(),
  describeStatement: (name: string) => writer.start(D).byte(S).text(name).end(),
  closeStatement: (name: string) => writer.start(C).byte(S).text(name).end(),
  /** Bind to the unnamed portal, every parameter and result column in text format. */
  bind(statement: string, values: readonly (string | null)[]): Uint8Array {
    writer.start(B).text('').text(statement).int16(0).int16(values.length);
    for (const v of values) writer.lengthPrefixed(v);
    return writer.int16(0).end();
  },
  execute: writer.start(E).text('').int32(0).end(),
  sync: writer.start(S).end(),
  query: (sql: string) => writer.start(Q).text(sql).end(),
};

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

export interface Field {
  name: string;
  dataTypeID: number;
}

/** What a reply held: described parameters and columns, data rows as text cells, command tags, an error. */
export interface Reply {
  paramTypes: number[] | null;
  fields: Field[] | null;
  rows: (string | null)[][];
  tags: string[];
  error: Error | null;
  /** A ReadyForQuery ended it: Postgres finished the request (anything else is a partial reply). */
  complete: boolean;
}

const ERROR_FIELDS: Record<string, string> = {
  S: 'severity',
  C: 'code',
  D: 'detail',
  H: 'hint',
  P: 'position',
  p: 'internalPosition',
  q: 'internalQuery',
  W: 'where',
  s: 'schema',
  t: 'table',
  c: 'column',
  d: 'dataType',
  n: 'constraint',
  F: 'file',
  L: 'line',
  R: 'routine',
};

/** Where a reply is being read: its bytes, a view for integers, and the offset of the next byte. */
interface WireCursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  at: number;
}

function readCString(cursor: WireCursor): string {
  const end = cursor.bytes.indexOf(0, cursor.at);
  const s = decoder.decode(cursor.bytes.subarray(cursor.at, end));
  cursor.at = end + 1;
  return s;
}

/** 'D' DataRow: every column as text, or null. */
function readDataRow(cursor: WireCursor): (string | null)[] {
  const { bytes, view } = cursor;
  const n = view.getUint16(cursor.at);
  cursor.at += 2;
  const row = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const len = view.getInt32(cursor.at);
    cursor.at += 4;
    if (len < 0) row[i] = null;
    else {
      row[i] = decoder.decode(bytes.subarray(cursor.at, cursor.at + len));
      cursor.at += len;
    }
  }
  return row;
}

/** 'T' RowDescription: each result column's name and type. */
function readRowDescription(cursor: WireCursor): Field[] {
  const n = cursor.view.getUint16(cursor.at);
  cursor.at += 2;
  const fields: Field[] = [];
  for (let i = 0; i < n; i++) {
    const name = readCString(cursor);
    const dataTypeID = cursor.view.getUint32(cursor.at + 6);
    cursor.at += 18; // table oid 4, column 2, type oid 4, size 2, modifier 4, format 2
    fields.push({ name, dataTypeID });
  }
  return fields;
}

/** 't' ParameterDescription: the type of each parameter. */
function readParameterDescription(cursor: WireCursor): number[] {
  const n = cursor.view.getUint16(cursor.at);
  cursor.at += 2;
  const ids: number[] = [];
  for (let i = 0; i < n; i++, cursor.at += 4) ids.push(cursor.view.getUint32(cursor.at));
  return ids;
}

/** 'E' ErrorResponse, as the `pg` driver's DatabaseError (so both drivers fail alike). */
function readError(cursor: WireCursor, length: number, next: number): Error {
  const found: Record<string, string> = {};
  while (cursor.bytes[cursor.at] !== 0 && cursor.at < next) {
    const code = String.fromCharCode(cursor.bytes[cursor.at]!);
    cursor.at += 1;
    found[code] = readCString(cursor);
  }
  const error = new messages.DatabaseError(found.M ?? 'unknown error', length, 'error');
  // DatabaseError declares its fields one by one; the loop below sets them by the wire's field codes.
  const fields = error as unknown as Record<string, unknown>;
  for (const [code, key] of Object.entries(ERROR_FIELDS)) if (found[code] !== undefined) fields[key] = found[code];
  return error;
}

/** Decodes a whole reply; messages the driver has no use for (ParseComplete, ReadyForQuery, notices…) are skipped. */
export function readReply(bytes: Uint8Array): Reply {
  const cursor: WireCursor = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: 0 };
  const reply: Reply = { paramTypes: null, fields: null, rows: [], tags: [], error: null, complete: false };
  while (cursor.at + 5 <= bytes.length) {
    const type = bytes[cursor.at]!;
    const length = cursor.view.getInt32(cursor.at + 1);
    const next = cursor.at + 1 + length;
    cursor.at += 5;
    switch (type) {
      case 0x44: // 'D' DataRow
        reply.rows.push(readDataRow(cursor));
        break;
      case 0x43: // 'C' CommandComplete
        reply.tags.push(readCString(cursor));
        break;
      case 0x54: // 'T' RowDescription
        reply.fields = readRowDescription(cursor);
        break;
      case 0x74: // 't' ParameterDescription
        reply.paramTypes = readParameterDescription(cursor);
        break;
      case 0x6e: // 'n' NoData: a statement without result columns
        reply.fields ??= [];
        break;
      case 0x5a: // 'Z' ReadyForQuery
        reply.complete = true;
        break;
      case 0x45: // 'E' ErrorResponse: the first one is the error
        reply.error ??= readError(cursor, length, next);
        break;
    }
    cursor.at = next;
  }
  return reply;
}
