// The wire protocol between the store and PGlite. `PGlite.query` parses, plans and describes every statement
// anew and crosses into WebAssembly six times per call (Parse, Describe, Bind, Describe, Execute, Sync).
// Here a statement marked fixedPlan() is parsed and described once, under a name, and later calls send
// Bind + Execute + Sync in one crossing and decode the rows with the description kept from the first time;
// other statements take two crossings (Parse + Describe, then Bind + Execute), planned for their parameters.
// Same protocol, same type parsers and serializers as PGlite; messages are encoded and decoded by pg-wire.ts
// (bench/README.md has the figures). Every method expects the caller to hold PGlite's query lock.
import { types, type PGlite } from '@electric-sql/pglite';
import { concat, readReply, wire, type Field, type Reply } from './pg-wire.js';
import { StoreUnavailableError } from './sql-store.js';

interface Described {
  name: string;
  paramTypes: number[];
  fields: Field[];
}

/** A bounded map of SQL text → prepared statement; the least recently used one is closed when it is full. */
export class PgliteStatements {
  private readonly cache = new Map<string, Described>();
  private counter = 0;
  /** Rows inserted, updated or deleted since the last takeChanges(). */
  private changes = 0;

  constructor(
    private readonly db: PGlite,
    private readonly capacity = 256,
  ) {}

  takeChanges(): number {
    const n = this.changes;
    this.changes = 0;
    return n;
  }

  /** Runs a statement prepared once and kept (its plan may be reused: Postgres's plan_cache_mode auto). */
  run<Row>(sql: string, params: readonly unknown[]): Row[] {
    return this.bindAndExecute<Row>(this.prepared(sql), params);
  }

  /** Runs a statement through the unnamed statement, keeping nothing: planned for these parameters. */
  runOnce<Row>(sql: string, params: readonly unknown[]): Row[] {
    return this.bindAndExecute<Row>(this.describe('', sql), params);
  }

  /** Statements without parameters or rows (BEGIN, COMMIT, DEALLOCATE, a DDL script), in one crossing; their tags. */
  simple(sql: string): string[] {
    return this.exchange([wire.query(sql)]).tags;
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
      this.exchange([wire.closeStatement(oldest.name), wire.sync]);
    }
    return statement;
  }

  private describe(name: string, sql: string): Described {
    const reply = this.exchange([wire.parse(name, sql), wire.describeStatement(name), wire.sync]);
    return { name, paramTypes: reply.paramTypes ?? [], fields: reply.fields ?? [] };
  }

  private bindAndExecute<Row>(statement: Described, params: readonly unknown[]): Row[] {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const reply = this.exchange([wire.bind(statement.name, values), wire.execute, wire.sync]);
    const { fields } = statement;
    const parsers = this.db.parsers;
    const rows: Row[] = new Array(reply.rows.length);
    for (let r = 0; r < reply.rows.length; r++) {
      const cells = reply.rows[r]!;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < cells.length; i++) {
        const field = fields[i]!;
        const value = types.parseType(cells[i]!, field.dataTypeID, parsers);
        // a column named __proto__ is a column, not the row's prototype (as Object.fromEntries would have it)
        if (field.name === '__proto__')
          Object.defineProperty(row, field.name, { value, enumerable: true, writable: true, configurable: true });
        else row[field.name] = value;
      }
      rows[r] = row as Row;
    }
    for (const tag of reply.tags) {
      // "INSERT 0 3", "UPDATE 2", "DELETE 1", "SELECT 1": rows changed feed the statistics upkeep
      if (!tag.startsWith('SELECT')) this.changes += Number(tag.slice(tag.lastIndexOf(' ') + 1)) || 0;
    }
    return rows;
  }

  /**
   * One crossing into Postgres; an ErrorResponse becomes the thrown error, as from `PGlite.query`.
   * The reply is taken through `execProtocolRawStream`'s callback, which runs synchronously inside the call:
   * `execProtocolRawSync` would also hand every message to PGlite's own parser, which keeps them in a list
   * that only `execProtocol` empties (1.2 kB retained per statement, measured).
   */
  private exchange(messages: Uint8Array[]): Reply {
    if (this.db.closed) throw new StoreUnavailableError('the store is closed');
    const chunks: Uint8Array[] = [];
    // A throw inside PGlite surfaces only through this promise, after the check below: the reply is then
    // incomplete, which is what is reported (and the rejection is not left unhandled).
    this.db
      .execProtocolRawStream(concat(messages), {
        syncToFs: false,
        onRawData: (chunk) => void chunks.push(chunk.slice()),
      })
      .catch(() => undefined);
    const reply = readReply(chunks.length === 1 ? chunks[0]! : concat(chunks));
    if (reply.error) throw reply.error;
    if (!reply.complete) throw new StoreUnavailableError('PGlite stopped in the middle of a statement');
    return reply;
  }
}
