import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, runCli } from "./support/run-cli";

describe("ami-lifecycle restore against the sandbox", () => {
  let planned: CliRun;

  beforeAll(async () => {
    // The sandbox story ends with base-al2023 v3 deregistered into the Recycle Bin in every region.
    planned = await runCli([
      "restore",
      "base-al2023",
      "3",
      "--sandbox",
      "--output",
      "json",
      "--dynamodb-endpoint",
      inject("dynamoEndpoint"),
    ]);
  }, 120_000);

  it("plans by default: v3 comes back from the Recycle Bin in every region, snapshots first", () => {
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as {
      applied: boolean;
      regions: { region: string; from: string; actions: string[] }[];
    };
    expect(plan.applied).toBe(false);
    expect(plan.regions.map((region) => [region.region, region.from])).toEqual([
      ["ap-southeast-2", "recycle-bin"],
      ["eu-west-1", "recycle-bin"],
      ["us-east-1", "recycle-bin"],
    ]);
    for (const region of plan.regions) {
      expect(region.actions.slice(0, 3)).toEqual([
        "restore-snapshots",
        "wait-for-snapshots",
        "restore-image",
      ]);
      expect(region.actions).toContain("mark-active");
    }
  });

  it("explains itself with an example and rejects a wrong version with exit code 2", async () => {
    const [help, badVersion] = await Promise.all([
      runCli(["restore", "--help"]),
      runCli(["restore", "base-al2023", "v3", "--sandbox"]),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("ami-lifecycle restore base-al2023 1 --sandbox --apply --output json");
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain('<version> must be a version number ≥ 1, got "v3"');
  });
});
