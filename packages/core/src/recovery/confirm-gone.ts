import type { FamilyConfig } from "../config";
import type { VersionRecord } from "../model";
import { failureOf, type SweepFailure } from "../sweep-results";
import type { RecoveryDependencies } from "./recovery-dependencies";

/** A recoverable region record whose recovery date passed and that the bin no longer holds. */
export interface ConfirmedGone {
  version: number;
  region: string;
  imageId: string;
}

/**
 * After a recoverable version's date, asks the bin (ListImagesInRecycleBin) whether the image is
 * still there, then EC2 (DescribeImages) whether it is registered again; once neither holds it, the
 * region record says `deregistered`: gone for good. Until then it stays recoverable in the registry, so
 * nothing claims more than the bin can give back, and an image back in EC2 stays restorable.
 */
export async function confirmGoneFromBin(
  deps: RecoveryDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  now: Date,
): Promise<{ confirmed: ConfirmedGone[]; failures: SweepFailure[] }> {
  const result = { confirmed: [] as ConfirmedGone[], failures: [] as SweepFailure[] };
  const recycleBin = deps.recycleBin;
  if (!recycleBin) return result;
  for (const version of versions) {
    for (const record of Object.values(version.regions)) {
      if (record.state !== "recoverable" || !record.imageId) continue;
      if (Date.parse(record.recoverableUntil ?? "") > now.getTime()) continue;
      try {
        const binned = await recycleBin.imagesInBin(record.region, [record.imageId]);
        if (binned.has(record.imageId)) continue;
        // Out of the bin is not gone: a restore may have brought it back (RestoreImageFromRecycleBin).
        if (await registeredInEc2(deps, record.region, record.imageId)) continue;
        const written = await deps.registry.putRegionImage(
          family.name,
          version.version,
          { ...record, state: "deregistered", updatedAt: now.toISOString() },
          { expectImageId: record.imageId },
        );
        if (written) {
          result.confirmed.push({ version: version.version, region: record.region, imageId: record.imageId });
        }
      } catch (error) {
        result.failures.push(
          failureOf("confirm-gone", error, {
            family: family.name,
            version: version.version,
            region: record.region,
            resourceId: record.imageId,
          }),
        );
      }
    }
  }
  return result;
}

/** Whether EC2 lists the image (any state but deregistered): then it is not gone, whatever the bin says. */
async function registeredInEc2(
  deps: RecoveryDependencies,
  region: string,
  imageId: string,
): Promise<boolean> {
  const image = await deps.images.describeImage(region, imageId);
  return image !== undefined && image.state !== "deregistered";
}
