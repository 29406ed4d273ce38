import { scheduledSweepInput, sweepInvocationSchema } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const familyRequest = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Family Sweep Requested",
  source: "ami-lifecycle",
  account: "111122223333",
  time: "2026-11-20T10:21:04Z",
  region: "us-east-1",
  resources: [],
  detail: { family: "web", reason: "v7 available" },
};

describe("sweepInvocationSchema", () => {
  it("reads a family sweep request as a sweep of that family keyed by the event id", () => {
    expect(sweepInvocationSchema.parse(familyRequest)).toEqual({
      requestId: familyRequest.id,
      families: ["web"],
      reason: "v7 available",
    });
  });

  it("keys a request that carries its request key by that key: the same request put twice is one sweep", () => {
    // Prepare: one version's request, put on the bus twice (two event ids)
    const detail = { family: "web", reason: "v7 available", requestKey: "sweep-request:web:7" };
    const first = { ...familyRequest, detail };
    const second = { ...familyRequest, id: "0d6c0b4e-6a53-4f0c-9a2f-5c1d1e3b9a11", detail };

    // Act
    const invocations = [first, second].map((event) => sweepInvocationSchema.parse(event));

    // Assess
    expect(invocations.map((invocation) => invocation.requestId)).toEqual([
      "sweep-request:web:7",
      "sweep-request:web:7",
    ]);
    expect(invocations[0]).toEqual({
      requestId: "sweep-request:web:7",
      families: ["web"],
      reason: "v7 available",
    });
  });

  it("reads Scheduler's input as a sweep of every family keyed by the execution id", () => {
    const invocation = sweepInvocationSchema.parse({
      kind: "scheduled-sweep",
      executionId: "d32c5kddcf5bb8c3",
      scheduledTime: "2026-11-21T03:00:00Z",
    });
    expect(invocation).toEqual({
      requestId: "scheduled:d32c5kddcf5bb8c3",
      reason: "scheduled sweep at 2026-11-21T03:00:00Z",
    });
  });

  it("gives every bare scheduled invocation its own key", () => {
    const first = sweepInvocationSchema.parse({ kind: "scheduled-sweep" });
    const second = sweepInvocationSchema.parse({ kind: "scheduled-sweep" });
    expect(first.requestId).not.toBe(second.requestId);
  });

  it("accepts the Scheduler input the stack is given", () => {
    expect(sweepInvocationSchema.safeParse(scheduledSweepInput).success).toBe(true);
  });

  it("reads a continuation as the run's next part, keyed by run and part whatever the event id", () => {
    const continuation = { ...familyRequest, detail: { continuation: { runId: "scheduled:d32c", part: 2 } } };
    const first = sweepInvocationSchema.parse(continuation);
    const putAgain = sweepInvocationSchema.parse({ ...continuation, id: "0d3f6c8e-put-again" });
    expect(first).toEqual({
      requestId: "continuation:scheduled:d32c:2",
      reason: "continuation",
      continuation: { runId: "scheduled:d32c", part: 2 },
    });
    expect(putAgain.requestId).toBe(first.requestId);
  });

  it("rejects a continuation without a positive whole part", () => {
    for (const part of [0, -1, 1.5, "2"]) {
      const detail = { continuation: { runId: "run-1", part } };
      expect(sweepInvocationSchema.safeParse({ ...familyRequest, detail }).success).toBe(false);
    }
  });

  it("reads a request's one-off cap, and refuses one no config could allow, naming detail.maxDeletions", () => {
    const capped = sweepInvocationSchema.parse({
      ...familyRequest,
      detail: { family: "web", maxDeletions: 200 },
    });
    expect(capped).toMatchObject({ families: ["web"], maxDeletions: 200 });
    for (const maxDeletions of [-1, 1.5, "3", 10_001]) {
      const result = sweepInvocationSchema.safeParse({
        ...familyRequest,
        detail: { family: "web", maxDeletions },
      });
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error?.issues)).toContain("maxDeletions");
    }
  });

  it("rejects anything else", () => {
    expect(sweepInvocationSchema.safeParse({ kind: "sweep-everything" }).success).toBe(false);
    expect(sweepInvocationSchema.safeParse({ ...familyRequest, detail: {} }).success).toBe(false);
  });
});
