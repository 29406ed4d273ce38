import type { ClaimLease } from "@ami-lifecycle/core";
import type { ClaimLeaseTable } from "./claim-leases";
import {
  completeInlineClaimOf,
  doneInlineClaimKeyOf,
  type InlineClaimLease,
  releaseInlineClaimOf,
  takeInlineClaimOf,
  type VersionAt,
  versionClaimKind,
} from "./inline-claims";

// The `registered` notification's lease claim lives on the version item itself (attribute
// `registeredClaim`), with the same states as a claim item (see claim-leases.ts). Every `available`
// event of a source reads its version item first, so it finds the claim `done` there and skips the
// claim write it would otherwise make only to learn that (one round trip and one write unit fewer).
// Versions registered before this (no `inlineClaims` flag) keep their claim item: callers fall back
// to it when these functions answer `undefined`/`false`. The lease operations are inline-claims.ts's.

/** Attribute of a version item saying its `registered` claim lives on the item (set at registration). */
export const inlineClaimsAttribute = "inlineClaims";

/** The claim map attribute on the version item. */
export const registeredClaimAttribute = "registeredClaim";

/** Where the `registered` claim lives (see notifyOnce in core for its key). */
const registeredClaim = versionClaimKind("registered", registeredClaimAttribute, inlineClaimsAttribute);

/** The claim key of a version's `registered` notification (see notifyOnce in core). */
export function registeredClaimKey(family: string, version: number): string {
  return registeredClaim.claimKey({ family, version });
}

/** A lease of the `registered` claim to write with the version item at registration. */
export type RegistrationLease = InlineClaimLease;

/** The version whose item holds this claim key, when it is a `registered` notification claim. */
export function versionOfInlineClaim(key: string): VersionAt | undefined {
  return registeredClaim.placeOfKey(key);
}

/** The claim key of a version item whose `registered` claim is done (read with the item), or undefined. */
export function doneInlineClaimKey(item: Record<string, unknown>): string | undefined {
  return doneInlineClaimKeyOf(registeredClaim, item);
}

/** Takes the inline claim like takeClaim does; undefined when the version keeps its claim item. */
export function takeInlineClaim(table: ClaimLeaseTable, at: VersionAt): Promise<ClaimLease | undefined> {
  return takeInlineClaimOf(registeredClaim, table, at);
}

/** Marks the inline claim done (whoever holds the lease now); false when the version keeps its claim item. */
export function completeInlineClaim(table: ClaimLeaseTable, at: VersionAt): Promise<boolean> {
  return completeInlineClaimOf(registeredClaim, table, at);
}

/**
 * Gives the inline claim back while this lease still holds it; false when the version keeps its claim
 * item (the caller releases that one instead).
 */
export function releaseInlineLease(table: ClaimLeaseTable, at: VersionAt, leaseId: string): Promise<boolean> {
  return releaseInlineClaimOf(registeredClaim, table, at, leaseId);
}
