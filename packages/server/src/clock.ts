// Time is injected so rate limits and timestamps can be tested without sleeping.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Notion floors created_time/last_edited_time of pages, blocks and comments to the minute. */
export function toMinuteIso(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  const ms = d.getTime();
  return new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString();
}
