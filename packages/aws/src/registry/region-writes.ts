import type { RegionImageRecord } from "@ami-lifecycle/core";
import type { TransactWriteCommandInput } from "./documents";
import { regionKey } from "./items";
import { availableClaimAttribute, type RegionClaimLease } from "./region-claims";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

// A region write updates the fields of the region item (SET what the record has, REMOVE what it no longer
// has) instead of replacing the item: the `available` claim kept on the item (region-claims.ts) survives
// every later write of the region, so a region available again (a restore) is never announced twice.

/** Every field a region record may have; the compiler makes a new field of RegionImageRecord land here. */
const regionFields: Record<keyof RegionImageRecord, true> = {
  region: true,
  imageId: true,
  state: true,
  role: true,
  kmsKeyId: true,
  snapshotIds: true,
  sizeGiB: true,
  availableAt: true,
  copyAttempts: true,
  failureReason: true,
  copyRefused: true,
  retiredBy: true,
  recoverableUntil: true,
  recordedSharing: true,
  pointerProtectedAt: true,
  updatedAt: true,
};

/** What the write's condition is about the region's current image (putRegionImage's `expectImageId`). */
export type ExpectImage = { expectImageId?: string | null };

/** Whether the stored region item `old` passes the `expectImageId` condition. */
export function imageConditionHolds(old: Record<string, unknown> | undefined, options: ExpectImage): boolean {
  if (options.expectImageId === undefined || old?.imageId === undefined) return true;
  return options.expectImageId !== null && old.imageId === options.expectImageId;
}

/**
 * The region item's update; with `lease`, it also takes the region's `available` claim, so the write
 * fails when that claim is held or done (the caller then writes again without it).
 */
export function regionUpdate(
  tableName: string,
  family: string,
  version: number,
  record: RegionImageRecord,
  options: ExpectImage,
  lease?: RegionClaimLease,
): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const fields = { entity: "region", family, version, ...record } as Record<string, unknown>;
  for (const name of new Set([...Object.keys(fields), ...Object.keys(regionFields)])) {
    names[`#${name}`] = name;
    if (fields[name] === undefined) removes.push(`#${name}`);
    else {
      values[`:${name}`] = fields[name];
      sets.push(`#${name} = :${name}`);
    }
  }
  const conditions: string[] = [];
  if (options.expectImageId === null) conditions.push("attribute_not_exists(#imageId)");
  if (typeof options.expectImageId === "string") {
    conditions.push("(attribute_not_exists(#imageId) OR #imageId = :expectedImageId)");
    values[":expectedImageId"] = options.expectImageId;
  }
  if (lease) {
    names["#claim"] = availableClaimAttribute;
    sets.push("#claim = :claim");
    values[":claim"] = lease.attribute;
    values[":free"] = "free";
    values[":pending"] = "pending";
    values[":now"] = lease.takenAt;
    // Free to take: never announced (no claim and never available: a claim kept elsewhere before claims
    // lived here stays there), given back, or a pending lease that ran out.
    conditions.push(
      "((attribute_not_exists(#claim) AND attribute_not_exists(#availableAt)) OR #claim.claimState = :free OR (#claim.claimState = :pending AND #claim.leaseUntil < :now))",
    );
  }
  return {
    Update: {
      TableName: tableName,
      Key: regionKey(family, version, record.region),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { ConditionExpression: conditions.join(" AND ") } : {}),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}
