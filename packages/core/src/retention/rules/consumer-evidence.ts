import {
  describeEvidence,
  evidenceKey,
  formatDays,
  type ImageEvidence,
} from "../../organization/consumer-evidence";
import type { KeepRule, PlanContext } from "../context";
import type { Reason, UpcomingStep } from "../types";
import type { VersionView } from "../version-view";
import { nextRetirementStep } from "./staged-retirement";

/**
 * consumer-evidence: a shared version is retired (any step) only when every consumer account was
 * checked and none uses it. A reference found by a probe, use counted by a usage report, a report not
 * yet past the lag, or an account (or organization) that could not be checked keeps the whole version
 * in every region; the reason names the account and the resource or the failure.
 */
export const consumerEvidence: KeepRule = (version, context) => {
  const evidence = context.consumerEvidence;
  if (!evidence) return undefined;
  const sentences = new Set<string>();
  for (const region of version.regions) {
    for (const item of evidence.get(evidenceKey(region.region, region.imageId))?.blocking ?? [])
      sentences.add(`${region.region}: ${describeEvidence(item)}`);
  }
  if (sentences.size === 0) return undefined;
  return { rule: "consumer-evidence", message: `kept for consumers: ${[...sentences].sort().join("; ")}` };
};

/** For a version that retires: what was checked, so a plan shows the evidence and its age. */
export function consumerEvidenceChecked(
  version: VersionView,
  evidence: ReadonlyMap<string, ImageEvidence> | undefined,
): Reason | undefined {
  if (!evidence) return undefined;
  const parts: string[] = [];
  for (const region of version.regions) {
    const found = evidence.get(evidenceKey(region.region, region.imageId));
    if (!found) continue;
    const accounts = found.accountsChecked.length > 0 ? found.accountsChecked.join(", ") : "none";
    const age =
      found.reportAgeDays === undefined ? "" : `, usage report ${formatDays(found.reportAgeDays)} old`;
    parts.push(`${region.region}: no use in consumer accounts ${accounts}${age}`);
  }
  if (parts.length === 0) return undefined;
  return { rule: "consumer-evidence", message: `checked: ${parts.join("; ")}` };
}

/**
 * For a version only consumer evidence keeps: the retirement step the policy has for it (due at `at`),
 * which its consumers are told of and `plan --consumer` shows. Undefined when any other rule keeps it too
 * (nothing is scheduled then).
 */
export function heldForConsumers(
  version: VersionView,
  reasons: readonly Reason[],
  context: PlanContext,
): UpcomingStep | undefined {
  if (reasons.length === 0 || reasons.some((reason) => reason.rule !== "consumer-evidence")) return undefined;
  return nextRetirementStep(version, context);
}
