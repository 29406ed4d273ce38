import type { RegionImageRecord, VersionRecord } from "../model";
import type { VersionRecorder } from "../ports";

/**
 * Records (with `at`) or clears (`at` undefined) in the registry that the service protects the region's
 * image for a pointer. Written BEFORE the service enables protection and cleared AFTER it lifts it, so an
 * image EC2 reports protected without the record was protected by someone else, and stays protected.
 * Conditioned on the region still holding that image; false when it does not (nothing written).
 */
export async function markPointerProtection(
  registry: Pick<VersionRecorder, "putRegionImage">,
  version: VersionRecord,
  region: string,
  imageId: string,
  at: string | undefined,
  now: Date,
): Promise<boolean> {
  const record = version.regions[region];
  if (record?.imageId !== imageId) return false;
  if (record.pointerProtectedAt === at || (at !== undefined && record.pointerProtectedAt)) return true;
  const { pointerProtectedAt: _previous, ...rest } = record;
  const updated: RegionImageRecord = {
    ...rest,
    ...(at !== undefined ? { pointerProtectedAt: at } : {}),
    updatedAt: now.toISOString(),
  };
  const written = await registry.putRegionImage(version.family, version.version, updated, {
    expectImageId: imageId,
  });
  // The caller's copy follows the registry, so a later step of the same run reads what was written.
  if (written) version.regions[region] = updated;
  return written;
}
