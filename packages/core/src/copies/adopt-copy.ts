import type { FamilyConfig } from "../config";
import type { ImageRecord, VersionRecord } from "../model";
import { availableTransitionLeases } from "../notifications/claim-keys";
import type { ImageLocation } from "../ports";
import { regionRecordFor, withRegion } from "../versions/region-records";
import type { CopyDependencies } from "./copy-dependencies";
import { keyMismatch } from "./copy-lineage";

/** Someone else's copy recorded as the version's image of its region, or why it was not. */
export type AdoptedCopy = { family: FamilyConfig; version: VersionRecord } | { refused: string };

/**
 * Records someone else's copy of a managed version when it lands in a configured destination that has
 * none yet and EC2 shows it encrypted with that destination's configured key (it will be shared and
 * pointed to like the service's own copies).
 */
export async function adoptCopy(
  deps: CopyDependencies,
  source: ImageLocation,
  image: ImageRecord,
): Promise<AdoptedCopy> {
  const family = deps.config.families.find((candidate) => candidate.name === source.family);
  const destination = family?.copyTo.find((candidate) => candidate.region === image.region);
  if (!family || !destination) return { refused: "copy to a region the family does not use" };
  const version = await deps.registry.getVersion(source.family, source.version);
  if (!version) return { refused: "source version vanished from the registry" };
  if (version.regions[image.region]?.imageId !== undefined)
    return { refused: "the version already has an image in this region" };
  const mismatch = keyMismatch(image, destination.kmsKeyId);
  if (mismatch) return { refused: `copy not adopted: ${mismatch}` };
  const record = regionRecordFor(image, undefined, "copy", deps.clock.now());
  // The copy may be available already: its notification follows (syncCopy), under the claim this write leases.
  const leaseClaims = availableTransitionLeases(family.name, version.version, undefined, record);
  const adopted = await deps.registry.putRegionImage(family.name, version.version, record, {
    expectImageId: null,
    ...(leaseClaims.length > 0 ? { leaseClaims } : {}),
  });
  if (!adopted) return { refused: "the version already has an image in this region" };
  return { family, version: withRegion(version, { ...record, copyAttempts: 0 }) };
}
