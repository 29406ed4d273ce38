import type { FamilyPlan, Reason } from "../retention/types";
import { regionalKey } from "./account-view";

/**
 * The reason carried by every decision whose image's references came from the fallback: its answer is a
 * floor (it cannot see Image Builder recipes), so the plan must not read as if EC2 had vouched for it.
 */
export function referenceFallbackReason(region: string): Reason {
  return {
    rule: "reference-fallback",
    message: `DescribeImageReferences is unavailable in ${region}: what uses this image was read by the fallback (instances, every launch template version, Auto Scaling groups, launch configurations, EC2 and Spot Fleets, SSM parameters); Image Builder recipes were not checked`,
  };
}

/** Adds `referenceFallbackReason` to each decision of a fallback region whose image was looked up. */
export function markFallbackEvidence(
  plans: ReadonlyMap<string, FamilyPlan>,
  fallbackRegions: ReadonlySet<string>,
  checked: ReadonlySet<string>,
): void {
  if (fallbackRegions.size === 0) return;
  for (const plan of plans.values()) {
    for (const decision of plan.decisions) {
      if (!fallbackRegions.has(decision.region)) continue;
      if (!checked.has(regionalKey(decision.region, decision.imageId))) continue;
      // A new array: the planner shares one reasons array between the regions of a kept version.
      decision.reasons = [...decision.reasons, referenceFallbackReason(decision.region)];
    }
  }
}
