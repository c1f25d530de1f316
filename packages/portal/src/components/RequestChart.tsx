// Requests per minute by outcome, as a stacked bar chart in plain SVG (no chart library to ship).
import type { PortalRequestSummary } from '@notion-local/server';

const SERIES = [
  { key: 'ok', label: '2xx', color: '#4dab9a' },
  { key: 'client_errors', label: '4xx', color: '#e9a23b' },
  { key: 'rate_limited', label: '429', color: '#d44c47' },
  { key: 'server_errors', label: '5xx', color: '#9065b0' },
] as const;

export function RequestChart({ summary }: { summary: PortalRequestSummary }) {
  const width = 720;
  const height = 160;
  const pad = { left: 34, bottom: 20, top: 8 };
  const start = new Date(summary.since).getTime();
  const byMinute = new Map(summary.per_minute.map((m) => [new Date(m.minute).getTime(), m]));
  const slots = Array.from({ length: summary.minutes }, (_, i) => start + i * 60_000);
  const max = Math.max(1, ...summary.per_minute.map((m) => m.ok + m.client_errors + m.rate_limited + m.server_errors));
  const barW = (width - pad.left) / slots.length;
  const y = (v: number) => ((height - pad.bottom - pad.top) * v) / max;
  const label = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const total = summary.per_minute.reduce((n, m) => n + m.ok + m.client_errors + m.rate_limited + m.server_errors, 0);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Requests per minute over the last ${summary.minutes} minutes: ${total} in all, at most ${max} in one minute`}
      >
        <line x1={pad.left} x2={width} y1={height - pad.bottom} y2={height - pad.bottom} stroke="#e9e9e7" />
        <text x={pad.left - 6} y={pad.top + 8} textAnchor="end" className="chart-axis">
          {max}
        </text>
        <text x={pad.left - 6} y={height - pad.bottom} textAnchor="end" className="chart-axis">
          0
        </text>
        {slots.map((t, i) => {
          const m = byMinute.get(t);
          if (!m) return null;
          let base = height - pad.bottom;
          return (
            <g key={t}>
              <title>{`${label(t)}: ${m.ok} ok, ${m.client_errors} 4xx, ${m.rate_limited} 429, ${m.server_errors} 5xx`}</title>
              {SERIES.map((s) => {
                const h = y(m[s.key]);
                base -= h;
                return h > 0 ? (
                  <rect
                    key={s.key}
                    x={pad.left + i * barW + 1}
                    y={base}
                    width={Math.max(1, barW - 2)}
                    height={h}
                    fill={s.color}
                  />
                ) : null;
              })}
            </g>
          );
        })}
        <text x={pad.left} y={height - 4} className="chart-axis">
          {label(start)}
        </text>
        <text x={width} y={height - 4} textAnchor="end" className="chart-axis">
          {label(start + (summary.minutes - 1) * 60_000)}
        </text>
      </svg>
      <figcaption className="chart-legend">
        {SERIES.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
