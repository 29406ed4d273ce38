import type { Config, FamilyConfig } from "../config";
import type { UnrecordedSnapshot } from "../retention/types";
import type { FamilySweepResult } from "../sweep-results";
import { type Notification, subjectLine } from "./notification";
import { actionableSteps, type NoticeReason, type UpcomingVersionStep } from "./summary-notice";

/** The body lists at most this many decisions; the detail carries all of them (the notifier trims what SNS can't take). */
const bodyDecisionLines = 40;

/** Why the summary is sent and what is coming, as `noticeReasons` and `upcomingSteps` found them. */
export interface SummaryNotice {
  reasons: readonly NoticeReason[];
  upcoming: readonly UpcomingVersionStep[];
}

/** How a step reads once done (or, blocked, not done). */
const pastTense: Record<string, string> = {
  deprecate: "deprecated",
  disable: "disabled",
  deregister: "deregistered",
};
/** The retirement steps, in count order. */
const stepActions = ["deprecate", "disable", "deregister"] as const;

/**
 * The "retention-summary" of a family for one sweep, to the family's team: what was applied (enforce) or
 * planned (dry-run), what was not applied and why (versions blocked because their references could not
 * be read, failed steps), what is coming within `noticeDays`, every other decision with its reasons,
 * repairs and failures. Counts in the subject are of steps applied (or, in dry-run, that would be).
 */
export function retentionSummary(
  config: Pick<Config, "homeRegion" | "mode">,
  family: FamilyConfig,
  result: FamilySweepResult,
  now: Date,
  notice: SummaryNotice = { reasons: [], upcoming: [] },
): Notification {
  const plan = result.plan;
  const blocked = new Set(result.blockedVersions ?? []);
  const decisions = (plan?.decisions ?? [])
    .filter((decision) => decision.action !== "keep")
    .map((decision) => ({
      version: decision.version,
      region: decision.region,
      imageId: decision.imageId,
      action: decision.action,
      ...(decision.version !== null && blocked.has(decision.version) && decision.action !== "wait"
        ? { blocked: true }
        : {}),
      reasons: decision.reasons.map((reason) => `${reason.rule}: ${reason.message}`),
      ...(decision.snapshotIds.length > 0
        ? { snapshotIds: decision.snapshotIds, freedGiB: decision.freedGiB }
        : {}),
    }));
  const enforce = config.mode === "enforce";
  const steps = actionableSteps(result);
  const done = enforce ? result.applied : steps;
  const counts = countSteps(done);
  const failedSteps = enforce
    ? steps.filter(
        (step) =>
          !result.applied.some(
            (applied) =>
              applied.version === step.version &&
              applied.region === step.region &&
              applied.action === step.action,
          ),
      )
    : [];
  const notApplied = [
    ...decisions
      .filter((decision) => "blocked" in decision)
      .map((decision) => ({ ...pick(decision), why: "references could not be read" })),
    ...failedSteps.map((step) => ({ ...pick(step), why: "the step failed" })),
  ];
  const countText = stepActions.map((action) => `${counts[action]} ${action}`).join(", ");
  const lines = [
    `${family.name} retention sweep at ${now.toISOString()}, mode ${config.mode}.`,
    enforce ? `Applied: ${countText}.` : `Planned (dry-run, nothing changed): ${countText}.`,
    ...(blocked.size > 0
      ? [
          `Not applied: v${[...blocked].join(", v")} blocked, their references could not be read (they may be in use); the next sweep tries again.`,
        ]
      : []),
    ...(failedSteps.length > 0
      ? [`Not applied: ${failedSteps.length} step(s) failed (see FAILED below).`]
      : []),
    ...notice.upcoming.map(
      (step) => `Coming: v${step.version} ${step.action} due at ${step.at} in ${step.regions.join(", ")}.`,
    ),
    plan ? `Plan: ${plan.summary.text}` : "no plan: the family could not be planned",
    ...decisions
      .slice(0, bodyDecisionLines)
      .map(
        (decision) =>
          `v${decision.version ?? "?"} ${decision.region} ${decision.imageId}: ${"blocked" in decision ? `blocked, not ${pastTense[decision.action] ?? decision.action}` : decision.action} (${decision.reasons.join("; ")})`,
      ),
    ...(decisions.length > bodyDecisionLines
      ? [`… and ${decisions.length - bodyDecisionLines} more (see detail)`]
      : []),
    ...(result.orphanSnapshots.length > 0
      ? [`${result.orphanSnapshots.length} orphaned managed snapshot(s) ${enforce ? "handled" : "found"}.`]
      : []),
    ...unrecordedLines(plan?.unrecordedSnapshots ?? []),
    ...(result.reconciled.length > 0 ? [`${result.reconciled.length} registry or copy repair(s).`] : []),
    ...result.failures.map(
      (failure) => `FAILED ${failure.step} ${failure.resourceId ?? ""}: ${failure.message}`,
    ),
  ];
  const trouble = result.failures.length > 0 || blocked.size > 0;
  const first = notice.upcoming[0];
  const subject = !plan
    ? `${family.name} retention (${config.mode}): not planned`
    : [
        `${family.name} retention (${config.mode}): ${countText}`,
        ...(blocked.size > 0 ? [`${blocked.size} blocked`] : []),
        ...(result.failures.length > 0 ? [`${result.failures.length} failed`] : []),
        ...(done.length === 0 && !trouble && first
          ? [`v${first.version} ${first.action} due ${first.at.slice(0, 10)}`]
          : []),
      ].join(", ");
  return {
    eventType: "retention-summary",
    family: family.name,
    team: family.team,
    severity: trouble ? "warning" : "info",
    region: config.homeRegion,
    subject: subjectLine(subject),
    body: lines.join("\n"),
    detail: {
      eventType: "retention-summary",
      family: family.name,
      team: family.team,
      mode: config.mode,
      sweptAt: now.toISOString(),
      notice: notice.reasons,
      counts: plan?.summary.counts ?? {},
      [enforce ? "appliedCounts" : "plannedCounts"]: counts,
      freedGiB: plan?.summary.freedGiB ?? 0,
      deletionsCapped: plan?.deletionsCapped ?? 0,
      decisions,
      applied: result.applied,
      notApplied,
      blockedVersions: [...blocked],
      upcoming: notice.upcoming,
      stagesAdvanced: result.stagesAdvanced,
      orphanSnapshots: result.orphanSnapshots,
      unrecordedSnapshots: plan?.unrecordedSnapshots ?? [],
      reconciled: result.reconciled,
      failures: result.failures,
    },
  };
}

/** Steps per retirement action. */
function countSteps(steps: readonly { action: string }[]): Record<(typeof stepActions)[number], number> {
  const counts = { deprecate: 0, disable: 0, deregister: 0 };
  for (const step of steps) if (step.action in counts) counts[step.action as keyof typeof counts]++;
  return counts;
}

/** Where a step not applied was meant to go. */
function pick(step: { version: number | null; region: string; imageId: string; action: string }) {
  return { version: step.version, region: step.region, imageId: step.imageId, action: step.action };
}

/** Tagged snapshots the registry never recorded: each named with its reason, so people can look at them. */
function unrecordedLines(snapshots: readonly UnrecordedSnapshot[]): string[] {
  if (snapshots.length === 0) return [];
  return [
    `${snapshots.length} snapshot(s) tagged for the family but not recorded by the registry (not touched):`,
    ...snapshots
      .slice(0, bodyDecisionLines)
      .map((snapshot) => `${snapshot.snapshotId} in ${snapshot.region}: ${snapshot.reason.message}`),
  ];
}
