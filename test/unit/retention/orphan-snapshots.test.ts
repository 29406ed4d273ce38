import { describe, expect, it } from "vitest";
import { LifecycleTag, scenario, snapshotIdOf } from "./builders";
import { plan } from "./plan-helpers";

/** The lifecycle tags anyone with ec2:CreateTags can put on a snapshot. */
const tagsClaiming = (version: number) => ({
  [LifecycleTag.family]: "web",
  [LifecycleTag.version]: String(version),
  [LifecycleTag.managed]: "true",
});

/** v1 deregistered everywhere (its image gone from EC2), v7–v9 live. */
const oneGoneVersion = () =>
  scenario([
    { version: 1, ageDays: 90, stage: "deregistered", image: null },
    ...[7, 8, 9].map((version) => ({ version, ageDays: 30 - version })),
  ]);

describe("orphan snapshots", () => {
  it("names only the snapshot the registry recorded for the gone version and region", () => {
    // Prepare
    const inventory = oneGoneVersion();
    const snapshots = [
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, tags: tagsClaiming(1) },
    ];
    // Act
    const result = plan({ ...inventory, snapshots });
    // Assess
    expect(result.orphanSnapshots).toEqual([
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, version: 1 },
    ]);
    expect(result.unrecordedSnapshots).toEqual([]);
  });

  it("never names a snapshot forged with the tags of a gone version, and reports it instead", () => {
    // Prepare: someone else's snapshot, tagged managed/web/1; the registry recorded another one for v1.
    const inventory = oneGoneVersion();
    const snapshots = [
      { region: "eu-west-1", snapshotId: "snap-forged", sizeGiB: 100, tags: tagsClaiming(1) },
      { region: "us-east-1", snapshotId: "snap-forged-elsewhere", sizeGiB: 5, tags: tagsClaiming(1) },
    ];
    // Act
    const result = plan({ ...inventory, snapshots });
    // Assess
    expect(result.orphanSnapshots).toEqual([]);
    expect(result.unrecordedSnapshots).toEqual([
      {
        region: "eu-west-1",
        snapshotId: "snap-forged",
        sizeGiB: 100,
        claimedVersion: 1,
        reason: {
          rule: "not-managed",
          message:
            "tagged as v1 of web, but the registry recorded no such snapshot for v1 in eu-west-1: never deleted",
        },
      },
      {
        region: "us-east-1",
        snapshotId: "snap-forged-elsewhere",
        sizeGiB: 5,
        claimedVersion: 1,
        reason: {
          rule: "not-managed",
          message:
            "tagged as v1 of web, but the registry recorded no such snapshot for v1 in us-east-1: never deleted",
        },
      },
    ]);
  });

  it("trusts the registry's record over the snapshot's version tag", () => {
    // Prepare: v1's recorded snapshot, retagged as v8 (live): still v1's orphan, v8 is not touched.
    const inventory = oneGoneVersion();
    const snapshots = [
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, tags: tagsClaiming(8) },
    ];
    // Act
    const result = plan({ ...inventory, snapshots });
    // Assess
    expect(result.orphanSnapshots).toEqual([
      { region: "eu-west-1", snapshotId: snapshotIdOf(1, "eu-west-1"), sizeGiB: 8, version: 1 },
    ]);
  });

  it("reports a snapshot tagged for a version the registry does not know, and never names it", () => {
    const inventory = oneGoneVersion();
    const snapshots = [{ region: "eu-west-1", snapshotId: "snap-v42", sizeGiB: 8, tags: tagsClaiming(42) }];
    const result = plan({ ...inventory, snapshots });
    expect(result.orphanSnapshots).toEqual([]);
    expect(
      result.unrecordedSnapshots.map((snapshot) => [snapshot.snapshotId, snapshot.claimedVersion]),
    ).toEqual([["snap-v42", 42]]);
  });

  it("does not take the snapshot of a copy still being made for an orphan", () => {
    // Prepare: v9's copy to us-east-1 just started. EC2 lists the copy pending without block device
    // mappings yet, so no image uses its (already tagged) snapshot; the registry recorded it.
    const copySnapshot = snapshotIdOf(9, "us-east-1");
    const inventory = scenario([
      ...[7, 8].map((version) => ({ version, ageDays: 30 - version })),
      {
        version: 9,
        ageDays: 1,
        regions: ["eu-west-1", "us-east-1"],
        image: (region: string) =>
          region === "us-east-1" ? { state: "pending" as const, snapshots: [] } : {},
      },
    ]);
    const copy = inventory.versions.find((version) => version.version === 9)?.regions["us-east-1"];
    if (copy) copy.state = "pending";
    const snapshots = [{ region: "us-east-1", snapshotId: copySnapshot, sizeGiB: 8, tags: tagsClaiming(9) }];
    // Act
    const result = plan({ ...inventory, snapshots });
    // Assess
    expect(result.orphanSnapshots).toEqual([]);
    expect(result.unrecordedSnapshots).toEqual([]);
  });

  it("neither names nor reports the not yet recorded snapshot of a copy still being made", () => {
    // Prepare: as above, but the registry has not recorded the pending copy's snapshot ids yet.
    const inventory = scenario([
      ...[7, 8].map((version) => ({ version, ageDays: 30 - version })),
      {
        version: 9,
        ageDays: 1,
        regions: ["eu-west-1", "us-east-1"],
        image: (region: string) =>
          region === "us-east-1" ? { state: "pending" as const, snapshots: [] } : {},
      },
    ]);
    const copy = inventory.versions.find((version) => version.version === 9)?.regions["us-east-1"];
    if (copy) Object.assign(copy, { state: "pending", snapshotIds: [] });
    const snapshots = [
      { region: "us-east-1", snapshotId: "snap-new-copy", sizeGiB: 8, tags: tagsClaiming(9) },
    ];
    // Act
    const result = plan({ ...inventory, snapshots });
    // Assess
    expect(result.orphanSnapshots).toEqual([]);
    expect(result.unrecordedSnapshots).toEqual([]);
  });
});
