import { assessStatus, nextRun, type StatusInput, type VersionRecord } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario } from "../retention/builders";

const web = family({ keepLatest: 3 });

function input(overrides: Partial<StatusInput> = {}, versions: VersionRecord[] = []): StatusInput {
  return {
    now,
    config: { mode: "enforce", sweep: { schedule: "cron(0 3 * * ? *)", timezone: "UTC" }, families: [web] },
    versions: new Map([["web", versions]]),
    pointers: [],
    deadLetters: [
      { label: "handler", url: "https://sqs.eu-west-1.amazonaws.com/111111111111/dlq", messages: 0 },
    ],
    alarms: [],
    lastSweep: { at: "2025-05-31T03:00:00.000Z", mode: "enforce", result: "swept", failures: 0, blocked: [] },
    ...overrides,
  };
}

describe("assessStatus", () => {
  it("is healthy when the last sweep was clean and nothing waits, with the next daily run", () => {
    const status = assessStatus(input());
    expect(status.healthy).toBe(true);
    expect(status.findings).toEqual([]);
    expect(status.nextSweep.at).toBe("2025-06-01T03:00:00.000Z");
  });

  it("names versions whose retirement was blocked because references could not be read", () => {
    const lastSweep = { at: "2025-05-31T03:00:00.000Z", mode: "enforce" as const, result: "swept" as const };
    const status = assessStatus(
      input({ lastSweep: { ...lastSweep, failures: 1, blocked: [{ family: "web", versions: [2] }] } }),
    );
    expect(status.findings.map((finding) => [finding.kind, finding.version])).toEqual([
      ["sweep-failed", undefined],
      ["retirement-blocked", 2],
    ]);
    expect(status.findings[1]?.action).toContain("ec2:DescribeImageReferences");
  });

  it("reports a latest pointer that holds another image than the registry's newest available version", () => {
    const { versions } = scenario([
      { version: 1, ageDays: 9 },
      { version: 2, ageDays: 2 },
    ]);
    const pointer = {
      family: "web",
      region: "eu-west-1",
      name: "/ami-lifecycle/web/latest",
      imageId: "ami-web-v1-eu-west-1",
    };
    const status = assessStatus(input({ pointers: [pointer] }, versions));
    expect(status.findings).toEqual([
      expect.objectContaining({ kind: "pointer-disagrees", family: "web", version: 2, region: "eu-west-1" }),
    ]);
  });

  it("reports a copy waiting for quota and a sweep that never ran", () => {
    const { versions } = scenario([{ version: 1, ageDays: 1, regions: ["eu-west-1", "us-east-1"] }]);
    const copy = versions[0]?.regions["us-east-1"];
    if (copy) Object.assign(copy, { state: "copy-waiting", imageId: undefined });
    const status = assessStatus(input({ lastSweep: undefined }, versions));
    expect(status.findings.map((finding) => finding.kind)).toEqual(["no-sweep", "copy-waiting"]);
  });
});

describe("assessStatus of a target that does not record its sweeps", () => {
  it("makes no finding of the missing last sweep", () => {
    const status = assessStatus(input({ lastSweep: undefined, sweepsRecorded: false }));
    expect(status.findings).toEqual([]);
    expect(status.lastSweep).toBeNull();
  });
});

describe("nextRun", () => {
  it("counts a rate from the last run and gives up on expressions it does not model", () => {
    const sweep = { schedule: "rate(12 hours)", timezone: "UTC" };
    expect(nextRun(sweep, now, new Date("2025-05-31T10:00:00.000Z"))?.toISOString()).toBe(
      "2025-06-01T10:00:00.000Z",
    );
    expect(nextRun({ schedule: "cron(0 3 ? * MON *)", timezone: "UTC" }, now)).toBeUndefined();
    expect(nextRun({ schedule: "cron(0 3 * * ? *)", timezone: "Europe/Paris" }, now)).toBeUndefined();
  });
});
