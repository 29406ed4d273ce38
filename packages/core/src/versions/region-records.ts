import type { ImageRecord, ImageState, RegionImageRecord, RegionImageState, VersionRecord } from "../model";

/** The registry state that mirrors an EC2 image state. */
export function regionStateOf(state: ImageState): RegionImageState {
  switch (state) {
    case "available":
      return "available";
    case "pending":
    case "transient":
      return "pending";
    case "disabled":
      return "disabled";
    case "deregistered":
      return "deregistered";
    case "failed":
    case "error":
    case "invalid":
      return "failed";
  }
}

/** The region record an image should have, given what the registry had before. */
export function regionRecordFor(
  image: ImageRecord,
  previous: RegionImageRecord | undefined,
  role: "source" | "copy",
  now: Date,
  extra: { failureReason?: string; kmsKeyId?: string } = {},
): RegionImageRecord {
  const observed = regionStateOf(image.state);
  // The service's own deregistration into the bin stays recoverable: EC2 reports both as deregistered.
  const state = observed === "deregistered" && previous?.state === "recoverable" ? "recoverable" : observed;
  const failureReason =
    state === "failed" ? (image.stateReason ?? extra.failureReason ?? previous?.failureReason) : undefined;
  const kmsKeyId = extra.kmsKeyId ?? previous?.kmsKeyId;
  // Records rebuilt from the registry carry no sizes (0): keep the size EC2 reported earlier.
  const reportedGiB = image.snapshots.reduce((sum, snapshot) => sum + snapshot.sizeGiB, 0);
  const sizeGiB = reportedGiB > 0 ? reportedGiB : previous?.sizeGiB;
  const availableAt = previous?.availableAt ?? (state === "available" ? now.toISOString() : undefined);
  return {
    region: image.region,
    imageId: image.imageId,
    state,
    role,
    snapshotIds: image.snapshots.map((snapshot) => snapshot.snapshotId).sort(),
    copyAttempts: previous?.copyAttempts ?? (role === "copy" ? 1 : 0),
    updatedAt: now.toISOString(),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(sizeGiB !== undefined ? { sizeGiB } : {}),
    ...(availableAt ? { availableAt } : {}),
    ...(failureReason ? { failureReason } : {}),
    ...(previous?.retiredBy ? { retiredBy: previous.retiredBy } : {}),
    ...(state === "recoverable" && previous?.recoverableUntil
      ? { recoverableUntil: previous.recoverableUntil }
      : {}),
    ...(previous?.recordedSharing ? { recordedSharing: previous.recordedSharing } : {}),
    // The service's own record that it protects this image for a pointer: only the pointer steps change it.
    ...(previous?.pointerProtectedAt && previous.imageId === image.imageId
      ? { pointerProtectedAt: previous.pointerProtectedAt }
      : {}),
  };
}

/** True when writing `next` over `previous` would change something other than the timestamp. */
export function regionRecordChanged(
  previous: RegionImageRecord | undefined,
  next: RegionImageRecord,
): boolean {
  if (!previous) return true;
  return (
    previous.imageId !== next.imageId ||
    previous.state !== next.state ||
    previous.failureReason !== next.failureReason ||
    previous.copyAttempts !== next.copyAttempts ||
    previous.snapshotIds.join(",") !== next.snapshotIds.join(",")
  );
}

/** The version with `record` as its image of the record's region. */
export function withRegion(version: VersionRecord, record: RegionImageRecord): VersionRecord {
  return { ...version, regions: { ...version.regions, [record.region]: record } };
}
