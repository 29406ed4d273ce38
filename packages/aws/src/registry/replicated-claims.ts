import type { ClaimLease } from "@ami-lifecycle/core";
import type { ClaimLeaseTable } from "./claim-leases";
import type { TransactWriteCommandInput } from "./documents";
import {
  completeInlineClaimOf,
  doneInlineClaimKeyOf,
  type InlineClaimLease,
  inlineClaimAnswer,
  inlineClaimCompletion,
  inlineLeaseUpdate,
  releaseInlineClaimOf,
  takeInlineClaimOf,
  type VersionAt,
  versionClaimKind,
} from "./inline-claims";

// A version's `replicated` notification claim lives on its version item (attribute `replicatedClaim`),
// with the states of a claim item (claim-leases.ts). The region write that records the last region
// available takes it (the version item's update replaces that write's existence check), so the
// notification that follows costs no take of its own, and its completion goes with the `available`
// one in one write (completeClaims). A later event finds it `done` in the version item it reads anyway.
// Versions registered before this (no `inlineReplicatedClaim` flag) keep their claim item: callers fall
// back to it when these functions answer `undefined`/`false`. The lease operations are inline-claims.ts's.

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Attribute of a version item saying its `replicated` claim lives on the item (set at registration). */
export const inlineReplicatedAttribute = "inlineReplicatedClaim";

/** The claim map attribute on the version item. */
export const replicatedClaimAttribute = "replicatedClaim";

/** Where the `replicated` claim lives. */
const replicatedClaim = versionClaimKind("replicated", replicatedClaimAttribute, inlineReplicatedAttribute);

/** A lease of the `replicated` claim, written with the version item. */
export type ReplicatedClaimLease = InlineClaimLease;

/** The claim key of a version's `replicated` notification (see notifyIfReplicated in core). */
export function replicatedClaimKey(family: string, version: number): string {
  return replicatedClaim.claimKey({ family, version });
}

/** The version whose item may hold this claim key, when it is a `replicated` notification claim. */
export function versionOfReplicatedClaim(key: string): VersionAt | undefined {
  return replicatedClaim.placeOfKey(key);
}

/** The claim key of a version item whose `replicated` claim is done (read with the item), or undefined. */
export function doneReplicatedClaimKey(item: Record<string, unknown>): string | undefined {
  return doneInlineClaimKeyOf(replicatedClaim, item);
}

/** What a version item says to a taker that could not take its claim; undefined when it keeps a claim item. */
export function replicatedClaimAnswer(item: Record<string, unknown> | undefined): ClaimLease | undefined {
  return inlineClaimAnswer(replicatedClaim, item);
}

/**
 * The transaction action that takes the lease with a region write, in place of its version check: the
 * flag's condition also fails when the version does not exist.
 */
export function replicatedLeaseAction(
  tableName: string,
  at: VersionAt,
  lease: ReplicatedClaimLease,
): TransactItem {
  return { Update: inlineLeaseUpdate(replicatedClaim, tableName, at, lease) };
}

/** Takes the inline claim like takeClaim does; undefined when the version keeps its claim item. */
export function takeReplicatedClaim(table: ClaimLeaseTable, at: VersionAt): Promise<ClaimLease | undefined> {
  return takeInlineClaimOf(replicatedClaim, table, at);
}

/** The update that marks the inline claim done (whoever holds the lease now); fails on a version without the flag. */
export function replicatedCompletion(table: Pick<ClaimLeaseTable, "tableName" | "clock">, at: VersionAt) {
  return inlineClaimCompletion(replicatedClaim, table, at);
}

/** Marks the inline claim done; false when the version keeps its claim item. */
export function completeReplicatedClaim(table: ClaimLeaseTable, at: VersionAt): Promise<boolean> {
  return completeInlineClaimOf(replicatedClaim, table, at);
}

/** Gives the inline claim back while this lease still holds it; false when the version keeps its claim item. */
export function releaseReplicatedLease(
  table: ClaimLeaseTable,
  at: VersionAt,
  leaseId: string,
): Promise<boolean> {
  return releaseInlineClaimOf(replicatedClaim, table, at, leaseId);
}
