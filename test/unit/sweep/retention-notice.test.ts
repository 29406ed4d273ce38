import { assertLatestPointer, regionsOf, runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { daysAgo, family, imageIdOf, now, scenario } from "../retention/builders";
import {
  configWith,
  FakeImages,
  type FakePointers,
  FakeRegistry,
  protectPointedImages,
  sweepDeps,
} from "./fakes";

const web = family({ keepLatest: 3, minAgeDays: 1, deprecateAfterDays: 0, disableAfterDays: 7 });

/** Three versions keepLatest keeps: nothing to retire, repair or announce. */
function threeKept() {
  return scenario([20, 10, 5].map((ageDays, index) => ({ version: index + 1, ageDays })));
}

/** Six versions: v1–v3 fall out of keepLatest and are due for deprecation now. */
function sixVersions() {
  return scenario([30, 25, 20, 15, 10, 5].map((ageDays, index) => ({ version: index + 1, ageDays })));
}

/** v1 deprecated 3 days ago (its disable is due in 4 days) behind three kept versions. */
function disableComingUp() {
  return scenario([
    { version: 1, ageDays: 40, stage: "deprecated", stageDaysAgo: 3, image: { deprecationTime: daysAgo(3) } },
    { version: 2, ageDays: 20 },
    { version: 3, ageDays: 10 },
    { version: 4, ageDays: 5 },
  ]);
}

/** EC2 whose managed snapshots carry their image's lifecycle tags, so a sweep finds no tag drift to repair. */
class TaggedSnapshotImages extends FakeImages {
  override async listManagedSnapshots(region: string) {
    await super.listManagedSnapshots(region);
    return this.images
      .filter((image) => image.region === region)
      .flatMap((image) => image.snapshots.map((snapshot) => ({ ...snapshot, tags: image.tags })));
  }
}

async function enforceSweep(built: ReturnType<typeof scenario>, noticeDays?: number) {
  const config = configWith([web], "enforce");
  if (noticeDays !== undefined) config.notifications.noticeDays = noticeDays;
  const ec2 = new TaggedSnapshotImages(built.images);
  const swept = sweepDeps(config, ec2, new FakeRegistry(built.versions));
  // The pointers as the event reactions left them (`latest` at the newest available version), so a sweep
  // finds no pointer (nor their protection) to repair either.
  for (const region of regionsOf(built.versions))
    await assertLatestPointer(
      swept.deps.pointers,
      config.pointers.namePattern,
      web.name,
      built.versions,
      region,
    );
  protectPointedImages(ec2, swept.deps.pointers as FakePointers);
  return { ec2, ...swept };
}

describe("retention-summary notice rule", () => {
  it("sends nothing after a quiet sweep: nothing changed, failed or due soon", async () => {
    // Prepare
    const { deps, published } = await enforceSweep(threeKept());

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    expect(published).toEqual([]);
    expect(report.families[0]?.summaryPublished).toBe(false);
    expect(report.families[0]?.failures).toEqual([]);
  });

  it("sends one summary when the sweep applied a step, counting what was applied", async () => {
    // Prepare
    const { deps, published } = await enforceSweep(sixVersions());

    // Act
    await runSweep(deps, { now });

    // Assess
    expect(published).toHaveLength(1);
    expect(published[0]?.subject).toBe("web retention (enforce): 3 deprecate, 0 disable, 0 deregister");
    expect(published[0]?.body).toContain("Applied: 3 deprecate, 0 disable, 0 deregister.");
    expect(published[0]?.detail).toMatchObject({ notice: ["changed"], notApplied: [] });
  });

  it("sends one warning when references could not be read, saying nothing was applied and why", async () => {
    // Prepare
    const { deps, published, ec2 } = await enforceSweep(sixVersions());
    ec2.referencesFail = true;

    // Act
    await runSweep(deps, { now });

    // Assess
    expect(ec2.methods()).not.toContain("deprecateImage");
    expect(published).toHaveLength(1);
    const summary = published[0];
    expect(summary?.severity).toBe("warning");
    expect(summary?.subject).toBe(
      "web retention (enforce): 0 deprecate, 0 disable, 0 deregister, 3 blocked, 4 failed",
    );
    expect(summary?.body).toContain("Applied: 0 deprecate, 0 disable, 0 deregister.");
    expect(summary?.body).toContain("Not applied: v1, v2, v3 blocked, their references could not be read");
    expect(summary?.body).toContain(`v1 eu-west-1 ${imageIdOf(1, "eu-west-1")}: blocked, not deprecated (`);
    expect(summary?.body).not.toMatch(/: deprecate \(/);
    expect(summary?.detail).toMatchObject({
      notice: ["failed"],
      blockedVersions: [1, 2, 3],
      applied: [],
      notApplied: [1, 2, 3].map((version) => ({
        version,
        action: "deprecate",
        why: "references could not be read",
      })),
    });
  });

  it("sends one notice when a step is due within noticeDays, naming the version, the step and when", async () => {
    // Prepare
    const { deps, published } = await enforceSweep(disableComingUp());

    // Act
    await runSweep(deps, { now });

    // Assess
    expect(published).toHaveLength(1);
    const due = new Date(now.getTime() + 4 * 86_400_000).toISOString();
    expect(published[0]?.subject).toBe(
      `web retention (enforce): 0 deprecate, 0 disable, 0 deregister, v1 disable due ${due.slice(0, 10)}`,
    );
    expect(published[0]?.body).toContain(`Coming: v1 disable due at ${due} in eu-west-1.`);
    expect(published[0]?.detail).toMatchObject({
      notice: ["upcoming"],
      upcoming: [{ version: 1, action: "disable", at: due, regions: ["eu-west-1"] }],
    });
  });

  it("stays quiet about a step due later than noticeDays", async () => {
    // Prepare
    const { deps, published } = await enforceSweep(disableComingUp(), 3);

    // Act
    await runSweep(deps, { now });

    // Assess
    expect(published).toEqual([]);
  });
});
