import type { SimClock } from "../clock";

interface Sleeper {
  wakeMs: number;
  sequence: number;
  resolve: () => void;
}

/** Event-loop turns the timeline waits before it calls the process idle (lets promise chains settle). */
const IDLE_TURNS = 3;

/**
 * A discrete-event timeline over the simulated clock, so the latency of calls made at once overlaps
 * and "simulated seconds" of a run are meaningful.
 *
 * The model: a call in flight sleeps until `now + latency` on the SimClock. The clock never moves while
 * anything else can still run; once the process is idle (every simulated task waits on a sleeper, no
 * held real I/O in flight, several event-loop turns in a row), the clock jumps to the earliest wake time
 * and wakes every sleeper due by then. So N calls started together cost max(latencies), not their sum,
 * and a call awaited after another starts when the first returned, as in AWS.
 * Real I/O the run also waits on (DynamoDB Local) is wrapped in `hold`: time stands still until it
 * answers, i.e. it is charged zero simulated time. Real timers (an SDK retry's backoff) are not held:
 * the clock may move on meanwhile, which only makes such a wait look shorter than it was.
 */
export class SimTimeline {
  private sleepers: Sleeper[] = [];
  private holds = 0;
  private sequence = 0;
  private checking = false;

  constructor(private readonly clock: SimClock) {}

  /** Resolves when the simulated clock has moved `ms` forward from now. */
  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      this.sleepers.push({ wakeMs: this.clock.nowMs() + ms, sequence: this.sequence++, resolve });
      this.scheduleCheck();
    });
  }

  /** Runs real asynchronous work (a DynamoDB Local request) with the simulated clock stopped until it ends. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.holds += 1;
    try {
      return await work();
    } finally {
      this.holds -= 1;
      this.scheduleCheck();
    }
  }

  /** Calls sleeping now (for tests and reports). */
  get pending(): number {
    return this.sleepers.length;
  }

  private scheduleCheck(): void {
    if (this.checking) return;
    this.checking = true;
    this.idleAfter(IDLE_TURNS, this.sleepers.length, this.sequence);
  }

  /** Waits `turns` quiet event-loop turns (no new sleeper, no hold), then wakes the earliest sleepers. */
  private idleAfter(turns: number, sleepers: number, sequence: number): void {
    setImmediate(() => {
      if (this.holds > 0) {
        this.checking = false;
        return;
      }
      const changed = this.sleepers.length !== sleepers || this.sequence !== sequence;
      if (turns > 1 || changed) {
        this.idleAfter(changed ? IDLE_TURNS : turns - 1, this.sleepers.length, this.sequence);
        return;
      }
      this.checking = false;
      this.wakeEarliest();
    });
  }

  private wakeEarliest(): void {
    if (this.sleepers.length === 0) return;
    const wakeMs = this.sleepers.reduce((earliest, sleeper) => Math.min(earliest, sleeper.wakeMs), Infinity);
    if (wakeMs > this.clock.nowMs()) this.clock.set(new Date(wakeMs));
    const due = this.sleepers
      .filter((sleeper) => sleeper.wakeMs <= wakeMs)
      .sort((a, b) => a.sequence - b.sequence);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.wakeMs > wakeMs);
    for (const sleeper of due) sleeper.resolve();
    if (this.sleepers.length > 0) this.scheduleCheck();
  }
}
