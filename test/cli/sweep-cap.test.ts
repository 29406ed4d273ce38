import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepOnTarget } from "../../packages/cli/src/commands/sweep";
import {
  printedIo,
  type RetiredFamilyWorld,
  retiredRegions,
  startRetiredFamily,
} from "../support/retired-family-world";

/** The image states of web's versions in one region, as EC2 lists them (deregistered ones are gone). */
function ec2States(world: RetiredFamilyWorld, region: string): Record<string, string> {
  return Object.fromEntries(
    world.session.account
      .images(region)
      .filter((image) => image.Name?.startsWith("web-"))
      .map((image) => [image.Name as string, image.State as string]),
  );
}

describe("ami-lifecycle sweep --max-deletions 2 --enforce over four versions due for deregistration", () => {
  let world: RetiredFamilyWorld;
  let printed = "";
  let code: number;

  beforeAll(async () => {
    // Prepare: web v1–v4 disabled a day ago (deregistration grace over), v5 the newest, kept.
    world = await startRetiredFamily();
    const io = printedIo();

    // Act: the command's own code once its target is open (the sandbox of this story, not the built-in one)
    code = await sweepOnTarget(world, io, { family: "web", maxDeletions: 2, enforce: true, json: false });
    printed = io.printed();
  });

  afterAll(() => world?.stop());

  it("plans two deregistrations and says the other two wait for the cap, oldest first", () => {
    expect(code).toBe(0);
    expect(printed).toContain(
      "web (team web-team): 6 keep, 0 wait, 0 deprecate, 0 disable, 4 deregister; frees 32 GiB; 2 deregistrations held back by the cap",
    );
    for (const region of retiredRegions) {
      for (const version of ["v1", "v2"])
        expect(printed).toMatch(new RegExp(`^${version} +${region} +ami-\\w+ +deregister +8 GiB `, "m"));
      for (const version of ["v3", "v4"])
        expect(printed).toMatch(
          new RegExp(
            `^${version} +${region} +ami-\\w+ +keep .*; deletion-cap: held back: at most 2 versions are deregistered per run \\(withdrawn, then oldest first\\)$`,
            "m",
          ),
        );
    }
  });

  it("requests the sweep with the one-off cap, and that one sweep deregisters exactly v1 and v2 in every region", async () => {
    expect(printed).toContain("requested a sweep of web, at most 2 deregistration(s) (--max-deletions)");
    // One part: v1 and v2 deregistered in both regions, nothing else applied.
    expect(printed).toMatch(/^ {2}part 0: web 4 step\(s\) applied$/m);
    for (const region of retiredRegions) {
      expect(ec2States(world, region)).toEqual({
        "web-2026.11.03": "disabled",
        "web-2026.11.04": "disabled",
        "web-2026.11.05": "available",
      });
    }
    const versions = await world.service.registry.listVersions("web");
    expect(versions.map((version) => [version.version, version.stage])).toEqual([
      [1, "deregistered"],
      [2, "deregistered"],
      [3, "disabled"],
      [4, "disabled"],
      [5, "active"],
    ]);
  });
});
