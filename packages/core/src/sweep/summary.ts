import type { Config, FamilyConfig } from "../config";
import { type Notification, subjectLine } from "../notifications";
import type { UnrecordedSnapshot } from "../retention/types";
import type { FamilySweepResult } from "./report";

/** The body lists at most this many decisions; the detail carries all of them (the notifier trims what SNS can't take). */
const bodyDecisionLines = 40;

/**
 * The one "retention-summary" notification of a family per sweep, to the family's team: the mode, the
 * counts, every decision other than keep with its reasons, what was applied, repaired and what failed.
 */
export function retentionSummary(
  config: Pick<Config, "homeRegion" | "mode">,
  family: FamilyConfig,
  result: FamilySweepResult,
  now: Date,
): Notification {
  const plan = result.plan;
  const decisions = (plan?.decisions ?? [])
    .filter((decision) => decision.action !== "keep")
    .map((decision) => ({
      version: decision.version,
      region: decision.region,
      imageId: decision.imageId,
      action: decision.action,
      reasons: decision.reasons.map((reason) => `${reason.rule}: ${reason.message}`),
      ...(decision.snapshotIds.length > 0
        ? { snapshotIds: decision.snapshotIds, freedGiB: decision.freedGiB }
        : {}),
    }));
  const verb = config.mode === "enforce" ? "applied" : "planned (dry-run, nothing changed)";
  const lines = [
    `${family.name} retention sweep at ${now.toISOString()}, mode ${config.mode}: ${verb}.`,
    plan ? plan.summary.text : "no plan: the family could not be planned",
    ...decisions
      .slice(0, bodyDecisionLines)
      .map(
        (decision) =>
          `v${decision.version ?? "?"} ${decision.region} ${decision.imageId}: ${decision.action} (${decision.reasons.join("; ")})`,
      ),
    ...(decisions.length > bodyDecisionLines
      ? [`… and ${decisions.length - bodyDecisionLines} more (see detail)`]
      : []),
    ...(result.orphanSnapshots.length > 0
      ? [
          `${result.orphanSnapshots.length} orphaned managed snapshot(s) ${config.mode === "enforce" ? "handled" : "found"}.`,
        ]
      : []),
    ...unrecordedLines(plan?.unrecordedSnapshots ?? []),
    ...(result.reconciled.length > 0 ? [`${result.reconciled.length} registry or copy repair(s).`] : []),
    ...result.failures.map(
      (failure) => `FAILED ${failure.step} ${failure.resourceId ?? ""}: ${failure.message}`,
    ),
  ];
  const counts = plan?.summary.counts;
  const subject = counts
    ? `${family.name} retention (${config.mode}): ${counts.deprecate} deprecate, ${counts.disable} disable, ${counts.deregister} deregister`
    : `${family.name} retention (${config.mode}): not planned`;
  return {
    eventType: "retention-summary",
    family: family.name,
    team: family.team,
    severity: result.failures.length > 0 ? "warning" : "info",
    region: config.homeRegion,
    subject: subjectLine(
      result.failures.length > 0 ? `${subject}, ${result.failures.length} failed` : subject,
    ),
    body: lines.join("\n"),
    detail: {
      eventType: "retention-summary",
      family: family.name,
      team: family.team,
      mode: config.mode,
      sweptAt: now.toISOString(),
      counts: counts ?? {},
      freedGiB: plan?.summary.freedGiB ?? 0,
      deletionsCapped: plan?.deletionsCapped ?? 0,
      decisions,
      applied: result.applied,
      stagesAdvanced: result.stagesAdvanced,
      orphanSnapshots: result.orphanSnapshots,
      unrecordedSnapshots: plan?.unrecordedSnapshots ?? [],
      reconciled: result.reconciled,
      failures: result.failures,
    },
  };
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
