import { LifecycleTag, runSweep } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { family, now, scenario, snapshotIdOf } from "../retention/builders";
import { configWith, FakeImages, FakeRegistry, sweepDeps } from "./fakes";

/** EC2 whose snapshot listing (tag filter managed=true) holds the given snapshots. */
class ImagesWithSnapshots extends FakeImages {
  constructor(
    images: ConstructorParameters<typeof FakeImages>[0],
    readonly tagged: { region: string; snapshotId: string; sizeGiB: number; tags: Record<string, string> }[],
  ) {
    super(images);
  }
  override async listManagedSnapshots(region: string) {
    await super.listManagedSnapshots(region);
    return this.tagged.filter((snapshot) => snapshot.region === region);
  }
}

const tagsClaiming = (version: number) => ({
  [LifecycleTag.family]: "web",
  [LifecycleTag.version]: String(version),
  [LifecycleTag.managed]: "true",
});

describe("enforce sweep and forged snapshot tags", () => {
  it("deletes the gone version's recorded snapshot, never a snapshot someone tagged as that version, and reports it", async () => {
    // Prepare: v1 deregistered (image gone); v2–v4 live. Someone tagged their own snapshot managed/web/1.
    const { versions, images } = scenario([
      { version: 1, ageDays: 90, stage: "deregistered", image: null },
      ...[2, 3, 4].map((version) => ({ version, ageDays: 30 - version })),
    ]);
    const recorded = snapshotIdOf(1, "eu-west-1");
    const ec2 = new ImagesWithSnapshots(images, [
      { region: "eu-west-1", snapshotId: recorded, sizeGiB: 8, tags: tagsClaiming(1) },
      { region: "eu-west-1", snapshotId: "snap-someone-elses", sizeGiB: 500, tags: tagsClaiming(1) },
    ]);
    const { deps, published } = sweepDeps(
      configWith([family({ keepLatest: 3 })], "enforce"),
      ec2,
      new FakeRegistry(versions),
    );

    // Act
    const report = await runSweep(deps, { now });

    // Assess
    const deleted = ec2.calls.filter((call) => call.method === "deleteSnapshot").map((call) => call.args[1]);
    expect(deleted).toEqual([recorded]);
    const result = report.families[0];
    expect(result?.orphanSnapshots.map((orphan) => [orphan.snapshotId, orphan.outcome])).toEqual([
      [recorded, "deleted"],
    ]);
    expect(result?.plan?.unrecordedSnapshots.map((snapshot) => snapshot.snapshotId)).toEqual([
      "snap-someone-elses",
    ]);
    expect(published[0]?.body).toContain(
      "snap-someone-elses in eu-west-1: tagged as v1 of web, but the registry recorded no such snapshot for v1 in eu-west-1: never deleted",
    );
    expect(published[0]?.detail).toMatchObject({
      unrecordedSnapshots: [{ snapshotId: "snap-someone-elses", claimedVersion: 1 }],
    });
  });
});
