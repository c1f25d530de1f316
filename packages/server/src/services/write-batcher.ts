// Group commit: writes that arrive while one is being written wait, then go together in one transaction.
// Under concurrent load a store spends most of a small write on per-statement and per-transaction work
// (BEGIN, COMMIT, planning, executor start-up); written together, n jobs share one read and one INSERT.

/** What one job of a batch came to: its value, or its own error (the others' are unaffected). */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<J, R> {
  job: J;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs jobs through `write` in batches: the jobs submitted in one turn of the event loop go together, and
 * jobs submitted while batches are in flight wait and form the next one (at most `max` each). `write`
 * settles each job with an Outcome and must write nothing for a job whose Outcome is an error. If `write`
 * throws, the whole batch wrote nothing (one transaction), and each of its jobs is written again alone, so
 * one job's failure is never another's.
 */
export class WriteBatcher<J, R> {
  private readonly waiting: Waiting<J, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /**
   * @param max         jobs per batch
   * @param concurrency batches in flight at once: 1 where the store runs one transaction at a time (PGlite);
   *                    more on PostgreSQL, so that a batch waiting on another process's row lock does not hold
   *                    up every create of this process
   */
  constructor(
    private readonly write: (jobs: readonly J[]) => Promise<Outcome<R>[]>,
    private readonly options: { max?: number; concurrency?: number } = {},
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /**
   * The next batch starts after the I/O callbacks of this turn of the event loop: requests that arrived
   * together are all submitted by then. (A PGlite write runs on promise callbacks alone, so without this no
   * request could ever arrive while another is being written, and every batch would hold one job.)
   */
  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= (this.options.concurrency ?? 1)) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.waiting.length === 0 || this.inFlight >= (this.options.concurrency ?? 1)) return;
    const batch = this.waiting.splice(0, this.options.max ?? 32);
    this.inFlight++;
    this.schedule(); // room for another batch (concurrency > 1), or more jobs than one batch holds
    try {
      this.settle(batch, await this.write(batch.map((w) => w.job)));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const one of batch) await this.alone(one);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async alone(one: Waiting<J, R>): Promise<void> {
    try {
      this.settle([one], await this.write([one.job]));
    } catch (error) {
      one.reject(error);
    }
  }

  private settle(batch: readonly Waiting<J, R>[], outcomes: readonly Outcome<R>[]): void {
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (!outcome) w.reject(new Error('a batched write returned no outcome for a job'));
      else if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }
}
