import { type SweepInvocation, scheduledSweepInput, sweepInvocationSchema } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

/** What the sweep's contract answers: the invocation, or every issue as `path: reason`. */
function read(input: unknown): { invocation?: SweepInvocation; issues?: string[] } {
  const result = sweepInvocationSchema["~standard"].validate(input);
  if (result instanceof Promise) throw new Error("the sweep's contract must validate synchronously");
  if (result.issues)
    return {
      issues: result.issues.map((issue) => `${(issue.path ?? []).map(String).join(".")}: ${issue.message}`),
    };
  return { invocation: result.value };
}

/** The invocation of a valid input; fails the test with the issues otherwise. */
function parse(input: unknown): SweepInvocation {
  const { invocation, issues } = read(input);
  if (!invocation) throw new Error(`refused: ${issues?.join("; ")}`);
  return invocation;
}

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
    expect(parse(familyRequest)).toEqual({
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
    const invocations = [first, second].map((event) => parse(event));

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
    const invocation = parse({
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
    const first = parse({ kind: "scheduled-sweep" });
    const second = parse({ kind: "scheduled-sweep" });
    expect(first.requestId).not.toBe(second.requestId);
  });

  it("accepts the Scheduler input the stack is given", () => {
    expect(read(scheduledSweepInput).issues).toBeUndefined();
  });

  it("reads a continuation as the run's next part, keyed by run and part whatever the event id", () => {
    const continuation = { ...familyRequest, detail: { continuation: { runId: "scheduled:d32c", part: 2 } } };
    const first = parse(continuation);
    const putAgain = parse({ ...continuation, id: "0d3f6c8e-put-again" });
    expect(first).toEqual({
      requestId: "continuation:scheduled:d32c:2",
      reason: "continuation",
      continuation: { runId: "scheduled:d32c", part: 2 },
    });
    expect(putAgain.requestId).toBe(first.requestId);
  });

  it("rejects a continuation without a positive whole part, naming detail.continuation.part", () => {
    const reasons = [0, -1, 1.5, "2"].map((part) => {
      const detail = { continuation: { runId: "run-1", part } };
      return read({ ...familyRequest, detail }).issues;
    });
    expect(reasons).toEqual([
      ["detail.continuation.part: must be > 0"],
      ["detail.continuation.part: must be > 0"],
      ["detail.continuation.part: must be a whole number"],
      ["detail.continuation.part: must be a number"],
    ]);
  });

  it("reads a request's one-off cap, and refuses one no config could allow, naming detail.maxDeletions", () => {
    const capped = parse({
      ...familyRequest,
      detail: { family: "web", maxDeletions: 200 },
    });
    expect(capped).toMatchObject({ families: ["web"], maxDeletions: 200 });
    const reasons = [-1, 1.5, "3", 10_001].map(
      (maxDeletions) => read({ ...familyRequest, detail: { family: "web", maxDeletions } }).issues,
    );
    expect(reasons).toEqual([
      ["detail.maxDeletions: must be ≥ 0"],
      ["detail.maxDeletions: must be a whole number"],
      ["detail.maxDeletions: must be a number"],
      ["detail.maxDeletions: must be ≤ 10000"],
    ]);
  });

  it("rejects anything else, naming each field and why", () => {
    expect(read({ kind: "sweep-everything" }).issues).toEqual(['kind: must be "scheduled-sweep"']);
    expect(read({ ...familyRequest, detail: {} }).issues).toEqual(["detail.family: is required"]);
    expect(read("sweep").issues).toEqual([": must be an object"]);
    expect(read([]).issues).toEqual([": must be an object"]);
  });

  it("checks the envelope as the event contracts do: every wrong field named at once", () => {
    // Prepare: an event of another source, with a bad account, time, region and resources
    const forged = {
      ...familyRequest,
      source: "aws.ec2",
      "detail-type": "EC2 AMI State Change",
      account: "1234",
      time: "yesterday",
      region: "Europe",
      resources: ["x".repeat(2049)],
    };

    // Act
    const { invocation, issues } = read(forged);

    // Assess
    expect(invocation).toBeUndefined();
    expect(issues).toEqual([
      'detail-type: must be "Family Sweep Requested"',
      'source: must be "ami-lifecycle"',
      "account: must be a 12-digit AWS account id",
      "time: must be an ISO-8601 time such as 2026-11-20T10:21:04Z",
      "region: must be an AWS region such as eu-west-1",
      "resources.0: must be at most 2048 characters",
    ]);
  });

  it("bounds every string it keeps, so a hostile event cannot carry megabytes in one field", () => {
    const huge = "x".repeat(1025);
    expect(read({ ...familyRequest, detail: { family: "web", reason: huge } }).issues).toEqual([
      "detail.reason: must be at most 1024 characters",
    ]);
    expect(read({ ...familyRequest, detail: { family: "w".repeat(64) } }).issues).toEqual([
      "detail.family: must be at most 63 characters",
    ]);
    expect(read({ ...familyRequest, detail: { family: "web", requestKey: "" } }).issues).toEqual([
      "detail.requestKey: must not be empty",
    ]);
    expect(read({ kind: "scheduled-sweep", executionId: "e".repeat(129) }).issues).toEqual([
      "executionId: must be at most 128 characters",
    ]);
  });

  it("reads a detail naming a family as that family's request, as the zod union did (it tried it first)", () => {
    // Prepare: a family request that also carries a continuation, and an event with an empty `kind`
    const both = { ...familyRequest, detail: { family: "web", continuation: { runId: "r", part: 1 } } };
    const kindless = { ...familyRequest, kind: undefined };

    // Act + Assess
    expect(parse(both)).toEqual({ requestId: familyRequest.id, families: ["web"], reason: "requested" });
    expect(parse(kindless)).toEqual({
      requestId: familyRequest.id,
      families: ["web"],
      reason: "v7 available",
    });
  });

  it("refuses a time that is not a real UTC instant with seconds, as zod's iso.datetime() did", () => {
    const reasons = [
      "2026-13-45T99:99:99Z",
      "2026-02-30T10:21:04Z",
      "2026-11-20T10:21Z",
      "2026-11-20T10:21:04+01:00",
    ].map((time) => read({ ...familyRequest, time }).issues);
    const refused = ["time: must be an ISO-8601 time such as 2026-11-20T10:21:04Z"];
    expect(reasons).toEqual([refused, refused, refused, refused]);
    expect(read({ ...familyRequest, time: "2026-11-20T10:21:04.123Z" }).issues).toBeUndefined();
    expect(read({ ...familyRequest, time: "2028-02-29T00:00:00Z" }).issues).toBeUndefined();
  });

  it("refuses a part beyond the exact whole numbers (2^53), as zod's int() did", () => {
    for (const part of [2 ** 53 + 2, 1e300]) {
      expect(read({ ...familyRequest, detail: { continuation: { runId: "r", part } } }).issues).toEqual([
        "detail.continuation.part: must be a whole number",
      ]);
    }
  });

  it("refuses an empty event id or scheduled time: each would key every such request alike", () => {
    expect(read({ ...familyRequest, id: "" }).issues).toEqual(["id: must not be empty"]);
    expect(read({ kind: "scheduled-sweep", scheduledTime: "" }).issues).toEqual([
      "scheduledTime: must not be empty",
    ]);
  });
});
