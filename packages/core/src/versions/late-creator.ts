import type { Effect } from "../effects";
import type { VersionRecord } from "../model";
import { versionTags } from "../tags/tagging";
import type { VersionDependencies } from "./version-dependencies";

/**
 * CloudTrail's record may arrive after the state change that registered the version (RegisterImage is
 * available at once; CloudTrail delivery often lags by minutes): its principal is then recorded late.
 * Finished copies made meanwhile carry the version's tags without it and have no state change left to
 * come, so they are tagged first; CreateTags is idempotent, and if it fails the creator stays unrecorded and
 * the retry does both again. A creator already recorded is never overwritten: the stored one wins.
 */
export async function recordLateCreator(
  deps: Pick<VersionDependencies, "images" | "registry">,
  version: VersionRecord,
  createdBy: string,
  effects: Effect[],
): Promise<VersionRecord> {
  if (version.createdBy) return version;
  const withHint = { ...version, createdBy };
  // Pending copies are left to their coming state change, which tags their snapshots too (they do
  // not exist yet to tag here).
  const copies = Object.values(version.regions).filter(
    (record) =>
      record.role === "copy" &&
      record.imageId !== undefined &&
      (record.state === "available" || record.state === "disabled"),
  );
  for (const copy of copies) {
    await deps.images.tagImage(
      copy.region,
      copy.imageId as string,
      copy.snapshotIds,
      versionTags(withHint, createdBy),
    );
    effects.push({ kind: "copy-tagged", region: copy.region });
  }
  if (await deps.registry.recordCreator(version.family, version.version, createdBy)) {
    effects.push({ kind: "creator-recorded" });
    return withHint;
  }
  return (await deps.registry.getVersion(version.family, version.version)) ?? version;
}
