import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, runCli } from "./support/run-cli";

interface StatusJson {
  healthy: boolean;
  lastSweep: { result: string; failures: number } | null;
  deadLetters: { label: string; messages: number }[];
  alarms: { name: string; reason: string }[];
  findings: {
    kind: string;
    family?: string;
    version?: number;
    region?: string;
    message: string;
    action: string;
  }[];
}

function parsed(run: CliRun): StatusJson {
  return JSON.parse(run.stdout) as StatusJson;
}

describe("ami-lifecycle status against the sandbox", () => {
  let healthy: CliRun;
  let deadLetter: CliRun;
  let alarm: CliRun;
  let stuckCopy: CliRun;

  beforeAll(async () => {
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    const quiet = ["status", "--sandbox", "--sandbox-story", "quiet", ...endpoint];
    [healthy, deadLetter, alarm, stuckCopy] = await Promise.all([
      runCli(quiet),
      runCli([...quiet, "--sandbox-fault", "dead-letter", "--output", "json"]),
      runCli([...quiet, "--sandbox-fault", "alarm", "--json"]),
      runCli(["status", "--sandbox", "--output", "json", ...endpoint]),
    ]);
  }, 120_000);

  it("says healthy and exits 0 after a quiet day: one build copied everywhere, one clean sweep", () => {
    expect(healthy.stderr).not.toContain("error");
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/Last sweep +2026-11-20T\d\d:\d\d:00\.000Z {2}swept, 0 failure\(s\)/);
    expect(healthy.stdout).toContain("Next sweep     2026-11-21T03:00:00.000Z  (cron(0 3 * * ? *) UTC)");
    expect(healthy.stdout).toContain("Dead letters   handler 0, schedule 0");
    expect(healthy.stdout).toContain("Healthy: nothing needs attention.");
  });

  it("exits 1 and names the queue when events were dead-lettered", () => {
    expect(deadLetter.code).toBe(1);
    const status = parsed(deadLetter);
    // The build's CloudTrail record and its state change each failed all of Lambda's attempts.
    expect(status.deadLetters).toEqual([
      expect.objectContaining({ label: "handler", messages: 2 }),
      expect.objectContaining({ label: "schedule", messages: 0 }),
    ]);
    expect(status.findings).toEqual([
      expect.objectContaining({
        kind: "dead-letters",
        message: "2 message(s) in the handler dead-letter queue",
        action: expect.stringContaining("aws sqs start-message-move-task"),
      }),
    ]);
  });

  it("exits 1 and lists an alarm in ALARM with its reason", () => {
    expect(alarm.code).toBe(1);
    const status = parsed(alarm);
    expect(status.alarms).toEqual([
      {
        name: "ami-lifecycle-local-HandlerDeadLetterQueueDepthAlarm",
        reason: "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0)",
        since: expect.any(String),
      },
    ]);
    expect(status.findings.map((finding) => finding.kind)).toEqual(["alarm"]);
  });

  it("exits 1 on copies that failed for good, saying the sweep will not retry them", () => {
    expect(stuckCopy.code).toBe(1);
    const status = parsed(stuckCopy);
    expect(status.lastSweep).toMatchObject({ result: "swept", failures: 0 });
    expect(
      status.findings.map(({ kind, family, version, region }) => ({ kind, family, version, region })),
    ).toEqual(
      [1, 2, 3].map((version) => ({
        kind: "copy-failed",
        family: "payments-api",
        version,
        region: "ap-southeast-2",
      })),
    );
    expect(status.findings[0]?.message).toContain("InvalidKMSKey.NotFound");
    expect(status.findings[0]?.action).toContain("maxCopyAttempts (2) is used up");
  });

  it("refuses an unknown --output with exit 2, naming the flag", async () => {
    const run = await runCli(["status", "--sandbox", "--output", "yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--output must be json or table, got "yaml"');
  });
});
