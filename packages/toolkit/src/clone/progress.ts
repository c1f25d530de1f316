// The clone's progress on stderr: the number of objects to read grows as the crawl finds them, so the bar's total
// moves; a live bar with rate and ETA on a terminal (cli-progress), a plain line every few seconds otherwise.
import cliProgress from 'cli-progress';
import { formatDuration } from '../progress.js';
import { systemClock, type Clock } from '../clock.js';

export interface CloneProgress {
  update(done: number, known: number, detail: string): void;
  stop(): void;
}

export function cloneProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  clock: Clock = systemClock,
  plainEveryMs = 5000,
): CloneProgress {
  const started = clock.now();
  const eta = (done: number, known: number) => {
    const rate = done / Math.max(0.001, (clock.now() - started) / 1000);
    return { rate: rate.toFixed(1), eta: done >= known ? '0s' : formatDuration(((known - done) / rate) * 1000) };
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream,
      format: 'clone [{bar}] {value}/{total} objects · {rate}/s · ETA {eta_s} {detail}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
    });
    bar.start(1, 0, { rate: '0.0', eta_s: '?', detail: '' });
    return {
      update(done, known, detail) {
        const { rate, eta: left } = eta(done, known);
        bar.setTotal(Math.max(1, known));
        bar.update(done, { rate, eta_s: left, detail: detail.slice(0, 40) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update(done, known, detail) {
      if (clock.now() - last < plainEveryMs && done < known) return;
      last = clock.now();
      const { rate, eta: left } = eta(done, known);
      stream.write(
        `clone: ${done}/${known} objects · ${rate}/s · ETA ${left}${detail === 'done' ? '' : ` · ${detail}`}\n`,
      );
    },
    stop() {
      /* plain lines need no cleanup */
    },
  };
}
