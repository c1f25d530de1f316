// Progress of a bulk job on stderr: a live bar with rate and ETA on a terminal (cli-progress), plain
// lines at every 10 % otherwise (logs, CI, pipes), so output stays readable wherever it goes.
import cliProgress from 'cli-progress';
import { systemClock, type Clock } from './clock.js';

export interface ProgressReporter {
  update(done: number, detail?: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly unit?: string;
  readonly clock?: Clock;
  /** Force plain lines even on a terminal. */
  readonly plain?: boolean;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgress(options: ProgressOptions): ProgressReporter {
  const clock = options.clock ?? systemClock;
  const unit = options.unit ?? 'rows';
  const started = clock.now();
  const total = Math.max(0, options.total);
  const rateAndEta = (done: number) => {
    const elapsedS = Math.max(0.001, (clock.now() - started) / 1000);
    const rate = done / elapsedS;
    const eta = rate > 0 ? ((total - done) / rate) * 1000 : Number.POSITIVE_INFINITY;
    return { rate: rate.toFixed(1), eta: done >= total ? '0s' : formatDuration(eta) };
  };

  if (options.stream.isTTY && !options.plain) {
    const bar = new cliProgress.SingleBar({
      stream: options.stream as NodeJS.WritableStream,
      format: `${options.label} [{bar}] {percentage}% {value}/{total} ${unit} · {rate} ${unit}/s · ETA {eta_s} {detail}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    });
    bar.start(total, 0, { rate: '0.0', eta_s: '?', detail: '' });
    return {
      update(done, detail = '') {
        const { rate, eta } = rateAndEta(done);
        bar.update(done, { rate, eta_s: eta, detail });
      },
      stop: () => bar.stop(),
    };
  }

  let nextStep = 0;
  const line = (done: number, detail: string) => {
    const { rate, eta } = rateAndEta(done);
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    options.stream.write(
      `${options.label}: ${done}/${total} ${unit} (${pct}%) · ${rate} ${unit}/s · ETA ${eta}${detail ? ` · ${detail}` : ''}\n`,
    );
  };
  return {
    update(done, detail = '') {
      const pct = total === 0 ? 100 : (done / total) * 100;
      if (pct >= nextStep || done >= total) {
        line(done, detail);
        while (nextStep <= pct) nextStep += 10;
        if (done >= total) nextStep = Number.POSITIVE_INFINITY;
      }
    },
    stop() {
      /* plain lines need no cleanup */
    },
  };
}
