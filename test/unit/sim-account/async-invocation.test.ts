import {
  type AsyncInvocationRecord,
  invokeAsync,
  RunningAttempts,
  SimClock,
} from "@ami-lifecycle/simulated-account";
import { describe, expect, it } from "vitest";

/** A one-time claim as the registry keeps it: a holder takes it, and marks it done one I/O answer later. */
function leasedEffect() {
  let state: "free" | "held" | "done" = "free";
  let performed = 0;
  /** The handler: performs the effect under the claim, or fails while another attempt holds it. */
  const handler = async () => {
    if (state === "done") return "already done";
    if (state === "held") throw new Error("claim held by another attempt");
    state = "held";
    performed += 1;
    // The completion write answers in a later event-loop turn, as DynamoDB Local's answer does.
    await new Promise((resolve) => setImmediate(resolve));
    state = "done";
    return "performed";
  };
  return { handler, performed: () => performed };
}

/** A promise the test settles itself. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("invokeAsync (Lambda's asynchronous invocation, locally)", () => {
  it("retries a delivery that met a held claim after the holder's attempt ended, so it finds the claim done", async () => {
    // Prepare: the same event delivered to two invocations at once
    const clock = new SimClock();
    const running = new RunningAttempts();
    const effect = leasedEffect();
    const first: AsyncInvocationRecord = { attempts: 0 };
    const second: AsyncInvocationRecord = { attempts: 0 };
    const invoke = (record: AsyncInvocationRecord) =>
      invokeAsync({
        running,
        nowMs: () => clock.nowMs(),
        timeoutMs: 60_000,
        attempt: effect.handler,
        record,
      });
    // Act
    await Promise.all([invoke(first), invoke(second)]);
    // Assess: one performed it; the other failed once, then skipped it; neither ended in error
    expect(first).toEqual({ attempts: 1, result: "performed" });
    expect(second).toEqual({ attempts: 2, result: "already done" });
    expect(effect.performed()).toBe(1);
  });

  it("does not wait for an attempt Lambda would still be running at the retry (a 15-minute function)", async () => {
    // Prepare: a long attempt holds on until the test lets it go; another attempt fails meanwhile
    const clock = new SimClock();
    const running = new RunningAttempts();
    const longOne = gate();
    const long = invokeAsync({
      running,
      nowMs: () => clock.nowMs(),
      timeoutMs: 900_000,
      attempt: () => longOne.opened,
      record: { attempts: 0 },
    });
    const failing: AsyncInvocationRecord = { attempts: 0 };
    // Act
    await invokeAsync({
      running,
      nowMs: () => clock.nowMs(),
      timeoutMs: 60_000,
      attempt: async () => {
        throw new Error("refused");
      },
      record: failing,
    });
    longOne.open();
    await long;
    // Assess: all three attempts ran while the long one was still running; the last error stays
    expect(failing.attempts).toBe(3);
    expect(String(failing.error)).toBe("Error: refused");
  });

  it("gives each attempt its deadline on the simulated clock and keeps the last error after three attempts", async () => {
    // Prepare
    const clock = new SimClock();
    const deadlines: number[] = [];
    const record: AsyncInvocationRecord = { attempts: 0 };
    // Act
    await invokeAsync({
      running: new RunningAttempts(),
      nowMs: () => clock.nowMs(),
      timeoutMs: 60_000,
      attempt: async (deadlineMs) => {
        deadlines.push(deadlineMs);
        throw new Error(`attempt ${deadlines.length}`);
      },
      record,
    });
    // Assess
    expect(record.attempts).toBe(3);
    expect(String(record.error)).toBe("Error: attempt 3");
    expect(deadlines).toEqual([1, 2, 3].map(() => clock.nowMs() + 60_000));
  });
});
