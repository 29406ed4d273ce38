import type { ImageRecord, VersionRecord } from "../model";
import type { ImageLocation } from "../ports";

/**
 * DescribeImages stops returning deregistered images; the event's reported state then stands in for it.
 * Undefined unless the registry holds an image there and the event reported it deregistered.
 */
export function vanishedImage(
  version: VersionRecord,
  location: ImageLocation,
  reportedState: string | undefined,
): ImageRecord | undefined {
  const recorded = version.regions[location.region];
  if (!recorded?.imageId || reportedState !== "deregistered") return undefined;
  return {
    imageId: recorded.imageId,
    region: location.region,
    name: version.name,
    ownerId: "",
    state: "deregistered",
    creationDate: version.createdAt,
    tags: {},
    snapshots: recorded.snapshotIds.map((snapshotId) => ({ snapshotId, sizeGiB: 0 })),
    encrypted: false,
    deregistrationProtection: false,
  };
}
