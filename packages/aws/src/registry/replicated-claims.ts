import { randomUUID } from "node:crypto";
import type { ClaimLease } from "@ami-lifecycle/core";
import { type TransactWriteCommandInput, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { translateAwsError } from "../errors";
import type { ClaimLeaseTable } from "./claim-leases";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { versionKey } from "./items";

// A version's `replicated` notification claim lives on its version item (attribute `replicatedClaim`),
// with the states of a claim item (claim-leases.ts). The region write that records the last region
// available takes it (the version item's update replaces that write's existence check), so the
// notification that follows costs no take of its own, and its completion goes with the `available`
// one in one write (completeClaims). A later event finds it `done` in the version item it reads anyway.
// Versions registered before this (no `inlineReplicatedClaim` flag) keep their claim item: callers fall
// back to it when these functions answer `undefined`/`false`.

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Attribute of a version item saying its `replicated` claim lives on the item (set at registration). */
export const inlineReplicatedAttribute = "inlineReplicatedClaim";

/** The claim map attribute on the version item. */
export const replicatedClaimAttribute = "replicatedClaim";

/** A lease of the `replicated` claim, written with the version item. */
export interface ReplicatedClaimLease {
  leaseId: string;
  leaseUntil: number;
  /** the time the lease was taken (a pending lease before it counts as run out) */
  takenAt: number;
}

const replicatedKey = /^notify:replicated:(.+):(\d+)$/;

/** The claim key of a version's `replicated` notification (see notifyIfReplicated in core). */
export function replicatedClaimKey(family: string, version: number): string {
  return `notify:replicated:${family}:${version}`;
}

/** The version whose item may hold this claim key, when it is a `replicated` notification claim. */
export function versionOfReplicatedClaim(key: string): { family: string; version: number } | undefined {
  const match = replicatedKey.exec(key);
  if (!match) return undefined;
  const version = Number(match[2]);
  return Number.isSafeInteger(version) && version >= 1 ? { family: String(match[1]), version } : undefined;
}

/** The claim key of a version item whose `replicated` claim is done (read with the item), or undefined. */
export function doneReplicatedClaimKey(item: Record<string, unknown>): string | undefined {
  const claim = item[replicatedClaimAttribute] as { claimState?: unknown } | undefined;
  if (item.entity !== "version" || claim?.claimState !== "done") return undefined;
  return replicatedClaimKey(String(item.family), Number(item.version));
}

/** A fresh pending lease of a `replicated` claim. */
export function replicatedClaimLease(
  table: Pick<ClaimLeaseTable, "clock" | "leaseSeconds">,
): ReplicatedClaimLease {
  const takenAt = table.clock.now().getTime();
  return { leaseId: randomUUID(), leaseUntil: takenAt + table.leaseSeconds * 1000, takenAt };
}

/** What a version item says to a taker that could not take its claim; undefined when it keeps a claim item. */
export function replicatedClaimAnswer(item: Record<string, unknown> | undefined): ClaimLease | undefined {
  if (item?.[inlineReplicatedAttribute] !== true) return undefined;
  const claim = item[replicatedClaimAttribute] as { claimState?: unknown } | undefined;
  return claim?.claimState === "pending" ? { state: "held" } : { state: "done" };
}

/** The lease's update of the version item; it also fails when the version does not exist. */
function leaseUpdate(
  tableName: string,
  at: { family: string; version: number },
  lease: ReplicatedClaimLease,
) {
  return {
    TableName: tableName,
    Key: versionKey(at.family, at.version),
    UpdateExpression: "SET #claim = :claim",
    ConditionExpression:
      "attribute_exists(pk) AND #inline = :yes AND (attribute_not_exists(#claim) OR (#claim.claimState = :pending AND #claim.leaseUntil < :now))",
    ExpressionAttributeNames: { "#claim": replicatedClaimAttribute, "#inline": inlineReplicatedAttribute },
    ExpressionAttributeValues: {
      ":claim": { claimState: "pending", leaseId: lease.leaseId, leaseUntil: lease.leaseUntil },
      ":yes": true,
      ":pending": "pending",
      ":now": lease.takenAt,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/** The transaction action that takes the lease with a region write (in place of its version check). */
export function replicatedLeaseAction(
  tableName: string,
  at: { family: string; version: number },
  lease: ReplicatedClaimLease,
): TransactItem {
  return { Update: leaseUpdate(tableName, at, lease) };
}

/** Takes the inline claim like takeClaim does; undefined when the version keeps its claim item. */
export async function takeReplicatedClaim(
  table: ClaimLeaseTable,
  at: { family: string; version: number },
): Promise<ClaimLease | undefined> {
  const lease = replicatedClaimLease(table);
  try {
    await table.documents.send(new UpdateCommand(leaseUpdate(table.tableName, at, lease)));
    return { state: "taken", leaseId: lease.leaseId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    return replicatedClaimAnswer(conditionFailedItem(error));
  }
}

/** The update that marks the inline claim done (whoever holds the lease now); fails on a version without the flag. */
export function replicatedCompletion(
  table: Pick<ClaimLeaseTable, "tableName" | "clock">,
  at: { family: string; version: number },
) {
  return {
    TableName: table.tableName,
    Key: versionKey(at.family, at.version),
    UpdateExpression: "SET #claim = :claim",
    ConditionExpression: "#inline = :yes",
    ExpressionAttributeNames: { "#claim": replicatedClaimAttribute, "#inline": inlineReplicatedAttribute },
    ExpressionAttributeValues: {
      ":claim": { claimState: "done", claimedAt: table.clock.now().toISOString() },
      ":yes": true,
    },
  };
}

/** Marks the inline claim done; false when the version keeps its claim item. */
export async function completeReplicatedClaim(
  table: ClaimLeaseTable,
  at: { family: string; version: number },
): Promise<boolean> {
  try {
    await table.documents.send(new UpdateCommand(replicatedCompletion(table, at)));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateAwsError("DynamoDB.UpdateItem", error);
  }
}

/** Gives the inline claim back while this lease still holds it; false when the version keeps its claim item. */
export async function releaseReplicatedLease(
  table: ClaimLeaseTable,
  at: { family: string; version: number },
  leaseId: string,
): Promise<boolean> {
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: versionKey(at.family, at.version),
        UpdateExpression: "REMOVE #claim",
        ConditionExpression: "#inline = :yes AND #claim.claimState = :pending AND #claim.leaseId = :leaseId",
        ExpressionAttributeNames: {
          "#claim": replicatedClaimAttribute,
          "#inline": inlineReplicatedAttribute,
        },
        ExpressionAttributeValues: { ":yes": true, ":pending": "pending", ":leaseId": leaseId },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    // Another holder's lease or a done claim stays as it is; only a version without the flag falls back.
    return conditionFailedItem(error)?.[inlineReplicatedAttribute] === true;
  }
}
