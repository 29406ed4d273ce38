import { randomUUID } from "node:crypto";
import type { ClaimLease } from "@ami-lifecycle/core";
import { translateAwsError } from "../errors";
import type { ClaimLeaseTable } from "./claim-leases";
import { conditionFailedItem, isConditionalCheckFailed } from "./conditions";
import { UpdateCommand } from "./documents";
import { type RegistryKey, versionKey } from "./items";

// Claims kept on the item they are about (a version's `registered` and `replicated` claims, a region's
// `available` claim) live like a claim item (claim-leases.ts): a pending lease, done, given back. One
// kind differs from another only in where it lives and in how an item says it keeps the claim inline;
// an item written before its kind lived inline keeps a claim item, and these functions then answer
// `undefined`/`false` so callers fall back to it.

/** Where one kind of inline claim lives, and how its claim keys name the place. */
export interface InlineClaimKind<At> {
  /** the `entity` of the items that hold it */
  entity: string;
  /** the key of the item holding the claim */
  key(at: At): RegistryKey;
  /** the claim map attribute */
  claimAttribute: string;
  /**
   * The attribute set to true on the items that keep this claim inline (set when the item is written):
   * a vacant claim there is an absent attribute, given back by removing it. Without a flag, the claim
   * attribute itself says the claim lives here, and a vacant one is `free`.
   */
  flagAttribute?: string;
  /** the claim key of the claim at this place (the key core's `once` uses) */
  claimKey(at: At): string;
  /** the place this claim key's claim may live inline, or undefined when the key is of another kind */
  placeOfKey(key: string): At | undefined;
  /** the place an item of `entity` stands for */
  placeOfItem(item: Record<string, unknown>): At;
}

/** Where a version item's claim lives. */
export interface VersionAt {
  family: string;
  version: number;
}

/** A pending lease of an inline claim, to write on its item. */
export interface InlineClaimLease {
  leaseId: string;
  leaseUntil: number;
  /** the time the lease was taken (a pending lease that ran out before it may be taken over) */
  takenAt: number;
  /** the claim map attribute value */
  attribute: { claimState: "pending"; leaseId: string; leaseUntil: number };
}

/** The kind of a version item's claim of notification `notice`, kept inline where `flagAttribute` is true. */
export function versionClaimKind(
  notice: string,
  claimAttribute: string,
  flagAttribute: string,
): InlineClaimKind<VersionAt> {
  const pattern = new RegExp(`^notify:${notice}:(.+):(\\d+)$`);
  return {
    entity: "version",
    key: (at) => versionKey(at.family, at.version),
    claimAttribute,
    flagAttribute,
    claimKey: (at) => `notify:${notice}:${at.family}:${at.version}`,
    placeOfKey: (key) => {
      const match = pattern.exec(key);
      if (!match) return undefined;
      const version = Number(match[2]);
      return Number.isSafeInteger(version) && version >= 1
        ? { family: String(match[1]), version }
        : undefined;
    },
    placeOfItem: (item) => ({ family: String(item.family), version: Number(item.version) }),
  };
}

/** A fresh pending lease of an inline claim. */
export function inlineClaimLease(table: Pick<ClaimLeaseTable, "clock" | "leaseSeconds">): InlineClaimLease {
  const leaseId = randomUUID();
  const takenAt = table.clock.now().getTime();
  const leaseUntil = takenAt + table.leaseSeconds * 1000;
  return { leaseId, leaseUntil, takenAt, attribute: { claimState: "pending", leaseId, leaseUntil } };
}

/** Whether this (stored) item keeps the kind's claim inline rather than in a claim item. */
function keepsClaimInline<At>(kind: InlineClaimKind<At>, item: Record<string, unknown> | undefined): boolean {
  if (kind.flagAttribute) return item?.[kind.flagAttribute] === true;
  return item?.[kind.claimAttribute] !== undefined;
}

/** What an item says to a taker that could not take its claim; undefined when it keeps a claim item. */
export function inlineClaimAnswer<At>(
  kind: InlineClaimKind<At>,
  item: Record<string, unknown> | undefined,
): ClaimLease | undefined {
  if (!keepsClaimInline(kind, item)) return undefined;
  const claim = item?.[kind.claimAttribute] as { claimState?: unknown } | undefined;
  return claim?.claimState === "pending" ? { state: "held" } : { state: "done" };
}

