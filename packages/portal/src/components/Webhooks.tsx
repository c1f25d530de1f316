// An integration's webhook subscriptions, as Notion's integration page shows them: each with its URL, state
// (Active, Pending verification, Paused), API version and event types; a pending one takes the token its URL
// received ("Resend token" sends it again); owners pause, resume, edit the event types and delete. Each
// subscription's deliveries refresh every 2 s while shown; a row opens to its payload, the X-Notion-Signature it
// was sent with and every attempt, and can be sent again.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { PortalIntegration, PortalWebhook, PortalWebhookDelivery, PortalWebhookList } from '@notion-local/server';
import { errorMessage, webhooksApi } from '../api';
import { ConfirmDialog, CopyButton, EmptyState, ErrorBanner, formatTime, Loading, useResource } from './ui';

const STATE_LABEL: Record<PortalWebhook['state'], string> = {
  active: 'Active',
  pending_verification: 'Pending verification',
  paused: 'Paused',
};
const GROUPS: [prefix: string, legend: string][] = [
  ['page.', 'Page'],
  ['database.', 'Database'],
  ['data_source.', 'Data source'],
  ['comment.', 'Comment'],
  ['view.', 'View'],
  ['file_upload.', 'File upload'],
];
/** How often an open deliveries panel asks again. */
const REFRESH_MS = 2000;

export function Webhooks({ integration, canManage }: { integration: PortalIntegration; canManage: boolean }) {
  const res = useResource(() => webhooksApi.list(integration.id), integration.id);
  const [adding, setAdding] = useState(false);
  const list = res.data;
  const replace = (hook: PortalWebhook) =>
    list && res.set({ ...list, subscriptions: list.subscriptions.map((w) => (w.id === hook.id ? hook : w)) });
  const drop = (hook: PortalWebhook) =>
    list && res.set({ ...list, subscriptions: list.subscriptions.filter((w) => w.id !== hook.id) });
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted small">
        notion-local POSTs an event to each subscription's URL after every change this integration can see, signed in
        the <code>X-Notion-Signature</code> header. Unlike Notion, local <code>http://</code> URLs work.
      </p>
      <ErrorBanner message={res.error} onRetry={res.reload} />
      {!list && !res.error && <Loading />}
      {list && list.subscriptions.length === 0 && !adding && (
        <EmptyState title="No webhook subscriptions">Add one to receive events at a URL of yours.</EmptyState>
      )}
      {list?.subscriptions.map((hook) => (
        <Subscription
          key={hook.id}
          hook={hook}
          list={list}
          canManage={canManage}
          onChanged={replace}
          onDeleted={drop}
        />
      ))}
      {list && canManage && !adding && (
        <button type="button" className="btn" onClick={() => setAdding(true)}>
          Add subscription
        </button>
      )}
      {list && adding && (
        <NewSubscription
          integrationId={integration.id}
          list={list}
          onCancel={() => setAdding(false)}
          onCreated={(hook) => (res.set({ ...list, subscriptions: [...list.subscriptions, hook] }), setAdding(false))}
        />
      )}
    </section>
  );
}

function StateBadge({ state }: { state: PortalWebhook['state'] }) {
  const cls = state === 'active' ? 'badge' : 'badge badge-warn';
  return <span className={cls}>{STATE_LABEL[state]}</span>;
}

/** The event types of a version, grouped by object, as checkboxes; `value` null means all of them. */
function EventTypeFields({
  types,
  value,
  onChange,
}: {
  types: string[];
  value: string[] | null;
  onChange(next: string[] | null): void;
}) {
  const chosen = value ?? types;
  const set = (type: string, on: boolean) => {
    const next = on ? [...chosen, type] : chosen.filter((t) => t !== type);
    onChange(types.every((t) => next.includes(t)) ? null : types.filter((t) => next.includes(t)));
  };
  return (
    <div className="caps">
      <label className="check caps-help">
        <input type="checkbox" checked={value === null} onChange={(e) => onChange(e.target.checked ? null : [])} />
        All event types
      </label>
      {GROUPS.map(([prefix, legend]) => {
        const group = types.filter((t) => t.startsWith(prefix));
        if (group.length === 0) return null;
        return (
          <fieldset key={prefix} className="caps-group">
            <legend>{legend}</legend>
            {group.map((type) => (
              <label key={type} className="check">
                <input type="checkbox" checked={chosen.includes(type)} onChange={(e) => set(type, e.target.checked)} />
                <code>{type}</code>
              </label>
            ))}
          </fieldset>
        );
      })}
    </div>
  );
}

