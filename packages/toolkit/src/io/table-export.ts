// A database as a table: every page (through the SDK's pagination), one column per property — the
// title first — written as CSV, JSON or NDJSON in the same plain forms import reads back. Under
// 2025-09-03 the table is the database's one data source (or the data source named).
import { notionApi, type NotionApi, type NotionClient, type QueryOptions } from '../api/notion-api.js';
import { completeReferences } from '../bulk/complete-references.js';
import { exportColumns, exportValue, pageToPlain } from './column-mapping.js';
import { formatRecords, type RecordFormat, type Row } from './records.js';

export interface TableExport {
  readonly database_id: string;
  /** The data source exported (2025-09-03); null under 2022-06-28. */
  readonly data_source_id: string | null;
  readonly columns: string[];
  readonly rows: Row[];
  readonly text: string;
}

export async function exportDatabase(
  client: NotionClient | NotionApi,
  databaseId: string,
  format: RecordFormat,
  query: QueryOptions = {},
): Promise<TableExport> {
  const api = notionApi(client);
  const collection = await api.collection(databaseId);
  const columns = exportColumns(collection.schema);
  const rows: Row[] = [];
  for await (const page of api.iterate(collection, query)) {
    const plain = pageToPlain(await completeReferences(api, page));
    const row: Row = {};
    for (const name of columns) row[name] = exportValue(collection.schema[name]!.type, plain[name] ?? null, format);
    rows.push(row);
  }
  return {
    database_id: collection.databaseId,
    data_source_id: collection.dataSourceId,
    columns,
    rows,
    text: formatRecords(format, columns, rows),
  };
}
