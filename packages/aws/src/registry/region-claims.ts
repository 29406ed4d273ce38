import { randomUUID } from "node:crypto";
import type { ClaimLease } from "@ami-lifecycle/core";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { translateAwsError } from "../errors";
import type { ClaimLeaseTable } from "./claim-leases";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { regionKey } from "./items";

// A region's `available` notification claim lives on its region item (attribute `availableClaim`), with
// the states of a claim item (claim-leases.ts) plus `free` (given back). The write that records the
// region available takes it (region-writes.ts), so the notification that follows costs no take of its
// own; a later event finds it `done` in the region item it reads anyway. A region item without the
// attribute whose image was available before (written before claims lived here) keeps its claim item:
// callers fall back to it when these functions answer `undefined`/`false`.

/** The claim map attribute on the region item. */
export const availableClaimAttribute = "availableClaim";

/** Where an inline `available` claim lives. */
export interface RegionClaimAt {
  family: string;
  version: number;
  region: string;
}

/** A lease of a region's `available` claim, to write with the region item. */
export interface RegionClaimLease {
  leaseId: string;
  leaseUntil: number;
  /** the time the lease was taken (the write's condition: a pending lease before it ran out) */
  takenAt: number;
  /** the claim map attribute value */
  attribute: { claimState: "pending"; leaseId: string; leaseUntil: number };
}

const availableKey = /^notify:available:(.+):(\d+):([a-z0-9-]+)$/;

/** The claim key of a region's `available` notification (see notifyAvailable in core). */
export function availableClaimKey(at: RegionClaimAt): string {
  return `notify:available:${at.family}:${at.version}:${at.region}`;
}

/** Where this claim key's claim may live inline, when it is an `available` notification claim. */
export function regionOfAvailableClaim(key: string): RegionClaimAt | undefined {
  const match = availableKey.exec(key);
  if (!match) return undefined;
  const version = Number(match[2]);
  if (!Number.isSafeInteger(version) || version < 1) return undefined;
  return { family: String(match[1]), version, region: String(match[3]) };
}

/** A fresh pending lease of a region's `available` claim. */
export function regionClaimLease(table: Pick<ClaimLeaseTable, "clock" | "leaseSeconds">): RegionClaimLease {
  const leaseId = randomUUID();
  const takenAt = table.clock.now().getTime();
  const leaseUntil = takenAt + table.leaseSeconds * 1000;
  return { leaseId, leaseUntil, takenAt, attribute: { claimState: "pending", leaseId, leaseUntil } };
}

/** The claim key of a region item whose `available` claim is done (read with the item), or undefined. */
export function doneRegionClaimKey(item: Record<string, unknown>): string | undefined {
  const claim = item[availableClaimAttribute] as { claimState?: unknown } | undefined;
  if (item.entity !== "region" || claim?.claimState !== "done") return undefined;
  return availableClaimKey({
    family: String(item.family),
    version: Number(item.version),
    region: String(item.region),
  });
}

/** What a stored claim attribute says to a taker that could not take it. */
export function claimAnswer(item: Record<string, unknown> | undefined): ClaimLease | undefined {
  const claim = item?.[availableClaimAttribute] as { claimState?: unknown } | undefined;
  if (!claim) return undefined;
  return claim.claimState === "pending" ? { state: "held" } : { state: "done" };
}

/** Takes an existing inline claim like takeClaim does; undefined when the region keeps its claim item. */
export async function takeRegionClaim(
  table: ClaimLeaseTable,
  at: RegionClaimAt,
): Promise<ClaimLease | undefined> {
  const lease = regionClaimLease(table);
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: regionKey(at.family, at.version, at.region),
        UpdateExpression: "SET #claim = :claim",
        ConditionExpression:
          "#claim.claimState = :free OR (#claim.claimState = :pending AND #claim.leaseUntil < :now)",
        ExpressionAttributeNames: { "#claim": availableClaimAttribute },
        ExpressionAttributeValues: {
          ":claim": lease.attribute,
          ":free": "free",
          ":pending": "pending",
          ":now": lease.takenAt,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { state: "taken", leaseId: lease.leaseId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    return claimAnswer(conditionFailedItem(error));
  }
}

/** The update that marks the inline claim done (whoever holds the lease now); fails on a region without it. */
export function regionClaimCompletion(
  table: Pick<ClaimLeaseTable, "tableName" | "clock">,
  at: RegionClaimAt,
) {
  return {
    TableName: table.tableName,
    Key: regionKey(at.family, at.version, at.region),
    UpdateExpression: "SET #claim = :claim",
    ConditionExpression: "attribute_exists(#claim)",
    ExpressionAttributeNames: { "#claim": availableClaimAttribute },
    ExpressionAttributeValues: {
      ":claim": { claimState: "done", claimedAt: table.clock.now().toISOString() },
    },
  };
}

/** Marks the inline claim done (whoever holds the lease now); false when the region keeps its claim item. */
export async function completeRegionClaim(table: ClaimLeaseTable, at: RegionClaimAt): Promise<boolean> {
  try {
    await table.documents.send(new UpdateCommand(regionClaimCompletion(table, at)));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateAwsError("DynamoDB.UpdateItem", error);
  }
}

/** Gives the inline claim back while this lease still holds it; false when the region keeps its claim item. */
export async function releaseRegionClaim(
  table: ClaimLeaseTable,
  at: RegionClaimAt,
  leaseId: string,
): Promise<boolean> {
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: regionKey(at.family, at.version, at.region),
        UpdateExpression: "SET #claim = :free",
        ConditionExpression: "#claim.claimState = :pending AND #claim.leaseId = :leaseId",
        ExpressionAttributeNames: { "#claim": availableClaimAttribute },
        ExpressionAttributeValues: {
          ":free": { claimState: "free" },
          ":pending": "pending",
          ":leaseId": leaseId,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    // Another holder's lease or a done claim stays as it is; only a region without the attribute falls back.
    return conditionFailedItem(error)?.[availableClaimAttribute] !== undefined;
  }
}
