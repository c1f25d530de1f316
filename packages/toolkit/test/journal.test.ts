import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/bulk/journal.js';
import { mapConcurrent } from '../src/bulk/paginate.js';
import { committedResourceId, isAmbiguousWriteError } from '../src/bulk/safe-create.js';
import { parseRecords } from '../src/io/records.js';
import { inferSchema } from '../src/io/infer-schema.js';
import { planColumns } from '../src/io/column-mapping.js';
import type { DatabaseSchema } from '../src/properties/types.js';

const path = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'j.jsonl');

describe('journal', () => {
  it('resumes: done rows, the database it created, and creates that were in flight', () => {
    const p = path();
    const first = Journal.open(p, 'digest-1', 'db-1');
    expect(first.resumed).toBe(false);
    first.append({ kind: 'database', id: 'db-new' });
    first.append({ kind: 'intent', row: 0, key: 'a', at: 1 });
    first.append({ kind: 'done', row: 0, page_id: 'p0', action: 'created' });
    first.append({ kind: 'intent', row: 1, key: 'b', at: 2 });
    appendFileSync(p, '{"kind":"done","row":1,"pa'); // killed mid-write
    const again = Journal.open(p, 'digest-1', 'db-1');
    expect(again.resumed).toBe(true);
    expect(again.state.databaseId).toBe('db-new');
    expect([...again.state.done]).toEqual([[0, 'p0']]);
    expect([...again.state.uncertain]).toEqual([[1, 2]]);
  });

  it('a journal of other input or another target starts over', () => {
    const p = path();
    Journal.open(p, 'digest-1', 'db-1').append({ kind: 'done', row: 0, page_id: 'p0', action: 'created' });
    const other = Journal.open(p, 'digest-2', 'db-1');
    expect(other.resumed).toBe(false);
    expect(other.state.done.size).toBe(0);
    expect(readFileSync(p, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('bulk helpers', () => {
  it('mapConcurrent keeps order, bounds concurrency, and isolates failures', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      running--;
      if (n === 3) throw new Error('three');
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.ok ? r.value : 'x'))).toEqual([10, 20, 'x', 40, 50, 60]);
  });

  it('knows which write errors leave the outcome unknown', () => {
    expect(isAmbiguousWriteError(Object.assign(new Error('x'), { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isAmbiguousWriteError(Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }))).toBe(false);
    expect(committedResourceId({ body: JSON.stringify({ additional_data: { committed_resource_id: 'p1' } }) })).toBe(
      'p1',
    );
  });
});

describe('records and columns', () => {
  it('reads CSV with quotes, commas and newlines; JSON arrays; NDJSON', () => {
    const csv = parseRecords('Name,Notes\n"Kale","a, ""b""\nc"\n', 'csv');
    expect(csv.columns).toEqual(['Name', 'Notes']);
    expect(csv.rows).toEqual([{ Name: 'Kale', Notes: 'a, "b"\nc' }]);
    expect(parseRecords('[{"a":1},{"b":2}]', 'json').columns).toEqual(['a', 'b']);
    expect(parseRecords('{"a":1}\n\n{"a":2}\n', 'ndjson').rows).toHaveLength(2);
  });

  it('infers types from values', () => {
    const rows = [
      { Name: 'a', N: '1', D: '2024-01-02', M: 'x@y.co', U: 'https://a.b', C: 'yes', S: 'red', T: 'free text one' },
      { Name: 'b', N: '2.5', D: '2024-01-03', M: 'z@y.co', U: 'http://c.d', C: 'no', S: 'red', T: 'free text two' },
      { Name: 'c', N: '', D: '', M: '', U: '', C: 'no', S: 'blue', T: 'three' },
    ];
    expect(inferSchema(Object.keys(rows[0]!), rows)).toEqual({
      Name: 'title',
      N: 'number',
      D: 'date',
      M: 'email',
      U: 'url',
      C: 'checkbox',
      S: 'select',
      T: 'rich_text',
    });
  });

  it('maps columns by name, case-insensitively, or by --map; warns about the rest', () => {
    // A schema fixture with only the fields the mapping reads, not the SDK's full property objects.
    const schema = {
      Name: { id: 'title', name: 'Name', type: 'title', title: {} },
      Price: { id: 'p', name: 'Price', type: 'number', number: {} },
      Made: { id: 'm', name: 'Made', type: 'created_time', created_time: {} },
    } as unknown as DatabaseSchema;
    const plan = planColumns(schema, ['name', 'Cost', 'Made', 'Extra'], { Cost: 'Price' });
    expect(plan.mapped.map((m) => `${m.column}->${m.property}`)).toEqual(['name->Name', 'Cost->Price']);
    expect(plan.warnings).toHaveLength(2);
    expect(plan.warnings[0]).toContain('Made, a created_time property');
    expect(plan.warnings[1]).toContain('Column "Extra" matches no property');
  });
});
