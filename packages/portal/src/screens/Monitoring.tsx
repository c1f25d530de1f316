// Monitoring: what the workspace's integrations did (charts, per-integration latency, the request log)
// and the knobs to stress them (rate limits, fault injection). Owners only, like the admin API it mirrors.
import { useMemo, useState } from 'react';
import type { PortalLimits, PortalRequestSummary } from '@notion-local/server';
import { api } from '../api';
import { isOwner, useShell } from '../session';
import { LimitsPanel } from '../components/LimitsPanel';
import { RequestChart } from '../components/RequestChart';
import { RequestLog } from '../components/RequestLog';
import { ErrorBanner, Loading, useResource } from '../components/ui';

const WINDOWS = [15, 60, 240, 1440];

export function Monitoring() {
  const { session } = useShell();
  const [minutes, setMinutes] = useState(60);
  const [version, setVersion] = useState(0);
  const summary = useResource(
    () => api<PortalRequestSummary>('GET', `/requests/summary?minutes=${minutes}`),
    `summary-${minutes}-${version}`,
  );
  const limits = useResource(() => api<PortalLimits>('GET', '/limits'), 'limits');
  const names = useMemo(() => new Map((limits.data?.integrations ?? []).map((i) => [i.id, i.name])), [limits.data]);

  if (!isOwner(session)) {
    return (
      <section className="screen">
        <h1>Monitoring</h1>
        <p className="banner banner-info">Only workspace owners can see the request log and change limits.</p>
      </section>
    );
  }
  const s = summary.data;
  return (
    <section className="screen screen-wide">
      <header className="screen-header">
        <div>
          <h1>Monitoring</h1>
          <p className="muted">
            Every API call of {session.workspace.name}'s integrations, and the limits and faults they run into.
          </p>
        </div>
        <WindowPicker minutes={minutes} onMinutes={setMinutes} onRefresh={() => setVersion((v) => v + 1)} />
      </header>
      <ErrorBanner message={summary.error} onRetry={summary.reload} />
      {!s && !summary.error && <Loading />}
      {s && <TrafficCard summary={s} names={names} />}
      <RequestLog names={names} version={version} />
      <ErrorBanner message={limits.error} onRetry={limits.reload} />
      {limits.data && <LimitsPanel limits={limits.data} onChanged={limits.set} />}
    </section>
  );
}

/** The time window the charts cover, and a refresh of the charts and the log. */
function WindowPicker({
  minutes,
  onMinutes,
  onRefresh,
}: {
  minutes: number;
  onMinutes(minutes: number): void;
  onRefresh(): void;
}) {
  return (
    <div className="inline-form">
      <label className="sr-only" htmlFor="window">
        Time window
      </label>
      <select
        id="window"
        className="input input-small"
        value={minutes}
        onChange={(e) => onMinutes(Number(e.target.value))}
      >
        {WINDOWS.map((w) => (
          <option key={w} value={w}>
            {w < 60 ? `Last ${w} minutes` : `Last ${w / 60} hour${w === 60 ? '' : 's'}`}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-small" onClick={onRefresh}>
        Refresh
      </button>
    </div>
  );
}

/** Totals, the per-minute chart and the per-integration table of the window. */
function TrafficCard({ summary: s, names }: { summary: PortalRequestSummary; names: Map<string, string> }) {
  return (
    <section className="card" aria-labelledby="traffic-heading">
      <h2 id="traffic-heading">Requests per minute</h2>
      <div className="stats">
        <Stat label="Requests" value={s.total.total} />
        <Stat label="Errors" value={s.total.errors} />
        <Stat label="429 rate limited" value={s.total.rate_limited} />
        <Stat label="p50 latency" value={s.total.p50_ms === null ? '—' : `${s.total.p50_ms} ms`} />
        <Stat label="p95 latency" value={s.total.p95_ms === null ? '—' : `${s.total.p95_ms} ms`} />
      </div>
      <RequestChart summary={s} />
      {s.per_integration.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Integration</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">429s</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {s.per_integration.map((p) => (
              <tr key={p.integration_id ?? 'none'}>
                <th scope="row">
                  {p.integration_id ? (names.get(p.integration_id) ?? 'deleted integration') : 'no valid token'}
                </th>
                <td>{p.total}</td>
                <td>{p.errors}</td>
                <td>{p.rate_limited}</td>
                <td>{p.p50_ms} ms</td>
                <td>{p.p95_ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
