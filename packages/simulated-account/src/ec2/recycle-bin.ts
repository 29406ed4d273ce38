import type {
  ImageRecycleBinInfo,
  ListImagesInRecycleBinCommandInput,
  ListSnapshotsInRecycleBinCommandInput,
  RestoreImageFromRecycleBinCommandInput,
  RestoreSnapshotFromRecycleBinCommandInput,
  SnapshotRecycleBinInfo,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import { retentionDaysFor } from "../rbin";
import type { RegionState, SimBinEntry, SimImage, SimSnapshot } from "../state";
import type { CallContext, SimWorld } from "../world";
import { assertImageIdShape, assertMaxResults, paginate, rejectDryRun } from "./common";

const DAY_MS = 24 * 60 * 60_000;

/** How long a snapshot restored from the bin stays `recovering` before it is `completed` again. */
export const SNAPSHOT_RECOVERY_MS = 2 * 60_000;

function binEntry(world: SimWorld, days: number, sharing: string[]): SimBinEntry {
  const now = world.clock.nowMs();
  return { enteredAt: now, exitAt: now + days * DAY_MS, sharing: [...sharing] };
}

/**
 * Puts a just-deregistered image in the Recycle Bin when an active EC2_IMAGE rule matches its tags at
 * this moment. Sharing is removed on entry and kept to be given back on restore.
 */
export function binDeregisteredImage(world: SimWorld, region: RegionState, image: SimImage): void {
  const days = retentionDaysFor(world, region, "EC2_IMAGE", image.tags);
  if (days === undefined) return;
  image.recycleBin = binEntry(world, days, image.launchPermissions);
  image.launchPermissions = [];
}

/** Deletes a snapshot: into the bin when an active EBS_SNAPSHOT rule matches it, otherwise for good. */
export function deleteOrBinSnapshot(world: SimWorld, region: RegionState, snapshot: SimSnapshot): void {
  region.snapshots.delete(snapshot.snapshotId);
  const days = retentionDaysFor(world, region, "EBS_SNAPSHOT", snapshot.tags);
  if (days === undefined) return;
  snapshot.recycleBin = binEntry(world, days, snapshot.createVolumePermissions ?? []);
  snapshot.createVolumePermissions = undefined;
  region.binnedSnapshots.set(snapshot.snapshotId, snapshot);
}

/** Images of the region in the bin now. */
export function binnedImages(region: RegionState): SimImage[] {
  return [...region.images.values()]
    .filter((image) => image.state === "deregistered" && image.recycleBin !== undefined)
    .sort((a, b) => a.sequence - b.sequence);
}

/**
 * Moves the bin's clock: resources past their exit time are deleted for good (no early purge exists),
 * and restored snapshots finish recovering. Called from SimWorld.settle().
 */
export function settleRecycleBin(world: SimWorld): void {
  const now = world.clock.nowMs();
  for (const region of world.regions.values()) {
    // Runs before every call: a plain loop over the images, no filtered and sorted copy (order is irrelevant here).
    for (const image of region.images.values()) {
      if (image.state !== "deregistered" || image.recycleBin === undefined) continue;
      if (image.recycleBin.exitAt <= now) image.recycleBin = undefined;
    }
    for (const snapshot of [...region.binnedSnapshots.values()]) {
      if ((snapshot.recycleBin?.exitAt ?? 0) <= now) region.binnedSnapshots.delete(snapshot.snapshotId);
    }
    for (const snapshot of region.snapshots.values()) {
      if (snapshot.state === "recovering" && (snapshot.readyAt ?? 0) <= now) {
        snapshot.state = "completed";
        snapshot.readyAt = undefined;
      }
    }
  }
}

function requestedIds(ids: readonly string[] | undefined, field: string): Set<string> | undefined {
  if (ids === undefined || ids.length === 0) return undefined;
  if (ids.length > 20) {
    throw new SimApiError(
      "InvalidParameterValue",
      `${field}: you can specify up to 20 IDs in a single request.`,
    );
  }
  return new Set(ids);
}

const dates = (entry: SimBinEntry | undefined) => ({
  RecycleBinEnterTime: new Date(entry?.enteredAt ?? 0),
  RecycleBinExitTime: new Date(entry?.exitAt ?? 0),
});

/** EC2 operations of the Recycle Bin: listing its contents and restoring from it. */
export const recycleBinHandlers = {
  ListImagesInRecycleBin(world: SimWorld, call: CallContext, input: ListImagesInRecycleBinCommandInput) {
    rejectDryRun(input);
    assertMaxResults(input.MaxResults, 1, 1000);
    const wanted = requestedIds(input.ImageIds, "ImageIds");
    const images = binnedImages(world.region(call.region))
      .filter((image) => wanted === undefined || wanted.has(image.imageId))
      .map(
        (image): ImageRecycleBinInfo => ({
          ImageId: image.imageId,
          Name: image.name,
          ...(image.description !== undefined ? { Description: image.description } : {}),
          ...dates(image.recycleBin),
        }),
      );
    const { page, nextToken } = paginate(images, input.MaxResults, input.NextToken);
    return { Images: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  ListSnapshotsInRecycleBin(
    world: SimWorld,
    call: CallContext,
    input: ListSnapshotsInRecycleBinCommandInput,
  ) {
    rejectDryRun(input);
    assertMaxResults(input.MaxResults, 5, 1000);
    const wanted = requestedIds(input.SnapshotIds, "SnapshotIds");
    const snapshots = [...world.region(call.region).binnedSnapshots.values()]
      .sort((a, b) => a.sequence - b.sequence)
      .filter((snapshot) => wanted === undefined || wanted.has(snapshot.snapshotId))
      .map(
        (snapshot): SnapshotRecycleBinInfo => ({
          SnapshotId: snapshot.snapshotId,
          Description: snapshot.description,
          ...dates(snapshot.recycleBin),
        }),
      );
    const { page, nextToken } = paginate(snapshots, input.MaxResults, input.NextToken);
    return { Snapshots: page, ...(nextToken ? { NextToken: nextToken } : {}) };
  },

  RestoreSnapshotFromRecycleBin(
    world: SimWorld,
    call: CallContext,
    input: RestoreSnapshotFromRecycleBinCommandInput,
  ) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const snapshot = region.binnedSnapshots.get(input.SnapshotId ?? "");
    if (!snapshot) {
      throw new SimApiError(
        "InvalidSnapshot.NotFound",
        `The snapshot '${input.SnapshotId ?? ""}' is not in the Recycle Bin.`,
      );
    }
    region.binnedSnapshots.delete(snapshot.snapshotId);
    const sharing = snapshot.recycleBin?.sharing ?? [];
    snapshot.recycleBin = undefined;
    if (sharing.length > 0) snapshot.createVolumePermissions = sharing;
    // A restored snapshot is usable once it leaves `recovering`.
    snapshot.state = "recovering";
    snapshot.readyAt = world.clock.nowMs() + SNAPSHOT_RECOVERY_MS;
    region.snapshots.set(snapshot.snapshotId, snapshot);
    return {
      SnapshotId: snapshot.snapshotId,
      Description: snapshot.description,
      Encrypted: snapshot.encrypted,
      OwnerId: world.accountId,
      StartTime: snapshot.startTime,
      State: snapshot.state,
      VolumeSize: snapshot.volumeSize,
      SseType: snapshot.encrypted ? ("sse-kms" as const) : ("none" as const),
    };
  },

  RestoreImageFromRecycleBin(
    world: SimWorld,
    call: CallContext,
    input: RestoreImageFromRecycleBinCommandInput,
  ) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const imageId = assertImageIdShape(input.ImageId);
    const image = region.images.get(imageId);
    if (!image?.recycleBin) {
      throw new SimApiError("InvalidAMIID.NotFound", `The image id '[${imageId}]' is not in the Recycle Bin`);
    }
    // AWS: restore every snapshot first and wait until it is available; only then the image. The
    // error code is inferred (the docs state the order, not the code): a client error.
    for (const device of image.blockDevices) {
      const snapshot = region.snapshots.get(device.snapshotId);
      if (snapshot?.state === "completed") continue;
      const why = region.binnedSnapshots.has(device.snapshotId)
        ? "is still in the Recycle Bin"
        : snapshot
          ? `is '${snapshot.state}'`
          : "no longer exists";
      throw new SimApiError(
        "IncorrectState",
        `The image ${imageId} cannot be restored: its snapshot ${device.snapshotId} ${why}.`,
      );
    }
    image.state = "available";
    image.launchPermissions = [...image.recycleBin.sharing];
    image.recycleBin = undefined;
    // No state-change event on restore (aws-facts §5).
    return { Return: true };
  },
};
