// Parent side of server-child.mjs: fork it (ipc-child.mjs), start the platform, send commands.
import { join } from 'node:path';
import { BENCH_DIR } from './common.mjs';
import { forkChild } from './ipc-child.mjs';

export const PROFILE_DIR = join(BENCH_DIR, 'results', 'profiles');

/** Starts the platform in a child process on `store` (StoreOptions of @notion-local/server). */
export async function startServerProcess(store) {
  const child = forkChild(new URL('./server-child.mjs', import.meta.url));
  let started;
  try {
    started = await child.call('start', { store });
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url: started.url, pid: child.pid, call: child.call, close: child.close };
}
