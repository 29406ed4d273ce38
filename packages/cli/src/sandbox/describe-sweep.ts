import { detailSeparator } from "@ami-lifecycle/aws";
import type { PublishedMessage } from "@ami-lifecycle/simulated-account";
import type { AccountPlan } from "../planning/account-plan";

/** The retention-summary detail fields the sandbox reads (see core's `retentionSummary`). */
interface SummaryDetail {
  family: string;
  applied?: { version: number; region: string; action: string; deletedSnapshotIds: string[] }[];
  freedGiB?: number;
  failures?: { step: string; message: string }[];
}

/**
 * One sweep in words, per family: the steps it applied (from its retention-summary notifications) and
 * what kept old versions (the plan at the same instant: the in-use resources by name).
 */
export function describeSweep(plan: AccountPlan, summaries: readonly SummaryDetail[]): string[] {
  return plan.plans.map((familyPlan) => {
    const summary = summaries.find((candidate) => candidate.family === familyPlan.family);
    const parts: string[] = [];
    const applied = summary?.applied ?? [];
    for (const action of ["deprecate", "disable", "deregister"]) {
      const steps = applied.filter((step) => step.action === action);
      if (steps.length === 0) continue;
      const versions = [...new Set(steps.map((step) => step.version))].sort((a, b) => a - b);
      const regions = [...new Set(steps.map((step) => step.region))];
      const snapshots = steps.reduce((total, step) => total + step.deletedSnapshotIds.length, 0);
      parts.push(
        `${pastTense(action)} v${versions.join(", v")} in ${regions.join(", ")}${snapshots > 0 ? ` (${snapshots} snapshots deleted, ${summary?.freedGiB ?? 0} GiB freed)` : ""}`,
      );
    }
    if (parts.length === 0) parts.push("nothing to retire");
    const inUse = new Map<number, string>();
    for (const decision of familyPlan.decisions) {
      const reason = decision.reasons.find((candidate) => candidate.rule === "in-use");
      if (decision.version !== null && reason && !inUse.has(decision.version)) {
        inUse.set(decision.version, shortArns(reason.message));
      }
    }
    for (const [version, message] of inUse) parts.push(`kept v${version}: ${message}`);
    for (const failure of summary?.failures ?? []) parts.push(`FAILED ${failure.step}: ${failure.message}`);
    return `${familyPlan.family}: ${parts.join("; ")}`;
  });
}

/** The retention-summary details among published messages (the JSON after the SNS message's separator). */
export function summaryDetails(messages: readonly PublishedMessage[]): SummaryDetail[] {
  return messages
    .filter((message) => message.messageAttributes.eventType?.StringValue === "retention-summary")
    .flatMap((message) => {
      try {
        const json = message.message.slice(message.message.indexOf(detailSeparator) + detailSeparator.length);
        return [JSON.parse(json) as SummaryDetail];
      } catch {
        return [];
      }
    });
}

/** `arn:aws:ec2:us-east-1:111122223333:instance/i-0abc` → `instance/i-0abc` inside a message. */
export function shortArns(message: string): string {
  return message.replace(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/g, "");
}

function pastTense(action: string): string {
  return action === "deprecate" ? "deprecated" : action === "disable" ? "disabled" : "deregistered";
}
