import { retirementSteps } from "../retention/retirement-steps";
import { dayMs, parseTime } from "../retention/time";
import type { ImageDecision, UpcomingStep } from "../retention/types";
import type { FamilySweepResult } from "../sweep-results";

/** Why a family's retention-summary is worth a team's attention; none means the sweep stays quiet. */
export type NoticeReason =
  /** the sweep changed something of the family (or, in dry-run, would): a step, a repair, sharing, snapshots */
  | "changed"
  /** something failed, or versions were blocked because their references could not be read */
  | "failed"
  /** a retirement step is due within `notifications.noticeDays` */
  | "upcoming";

/** A step due soon for one version, with the regions it will touch. */
export interface UpcomingVersionStep extends UpcomingStep {
  version: number;
  regions: string[];
}

/** Decisions the sweep would act on: a retirement step, of a version whose references could be read. */
export function actionableSteps(result: FamilySweepResult): ImageDecision[] {
  const blocked = new Set(result.blockedVersions ?? []);
  return (result.plan?.decisions ?? []).filter(
    (decision) =>
      decision.version !== null && retirementSteps.has(decision.action) && !blocked.has(decision.version),
  );
}

/**
 * Steps whose grace ends within `noticeDays` of `now`, one per version and step (earliest first): the
 * "v3 will be disabled on …" a team wants a week ahead rather than on the day.
 */
export function upcomingSteps(
  result: FamilySweepResult,
  now: Date,
  noticeDays: number,
): UpcomingVersionStep[] {
  const horizon = now.getTime() + noticeDays * dayMs;
  const byVersion = new Map<string, UpcomingVersionStep>();
  for (const decision of result.plan?.decisions ?? []) {
    const next = decision.next;
    const at = parseTime(next?.at);
    if (!next || decision.version === null || at === undefined || at > horizon) continue;
    const key = `${decision.version}/${next.action}`;
    const entry = byVersion.get(key) ?? { version: decision.version, ...next, regions: [] };
    if (!entry.regions.includes(decision.region)) entry.regions.push(decision.region);
    byVersion.set(key, entry);
  }
  return [...byVersion.values()].sort((a, b) => a.at.localeCompare(b.at) || a.version - b.version);
}

/** The reasons to send the family's summary (empty: send nothing, the team learns nothing new). */
export function noticeReasons(
  result: FamilySweepResult,
  mode: "dry-run" | "enforce",
  upcoming: readonly UpcomingVersionStep[],
): NoticeReason[] {
  const reasons: NoticeReason[] = [];
  const changed =
    result.applied.length > 0 ||
    result.stagesAdvanced.length > 0 ||
    result.reconciled.length > 0 ||
    (result.sharing?.length ?? 0) > 0 ||
    result.orphanSnapshots.length > 0 ||
    (result.plan?.unrecordedSnapshots.length ?? 0) > 0 ||
    // A dry-run changes nothing, but what it would change is its whole message.
    (mode === "dry-run" && actionableSteps(result).length > 0);
  if (changed) reasons.push("changed");
  if (result.failures.length > 0 || (result.blockedVersions?.length ?? 0) > 0 || !result.plan) {
    reasons.push("failed");
  }
  if (upcoming.length > 0) reasons.push("upcoming");
  return reasons;
}
