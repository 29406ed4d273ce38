import { hasManagedTag, LifecycleTag, type VersionRecord } from "@ami-lifecycle/core";
import type { LocalDeployment } from "@ami-lifecycle/simulated-account";
import type { Snapshot } from "@aws-sdk/client-ec2";
import { expect } from "vitest";
import { type DeletionRecorder, duplicates } from "./retention-kill-switch";
import type { RetentionFixture } from "./retention-references";
import { imageOf, retentionRegions } from "./retention-world";

/** No image of a kept version was retired in any way, and no unmanaged image was touched. */
export function expectNothingWronglyTouched(
  deployment: LocalDeployment,
  versions: readonly VersionRecord[],
  fixture: RetentionFixture,
): void {
  const { account } = deployment;
  for (const version of versions) {
    if (!fixture.keptVersions.has(version.version)) continue;
    for (const region of retentionRegions) {
      const image = account.image(region, imageOf(version, region));
      expect({
        version: version.version,
        region,
        state: image?.State,
        deprecation: image?.DeprecationTime,
      }).toEqual({
        version: version.version,
        region,
        state: "available",
        deprecation: undefined,
      });
    }
  }
  for (const { region, imageId } of fixture.unmanaged) {
    const image = account.image(region, imageId);
    expect(image?.State).toBe("available");
    expect(image?.DeprecationTime).toBeUndefined();
    expect(image?.Tags?.some((tag) => tag.Key === LifecycleTag.managed)).not.toBe(true);
  }
}

/**
 * Every other version is gone in every region, recorded as retired by the service, its snapshots deleted
 * unless another image uses them; no managed snapshot is left that no image uses; nothing deleted twice.
 */
export async function expectRetiredAsPlanned(
  deployment: LocalDeployment,
  fixture: RetentionFixture,
  recorder: DeletionRecorder,
): Promise<void> {
  const { account } = deployment;
  const versions = await deployment.runtime.reactions.registry.listVersions("web");
  expectNothingWronglyTouched(deployment, versions, fixture);
  for (const version of versions) {
    if (fixture.keptVersions.has(version.version)) {
      expect(version.stage).toBe("active");
      continue;
    }
    expect({ version: version.version, stage: version.stage }).toEqual({
      version: version.version,
      stage: "deregistered",
    });
    for (const region of retentionRegions) {
      const imageId = imageOf(version, region);
      expect(account.image(region, imageId)?.State).toBe("deregistered");
      // Deregistered into the Recycle Bin (recoverableForDays defaults to 7): restorable, and binned.
      expect(version.regions[region]).toMatchObject({ state: "recoverable", retiredBy: "service" });
      expect(account.imagesInRecycleBin(region)).toContain(imageId);
      const remaining = new Set(account.snapshots(region).map((snapshot) => snapshot.SnapshotId));
      for (const mapping of account.image(region, imageId)?.BlockDeviceMappings ?? []) {
        const snapshotId = mapping.Ebs?.SnapshotId ?? "";
        const shared = snapshotId === fixture.sharedSnapshot.snapshotId;
        expect({ snapshotId, remains: remaining.has(snapshotId) }).toEqual({ snapshotId, remains: shared });
      }
    }
  }
  for (const region of retentionRegions) expect(orphanSnapshots(deployment, region)).toEqual([]);
  expect(duplicates(recorder.deregistered)).toEqual([]);
  expect(duplicates(recorder.deletedSnapshots)).toEqual([]);
  const elsewhere = account
    .published(deployment.topicArn)
    .map((message) => message.messageAttributes.eventType?.StringValue)
    .filter((type) => type === "deregistered-elsewhere" || type === "disabled-elsewhere");
  expect(elsewhere).toEqual([]);
}

/** Managed snapshots of the region that no registered image uses. */
export function orphanSnapshots(deployment: LocalDeployment, region: string): string[] {
  const used = new Set(
    deployment.account
      .images(region)
      .flatMap((image) => image.BlockDeviceMappings ?? [])
      .map((mapping) => mapping.Ebs?.SnapshotId),
  );
  return deployment.account
    .snapshots(region)
    .filter((snapshot: Snapshot) => hasManagedTag(tagsOf(snapshot)) && !used.has(snapshot.SnapshotId))
    .map((snapshot) => snapshot.SnapshotId ?? "");
}

function tagsOf(snapshot: Snapshot): Record<string, string> {
  return Object.fromEntries((snapshot.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}
