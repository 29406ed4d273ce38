import type { ClaimLease } from "@ami-lifecycle/core";
import type { ClaimLeaseTable } from "./claim-leases";
import {
  completeInlineClaimOf,
  doneInlineClaimKeyOf,
  type InlineClaimKind,
  type InlineClaimLease,
  inlineClaimAnswer,
  inlineClaimCompletion,
  releaseInlineClaimOf,
  takeInlineClaimOf,
} from "./inline-claims";
import { regionKey } from "./items";

// A region's `available` notification claim lives on its region item (attribute `availableClaim`), with
// the states of a claim item (claim-leases.ts) plus `free` (given back). The write that records the
// region available takes it (region-writes.ts), so the notification that follows costs no take of its
// own; a later event finds it `done` in the region item it reads anyway. A region item without the
// attribute whose image was available before (written before claims lived here) keeps its claim item:
// callers fall back to it when these functions answer `undefined`/`false`. The lease operations are
// inline-claims.ts's (a kind without a flag: the attribute's presence says the claim lives here).

/** The claim map attribute on the region item. */
export const availableClaimAttribute = "availableClaim";

/** Where an inline `available` claim lives. */
export interface RegionClaimAt {
  family: string;
  version: number;
  region: string;
}

/** A lease of a region's `available` claim, to write with the region item. */
export type RegionClaimLease = InlineClaimLease;

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

/** Where the `available` claim lives. */
const availableClaim: InlineClaimKind<RegionClaimAt> = {
  entity: "region",
  key: (at) => regionKey(at.family, at.version, at.region),
  claimAttribute: availableClaimAttribute,
  claimKey: availableClaimKey,
  placeOfKey: regionOfAvailableClaim,
  placeOfItem: (item) => ({
    family: String(item.family),
    version: Number(item.version),
    region: String(item.region),
  }),
};

/** The claim key of a region item whose `available` claim is done (read with the item), or undefined. */
export function doneRegionClaimKey(item: Record<string, unknown>): string | undefined {
  return doneInlineClaimKeyOf(availableClaim, item);
}

/** What a stored claim attribute says to a taker that could not take it. */
export function claimAnswer(item: Record<string, unknown> | undefined): ClaimLease | undefined {
  return inlineClaimAnswer(availableClaim, item);
}

/** Takes an existing inline claim like takeClaim does; undefined when the region keeps its claim item. */
export function takeRegionClaim(table: ClaimLeaseTable, at: RegionClaimAt): Promise<ClaimLease | undefined> {
  return takeInlineClaimOf(availableClaim, table, at);
}

/** The update that marks the inline claim done (whoever holds the lease now); fails on a region without it. */
export function regionClaimCompletion(
  table: Pick<ClaimLeaseTable, "tableName" | "clock">,
  at: RegionClaimAt,
) {
  return inlineClaimCompletion(availableClaim, table, at);
}

/** Marks the inline claim done (whoever holds the lease now); false when the region keeps its claim item. */
export function completeRegionClaim(table: ClaimLeaseTable, at: RegionClaimAt): Promise<boolean> {
  return completeInlineClaimOf(availableClaim, table, at);
}

/** Gives the inline claim back while this lease still holds it; false when the region keeps its claim item. */
export function releaseRegionClaim(
  table: ClaimLeaseTable,
  at: RegionClaimAt,
  leaseId: string,
): Promise<boolean> {
  return releaseInlineClaimOf(availableClaim, table, at, leaseId);
}
