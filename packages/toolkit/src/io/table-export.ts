// A database as a table: every page (through the SDK's pagination), one column per property — the
// title first — written as CSV, JSON or NDJSON in the same plain forms import reads back.
import { isFullDatabase, type Client } from '@notionhq/client';
import { completeReferences } from '../bulk/complete-references.js';
import { iterateDatabase, type QueryOptions } from '../bulk/paginate.js';
import { exportColumns, exportValue, pageToPlain } from './column-mapping.js';
import { formatRecords, type RecordFormat, type Row } from './records.js';

export interface TableExport {
  readonly columns: string[];
  readonly rows: Row[];
  readonly text: string;
}

export async function exportDatabase(
  client: Client,
  databaseId: string,
  format: RecordFormat,
  query: QueryOptions = {},
): Promise<TableExport> {
  const db = await client.databases.retrieve({ database_id: databaseId });
  if (!isFullDatabase(db))
    throw new Error(
      `database ${databaseId} came back without its schema; the integration needs the "Read content" capability`,
    );
  const columns = exportColumns(db.properties);
  const rows: Row[] = [];
  for await (const page of iterateDatabase(client, db.id, query)) {
    const plain = pageToPlain(await completeReferences(client, page));
    const row: Row = {};
    for (const name of columns) row[name] = exportValue(db.properties[name]!.type, plain[name] ?? null, format);
    rows.push(row);
  }
  return { columns, rows, text: formatRecords(format, columns, rows) };
}
