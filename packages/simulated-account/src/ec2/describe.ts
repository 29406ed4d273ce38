import type {
  DescribeImagesCommandInput,
  DescribeSnapshotsCommandInput,
  Snapshot,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { SimImage, SimSnapshot } from "../state";
import type { CallContext, SimWorld } from "../world";
import {
  assertImageIdShape,
  assertMaxResults,
  matchesFilters,
  paginate,
  rejectDryRun,
  tagFilterValues,
  toTagList,
} from "./common";
import { renderImage } from "./images";
import { watermarkFilterValues } from "./watermarks";

/** True when an owner list (Owners, OwnerIds) selects the simulated account's own resources. */
function ownsSelf(world: SimWorld, owners: readonly string[] | undefined): boolean {
  return (
    !owners || owners.length === 0 || owners.some((owner) => owner === "self" || owner === world.accountId)
  );
}

function imageFilterValues(world: SimWorld, image: SimImage, name: string): readonly string[] | undefined {
  switch (name) {
    case "name":
      return [image.name];
    case "state":
      return [image.state];
    case "image-id":
      return [image.imageId];
    case "owner-id":
      return [world.accountId];
    case "description":
      return image.description === undefined ? [] : [image.description];
    case "source-image-id":
      return image.sourceImageId ? [image.sourceImageId] : [];
    case "source-image-region":
      return image.sourceImageRegion ? [image.sourceImageRegion] : [];
    case "architecture":
      return [image.architecture];
    case "creation-date":
      return [image.creationDate];
    case "block-device-mapping.snapshot-id":
      return image.blockDevices.map((device) => device.snapshotId);
    case "block-device-mapping.encrypted":
      return image.blockDevices.map((device) => String(device.encrypted));
    case "is-public":
      // Public means launchable by the group all, as renderImage's `Public` shows it.
      return [String(image.launchPermissions.includes("group:all"))];
    case "image-watermark.watermark-key":
    case "image-watermark.source-image-id":
    case "image-watermark.source-image-region":
    case "image-watermark.source-image-creation-time":
    case "image-watermark.watermark-creation-time":
      return watermarkFilterValues(image, name);
    default:
      return tagFilterValues(image.tags, name);
  }
}

function snapshotFilterValues(
  world: SimWorld,
  snapshot: SimSnapshot,
  name: string,
): readonly string[] | undefined {
  switch (name) {
    case "snapshot-id":
      return [snapshot.snapshotId];
    case "status":
      return [snapshot.state];
    case "owner-id":
      return [world.accountId];
    case "volume-size":
      return [String(snapshot.volumeSize)];
    case "description":
      return [snapshot.description];
    case "encrypted":
      return [String(snapshot.encrypted)];
    default:
      return tagFilterValues(snapshot.tags, name);
  }
}

/** Renders a snapshot as DescribeSnapshots returns it. */
export function renderSnapshot(world: SimWorld, snapshot: SimSnapshot): Snapshot {
  return {
    SnapshotId: snapshot.snapshotId,
    OwnerId: world.accountId,
    State: snapshot.state,
    StartTime: new Date(snapshot.startTime),
    Progress: snapshot.state === "completed" ? "100%" : "0%",
    VolumeId: "vol-ffffffff",
    VolumeSize: snapshot.volumeSize,
    Description: snapshot.description,
    Encrypted: snapshot.encrypted,
    StorageTier: "standard",
    ...(snapshot.kmsKeyId ? { KmsKeyId: snapshot.kmsKeyId } : {}),
    ...(snapshot.tags.size > 0 ? { Tags: toTagList(snapshot.tags) } : {}),
  };
}

/** EC2 Describe* operations for images and snapshots. */
export const describeHandlers = {
  DescribeImages(world: SimWorld, call: CallContext, input: DescribeImagesCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    if (input.ImageIds && input.MaxResults !== undefined) {
      throw new SimApiError(
        "InvalidParameterCombination",
        "The parameter ImageIds cannot be used with MaxResults.",
      );
    }
    assertMaxResults(input.MaxResults, 5, 1000);
    let images: SimImage[];
    if (input.ImageIds && input.ImageIds.length > 0) {
      const ids = input.ImageIds.map(assertImageIdShape);
      const missing = ids.filter((id) => !region.images.has(id));
      if (missing.length > 0) {
        throw new SimApiError(
          "InvalidAMIID.NotFound",
          `The image id '[${missing.join(", ")}]' does not exist`,
        );
      }
      // A deregistered image is left out, not an error: EC2 answers empty results for it long before
      // NotFound (checked against moto).
      images = [...new Set(ids)].flatMap((id) => region.images.get(id) ?? []);
      images = images.filter((image) => image.state !== "deregistered");
    } else {
      images = world.registeredImages(call.region);
    }
    // Filters narrow ImageIds too: a filter is "used to return a more specific list of results from a
    // describe operation" (EC2 API reference, Filter) and DescribeImages documents no exception for
    // ImageIds. moto 5.2.1 ignores Filters when ImageIds are given (docs/conformance.md).
    images = images.filter((image) =>
      matchesFilters(input.Filters, (name) => imageFilterValues(world, image, name)),
    );
    // Every image here belongs to the account, so an owner list without it selects nothing.
    if (!ownsSelf(world, input.Owners)) images = [];
    // Disabled images are hidden unless IncludeDisabled; the owner always sees its deprecated ones.
    if (!input.IncludeDisabled) images = images.filter((image) => image.state !== "disabled");
    const { page, nextToken } = paginate(images, input.MaxResults, input.NextToken);
    return {
      Images: page.map((image) => renderImage(world, image)),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },

  DescribeSnapshots(world: SimWorld, call: CallContext, input: DescribeSnapshotsCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    if (input.SnapshotIds && input.MaxResults !== undefined) {
      throw new SimApiError(
        "InvalidParameterCombination",
        "The parameter SnapshotIds cannot be used with MaxResults.",
      );
    }
    assertMaxResults(input.MaxResults, 5, 1000);
    let snapshots = [...region.snapshots.values()].sort((a, b) => a.sequence - b.sequence);
    if (input.SnapshotIds && input.SnapshotIds.length > 0) {
      const missing = input.SnapshotIds.filter((id) => !region.snapshots.has(id));
      if (missing.length > 0) {
        throw new SimApiError(
          "InvalidSnapshot.NotFound",
          `The snapshot '${missing.join(", ")}' does not exist.`,
        );
      }
      snapshots = snapshots.filter((snapshot) => input.SnapshotIds?.includes(snapshot.snapshotId));
    }
    if (!ownsSelf(world, input.OwnerIds)) snapshots = [];
    snapshots = snapshots.filter((snapshot) =>
      matchesFilters(input.Filters, (name) => snapshotFilterValues(world, snapshot, name)),
    );
    const { page, nextToken } = paginate(snapshots, input.MaxResults, input.NextToken);
    return {
      Snapshots: page.map((snapshot) => renderSnapshot(world, snapshot)),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  },
};
