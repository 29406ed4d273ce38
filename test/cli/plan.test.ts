import { beforeAll, describe, expect, inject, it } from "vitest";
import { type CliRun, runCli } from "./support/run-cli";

interface PlanJson {
  plannedAt: string;
  source: string;
  mode: string;
  families: {
    family: string;
    team: string;
    counts: Record<string, number>;
    freedGiB: number;
    summary: string;
    regions: {
      region: string;
      freedGiB: number;
      decisions: {
        version: number | null;
        imageId: string;
        action: string;
        reasons: { rule: string; message: string }[];
        restore: { status: string; from?: string; until?: string };
      }[];
    }[];
    blockedVersions: number[];
    recoverable: { version: number; region: string; imageId: string; until: string }[];
  }[];
  totals: { counts: Record<string, number>; freedGiB: number };
  failures: unknown[];
}

describe("ami-lifecycle plan and versions against the sandbox", () => {
  let plan: CliRun;
  let table: CliRun;
  let versions: CliRun;

  beforeAll(async () => {
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    [plan, table, versions] = await Promise.all([
      runCli(["plan", "--sandbox", "--json", ...endpoint]),
      runCli(["plan", "--sandbox", "--only-region", "us-east-1", ...endpoint]),
      runCli(["versions", "base-al2023", "--sandbox", "--json", ...endpoint]),
    ]);
  }, 120_000);

  it("prints the plan as the documented JSON document", () => {
    expect(plan.code).toBe(0);
    const document = JSON.parse(plan.stdout) as PlanJson;
    // 10:06: the story ends with a restore, whose snapshot waits run on the simulated clock.
    expect(document).toMatchObject({
      plannedAt: "2026-11-28T10:06:00.000Z",
      source: "sandbox",
      mode: "enforce",
      failures: [],
    });
    expect(document.families.map((family) => family.family)).toEqual(["payments-api", "base-al2023"]);
    const base = document.families[1];
    expect(base?.regions.map((region) => region.region)).toEqual([
      "us-east-1",
      "eu-west-1",
      "ap-southeast-2",
    ]);
    const v1 = base?.regions[0]?.decisions.find((decision) => decision.version === 1);
    expect(v1?.action).toBe("keep");
    expect(v1?.reasons).toContainEqual({
      rule: "in-use",
      message: expect.stringMatching(/^in use by arn:aws:ec2:us-east-1:111122223333:instance\/i-/),
    });
    // The story ends with v3 restored from the Recycle Bin: kept by its hold, nothing left in the bin.
    const v3 = base?.regions[0]?.decisions.find((decision) => decision.version === 3);
    expect(v3?.action).toBe("keep");
    expect(v3?.reasons.map((reason) => reason.rule)).toEqual(["restored-hold"]);
    expect(v3?.restore).toEqual({ status: "none" });
    expect(base?.recoverable).toEqual([]);
    expect(document.totals.counts.keep).toBe(24);
    expect(document.totals.counts.wait).toBe(0);
  });

  it("shows one region as a table with the decision and the reason per version", () => {
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^Retention plan at 2026-11-28T10:06:00.000Z \(sandbox, mode enforce: the sweep applies it\)/,
    );
    expect(table.stdout).toMatch(
      /v1\s+us-east-1\s+ami-\w+\s+keep\s+-\s+in-use: in use by arn:aws:ec2:us-east-1:111122223333:instance\/i-/,
    );
    expect(table.stdout).not.toContain("eu-west-1  ami-");
  });

  it("lists a family's versions with each region's image and state", () => {
    expect(versions.code).toBe(0);
    const document = JSON.parse(versions.stdout) as {
      family: string;
      versions: {
        version: number;
        stage: string;
        restoredAt?: string;
        regions: Record<string, { imageId: string; state: string; restore: { status: string } }>;
      }[];
    };
    expect(document.family).toBe("base-al2023");
    expect(document.versions.map((version) => version.version)).toEqual([1, 2, 3, 4, 5]);
    // v3 was binned by the story's sweeps and restored at its end: active again, nothing to undo.
    expect(document.versions[2]?.stage).toBe("active");
    expect(document.versions[2]?.restoredAt).toBe("2026-11-28T10:06:00.000Z");
    expect(Object.values(document.versions[2]?.regions ?? {}).map((region) => region.restore)).toEqual([
      { status: "none" },
      { status: "none" },
      { status: "none" },
    ]);
    expect(Object.values(document.versions[4]?.regions ?? {}).map((region) => region.state)).toEqual([
      "available",
      "available",
      "available",
    ]);
  });
});

describe("ami-lifecycle plan with bad arguments", () => {
  it("refuses a region the sandbox does not manage before starting anything (exit 2)", async () => {
    // Act: no --dynamodb-endpoint, so a late check would start (and leave running) its own DynamoDB Local
    const run = await runCli(["plan", "--sandbox", "--only-region", "mars-1"]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "error: --only-region mars-1 is not one of the managed regions (us-east-1, eu-west-1, ap-southeast-2)",
    );
    expect(run.stderr).not.toContain("running the sandbox scenario");
    expect(run.stderr).not.toContain("starting DynamoDB Local");
  });
});
