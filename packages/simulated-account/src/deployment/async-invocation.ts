/** Lambda retries a failed asynchronous invocation twice, then sends it to the DLQ. */
export const lambdaAsyncAttempts = 3;

/**
 * Lambda's waits before the second and the third attempt of a failed asynchronous invocation: one
 * minute, then two (Lambda developer guide, "How Lambda handles errors and retries with asynchronous
 * invocation").
 */
export const lambdaAsyncRetryDelaysMs: readonly number[] = [60_000, 120_000];

/** What happened to one asynchronous invocation: attempts made, the last result or the last error. */
export interface AsyncInvocationRecord {
  attempts: number;
  result?: unknown;
  error?: unknown;
}

interface RunningAttempt {
  /** when Lambda ends the attempt at the latest (its function's timeout), simulated epoch ms */
  deadlineMs: number;
  ended: Promise<void>;
}

/**
 * The attempts of the local functions running at this moment. Locally a retry cannot wait a real minute,
 * and the local deployment does not move the simulated clock for it either; what the wait guarantees in
 * AWS is that an attempt running when this one failed, whose timeout is shorter than the wait, has
 * ended (or timed out) by the retry. So a retry waits for exactly those attempts to end: it no longer
 * races a concurrent invocation that holds a lease in real time (which the slower of two processes on
 * a loaded machine loses), and it finds the claim as Lambda's retry would, done or given back.
 */
export class RunningAttempts {
  private readonly running = new Set<RunningAttempt>();

  /** Runs one attempt, counted as running until it settles. */
  async run<T>(deadlineMs: number, attempt: () => Promise<T>): Promise<T> {
    let ended = () => {};
    const entry: RunningAttempt = { deadlineMs, ended: new Promise<void>((resolve) => (ended = resolve)) };
    this.running.add(entry);
    try {
      return await attempt();
    } finally {
      this.running.delete(entry);
      ended();
    }
  }

  /** Resolves once every attempt running now that Lambda would have ended by `retryAtMs` has ended. */
  async endedBy(retryAtMs: number): Promise<void> {
    const due = [...this.running].filter((entry) => entry.deadlineMs <= retryAtMs);
    await Promise.all(due.map((entry) => entry.ended));
  }
}

/**
 * Lambda's asynchronous invocation of one payload: up to three attempts, each given its deadline
 * (`now + timeoutMs` on the simulated clock); a retry starts once the attempts running when the last one
 * failed, which Lambda would have ended before its retry delay, have ended. The last error stays on the
 * record; a success clears it.
 */
export async function invokeAsync(options: {
  running: RunningAttempts;
  nowMs: () => number;
  timeoutMs: number;
  attempt: (deadlineMs: number) => Promise<unknown>;
  record: AsyncInvocationRecord;
}): Promise<void> {
  const { running, nowMs, timeoutMs, attempt, record } = options;
  while (record.attempts < lambdaAsyncAttempts) {
    record.attempts++;
    const deadlineMs = nowMs() + timeoutMs;
    try {
      record.result = await running.run(deadlineMs, () => attempt(deadlineMs));
      delete record.error;
      return;
    } catch (error) {
      record.error = error;
    }
    const delayMs = lambdaAsyncRetryDelaysMs[record.attempts - 1];
    if (delayMs !== undefined) await running.endedBy(nowMs() + delayMs);
  }
}
