import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, runCli } from "./support/run-cli";

describe("ami-lifecycle restore against the sandbox", () => {
  let planned: CliRun;

  beforeAll(async () => {
    // The sandbox story retires base-al2023 v3 into the Recycle Bin and then restores it (the story's undo), so
    // a restore run again afterwards finds it active everywhere. The bin's restore order is proven in
    // test/scenario/recovery-restore.test.ts.
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

  it("plans by default and, run after the story's own restore, has nothing left to do in any region", () => {
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout) as {
      applied: boolean;
      regions: { region: string; from: string; actions: string[] }[];
    };
    expect(plan.applied).toBe(false);
    expect(plan.regions.map((region) => [region.region, region.from, region.actions])).toEqual([
      ["ap-southeast-2", "active", []],
      ["eu-west-1", "active", []],
      ["us-east-1", "active", []],
    ]);
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
