// Prepared statements for PGlite. `PGlite.query` parses, plans and describes every statement anew and
// crosses into WebAssembly six times per call (Parse, Describe, Bind, Describe, Execute, Sync). Here each
// distinct SQL text is parsed and described once, under a name; later calls send Bind + Execute + Sync in one
// crossing and decode the rows with the description kept from the first time — the same wire protocol and the
// same type parsers and serializers PGlite uses, less than half the cost per statement (bench/README.md).
import { protocol, types, type PGlite } from '@electric-sql/pglite';

const { serialize, Parser } = protocol;

interface Field {
  name: string;
  dataTypeID: number;
}

interface Prepared {
  name: string;
  paramTypes: number[];
  fields: Field[];
}

/** A bounded map of SQL text → prepared statement; the least recently used one is closed when it is full. */
export class PgliteStatements {
  private readonly cache = new Map<string, Prepared>();
  private counter = 0;
  private readonly execute = serialize.execute({});
  private readonly sync = serialize.sync();

  constructor(
    private readonly db: PGlite,
    private readonly capacity = 256,
  ) {}

  /** Runs one statement. The caller holds PGlite's query lock (and its transaction lock outside a transaction). */
  run<Row>(sql: string, params: readonly unknown[]): Row[] {
    const statement = this.prepared(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const reply = this.exchange([serialize.bind({ statement: statement.name, values }), this.execute, this.sync]);
    const rows: Row[] = [];
    for (const message of reply) {
      if (message.name !== 'dataRow') continue;
      const cells = (message as unknown as { fields: (string | null)[] }).fields;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < cells.length; i++) {
        const field = statement.fields[i]!;
        row[field.name] = types.parseType(cells[i]!, field.dataTypeID, this.db.parsers);
      }
      rows.push(row as Row);
    }
    return rows;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Forgets every statement (the session that held them is gone, e.g. after a restore). */
  clear(): void {
    this.cache.clear();
  }

  private prepared(sql: string): Prepared {
    const cached = this.cache.get(sql);
    if (cached) {
      this.cache.delete(sql); // re-insert: Map order is recency order
      this.cache.set(sql, cached);
      return cached;
    }
    const name = `nl_${++this.counter}`;
    const reply = this.exchange([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), this.sync]);
    let paramTypes: number[] = [];
    let fields: Field[] = [];
    for (const message of reply) {
      if (message.name === 'parameterDescription') paramTypes = (message as unknown as { dataTypeIDs: number[] }).dataTypeIDs;
      else if (message.name === 'rowDescription') fields = (message as unknown as { fields: Field[] }).fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
    }
    const statement = { name, paramTypes, fields };
    this.cache.set(sql, statement);
    if (this.cache.size > this.capacity) {
      const [oldestSql, oldest] = this.cache.entries().next().value as [string, Prepared];
      this.cache.delete(oldestSql);
      this.exchange([serialize.close({ type: 'S', name: oldest.name }), this.sync]);
    }
    return statement;
  }

  /** One crossing into Postgres; an ErrorResponse becomes the thrown error, as from `PGlite.query`. */
  private exchange(messages: Uint8Array[]): { name: string }[] {
    let length = 0;
    for (const m of messages) length += m.byteLength;
    const request = new Uint8Array(length);
    let offset = 0;
    for (const m of messages) {
      request.set(m, offset);
      offset += m.byteLength;
    }
    const raw = this.db.execProtocolRawSync(request);
    const reply: { name: string }[] = [];
    let error: Error | undefined;
    new Parser().parse(raw, (message: { name: string }) => {
      if (message.name === 'error') error ??= message as unknown as Error;
      reply.push(message);
    });
    if (error) throw error;
    return reply;
  }
}
