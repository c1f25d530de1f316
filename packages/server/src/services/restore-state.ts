// A clone bundle straight to a state file's text: a fresh in-memory store, the bundle restored into it in one
// transaction (services/restore.ts), then exported as `serve --import` loads it (services/state.ts).
import { openStore } from '../store/open-store.js';
import { ChangeFeed } from './changes.js';
import { restoreClone, type CloneBundleInput, type RestoreResult } from './restore.js';
import { exportState } from './state.js';

export async function cloneBundleToState(
  bundle: CloneBundleInput,
  now: Date = new Date(),
): Promise<RestoreResult & { state: string }> {
  const store = await openStore({ kind: 'memory' });
  try {
    const result = await restoreClone({ store, changes: new ChangeFeed() }, bundle, now);
    return { ...result, state: await exportState(store) };
  } finally {
    await store.close();
  }
}
