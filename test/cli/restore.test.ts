import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { restoreOnTarget } from "../../packages/cli/src/commands/restore";
import {
  binTheOldestTwo,
  printedIo,
  type RetiredFamilyWorld,
  startRetiredFamily,
} from "../support/retired-family-world";
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

/** The documented steps of a restore from the Recycle Bin, in the order restore takes them. */
const fromTheBin =
  "restore-snapshots, wait-for-snapshots, restore-image, cancel-deprecation, remove-retired-tag, mark-active";

/** The title of restore's plan of web `version`. */
const planned = (version: number) => `web v${version}: would restore (run again with --apply)`;

/** What restore prints: `title`, then both regions (sorted) restored `from` a stage with exactly `steps`. */
function printout(title: string, from: string, steps: string): RegExp {
  const escaped = (text: string) => text.replace(/[()\\.]/g, "\\$&");
  const region = (name: string) => `  ${name}  ami-\\w+  from ${from}: ${escaped(steps)}`;
  return new RegExp(`^${[escaped(title), region("eu-west-1"), region("us-east-1")].join("\n")}\n$`);
}

/**
 * The region's EC2 calls that show a restore step (changes, and DescribeSnapshots: the wait for the
 * snapshots), consecutive repeats folded into one; SNS's Publish (the notification after) left out.
 */
function stepCalls(calls: readonly string[], region: string): string[] {
  const steps: string[] = [];
  for (const call of calls) {
    const [callRegion, operation = ""] = call.split(":");
    if (callRegion !== region) continue;
    if (operation === "Publish") continue;
    if (/^(Describe|List|Get)/.test(operation) && operation !== "DescribeSnapshots") continue;
    if (steps.at(-1) !== operation) steps.push(operation);
  }
  return steps;
}

describe("ami-lifecycle restore of versions the sweep retired (Recycle Bin, disabled)", () => {
  let world: RetiredFamilyWorld;
  /** restore's printed lines: the plan of v1 (in the bin), of v3 (disabled), v1 --apply, then v1 again */
  const printed: string[] = [];
  let planJson: { regions: { region: string; from: string; actions: string[] }[] };
  /** "region:Operation" of every call the account applied during v1's --apply, in order */
  let appliedCalls: string[] = [];

  beforeAll(async () => {
    // Prepare: web v1–v4 disabled; the capped sweep puts v1 and v2 into the Recycle Bin in both regions.
    world = await startRetiredFamily();
    await binTheOldestTwo(world);
    const restore = async (version: number, apply: boolean, json = false) => {
      const io = printedIo();
      const code = await restoreOnTarget(world.service, io, { family: "web", version, apply, json });
      if (code !== 0) throw new Error(`restore ${version} exited ${code}: ${io.errors()}`);
      return io.printed();
    };

    // Act: the command's own code once its target is open
    printed.push(await restore(1, false), await restore(3, false));
    world.session.account.recordCallOrder();
    printed.push(await restore(1, true));
    appliedCalls = world.session.account.appliedCallOrder();
    printed.push(await restore(1, false));
    planJson = JSON.parse(await restore(2, false, true));
  });

  afterAll(() => world?.stop());

  it("plans a binned version's steps in the documented order: snapshots, wait, image, deprecation, tag, registry", () => {
    expect(printed[0]).toMatch(printout(planned(1), "recycle-bin", fromTheBin));
    expect(planJson.regions.map((region) => [region.region, region.from, region.actions])).toEqual(
      ["eu-west-1", "us-east-1"].map((region) => [region, "recycle-bin", fromTheBin.split(", ")]),
    );
  });

  it("plans a disabled version's steps in order: enable the image, cancel its deprecation, mark it active", () => {
    expect(printed[1]).toMatch(
      printout(planned(3), "disabled", "enable-image, cancel-deprecation, mark-active"),
    );
  });

  it("with --apply takes the planned steps in the same order, and the version is back in EC2 and the registry", async () => {
    // Held for restoredHoldDays (14) from the restore, done once the snapshots came back (14:54).
    const restored = "web v1: restored, held until 2026-11-19T14:54:00.000Z";
    expect(printed[2]).toMatch(printout(restored, "recycle-bin", fromTheBin));
    // EC2's own record of the apply: per region, the calls that change something (and the snapshot
    // polling that is the wait), repeats folded, in the order the plan lists the steps.
    for (const region of ["eu-west-1", "us-east-1"]) {
      expect(stepCalls(appliedCalls, region)).toEqual([
        "RestoreSnapshotFromRecycleBin",
        "DescribeSnapshots",
        "RestoreImageFromRecycleBin",
        "DisableImageDeprecation",
        "DeleteTags",
      ]);
    }
    const v1 = await world.service.registry.getVersion("web", 1);
    expect(v1?.stage).toBe("active");
    for (const region of ["eu-west-1", "us-east-1"]) {
      const image = world.session.account.image(region, v1?.regions[region]?.imageId as string);
      expect(image?.State).toBe("available");
      expect(image?.DeprecationTime).toBeUndefined();
      expect(image?.Tags?.map((tag) => tag.Key)).not.toContain("ami-lifecycle:retired");
    }
    // Asked again, there is nothing left to do in either region.
    expect(printed[3]).toMatch(printout(planned(1), "active", "nothing left to do"));
  });
});
