import { beforeAll, describe, expect, inject, it } from "vitest";
import type { SweepCommandDocument } from "../../packages/cli/src/commands/sweep";
import { type CliRun, runCli } from "./support/run-cli";

describe("ami-lifecycle sweep against the sandbox", () => {
  let dryRun: CliRun;
  let enforced: CliRun;

  beforeAll(async () => {
    const endpoint = ["--dynamodb-endpoint", inject("dynamoEndpoint")];
    // At the story's end payments-api has v4 (two regions) and v5 due for deprecation.
    [dryRun, enforced] = await Promise.all([
      runCli(["sweep", "--family", "payments-api", "--sandbox", ...endpoint]),
      runCli([
        "sweep",
        "--family",
        "payments-api",
        "--max-deletions",
        "2",
        "--enforce",
        "--sandbox",
        "--output",
        "json",
        ...endpoint,
      ]),
    ]);
  }, 120_000);

  it("shows the family's plan and requests nothing by default, naming the configured cap", () => {
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("payments-api (team payments):");
    expect(dryRun.stdout).toContain(
      "dry run: nothing requested; add --enforce to request this sweep of payments-api, at most 10 deregistration(s) (retention.maxDeletionsPerRun)",
    );
  });

  it("with --enforce requests the sweep with the one-off cap, and the sandbox's sweep applies the plan shown", () => {
    expect(enforced.code).toBe(0);
    const document = JSON.parse(enforced.stdout) as SweepCommandDocument;
    expect(document).toMatchObject({
      family: "payments-api",
      maxDeletions: 2,
      capSource: "--max-deletions",
      requested: true,
    });
    expect(document.plan.families.map((family) => family.family)).toEqual(["payments-api"]);
    const deprecations = document.plan.totals.counts.deprecate;
    expect(deprecations).toBeGreaterThan(0);
    expect(document.outcomes).toEqual([
      expect.objectContaining({
        outcome: "swept",
        run: expect.objectContaining({ part: 0, remaining: [], continued: false }),
        families: [expect.objectContaining({ family: "payments-api", applied: deprecations, failures: 0 })],
      }),
    ]);
  });

  it("refuses bad flags before anything starts, naming the flag, with exit code 2", async () => {
    const runs = await Promise.all([
      runCli(["sweep", "--sandbox"]),
      runCli(["sweep", "--family", "nope", "--sandbox"]),
      runCli(["sweep", "--family", "payments-api", "--max-deletions", "-3", "--sandbox"]),
      runCli(["sweep", "--family", "payments-api", "--max-deletions", "many", "--sandbox"]),
      runCli(["sweep", "--family", "payments-api", "--max-deletions", "11", "--sandbox"]),
      // The shipped config is in dry-run mode: a requested sweep would change nothing.
      runCli(["sweep", "--family", "payments-api", "--enforce", "--stage", "prod"]),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2]);
    const [noFamily, unknown, negative, words, overCeiling, dryRunService] = runs.map((run) => run.stderr);
    expect(noFamily).toContain("--family F is required");
    expect(unknown).toContain("--family nope is not a configured family (payments-api, base-al2023)");
    expect(negative).toContain("--max-deletions");
    expect(words).toContain('--max-deletions must be a whole number, got "many"');
    expect(overCeiling).toContain(
      "--max-deletions 11 is over 10, the most family payments-api allows a request (retention.maxDeletionsPerRun)",
    );
    expect(dryRunService).toContain('--enforce: the config\'s mode is "dry-run"');
    // Nothing started: no sandbox progress on stderr.
    for (const stderr of runs.map((run) => run.stderr)) expect(stderr).not.toContain("running the sandbox");
  });
});
