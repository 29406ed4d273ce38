import type { Clock } from "@ami-lifecycle/core";

/** A clock that only moves when told to; images finish pending when it passes their ready time. */
export class SimClock implements Clock {
  private millis: number;

  /** Starts at `start` (default 2026-11-20T10:00:00Z, a fixed instant so runs are reproducible). */
  constructor(start: Date | string = "2026-11-20T10:00:00Z") {
    this.millis = new Date(start).getTime();
  }

  /** The current simulated time. */
  now(): Date {
    return new Date(this.millis);
  }

  /** The current simulated time in epoch milliseconds. */
  nowMs(): number {
    return this.millis;
  }

  /** Moves time forward; negative steps are refused because AWS time never runs backwards. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`SimClock.advance needs a non-negative duration, got ${ms}`);
    this.millis += ms;
  }

  /** Jumps to a later instant. */
  set(to: Date | string): void {
    const target = new Date(to).getTime();
    if (target < this.millis) throw new RangeError(`SimClock.set cannot go back in time to ${String(to)}`);
    this.millis = target;
  }
}
