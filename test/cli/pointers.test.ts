import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, cliBudgetMs, runCli } from "./support/run-cli";

interface RollbackJson {
  family: string;
  target: number;
  withdrawn: number[];
  restored: boolean;
  pointers: { region: string; name: string; version: number; imageId: string; previousImageId?: string }[];
}

describe("ami-lifecycle rollback and promote against the sandbox", () => {
  let rolledBack: CliRun;
  let promoted: CliRun;
  let refused: CliRun;

  // Each run plays the whole sandbox story: one after another, each within its own budget (run at once, the
  // stories shared the CPU and each one's time limit, so a loaded machine killed them all).
  const sandboxRuns = 3;
  beforeAll(async () => {
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    rolledBack = await runCli(["rollback", "base-al2023", "--sandbox", "--json", ...endpoint]);
    promoted = await runCli(["promote", "base-al2023", "stable", "4", "--sandbox", "--json", ...endpoint]);
    refused = await runCli(["rollback", "base-al2023", "--to", "99", "--sandbox", ...endpoint]);
  }, cliBudgetMs(sandboxRuns));

  it("rolls latest back to the previous version in every region and withdraws the newest", () => {
    expect(rolledBack.code).toBe(0);
    const result = JSON.parse(rolledBack.stdout) as RollbackJson;
    expect(result).toMatchObject({ family: "base-al2023", target: 4, withdrawn: [5], restored: false });
    expect(result.pointers.map((move) => [move.region, move.name, move.version])).toEqual([
      ["ap-southeast-2", "/ami-lifecycle/base-al2023/latest", 4],
      ["eu-west-1", "/ami-lifecycle/base-al2023/latest", 4],
      ["us-east-1", "/ami-lifecycle/base-al2023/latest", 4],
    ]);
    for (const move of result.pointers) expect(move.previousImageId).not.toBe(move.imageId);
  });

  it("points a pinned channel at a version in every region", () => {
    expect(promoted.code).toBe(0);
    const result = JSON.parse(promoted.stdout) as { channel: string; version: number; pointers: unknown[] };
    expect(result).toMatchObject({ channel: "stable", version: 4 });
    expect(result.pointers).toHaveLength(3);
  });

  it("fails with exit code 1 and a next step when the target cannot be pointed at", () => {
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: base-al2023: v99 is not registered");
    expect(refused.stderr).toContain("next: see `ami-lifecycle versions <family>`");
  });

  it.each([
    ["latest", "error: base-al2023: latest follows the versions by itself; use rollback"],
    ["nightly", "error: base-al2023: channel nightly is not configured (families[].channels)"],
  ])(
    "refuses to promote %s with exit code 1 and a next step, before starting the sandbox",
    async (channel, message) => {
      // Act: no --dynamodb-endpoint, so a late check would first start DynamoDB Local and the whole scenario
      const run = await runCli(["promote", "base-al2023", channel, "4", "--sandbox"]);

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("next: see `ami-lifecycle versions <family>`");
      expect(run.stderr).not.toContain("running the sandbox scenario");
    },
  );

  it("explains itself and rejects a wrong command line with exit code 2", async () => {
    const [help, missing, badVersion] = await Promise.all([
      runCli(["rollback", "--help"]),
      runCli(["promote", "base-al2023", "stable"]),
      runCli(["promote", "base-al2023", "stable", "v4", "--sandbox"]),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ami-lifecycle rollback <family>");
    expect(help.stdout).toContain("--force");
    expect(missing.code).toBe(2);
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain('<version> must be a version number ≥ 1, got "v4"');
  });
});

describe("ami-lifecycle versions, rollback and promote with a family the sandbox does not have", () => {
  it.each([
    [["versions", "no-such-family", "--sandbox"], 'unknown family "no-such-family"'],
    [["rollback", "no-such-family", "--sandbox"], "no-such-family: family is not configured"],
    [["promote", "no-such-family", "stable", "1", "--sandbox"], "no-such-family: family is not configured"],
  ])("%j fails before starting the sandbox (exit 1)", async (args, message) => {
    // Act: no --dynamodb-endpoint, so a late check would first start DynamoDB Local and the whole scenario
    const run = await runCli(args);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ${message}`);
    expect(run.stderr).not.toContain("running the sandbox scenario");
  });
});
