import type { FamilyConfig } from "../config";
import { ImageNotFoundError } from "../errors";
import type { VersionRecord } from "../model";
import { readSharing } from "./record-sharing";
import type { RecoveryDependencies } from "./recovery-dependencies";

/**
 * Records each region's sharing once, before the sweep first revokes it from a retiring version (the
 * consumers lose the image from the first retirement step on, and EnableImage gives nothing back), so a
 * restore can re-apply it. Reads the registry again first: a step of this sweep may have recorded it.
 */
export async function recordSharingBeforeRevoke(
  deps: RecoveryDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  now: Date,
): Promise<void> {
  const sharing = deps.sharing;
  if (!deps.recycleBin) return;
  const unrecorded = (candidate: VersionRecord) =>
    Object.values(candidate.regions).filter(
      (record) =>
        record.imageId &&
        !record.recordedSharing &&
        (record.state === "available" || record.state === "disabled"),
    );
  if (unrecorded(version).length === 0) return;
  const fresh = (await deps.registry.getVersion(family.name, version.version)) ?? version;
  for (const record of unrecorded(fresh)) {
    const imageId = record.imageId as string;
    try {
      const recordedSharing = await readSharing(sharing, record.region, imageId, record.snapshotIds, now);
      await deps.registry.putRegionImage(
        family.name,
        version.version,
        { ...record, recordedSharing, updatedAt: now.toISOString() },
        { expectImageId: imageId },
      );
    } catch (error) {
      // Gone already: nothing is shared any more.
      if (!(error instanceof ImageNotFoundError)) throw error;
    }
  }
}
