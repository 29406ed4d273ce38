import { evidenceKey } from "../organization/consumer-evidence";
import { CrossAccountEvidence } from "../organization/gather-evidence";
import { tellConsumers } from "../organization/tell-consumers";
import { consumersUnreachableNotification } from "../organization/unreachable-notice";
import type { EventDependencies } from "../reactions/dependencies";
import { type FamilySweepResult, failureOf, type SweepReport } from "./report";

/** The sweep's cross-account evidence, when `organization` is configured and its ports are wired. */
export function crossAccountEvidence(deps: EventDependencies, now: Date): CrossAccountEvidence | undefined {
  const { organization } = deps.config;
  if (!organization || !deps.organization) return undefined;
  return new CrossAccountEvidence(deps.organization, organization, {
    now,
    ownerAccounts: deps.config.accounts,
  });
}

/**
 * After the families were applied: the operator's one notice listing the consumers that could not be
 * checked, each consumer still using a version due to retire told of its schedule (once), and the usage reports of images this sweep deregistered deleted (no longer needed; AWS would
 * keep them until they expire). A failure here is the sweep's, and changes no decision.
 */
export async function finishCrossAccount(
  deps: EventDependencies,
  crossAccount: CrossAccountEvidence,
  results: readonly FamilySweepResult[],
  report: SweepReport,
  now: Date,
): Promise<void> {
  const unreachable = crossAccount.unreachableConsumers();
  if (unreachable.length > 0) {
    report.unreachableConsumers = unreachable;
    try {
      await deps.notifier.publish(consumersUnreachableNotification(unreachable, now));
    } catch (error) {
      report.failures.push(failureOf("publish-consumers-unreachable", error));
    }
  }
  const copies = crossAccount.consumerCopies();
  if (copies.length > 0) report.consumerCopies = copies;
  if (!deps.organization) return;
  const told = await tellConsumers(deps, deps.config.families, results, crossAccount.evidence, now);
  if (told.told.length > 0) report.consumersTold = told.told;
  report.failures.push(...told.failures);
  for (const result of results) {
    for (const step of result.applied) {
      if (step.action !== "deregister") continue;
      const usageReport = crossAccount.reports.get(evidenceKey(step.region, step.imageId));
      if (!usageReport) continue;
      try {
        await deps.organization.usageReports.deleteReport(step.region, usageReport.reportId);
      } catch (error) {
        report.failures.push(failureOf("delete-usage-report", error, { region: step.region }));
      }
    }
  }
}
