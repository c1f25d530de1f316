// Sandbox controls: reset the workspace to its seed, export its state as a seed file.
import { useState } from 'react';
import type { PortalExportResult } from '@notion-local/server';
import { api, errorMessage } from '../api';
import { isOwner, useShell } from '../session';
import { ConfirmDialog, ErrorBanner } from '../components/ui';

function download(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Sandbox() {
  const { session, tree, setSecret } = useShell();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const owner = isOwner(session);

  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/sandbox/reset');
      setSecret(null);
      tree.reload();
      setStatus(`${session.workspace.name} is back to its seed.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="screen">
      <h1>Sandbox</h1>
      <p className="muted">Start every test from a known state, and keep a state worth keeping.</p>
      {!owner && <p className="banner banner-info">Only workspace owners can reset or export the workspace.</p>}
      <ErrorBanner message={error} />
      {status && (
        <p className="banner banner-ok" role="status">
          {status}
        </p>
      )}
      <ResetCard canReset={owner && session.workspace.seeded} onReset={() => setConfirming(true)} />
      <ExportCard canExport={owner} onError={setError} />
      <ConfirmDialog
        open={confirming}
        title={`Reset ${session.workspace.name}?`}
        confirmLabel="Reset workspace"
        danger
        busy={busy}
        onConfirm={() => void reset()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Everything made since the seed was applied is removed. Integrations created here disappear, and their secrets
          stop working.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** What a reset does (or why there is nothing to reset to), and the button that asks to confirm it. */
function ResetCard({ canReset, onReset }: { canReset: boolean; onReset(): void }) {
  const { session } = useShell();
  return (
    <section className="card" aria-labelledby="reset-heading">
      <h2 id="reset-heading">Reset to seed</h2>
      {session.workspace.seeded ? (
        <p>
          Puts {session.workspace.name} back exactly as its seed made it: the same ids, and the seed's tokens work
          again. Pages, integrations and connections made since are removed. You stay signed in.
        </p>
      ) : (
        <p className="muted">This workspace was not created from a seed, so there is nothing to reset it to.</p>
      )}
      <button type="button" className="btn btn-danger" disabled={!canReset} onClick={onReset}>
        Reset workspace…
      </button>
    </section>
  );
}

/** Downloads the workspace as a seed file, then says how to start from it and what it leaves out. */
function ExportCard({ canExport, onError }: { canExport: boolean; onError(message: string | null): void }) {
  const [exported, setExported] = useState<PortalExportResult | null>(null);

  const exportState = async () => {
    onError(null);
    try {
      const result = await api<PortalExportResult>('GET', '/sandbox/export');
      setExported(result);
      download(result.file_name, result.seed);
    } catch (err) {
      onError(errorMessage(err));
    }
  };

  return (
    <section className="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export state</h2>
      <p>
        Download the workspace as it is now, as a seed file. Start from it again with{' '}
        <code>notion-local serve --seed FILE</code>.
      </p>
      <button type="button" className="btn btn-primary" disabled={!canExport} onClick={() => void exportState()}>
        Export seed file
      </button>
      {exported && (
        <div className="export-result" role="status">
          <p>
            Downloaded <code>{exported.file_name}</code>. To start from it:{' '}
            <code>npx notion-local serve --in-memory --seed {exported.file_name}</code>
          </p>
          <ul className="notes">
            {exported.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
