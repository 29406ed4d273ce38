import type { ImageRecord, VersionRecord } from "../model";
import { LifecycleTag, lifecycleTags } from "./lifecycle-tags";
import type { TagDependencies } from "./tag-dependencies";

/** The lifecycle tags every image of a version carries (source and copies alike). */
export function versionTags(version: VersionRecord, createdBy: string | undefined): Record<string, string> {
  return lifecycleTags({
    family: version.family,
    version: version.version,
    sourceImageId: version.sourceImageId,
    sourceRegion: version.sourceRegion,
    createdAt: version.createdAt,
    ...(createdBy ? { createdBy } : {}),
  });
}

/**
 * Writes the version's lifecycle tags on the image and its snapshots when the image lacks any of them or
 * its snapshots are new to the registry. CreateTags is idempotent; skipping it when nothing changed saves
 * calls against the 100/10 CreateTags bucket.
 */
export async function ensureTags(
  deps: Pick<TagDependencies, "images">,
  image: ImageRecord,
  version: VersionRecord,
  options: { createdBy?: string; snapshotsKnown: boolean },
): Promise<boolean> {
  const createdBy = options.createdBy ?? version.createdBy ?? image.tags[LifecycleTag.createdBy];
  const wanted = versionTags(version, createdBy);
  const missing = Object.entries(wanted).some(([key, value]) => image.tags[key] !== value);
  if (!missing && options.snapshotsKnown) return false;
  const snapshotIds = image.snapshots.map((snapshot) => snapshot.snapshotId);
  await deps.images.tagImage(image.region, image.imageId, snapshotIds, wanted);
  return true;
}
