// Parent side of server-child.mjs: fork it, send commands, await replies.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './common.mjs';

export const PROFILE_DIR = join(BENCH_DIR, 'results', 'profiles');

/** Starts the platform in a child process on `store` (StoreOptions of @notion-local/server). */
export async function startServerProcess(store) {
  const child = fork(new URL('./server-child.mjs', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const { reject } of pending.values())
        reject(new Error(`server process exited (code ${code}, signal ${signal})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(`server process: ${msg.message}`));
    else p.resolve(msg);
  });
  const call = (cmd, fields = {}) => {
    if (exited) return Promise.reject(new Error('server process has exited'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...fields });
    });
  };
  let started;
  try {
    started = await call('start', { store });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: started.url,
    pid: child.pid,
    call,
    async close() {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        await call('close');
      } catch {
        // exiting is all we want
      }
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
