import type { FamilyConfig } from "../config";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type { RegistryReconciliation } from "../sweep-results";
import { type AccountView, failureOf, regionalKey } from "../sweep-results";
import type { TagDependencies } from "./tag-dependencies";
import { versionTags } from "./tagging";

/**
 * Region records whose tags the sweep re-asserts. A pending image is left to the reactions, which tag it
 * (and the snapshots EC2 lists only then) when it finishes; a failed one is discarded, not kept.
 */
const taggableStates: ReadonlySet<RegionImageRecord["state"]> = new Set(["available", "disabled"]);

/**
 * Re-asserts the service's lifecycle tags on what it manages: every image the registry records for the
 * family and EC2 still lists, and the snapshots the registry recorded for it that the image still uses.
 * The values come from the registry's record, never from the tags, so a lifecycle tag someone removed or
 * changed is put back; a creator the registry never learnt is left as it is. One CreateTags per drifted
 * image (with its snapshots); one failing image does not stop the others. In dry-run the drift is only
 * reported.
 */
export async function reassertTags(
  deps: Pick<TagDependencies, "images" | "config">,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  view: AccountView,
  /** images this sweep already handed to the event reaction, which tagged them from the registry */
  alreadyReconciled: ReadonlySet<string> = new Set(),
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  const { mode } = deps.config;
  const byKey = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));
  const snapshotTags = view.snapshots
    ? new Map(
        view.snapshots.map((snapshot) => [regionalKey(snapshot.region, snapshot.snapshotId), snapshot.tags]),
      )
    : undefined;
  for (const version of versions) {
    const wanted = versionTags(version, version.createdBy);
    for (const record of Object.values(version.regions)) {
      if (!record.imageId || !taggableStates.has(record.state)) continue;
      if (alreadyReconciled.has(record.imageId)) continue;
      const image = byKey.get(regionalKey(record.region, record.imageId));
      if (!image || image.state === "deregistered") continue;
      const snapshotIds = recordedSnapshotsInUse(record, image);
      const drifted = driftedKeys(image.tags, wanted);
      const snapshotsDrifted = snapshotIds.some((snapshotId) => {
        // Without the snapshot listing (it failed) only the image is checked; the next sweep sees the rest.
        if (!snapshotTags) return false;
        const tags = snapshotTags.get(regionalKey(record.region, snapshotId));
        return tags === undefined || driftedKeys(tags, wanted).length > 0;
      });
      if (drifted.length === 0 && !snapshotsDrifted) continue;
      const detail = [...drifted, ...(snapshotsDrifted ? ["snapshots"] : [])].join(", ");
      if (mode === "dry-run") {
        // Dry-run changes nothing in EC2: the drift is reported, an enforce sweep repairs it.
        result.reconciled.push({
          kind: "tags-drifted",
          region: record.region,
          version: version.version,
          imageId: record.imageId,
          detail,
        });
        continue;
      }
      try {
        await deps.images.tagImage(record.region, record.imageId, snapshotIds, wanted);
        result.reconciled.push({
          kind: "tags-reasserted",
          region: record.region,
          version: version.version,
          imageId: record.imageId,
          detail,
        });
      } catch (error) {
        result.failures.push(
          failureOf("reassert-tags", error, {
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

/** The snapshots the registry recorded for the image that EC2 says the image still uses. */
function recordedSnapshotsInUse(record: RegionImageRecord, image: ImageRecord): string[] {
  const used = new Set(image.snapshots.map((snapshot) => snapshot.snapshotId));
  return record.snapshotIds.filter((snapshotId) => used.has(snapshotId));
}

/** The keys whose value is missing or differs from the registry's. */
function driftedKeys(tags: Record<string, string>, wanted: Record<string, string>): string[] {
  return Object.entries(wanted)
    .filter(([key, value]) => tags[key] !== value)
    .map(([key]) => key);
}
