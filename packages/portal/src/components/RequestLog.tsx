// The request log: filters (integration, status, error code, route), newest first with "Load older",
// and a detail panel per request — request id, error body, duration and, for a 404, why.
import { useCallback, useEffect, useState } from 'react';
import type { PortalRequestEntry, PortalRequestPage } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { CopyButton, EmptyState, ErrorBanner, Loading } from './ui';

interface Filters {
  integration_id: string;
  status: string;
  code: string;
  route: string;
}
const EMPTY: Filters = { integration_id: '', status: '', code: '', route: '' };

function queryString(f: Filters, cursor?: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) q.set(k, v.trim());
  if (cursor) q.set('start_cursor', cursor);
  q.set('page_size', '50');
  return q.toString();
}

export function RequestLog({ names, version }: { names: Map<string, string>; version: number }) {
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<PortalRequestEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (f: Filters, cursor?: string) => {
    setError(null);
    try {
      const page = await api<PortalRequestPage>('GET', `/requests?${queryString(f, cursor)}`);
      setRows((r) => (cursor && r ? [...r, ...page.results] : page.results));
      setNext(page.next_cursor);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  // Reloads from the newest request when the filters are applied or the log has changed (`version`).
  useEffect(() => void load(applied), [applied, version, load]);

  return (
    <section className="card" aria-labelledby="log-heading">
      <h2 id="log-heading">Request log</h2>
      <RequestFilters names={names} onApply={setApplied} />
      <ErrorBanner message={error} onRetry={() => void load(applied)} />
      {!rows && !error && <Loading />}
      {rows && rows.length === 0 && (
        <EmptyState title="No requests yet">
          Call the API with an integration's secret, e.g. <code>GET /v1/users/me</code>; each call shows up here.
        </EmptyState>
      )}
      {rows && rows.length > 0 && <RequestTable rows={rows} names={names} />}
      {next && (
        <button type="button" className="btn btn-small" onClick={() => void load(applied, next)}>
          Load older requests
        </button>
      )}
      <p className="muted small">
        Tokens and bodies are never logged. A 401 with an unknown or revoked token has no integration to file it under.
      </p>
    </section>
  );
}

/** The filter form; the log follows the filters when they are submitted, not while they are typed. */
function RequestFilters({ names, onApply }: { names: Map<string, string>; onApply(filters: Filters): void }) {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [k]: e.target.value });
  return (
    <form className="filters" onSubmit={(e) => (e.preventDefault(), onApply(filters))}>
      <label className="field-inline">
        <span>Integration</span>
        <select className="input input-small" value={filters.integration_id} onChange={set('integration_id')}>
          <option value="">All</option>
          {[...names].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span>Status</span>
        <input
          className="input input-small"
          inputMode="numeric"
          placeholder="404"
          value={filters.status}
          onChange={set('status')}
          size={5}
        />
      </label>
      <label className="field-inline">
        <span>Error code</span>
        <input
          className="input input-small"
          placeholder="object_not_found"
          value={filters.code}
          onChange={set('code')}
        />
      </label>
      <label className="field-inline">
        <span>Route</span>
        <input
          className="input input-small"
          placeholder="/v1/pages/:page_id"
          value={filters.route}
          onChange={set('route')}
        />
      </label>
      <button type="submit" className="btn btn-small btn-primary">
        Filter
      </button>
      <button type="button" className="btn btn-small" onClick={() => (setFilters(EMPTY), onApply(EMPTY))}>
        Clear
      </button>
    </form>
  );
}

/** The logged requests, newest first; one row at a time opens to show its details. */
function RequestTable({ rows, names }: { rows: PortalRequestEntry[]; names: Map<string, string> }) {
  const [open, setOpen] = useState<number | null>(null);
  const who = (id: string | null) => (id ? (names.get(id) ?? 'deleted integration') : 'no valid token');
  return (
    <table className="data-table log-table">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Integration</th>
          <th scope="col">Request</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <Row
            key={r.id}
            r={r}
            who={who(r.integration_id)}
            open={open === r.id}
            toggle={() => setOpen(open === r.id ? null : r.id)}
          />
        ))}
      </tbody>
    </table>
  );
}

function Row({ r, who, open, toggle }: { r: PortalRequestEntry; who: string; open: boolean; toggle(): void }) {
  const cls = r.status >= 500 ? 'st-5xx' : r.status === 429 ? 'st-429' : r.status >= 400 ? 'st-4xx' : 'st-2xx';
  return (
    <>
      <tr className={open ? 'row-open' : undefined}>
        <td className="nowrap small">{new Date(r.time).toLocaleTimeString()}</td>
        <td className="small">{who}</td>
        <td>
          <button type="button" className="row-button" aria-expanded={open} onClick={toggle}>
            <span className="method">{r.method}</span> <span className="mono small">{r.path}</span>
          </button>
        </td>
        <td>
          <span className={`status ${cls}`}>{r.status}</span>
          {r.code && <span className="muted small"> {r.code}</span>}
        </td>
        <td className="small nowrap">{r.duration_ms} ms</td>
      </tr>
      {open && (
        <tr className="row-detail">
          <td colSpan={5}>
            <dl className="detail">
              <dt>Request id</dt>
              <dd>
                <code>{r.request_id}</code> <CopyButton text={r.request_id} />
              </dd>
              <dt>Route</dt>
              <dd>
                <code>
                  {r.method} {r.route ?? 'no route matched'}
                </code>
              </dd>
              <dt>Duration</dt>
              <dd>{r.duration_ms} ms</dd>
              {r.code && (
                <>
                  <dt>Error body</dt>
                  <dd>
                    <pre className="error-body">
                      {JSON.stringify(
                        {
                          object: 'error',
                          status: r.status,
                          code: r.code,
                          message: r.message,
                          request_id: r.request_id,
                        },
                        null,
                        2,
                      )}
                    </pre>
                  </dd>
                </>
              )}
              {r.not_found_reason && (
                <>
                  <dt>Why 404</dt>
                  <dd className="reason">{r.not_found_reason}</dd>
                </>
              )}
            </dl>
          </td>
        </tr>
      )}
    </>
  );
}
