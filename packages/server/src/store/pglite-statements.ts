// The wire protocol between the store and PGlite, with prepared statements. `PGlite.query` parses, plans and
// describes every statement anew and crosses into WebAssembly six times per call (Parse, Describe, Bind,
// Describe, Execute, Sync). Here each distinct data statement is parsed and described once, under a name;
// later calls send Bind + Execute + Sync in one crossing and decode the rows with the description kept from
// the first time — the same protocol and the same type parsers and serializers PGlite uses, at less than half
// the cost per statement (bench/README.md). Every method expects the caller to hold PGlite's query lock.
import { protocol, types, type PGlite } from '@electric-sql/pglite';

const { serialize, Parser } = protocol;

interface Field {
  name: string;
  dataTypeID: number;
}

interface Described {
  name: string;
  paramTypes: number[];
  fields: Field[];
}

interface Message {
  name: string;
}

/** A bounded map of SQL text → prepared statement; the least recently used one is closed when it is full. */
export class PgliteStatements {
  private readonly cache = new Map<string, Described>();
  private counter = 0;
  /** Rows inserted, updated or deleted since the last takeChanges(). */
  private changes = 0;
  private readonly execute = serialize.execute({});
  private readonly sync = serialize.sync();

  constructor(
    private readonly db: PGlite,
    private readonly capacity = 256,
  ) {}

  get size(): number {
    return this.cache.size;
  }

  takeChanges(): number {
    const n = this.changes;
    this.changes = 0;
    return n;
  }

  /** Runs a statement prepared once and kept (data statements: their text repeats). */
  run<Row>(sql: string, params: readonly unknown[]): Row[] {
    return this.bindAndExecute<Row>(this.prepared(sql), params);
  }

  /** Runs a statement through the unnamed statement, keeping nothing (DDL and other one-off statements). */
  runOnce<Row>(sql: string, params: readonly unknown[]): Row[] {
    return this.bindAndExecute<Row>(this.describe('', sql), params);
  }

  /** A statement without parameters or rows (BEGIN, COMMIT, ROLLBACK, DEALLOCATE), in one crossing. */
  simple(sql: string): void {
    this.exchange([serialize.query(sql)]);
  }

  /** Forgets every prepared statement (after a schema change), in the session too. */
  clear(): void {
    if (this.cache.size === 0) return;
    this.cache.clear();
    this.simple('DEALLOCATE ALL');
  }

  private prepared(sql: string): Described {
    const cached = this.cache.get(sql);
    if (cached) {
      this.cache.delete(sql); // re-insert: Map order is recency order
      this.cache.set(sql, cached);
      return cached;
    }
    const statement = this.describe(`nl_${++this.counter}`, sql);
    this.cache.set(sql, statement);
    if (this.cache.size > this.capacity) {
      const [oldestSql, oldest] = this.cache.entries().next().value as [string, Described];
      this.cache.delete(oldestSql);
      this.exchange([serialize.close({ type: 'S', name: oldest.name }), this.sync]);
    }
    return statement;
  }

  private describe(name: string, sql: string): Described {
    const reply = this.exchange([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), this.sync]);
    let paramTypes: number[] = [];
    let fields: Field[] = [];
    for (const message of reply) {
      if (message.name === 'parameterDescription') paramTypes = (message as unknown as { dataTypeIDs: number[] }).dataTypeIDs;
      else if (message.name === 'rowDescription') fields = (message as unknown as { fields: Field[] }).fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
    }
    return { name, paramTypes, fields };
  }

  private bindAndExecute<Row>(statement: Described, params: readonly unknown[]): Row[] {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const reply = this.exchange([serialize.bind({ statement: statement.name, values }), this.execute, this.sync]);
    const rows: Row[] = [];
    for (const message of reply) {
      if (message.name === 'dataRow') {
        const cells = (message as unknown as { fields: (string | null)[] }).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < cells.length; i++) {
          const field = statement.fields[i]!;
          row[field.name] = types.parseType(cells[i]!, field.dataTypeID, this.db.parsers);
        }
        rows.push(row as Row);
      } else if (message.name === 'commandComplete') {
        const tag = (message as unknown as { text: string }).text; // "INSERT 0 3", "UPDATE 2", "SELECT 1"
        if (!tag.startsWith('SELECT')) this.changes += Number(tag.slice(tag.lastIndexOf(' ') + 1)) || 0;
      }
    }
    return rows;
  }

  /** One crossing into Postgres; an ErrorResponse becomes the thrown error, as from `PGlite.query`. */
  private exchange(messages: Uint8Array[]): Message[] {
    let length = 0;
    for (const m of messages) length += m.byteLength;
    const request = new Uint8Array(length);
    let offset = 0;
    for (const m of messages) {
      request.set(m, offset);
      offset += m.byteLength;
    }
    const raw = this.db.execProtocolRawSync(request);
    const reply: Message[] = [];
    let error: Error | undefined;
    new Parser().parse(raw, (message: Message) => {
      if (message.name === 'error') error ??= message as unknown as Error;
      reply.push(message);
    });
    if (error) throw error;
    return reply;
  }
}
