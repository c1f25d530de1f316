// Fault injection aimed at this workspace's integrations: the rules in force (with how often each
// matched) and a form to add one — an error status for the first N calls, with a probability or always,
// added latency, and failing after the write commits.
import { useState, type FormEvent } from 'react';
import type { PortalLimits } from '@notion-local/server';
import { api, errorMessage } from '../api';

const FAULT_STATUSES = [429, 500, 502, 503, 504, 529];

type FaultRuleView = PortalLimits['faults'][number];

interface FaultFormState {
  integration_id: string;
  route: string;
  status: string;
  mode: string;
  count: string;
  probability: string;
  latency_ms: string;
  after_commit: boolean;
}

/** The rule the admin API expects for what the form says; an empty integration means the first one. */
function ruleOf(form: FaultFormState, first: string): Record<string, unknown> {
  const rule: Record<string, unknown> = { integration_id: form.integration_id || first };
  if (form.route.trim()) rule.route = form.route.trim();
  if (form.status) rule.status = Number(form.status);
  if (form.status && form.mode === 'count') rule.count = Number(form.count);
  if (form.status && form.mode === 'probability') rule.probability = Number(form.probability);
  if (form.latency_ms.trim()) rule.latency_ms = Number(form.latency_ms);
  if (form.after_commit) rule.after_commit = true;
  return rule;
}

export function Faults({ limits, onChanged }: { limits: PortalLimits; onChanged(l: PortalLimits): void }) {
  const first = limits.integrations[0]?.id ?? '';
  const [error, setError] = useState<string | null>(null);
  const names = new Map(limits.integrations.map((i) => [i.id, i.name]));
  const add = async (form: FaultFormState) => {
    setError(null);
    try {
      onChanged(await api<PortalLimits>('POST', '/faults', ruleOf(form, first)));
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
            <FaultItem key={f.id} fault={f} integrationName={names.get(f.integration_id)} onRemove={remove} />
          ))}
        </ul>
      )}
      {limits.global_fault_count > 0 && (
        <p className="muted small">
          {limits.global_fault_count} more rule(s) set for the whole server (config file or admin API) also apply here.
        </p>
      )}
      {limits.integrations.length > 0 && <FaultForm integrations={limits.integrations} onAdd={add} error={error} />}
    </section>
  );
}

function FaultItem({
  fault: f,
  integrationName,
  onRemove,
}: {
  fault: FaultRuleView;
  integrationName: string | undefined;
  onRemove(id: string): Promise<void>;
}) {
  return (
    <li className="fault">
      <span>
        <strong>{integrationName}</strong> · {f.route ?? 'every route'} ·{' '}
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
        onClick={() => void onRemove(f.id)}
        aria-label={`Remove fault rule ${f.id}`}
      >
        Remove
      </button>
    </li>
  );
}

function FaultForm({
  integrations,
  onAdd,
  error,
}: {
  integrations: PortalLimits['integrations'];
  onAdd(form: FaultFormState): Promise<void>;
  error: string | null;
}) {
  const [form, setForm] = useState<FaultFormState>({
    integration_id: integrations[0]?.id ?? '',
    route: '',
    status: '503',
    mode: 'count',
    count: '2',
    probability: '0.5',
    latency_ms: '',
    after_commit: false,
  });
  const set = (k: keyof FaultFormState) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onAdd(form);
  };
  return (
    <form className="fault-form" onSubmit={submit}>
      <FaultTargetFields integrations={integrations} form={form} set={set} />
      <FaultWhenFields form={form} set={set} />
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
  );
}

type FieldSetter = (k: keyof FaultFormState) => (e: { target: { value: string } }) => void;

/** Which integration and route the rule aims at, and the status it answers with. */
function FaultTargetFields({
  integrations,
  form,
  set,
}: {
  integrations: PortalLimits['integrations'];
  form: FaultFormState;
  set: FieldSetter;
}) {
  return (
    <>
      <label className="field-inline">
        <span>Integration</span>
        <select className="input input-small" value={form.integration_id} onChange={set('integration_id')}>
          {integrations.map((i) => (
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
    </>
  );
}

/** When the status is answered: the first N calls, with a probability, or always. */
function FaultWhenFields({ form, set }: { form: FaultFormState; set: FieldSetter }) {
  return (
    <>
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
    </>
  );
}
