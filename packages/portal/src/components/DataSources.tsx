// A database as Notion-Version 2025-09-03 sees it: a container of data sources, each with its own id,
// schema and rows. The database id and each data source id are shown apart, each with a copy button and what
// it is for, because they are what a developer pastes into code. Each data source lists its views (Views.tsx).
// Rows open as pages; more load a page at a time.
import { useState } from 'react';
import type { PortalDataSource, PortalDataSourceRows, PortalPropertyValue, PortalRowOf } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Link } from '../router';
import { iconText } from './RichText';
import { CopyButton, EmptyState, ErrorBanner } from './ui';
import { ViewList } from './Views';

/** An id with a copy button whose label says which id it is. */
export function IdLine({ label, id, help }: { label: string; id: string; help?: string }) {
  return (
    <p className="id-line small">
      <span className="id-label">{label}</span> <code className="mono">{id}</code>{' '}
      <CopyButton text={id} label={`Copy ${label.toLowerCase()}`} />
      {help && <span className="muted"> {help}</span>}
    </p>
  );
}

function ValueText({ value }: { value: PortalPropertyValue }) {
  if (value.text === null) return <span className="muted">computed by the API</span>;
  return value.text === '' ? <span className="muted">—</span> : <>{value.text}</>;
}

function RowsTable({ source }: { source: PortalDataSource }) {
  const [rows, setRows] = useState<PortalDataSourceRows>(source.rows);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const more = async () => {
    setBusy(true);
    try {
      const cursor = encodeURIComponent(rows.next_cursor ?? '');
      const next = await api<PortalDataSourceRows>('GET', `/data-sources/${source.id}/rows?start_cursor=${cursor}`);
      setRows({ ...next, results: [...rows.results, ...next.results] });
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  if (rows.results.length === 0)
    return (
      <EmptyState title="No rows yet">
        Add one through the API: <code>POST /v1/pages</code> with{' '}
        <code>{`"parent": { "data_source_id": "${source.id}" }`}</code>.
      </EmptyState>
    );
  return (
    <>
      <div className="table-wrap">
        <table className="data-table rows-table" aria-label={`Rows of ${source.name || 'Untitled'}`}>
          <thead>
            <tr>
              <th scope="col">{source.properties.find((p) => p.type === 'title')?.name ?? 'Title'}</th>
              {source.columns.map((c) => (
                <th scope="col" key={c.id}>
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.results.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  <Link to={`/pages/${row.id}`}>
                    <span aria-hidden="true">{iconText(row.icon)}</span> {row.title || 'Untitled'}
                  </Link>
                </th>
                {row.values.map((v) => (
                  <td key={v.id}>
                    <ValueText value={v} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Showing {rows.results.length} of {source.row_count} row{source.row_count === 1 ? '' : 's'}, newest first.{' '}
        {rows.has_more && (
          <button type="button" className="btn btn-small" onClick={more} disabled={busy}>
            {busy ? 'Loading…' : 'Load more rows'}
          </button>
        )}
      </p>
      <ErrorBanner message={error} />
    </>
  );
}

function DataSourceCard({ source }: { source: PortalDataSource }) {
  const headingId = `ds-${source.id}`;
  return (
    <section className="card data-source" aria-labelledby={headingId}>
      <h2 id={headingId} className="data-source-name">
        <span aria-hidden="true">{iconText(source.icon, 'database')}</span> {source.name || 'Untitled'}{' '}
        <span className="badge">data source</span>
      </h2>
      <IdLine
        label="Data source id"
        id={source.id}
        help="for 2025-09-03: POST /v1/data_sources/{id}/query, and the parent of new rows."
      />
      <details className="schema">
        <summary>
          {source.properties.length} propert{source.properties.length === 1 ? 'y' : 'ies'}
        </summary>
        <ul className="plain-list schema-list">
          {source.properties.map((p) => (
            <li key={p.id}>
              {p.name} <span className="muted small">{p.type}</span>
            </li>
          ))}
        </ul>
      </details>
      <ViewList sourceName={source.name} views={source.views} />
      <RowsTable source={source} />
    </section>
  );
}

/** A database's data sources, oldest first. */
export function DataSourceList({ databaseId, sources }: { databaseId: string; sources: PortalDataSource[] }) {
  return (
    <div className="data-sources">
      <IdLine
        label="Database id"
        id={databaseId}
        help={`the container: GET /v1/databases/{id} lists its data sources${sources.length > 1 ? '' : '; 2022-06-28 queries it directly'}.`}
      />
      {sources.length === 0 ? (
        <EmptyState title="No data sources">
          Every data source of this database is in the trash. Restore one with{' '}
          <code>PATCH /v1/data_sources/{'{id}'}</code>.
        </EmptyState>
      ) : (
        sources.map((s) => <DataSourceCard key={s.id} source={s} />)
      )}
    </div>
  );
}

/** A database row's place (database, data source) and every value. */
export function RowProperties({ row }: { row: PortalRowOf }) {
  return (
    <section className="card row-of" aria-label="Database row">
      <p className="small">
        A row of <Link to={`/pages/${row.database_id}`}>{row.database_title || 'Untitled'}</Link>, data source{' '}
        <strong>{row.data_source_name || 'Untitled'}</strong>.
      </p>
      <IdLine label="Data source id" id={row.data_source_id} />
      <IdLine label="Database id" id={row.database_id} />
      <table className="data-table properties-table" aria-label="Properties">
        <tbody>
          {row.properties.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {p.name} <span className="muted small">{p.type}</span>
              </th>
              <td>
                <ValueText value={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Values change through the API: <code>PATCH /v1/pages/{'{id}'}</code> with <code>properties</code>.
      </p>
    </section>
  );
}
