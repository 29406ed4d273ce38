import type { FamilyConfig } from "../config";
import type { Effect } from "../effects";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import { notifyOnce } from "../notifications/once";
import { versionNotification } from "../notifications/version-messages";
import { failureReasonOf } from "../notifications/version-notices";
import { regionRecordChanged } from "../versions/region-records";
import type { CopyDependencies } from "./copy-dependencies";
import { startCopies } from "./start-copies";

/**
 * A failed copy stays failed when it is later deregistered (the service discards failed copies before
 * retrying them): its record must keep `failed` so the retry still happens and nobody is told
 * "deregistered elsewhere" about an image that never worked.
 */
export function keepFailure(
  recorded: RegionImageRecord | undefined,
  imageId: string,
  image: ImageRecord | undefined,
): ImageRecord | undefined {
  if (recorded?.state !== "failed" || recorded.role !== "copy") return image;
  if (image && image.state !== "deregistered") return image;
  return {
    imageId,
    region: recorded.region,
    name: image?.name ?? "",
    ownerId: image?.ownerId ?? "",
    state: "failed",
    creationDate: image?.creationDate ?? recorded.updatedAt,
    tags: image?.tags ?? {},
    snapshots: recorded.snapshotIds.map((snapshotId) => ({ snapshotId, sizeGiB: 0 })),
    encrypted: image?.encrypted ?? false,
    deregistrationProtection: false,
    ...(recorded.failureReason ? { stateReason: recorded.failureReason } : {}),
  };
}

/**
 * A copy failed: tell the team once per attempt, and start the next attempt while the family's
 * `maxCopyAttempts` allows one (the last failure says it was final).
 */
export async function retryFailedCopy(
  deps: CopyDependencies,
  family: FamilyConfig,
  version: VersionRecord,
  record: RegionImageRecord,
): Promise<Effect[]> {
  const effects: Effect[] = [];
  const attempt = Math.max(record.copyAttempts, 1);
  const final = attempt >= family.maxCopyAttempts;
  const notification = versionNotification("copy-failed", family, version, record.region, {
    ...failureReasonOf(record),
    attempt,
    final,
  });
  const key = `copy-failed:${family.name}:${version.version}:${record.region}:${attempt}`;
  if (await notifyOnce(deps, key, notification)) effects.push({ kind: "notified", type: "copy-failed" });
  if (!final) effects.push(...(await startCopies(deps, family, version, record.region)));
  return effects;
}

/** A pending copy's snapshot ids are recorded with its next state change: one registry write fewer per copy. */
export function onlySnapshotsOfPendingCopy(
  previous: RegionImageRecord | undefined,
  record: RegionImageRecord,
): boolean {
  return (
    previous !== undefined &&
    previous.state === "pending" &&
    record.state === "pending" &&
    !regionRecordChanged(previous, { ...record, snapshotIds: previous.snapshotIds })
  );
}
