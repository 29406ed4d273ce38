import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import { LifecycleTag } from "./lifecycle-tags";
import { versionTags } from "./tagging";

/**
 * How to tag a copy now. A copy the service started (copyAttempts ≥ 1) had its snapshots tagged by
 * CopyImage's TagSpecifications, so only missing image tags call for CreateTags. Unless the creator was
 * learnt after the copy started (its image lacks the created-by tag): its snapshots lack it too, so image
 * and snapshots are tagged together once the copy is no longer pending, when EC2 surely lists its
 * snapshots (tagging only the image earlier would hide the snapshots' missing tag from later checks).
 */
export function copyTagPlan(
  previous: RegionImageRecord | undefined,
  record: RegionImageRecord,
  version: VersionRecord,
  image: ImageRecord,
): { snapshotsKnown: boolean } | "later" {
  const madeByService =
    previous?.imageId === record.imageId && previous !== undefined && previous.copyAttempts >= 1;
  if (!madeByService) return tagOptions(previous, record);
  const creator = versionTags(version, version.createdBy)[LifecycleTag.createdBy];
  if (creator === undefined || image.tags[LifecycleTag.createdBy] === creator)
    return { snapshotsKnown: true };
  return record.state === "pending" ? "later" : { snapshotsKnown: false };
}

/** How to tag a source or someone else's copy: its snapshots are known when the registry already has them. */
export function tagOptions(
  previous: RegionImageRecord | undefined,
  record: RegionImageRecord,
  createdBy?: string,
): { snapshotsKnown: boolean; createdBy?: string } {
  const snapshotsKnown =
    previous !== undefined && previous.snapshotIds.join(",") === record.snapshotIds.join(",");
  return { snapshotsKnown, ...(createdBy ? { createdBy } : {}) };
}
