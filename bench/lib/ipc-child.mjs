// Parent side of a forked helper process that answers `{id, cmd, ...}` messages with `{id, type, ...}`
// (server-child.mjs, soak-child.mjs): fork it, call commands, stop it (SIGKILL if it does not close in 15 s).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function forkChild(moduleUrl) {
  const child = fork(moduleUrl, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const { reject } of pending.values()) reject(new Error(`child exited (code ${code}, signal ${signal})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(`child: ${msg.message}`));
    else p.resolve(msg);
  });
  const call = (cmd, fields = {}) => {
    if (exited) return Promise.reject(new Error('child has exited'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...fields });
    });
  };
  return {
    pid: child.pid,
    call,
    kill: () => child.kill('SIGKILL'),
    async close() {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await call('close').catch(() => undefined); // exiting is all we want
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); null where there is no /proc. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}
