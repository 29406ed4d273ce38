import { randomUUID } from "node:crypto";
import type { ClaimLease } from "@ami-lifecycle/core";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { translateAwsError } from "../errors";
import type { ClaimLeaseTable } from "./claim-leases";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { versionKey } from "./items";

// The `registered` notification's lease claim lives on the version item itself (attribute
// `registeredClaim`), with the same states as a claim item (see claim-leases.ts). Every `available`
// event of a source reads its version item first, so it finds the claim `done` there and skips the
// claim write it would otherwise make only to learn that (one round trip and one write unit fewer).
// Versions registered before this (no `inlineClaims` flag) keep their claim item: callers fall back
// to it when these functions answer `undefined`/`false`.

/** Attribute of a version item saying its `registered` claim lives on the item (set at registration). */
export const inlineClaimsAttribute = "inlineClaims";

/** The claim map attribute on the version item. */
export const registeredClaimAttribute = "registeredClaim";

const registeredKey = /^notify:registered:(.+):(\d+)$/;

/** The claim key of a version's `registered` notification (see notifyOnce in core). */
export function registeredClaimKey(family: string, version: number): string {
  return `notify:registered:${family}:${version}`;
}

/** A lease of the `registered` claim to write with the version item at registration. */
export interface RegistrationLease {
  leaseId: string;
  leaseUntil: number;
  /** the claim map attribute value */
  attribute: { claimState: "pending"; leaseId: string; leaseUntil: number };
}

/** A fresh pending lease of the `registered` claim, taken by writing it with the version item. */
export function registrationLease(table: Pick<ClaimLeaseTable, "clock" | "leaseSeconds">): RegistrationLease {
  const leaseId = randomUUID();
  const leaseUntil = table.clock.now().getTime() + table.leaseSeconds * 1000;
  return { leaseId, leaseUntil, attribute: { claimState: "pending", leaseId, leaseUntil } };
}

/** The version whose item holds this claim key, when it is a `registered` notification claim. */
export function versionOfInlineClaim(key: string): { family: string; version: number } | undefined {
  const match = registeredKey.exec(key);
  if (!match) return undefined;
  const version = Number(match[2]);
  return Number.isSafeInteger(version) && version >= 1 ? { family: String(match[1]), version } : undefined;
}

/** The claim key of a version item whose `registered` claim is done (read with the item), or undefined. */
export function doneInlineClaimKey(item: Record<string, unknown>): string | undefined {
  const claim = item[registeredClaimAttribute] as { claimState?: unknown } | undefined;
  if (item.entity !== "version" || claim?.claimState !== "done") return undefined;
  return registeredClaimKey(String(item.family), Number(item.version));
}

/** Takes the inline claim like takeClaim does; undefined when the version keeps its claim item. */
export async function takeInlineClaim(
  table: ClaimLeaseTable,
  at: { family: string; version: number },
): Promise<ClaimLease | undefined> {
  const now = table.clock.now().getTime();
  const leaseId = randomUUID();
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: versionKey(at.family, at.version),
        UpdateExpression: "SET #claim = :claim",
        ConditionExpression:
          "#inline = :yes AND (attribute_not_exists(#claim) OR (#claim.claimState = :pending AND #claim.leaseUntil < :now))",
        ExpressionAttributeNames: { "#claim": registeredClaimAttribute, "#inline": inlineClaimsAttribute },
        ExpressionAttributeValues: {
          ":claim": { claimState: "pending", leaseId, leaseUntil: now + table.leaseSeconds * 1000 },
          ":yes": true,
          ":pending": "pending",
          ":now": now,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { state: "taken", leaseId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    const item = conditionFailedItem(error);
    if (item?.[inlineClaimsAttribute] !== true) return undefined;
    const claim = item[registeredClaimAttribute] as { claimState?: unknown } | undefined;
    return claim?.claimState === "pending" ? { state: "held" } : { state: "done" };
  }
}

/** Marks the inline claim done (whoever holds the lease now); false when the version keeps its claim item. */
export async function completeInlineClaim(
  table: ClaimLeaseTable,
  at: { family: string; version: number },
): Promise<boolean> {
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: versionKey(at.family, at.version),
        UpdateExpression: "SET #claim = :claim",
        ConditionExpression: "#inline = :yes",
        ExpressionAttributeNames: { "#claim": registeredClaimAttribute, "#inline": inlineClaimsAttribute },
        ExpressionAttributeValues: {
          ":claim": { claimState: "done", claimedAt: table.clock.now().toISOString() },
          ":yes": true,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateAwsError("DynamoDB.UpdateItem", error);
  }
}

/**
 * Gives the inline claim back while this lease still holds it; false when the version keeps its claim
 * item (the caller releases that one instead).
 */
export async function releaseInlineLease(
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
        ExpressionAttributeNames: { "#claim": registeredClaimAttribute, "#inline": inlineClaimsAttribute },
        ExpressionAttributeValues: { ":yes": true, ":pending": "pending", ":leaseId": leaseId },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    // Another holder's lease or a done claim stays as it is; only a version without the flag falls back.
    return conditionFailedItem(error)?.[inlineClaimsAttribute] === true;
  }
}