function NewSubscription(props: {
  integrationId: string;
  list: PortalWebhookList;
  onCreated(hook: PortalWebhook): void;
  onCancel(): void;
}) {
  const [url, setUrl] = useState('');
  const [version, setVersion] = useState(props.list.default_api_version);
  const [types, setTypes] = useState<string[] | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const offered = props.list.event_types[version] ?? [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const own = token.trim() ? { verification_token: token } : {};
      const body = { url, api_version: version, event_types: types, ...own };
      props.onCreated(await webhooksApi.create(props.integrationId, body));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">New subscription</h3>
      <label className="field">
        <span>Webhook URL</span>
        <input
          className="input"
          type="url"
          required
          placeholder="http://localhost:3000/webhooks/notion"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <VersionField
        versions={props.list.api_versions}
        value={version}
        onChange={(v) => {
          const next = props.list.event_types[v] ?? [];
          setVersion(v);
          setTypes((t) => (t === null ? null : t.filter((x) => next.includes(x))));
        }}
      />
      <fieldset className="field">
        <legend>Events</legend>
        <EventTypeFields types={offered} value={types} onChange={setTypes} />
      </fieldset>
      <label className="field">
        <span>Verification token (optional)</span>
        <input className="input mono" value={token} onChange={(e) => setToken(e.target.value)} placeholder="secret_…" />
        <small className="muted">
          Leave it empty to verify as Notion does: a token is sent to your URL, and you paste it here. With a token of
          your own, the subscription is active at once and signs with it.
        </small>
      </label>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || (types !== null && types.length === 0)}>
          Create subscription
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function VersionField(props: { versions: string[]; value: string; onChange(version: string): void }) {
  return (
    <label className="field">
      <span>API version</span>
      <select className="input" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.versions.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </label>
  );
}

interface SubscriptionProps {
  hook: PortalWebhook;
  list: PortalWebhookList;
  canManage: boolean;
  onChanged(hook: PortalWebhook): void;
  onDeleted(hook: PortalWebhook): void;
}

function Subscription(props: SubscriptionProps) {
  const { hook, canManage } = props;
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const act = async (run: () => Promise<PortalWebhook>) => {
    setError(null);
    try {
      props.onChanged(await run());
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const events = hook.event_types === null ? 'all event types' : hook.event_types.join(', ');
  return (
    <article className="card" aria-label={`Webhook ${hook.url}`}>
      <div className="title-row">
        <code className="mono">{hook.url}</code>
        <StateBadge state={hook.state} />
      </div>
      <p className="muted small">
        API version {hook.api_version} · {events} · token {hook.verification_token_hint} · created{' '}
        {formatTime(hook.created_time)}
      </p>
      <ErrorBanner message={error} />
      {hook.state === 'pending_verification' && canManage && <VerifyForm hook={hook} onVerified={props.onChanged} />}
      {editing && (
        <EditEvents
          hook={hook}
          types={props.list.event_types[hook.api_version] ?? []}
          onDone={(next) => (next && props.onChanged(next), setEditing(false))}
        />
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-small" onClick={() => setShowDeliveries(!showDeliveries)}>
          {showDeliveries ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        {canManage && (
          <ManageButtons
            hook={hook}
            act={act}
            onEdit={() => setEditing(true)}
            onDeleted={props.onDeleted}
            onError={setError}
          />
        )}
      </div>
      {showDeliveries && <Deliveries hook={hook} canManage={canManage} />}
    </article>
  );
}

function ManageButtons({
  hook,
  act,
  onEdit,
  onDeleted,
  onError,
}: {
  hook: PortalWebhook;
  act(run: () => Promise<PortalWebhook>): Promise<void>;
  onEdit(): void;
  onDeleted(hook: PortalWebhook): void;
  onError(message: string): void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await webhooksApi.remove(hook);
      onDeleted(hook);
    } catch (err) {
      onError(errorMessage(err));
      setBusy(false);
    }
    setDeleting(false);
  };
  return (
    <>
      {hook.state !== 'pending_verification' && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void act(() => webhooksApi.update(hook, { paused: hook.state === 'active' }))}
        >
          {hook.state === 'active' ? 'Pause' : 'Resume'}
        </button>
      )}
      <button type="button" className="btn btn-small" onClick={onEdit}>
        Edit events
      </button>
      <button type="button" className="btn btn-small btn-danger" onClick={() => setDeleting(true)}>
        Delete
      </button>
      <ConfirmDialog
        open={deleting}
        title="Delete this subscription?"
        confirmLabel="Delete subscription"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(false)}
      >
        <p>
          <code>{hook.url}</code> receives no more events, and its delivery history is deleted with it.
        </p>
      </ConfirmDialog>
    </>
  );
}

function VerifyForm({ hook, onVerified }: { hook: PortalWebhook; onVerified(hook: PortalWebhook): void }) {
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onVerified(await webhooksApi.verify(hook, token));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const resend = async () => {
    setError(null);
    try {
      await webhooksApi.resendVerification(hook);
      setStatus('A new request with the token was sent to your URL.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="filters" onSubmit={verify} aria-label="Verify subscription">
      <label className="field-inline">
        <span>Verification token</span>
        <input
          className="input input-small mono"
          placeholder="Paste the token sent to your URL"
          size={44}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </label>
      <button type="submit" className="btn btn-small btn-primary" disabled={token.trim() === ''}>
        Verify
      </button>
      <button type="button" className="btn btn-small" onClick={() => void resend()}>
        Resend token
      </button>
      <span className="muted small" role="status">
        {status}
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function EditEvents({
  hook,
  types,
  onDone,
}: {
  hook: PortalWebhook;
  types: string[];
  onDone(next: PortalWebhook | null): void;
}) {
  const [value, setValue] = useState<string[] | null>(hook.event_types);
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      onDone(await webhooksApi.update(hook, { event_types: value }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form onSubmit={save} aria-label="Edit events">
      <EventTypeFields types={types} value={value} onChange={setValue} />
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={value !== null && value.length === 0}>
          Save events
        </button>
        <button type="button" className="btn btn-small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The subscription's deliveries, newest first, asked again every REFRESH_MS while shown. */
function Deliveries({ hook, canManage }: { hook: PortalWebhook; canManage: boolean }) {
  const [rows, setRows] = useState<PortalWebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setRows((await webhooksApi.deliveries(hook)).results);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [hook]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  return (
    <div aria-label="Deliveries" role="region">
      <ErrorBanner message={error} />
      {!rows && !error && <Loading />}
      {rows && rows.length === 0 && <p className="muted small">No deliveries yet.</p>}
      {rows && rows.length > 0 && (
        <table className="data-table log-table">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Next retry</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <DeliveryRow
                key={d.id}
                d={d}
                open={open === d.id}
                toggle={() => setOpen(open === d.id ? null : d.id)}
                onResend={canManage ? () => webhooksApi.resendDelivery(hook, d.id).then(load) : undefined}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function statusClass(status: number | null): string {
  if (status === null) return 'st-5xx';
  return status < 300 ? 'st-2xx' : status >= 500 ? 'st-5xx' : 'st-4xx';
}

function AttemptStatus({ a }: { a: PortalWebhookDelivery['attempts'][number] }) {
  return (
    <>
      <span className={`status ${statusClass(a.status)}`}>{a.status ?? a.error ?? 'no answer'}</span>
      <span className="muted small"> {a.latency_ms} ms</span>
    </>
  );
}

function stateLabel(d: PortalWebhookDelivery): string {
  if (d.state === 'delivered') return 'Delivered';
  if (d.state === 'failed') return 'Failed';
  return d.attempts.length > 0 ? 'Retrying' : 'Pending';
}

function DeliveryRow(props: {
  d: PortalWebhookDelivery;
  open: boolean;
  toggle(): void;
  onResend: (() => Promise<unknown>) | undefined;
}) {
  const { d, open } = props;
  const last = d.attempts[d.attempts.length - 1];
  return (
    <>
      <tr className={open ? 'row-open' : undefined}>
        <td className="nowrap small">{new Date(d.created_time).toLocaleTimeString()}</td>
        <td>
          <button type="button" className="row-button" aria-expanded={open} onClick={props.toggle}>
            <span className="mono small">{d.type}</span>
          </button>
        </td>
        <td className="small">{stateLabel(d)}</td>
        <td className="nowrap">{last ? <AttemptStatus a={last} /> : <span className="muted small">—</span>}</td>
        <td className="small nowrap">
          {d.next_attempt_time ? new Date(d.next_attempt_time).toLocaleTimeString() : '—'}
        </td>
      </tr>
      {open && (
        <tr className="row-detail">
          <td colSpan={5}>
            <DeliveryDetail d={d} onResend={props.onResend} />
          </td>
        </tr>
      )}
    </>
  );
}

function DeliveryDetail({ d, onResend }: { d: PortalWebhookDelivery; onResend: (() => Promise<unknown>) | undefined }) {
  const [status, setStatus] = useState<string | null>(null);
  const payload = d.body ? (JSON.parse(d.body) as unknown) : d.payload;
  const resend = async () => {
    try {
      await onResend?.();
      setStatus('Sent again: the next attempt is on its way.');
    } catch (err) {
      setStatus(errorMessage(err));
    }
  };
  return (
    <dl className="detail">
      <dt>Event id</dt>
      <dd>
        <code>{d.id}</code>
      </dd>
      <dt>Signature</dt>
      <dd>
        {d.signature ? (
          <>
            <code data-testid="delivery-signature">{d.signature}</code> <CopyButton text={d.signature} />
          </>
        ) : (
          <span className="muted">
            {d.type === 'verification' ? 'The handshake carries the token itself.' : 'Not sent yet.'}
          </span>
        )}
      </dd>
      <dt>{d.body ? 'Body as sent' : 'Payload'}</dt>
      <dd>
        <pre className="error-body" data-testid="delivery-payload">
          {JSON.stringify(payload, null, 2)}
        </pre>
      </dd>
      <dt>Attempts</dt>
      <dd>
        <ol className="plain-list">
          {d.attempts.map((a) => (
            <li key={a.attempt_number}>
              #{a.attempt_number} at {new Date(a.started_time).toLocaleTimeString()} · <AttemptStatus a={a} />
            </li>
          ))}
          {d.attempts.length === 0 && <li className="muted">None yet.</li>}
        </ol>
      </dd>
      {onResend && (
        <>
          <dt>Replay</dt>
          <dd>
            <button type="button" className="btn btn-small" onClick={() => void resend()}>
              Resend
            </button>{' '}
            <span className="muted small" role="status">
              {status}
            </span>
          </dd>
        </>
      )}
    </dl>
  );
}
