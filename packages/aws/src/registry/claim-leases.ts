import { randomUUID } from "node:crypto";
import type { ClaimLease, Clock } from "@ami-lifecycle/core";
import { translateAwsError } from "../errors";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from "./documents";
import { claimKey } from "./items";
import { registryTtlAttribute } from "./table";

// One-time claims as leases (see `once` in core): `pending` with a lease while the effect runs, `done` after.

/** Where the lease operations write and how long things last. */
export interface ClaimLeaseTable {
  documents: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** how long a pending claim keeps others out: longer than one effect with all its SDK retries */
  leaseSeconds: number;
  /** how long a claim is kept before DynamoDB TTL may delete it */
  ttlSeconds: number;
}

/**
 * Two minutes: a publish with every SDK retry takes seconds, and Lambda's last asynchronous retry of a
 * failed event comes about three minutes after the first attempt, so that retry can take the lease over.
 */
export const defaultClaimLeaseSeconds = 120;

/** Takes the claim when it is free or its pending lease ran out; otherwise says whether it is held or done. */
export async function takeClaim(table: ClaimLeaseTable, key: string): Promise<ClaimLease> {
  const now = table.clock.now();
  const leaseId = randomUUID();
  try {
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...claimKey(key),
          entity: "claim",
          claimState: "pending",
          leaseId,
          leaseUntil: now.getTime() + table.leaseSeconds * 1000,
          claimedAt: now.toISOString(),
          [registryTtlAttribute]: Math.floor(now.getTime() / 1000) + table.ttlSeconds,
        },
        // A claim without claimState was written before leases existed (as markers still are): treated as done.
        ConditionExpression: "attribute_not_exists(pk) OR (claimState = :pending AND leaseUntil < :now)",
        ExpressionAttributeValues: { ":pending": "pending", ":now": now.getTime() },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { state: "taken", leaseId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.PutItem", error);
    return conditionFailedItem(error)?.claimState === "pending" ? { state: "held" } : { state: "done" };
  }
}

/** Marks the claim done: unconditional, since the effect happened whoever holds the lease now. */
export async function completeClaim(table: ClaimLeaseTable, key: string): Promise<void> {
  const now = table.clock.now();
  try {
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...claimKey(key),
          entity: "claim",
          claimState: "done",
          claimedAt: now.toISOString(),
          [registryTtlAttribute]: Math.floor(now.getTime() / 1000) + table.ttlSeconds,
        },
      }),
    );
  } catch (error) {
    throw translateAwsError("DynamoDB.PutItem", error);
  }
}

/** Deletes the claim only while this lease still holds it: never a done claim, never another holder's. */
export async function releaseLease(table: ClaimLeaseTable, key: string, leaseId: string): Promise<void> {
  try {
    await table.documents.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: claimKey(key),
        ConditionExpression: "claimState = :pending AND leaseId = :leaseId",
        ExpressionAttributeValues: { ":pending": "pending", ":leaseId": leaseId },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) return;
    throw translateAwsError("DynamoDB.DeleteItem", error);
  }
}
