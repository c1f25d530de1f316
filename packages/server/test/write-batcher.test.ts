// WriteBatcher (services/write-batcher.ts): which jobs go together, and that one job's failure is never another's.
import { describe, expect, it } from 'vitest';
import { WriteBatcher, type Outcome } from '../src/services/write-batcher.js';

/** A write that records each batch it was given and answers job × 10, or refuses negative jobs (per-job errors). */
function recorder(options: { throwWhen?: (jobs: readonly number[]) => boolean } = {}) {
  const batches: number[][] = [];
  const write = async (jobs: readonly number[]): Promise<Outcome<number>[]> => {
    batches.push([...jobs]);
    await new Promise((r) => setTimeout(r, 5)); // a write takes a while: later submissions queue behind it
    if (options.throwWhen?.(jobs)) throw new Error(`batch ${jobs.join(',')} failed`);
    return jobs.map((j) => (j < 0 ? { ok: false, error: new Error(`job ${j} refused`) } : { ok: true, value: j * 10 }));
  };
  return { batches, write };
}

describe('WriteBatcher', () => {
  it('writes the jobs submitted in one turn of the event loop as one batch, and later ones as the next', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher(write);
    const first = [1, 2, 3].map((j) => batcher.submit(j));
    while (batches.length === 0) await new Promise((r) => setImmediate(r)); // the first batch is in flight now
    const second = [4, 5].map((j) => batcher.submit(j));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('holds at most `max` jobs per batch, in submission order', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher(write, { max: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((j) => batcher.submit(j)))).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('settles a job refused by the write with its own error, and its neighbours with their values', async () => {
    const { batches, write } = recorder();
    const batcher = new WriteBatcher(write);
    const results = await Promise.allSettled([1, -2, 3].map((j) => batcher.submit(j)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('job -2 refused') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(batches).toEqual([[1, -2, 3]]);
  });

  it('writes each job of a failed batch again alone: only the job that fails alone fails', async () => {
    const { batches, write } = recorder({ throwWhen: (jobs) => jobs.includes(13) });
    const batcher = new WriteBatcher(write);
    const results = await Promise.allSettled([1, 13, 3].map((j) => batcher.submit(j)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('batch 13 failed') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(batches).toEqual([[1, 13, 3], [1], [13], [3]]);
  });

  it('keeps working after a failure: the next submissions form a new batch', async () => {
    const { batches, write } = recorder({ throwWhen: (jobs) => jobs.includes(13) });
    const batcher = new WriteBatcher(write);
    await expect(batcher.submit(13)).rejects.toThrow('batch 13 failed');
    expect(await Promise.all([7, 8].map((j) => batcher.submit(j)))).toEqual([70, 80]);
    expect(batches).toEqual([[13], [7, 8]]);
  });

  it('with concurrency above 1, starts the next batch while one is still being written', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const batcher = new WriteBatcher<string, string>(
      async (jobs) => {
        if (jobs.includes('slow')) await held; // e.g. waiting on another process's row lock
        order.push(jobs.join(','));
        return jobs.map((j) => ({ ok: true, value: j.toUpperCase() }));
      },
      { concurrency: 2 },
    );
    const slow = batcher.submit('slow');
    await new Promise((r) => setImmediate(r));
    expect(await batcher.submit('fast')).toBe('FAST');
    release();
    expect(await slow).toBe('SLOW');
    expect(order).toEqual(['fast', 'slow']);
  });
});
