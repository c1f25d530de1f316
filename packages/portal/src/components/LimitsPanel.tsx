// Rate limits per integration and fault injection aimed at this workspace's integrations.
import { useState } from 'react';
import type { PortalLimits } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { Faults } from './Faults';

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
