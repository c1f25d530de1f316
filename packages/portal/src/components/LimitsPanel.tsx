// Rate limits per integration and fault injection aimed at this workspace's integrations.
import { useState, type FormEvent } from 'react';
import type { PortalLimits } from '@notion-local/server';
import { api, errorMessage } from '../api';

const FAULT_STATUSES = [429, 500, 502, 503, 504, 529];

export function LimitsPanel({ limits, onChanged }: { limits: PortalLimits; onChanged(l: PortalLimits): void }) {
  const rl = limits.rate_limit;
  return (
    <>
      <section className="card" aria-labelledby="rl-heading">
        <h2 id="rl-heading">Rate limits</h2>
        <p className="muted small">
          {rl.enabled
            ? rl.mode === 'window'
              ? `On: ${rl.requests_per_minute} requests per minute per integration and ${rl.workspace_requests_per_minute} per workspace, as Notion does. Over budget, calls get 429 rate_limited with Retry-After.`
              : `On (classic): ${rl.requests_per_second} requests per second on average per integration.`
            : 'Off for this server ("rate_limit": {"enabled": false} in --config): budgets below apply once it is on.'}
        </p>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Integration</th>
              <th scope="col">Requests per minute</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {limits.integrations.map((i) => (
              <RateRow
                key={i.id}
                id={i.id}
                name={i.name}
                value={i.requests_per_minute}
                fallback={rl.requests_per_minute}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      </section>
      <Faults limits={limits} onChanged={onChanged} />
    </>
  );
}

function RateRow({
  id,
  name,
  value,
  fallback,
  onChanged,
}: {
  id: string;
  name: string;
  value: number | null;
  fallback: number;
  onChanged(l: PortalLimits): void;
}) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  const save = async (v: number | null) => {
    setError(null);
    try {
      onChanged(await api<PortalLimits>('PUT', `/integrations/${id}/rate_limit`, { requests_per_minute: v }));
      setText(v === null ? '' : String(v));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>
        <form
          className="inline-form"
          onSubmit={(e) => (e.preventDefault(), void save(text.trim() === '' ? null : Number(text)))}
        >
          <label className="sr-only" htmlFor={`rpm-${id}`}>
            Requests per minute for {name}
          </label>
          <input
            id={`rpm-${id}`}
            className="input input-small"
            inputMode="numeric"
            placeholder={`${fallback} (default)`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            size={12}
          />
          <button type="submit" className="btn btn-small">
            Save
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      </td>
      <td>
        {value !== null && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void save(null)}>
            Use default
          </button>
        )}
      </td>
    </tr>
  );
}

function Faults({ limits, onChanged }: { limits: PortalLimits; onChanged(l: PortalLimits): void }) {
  const first = limits.integrations[0]?.id ?? '';
  const [form, setForm] = useState({
    integration_id: first,
    route: '',
    status: '503',
    mode: 'count',
    count: '2',
    probability: '0.5',
    latency_ms: '',
    after_commit: false,
  });
  const [error, setError] = useState<string | null>(null);
  const names = new Map(limits.integrations.map((i) => [i.id, i.name]));
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const rule: Record<string, unknown> = { integration_id: form.integration_id || first };
    if (form.route.trim()) rule.route = form.route.trim();
    if (form.status) rule.status = Number(form.status);
    if (form.status && form.mode === 'count') rule.count = Number(form.count);
    if (form.status && form.mode === 'probability') rule.probability = Number(form.probability);
    if (form.latency_ms.trim()) rule.latency_ms = Number(form.latency_ms);
    if (form.after_commit) rule.after_commit = true;
    try {
      onChanged(await api<PortalLimits>('POST', '/faults', rule));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const remove = async (id: string) => {
    try {
      onChanged(await api<PortalLimits>('DELETE', `/faults/${encodeURIComponent(id)}`));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <section className="card" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Fault injection</h2>
      <p className="muted small">
        Make calls fail on purpose — Notion's own error shapes — to test retries. Rules live in this server process
        until it stops.
      </p>
      {limits.faults.length === 0 ? (
        <p className="muted">No fault rules for this workspace's integrations.</p>
      ) : (
        <ul className="plain-list">
          {limits.faults.map((f) => (
            <li key={f.id} className="fault">
              <span>
                <strong>{names.get(f.integration_id)}</strong> · {f.route ?? 'every route'} ·{' '}
                {f.status ? `answers ${f.status}` : 'no error'}
                {f.count !== null
                  ? ` for the first ${f.count} (${f.remaining ?? 0} left)`
                  : f.probability !== null
                    ? ` with probability ${f.probability}`
                    : f.status
                      ? ' always'
                      : ''}
                {f.latency_ms ? ` · +${f.latency_ms} ms` : ''}
                {f.after_commit ? ' · after the write commits' : ''} · matched {f.matched}
              </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void remove(f.id)}
                aria-label={`Remove fault rule ${f.id}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {limits.global_fault_count > 0 && (
        <p className="muted small">
          {limits.global_fault_count} more rule(s) apply to every integration (from the config file or the admin API).
        </p>
      )}
      {limits.integrations.length > 0 && (
        <form className="fault-form" onSubmit={add}>
          <label className="field-inline">
            <span>Integration</span>
            <select className="input input-small" value={form.integration_id} onChange={set('integration_id')}>
              {limits.integrations.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            <span>Route (optional)</span>
            <input
              className="input input-small"
              placeholder="GET /v1/pages/:page_id"
              value={form.route}
              onChange={set('route')}
            />
          </label>
          <label className="field-inline">
            <span>Status</span>
            <select className="input input-small" value={form.status} onChange={set('status')}>
              <option value="">none (latency only)</option>
              {FAULT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            <span>When</span>
            <select className="input input-small" value={form.mode} onChange={set('mode')}>
              <option value="count">the first N calls</option>
              <option value="probability">with a probability</option>
              <option value="always">always</option>
            </select>
          </label>
          {form.mode === 'count' && (
            <label className="field-inline">
              <span>N</span>
              <input
                className="input input-small"
                inputMode="numeric"
                value={form.count}
                onChange={set('count')}
                size={4}
              />
            </label>
          )}
          {form.mode === 'probability' && (
            <label className="field-inline">
              <span>Probability</span>
              <input
                className="input input-small"
                inputMode="decimal"
                value={form.probability}
                onChange={set('probability')}
                size={5}
              />
            </label>
          )}
          <label className="field-inline">
            <span>Added latency (ms)</span>
            <input
              className="input input-small"
              inputMode="numeric"
              value={form.latency_ms}
              onChange={set('latency_ms')}
              size={6}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.after_commit}
              onChange={(e) => setForm({ ...form, after_commit: e.target.checked })}
            />{' '}
            Fail after the write commits
          </label>
          <button type="submit" className="btn btn-small btn-primary">
            Add fault rule
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
