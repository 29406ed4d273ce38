import type { AdoptAccountResult } from "@ami-lifecycle/core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, runCli } from "./support/run-cli";

describe("ami-lifecycle adopt against the sandbox", () => {
  let planned: CliRun;
  let table: CliRun;
  let badOutput: CliRun;
  let badFamily: CliRun;

  beforeAll(async () => {
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    [planned, table, badOutput, badFamily] = await Promise.all([
      runCli(["adopt", "--sandbox", "--output", "json", ...endpoint]),
      runCli(["adopt", "--sandbox", "--family", "payments-api", ...endpoint]),
      runCli(["adopt", "--output", "yaml", "--sandbox", ...endpoint]),
      runCli(["adopt", "--family", "nope", "--sandbox", ...endpoint]),
    ]);
  }, 120_000);

  it("plans nothing new once the story adopted the old images, and reports the hand copy it leaves alone", () => {
    expect(planned.code).toBe(0);
    const result = JSON.parse(planned.stdout) as AdoptAccountResult;
    expect(result.applied).toBeUndefined();
    expect(result.plan.conflicts).toEqual([]);
    expect(result.plan.families.map((family) => [family.family, family.versions.length])).toEqual([
      ["payments-api", 0],
    ]);
    expect(result.plan.families[0]?.skipped[0]?.reason).toMatch(
      /^copy of ami-\w+ \(payments-api v2\), whose version already has an image in ap-southeast-2$/,
    );
  });

  it("prints the plan as text and says it is a dry run", () => {
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("payments-api: would adopt 0 new version(s)");
    expect(table.stdout).toMatch(/not adopted: ap-southeast-2 ami-\w+ \(payments-api-2026\.11\.21-manual\)/);
    expect(table.stdout).toContain("dry run: nothing changed; add --apply to adopt");
  });

  it("refuses an unknown output format or family, naming the flag", () => {
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toContain('--output must be "table" or "json", got "yaml"');
    expect(badFamily.code).toBe(2);
    expect(badFamily.stderr).toContain("--family nope is not a configured family");
  });
});
