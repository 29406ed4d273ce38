import type { NewVersion } from "@ami-lifecycle/core";

/** A new available version of `family` built in eu-west-1 as `imageId` (one snapshot, `snap-<imageId>`). */
export function availableInIreland(family: string, imageId: string): NewVersion {
  return {
    family,
    region: "eu-west-1",
    imageId,
    name: `${family}-${imageId}`,
    createdAt: "2025-03-01T10:00:00.000Z",
    state: "available",
    snapshotIds: [`snap-${imageId}`],
  };
}

/** Version 1 of `family`, available in us-east-1 with an image id of its own (`ami-0<family>0…`). */
export function firstVersionOf(family: string): NewVersion {
  return {
    family,
    region: "us-east-1",
    imageId: `ami-0${family.padEnd(16, "0")}`,
    name: `${family}-1`,
    createdAt: "2026-11-20T09:00:00.000Z",
    state: "available",
    snapshotIds: [],
  };
}

/** The instant the counted-registry tests register at. */
export const registeredAt = new Date("2026-11-20T10:00:00.000Z");

/**
 * A new version of `family` built in us-east-1 as `imageId`, an hour before `registeredAt`: `pending`
 * with no snapshots (the CloudTrail record came first), or `available` with `snap-<id>` (DescribeImages' answer).
 */
export function builtInVirginia(family: string, imageId: string, state: "pending" | "available"): NewVersion {
  return {
    family,
    region: "us-east-1",
    imageId,
    name: `${family}-${imageId}`,
    createdAt: "2026-11-20T09:00:00.000Z",
    state,
    snapshotIds: state === "available" ? [`snap-${imageId.slice(4)}`] : [],
  };
}
