import type { VersionView } from "../version-view";
import { retirementOrder } from "./withdrawn";

/**
 * deletion-cap: at most `retention.maxDeletionsPerRun` versions are deregistered per plan, withdrawn
 * versions first, then oldest first; the others are kept until a later sweep. Bounds the damage of a
 * wrong configuration or an incomplete view.
 */
export function selectCapped(deregistering: readonly VersionView[], maxDeletions: number): Set<VersionView> {
  return new Set([...deregistering].sort(retirementOrder).slice(maxDeletions));
}

/** The reason on a deregistration the cap held back. */
export function deletionCapReason(maxDeletions: number): { rule: "deletion-cap"; message: string } {
  return {
    rule: "deletion-cap",
    message: `held back: at most ${maxDeletions} versions are deregistered per run (withdrawn, then oldest first)`,
  };
}