/** The claim key of an item whose claim of this kind is done (read with the item), or undefined. */
export function doneInlineClaimKeyOf<At>(
  kind: InlineClaimKind<At>,
  item: Record<string, unknown>,
): string | undefined {
  const claim = item[kind.claimAttribute] as { claimState?: unknown } | undefined;
  if (item.entity !== kind.entity || claim?.claimState !== "done") return undefined;
  return kind.claimKey(kind.placeOfItem(item));
}

/** The names, values and condition that say the item keeps the claim inline (it fails on a missing item). */
function keptInline<At>(kind: InlineClaimKind<At>): {
  names: Record<string, string>;
  values: Record<string, unknown>;
  condition: string;
  vacant: string;
} {
  return kind.flagAttribute
    ? {
        names: { "#claim": kind.claimAttribute, "#inline": kind.flagAttribute },
        values: { ":yes": true },
        condition: "#inline = :yes",
        vacant: "attribute_not_exists(#claim)",
      }
    : {
        names: { "#claim": kind.claimAttribute },
        values: { ":free": "free" },
        condition: "attribute_exists(#claim)",
        vacant: "#claim.claimState = :free",
      };
}

/** The update taking `lease` on the item: it fails when the claim is held, done or not kept inline. */
export function inlineLeaseUpdate<At>(
  kind: InlineClaimKind<At>,
  tableName: string,
  at: At,
  lease: InlineClaimLease,
) {
  const inline = keptInline(kind);
  return {
    TableName: tableName,
    Key: kind.key(at),
    UpdateExpression: "SET #claim = :claim",
    ConditionExpression: `${inline.condition} AND (${inline.vacant} OR (#claim.claimState = :pending AND #claim.leaseUntil < :now))`,
    ExpressionAttributeNames: inline.names,
    ExpressionAttributeValues: {
      ...inline.values,
      ":claim": lease.attribute,
      ":pending": "pending",
      ":now": lease.takenAt,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/** Takes the inline claim like takeClaim does; undefined when the item keeps a claim item. */
export async function takeInlineClaimOf<At>(
  kind: InlineClaimKind<At>,
  table: ClaimLeaseTable,
  at: At,
): Promise<ClaimLease | undefined> {
  const lease = inlineClaimLease(table);
  try {
    await table.documents.send(new UpdateCommand(inlineLeaseUpdate(kind, table.tableName, at, lease)));
    return { state: "taken", leaseId: lease.leaseId };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    return inlineClaimAnswer(kind, conditionFailedItem(error));
  }
}

/** The update that marks the inline claim done (whoever holds the lease now); fails where it is not inline. */
export function inlineClaimCompletion<At>(
  kind: InlineClaimKind<At>,
  table: Pick<ClaimLeaseTable, "tableName" | "clock">,
  at: At,
) {
  const inline = keptInline(kind);
  return {
    TableName: table.tableName,
    Key: kind.key(at),
    UpdateExpression: "SET #claim = :claim",
    ConditionExpression: inline.condition,
    ExpressionAttributeNames: inline.names,
    ExpressionAttributeValues: {
      ":claim": { claimState: "done", claimedAt: table.clock.now().toISOString() },
      ...(kind.flagAttribute ? { ":yes": true } : {}),
    },
  };
}

/** Marks the inline claim done; false when the item keeps a claim item. */
export async function completeInlineClaimOf<At>(
  kind: InlineClaimKind<At>,
  table: ClaimLeaseTable,
  at: At,
): Promise<boolean> {
  try {
    await table.documents.send(new UpdateCommand(inlineClaimCompletion(kind, table, at)));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateAwsError("DynamoDB.UpdateItem", error);
  }
}

/** Gives the inline claim back while this lease still holds it; false when the item keeps a claim item. */
export async function releaseInlineClaimOf<At>(
  kind: InlineClaimKind<At>,
  table: ClaimLeaseTable,
  at: At,
  leaseId: string,
): Promise<boolean> {
  const inline = keptInline(kind);
  try {
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: kind.key(at),
        // A flagged kind's vacant claim is an absent attribute; an unflagged one's is `free` (its
        // presence is what says the claim lives here).
        UpdateExpression: kind.flagAttribute ? "REMOVE #claim" : "SET #claim = :free",
        ConditionExpression: `${inline.condition} AND #claim.claimState = :pending AND #claim.leaseId = :leaseId`,
        ExpressionAttributeNames: inline.names,
        ExpressionAttributeValues: {
          ...(kind.flagAttribute ? { ":yes": true } : { ":free": { claimState: "free" } }),
          ":pending": "pending",
          ":leaseId": leaseId,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
    // Another holder's lease or a done claim stays as it is; only an item not keeping it inline falls back.
    return keepsClaimInline(kind, conditionFailedItem(error));
  }
}
