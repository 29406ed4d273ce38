import {
  type Config,
  type ConsumerSchedule,
  consumerSchedules,
  type UnreachableConsumer,
} from "@ami-lifecycle/core";
import { renderTable } from "../cli/table";
import type { AccountPlan } from "./account-plan";

/** The `plan --consumer <account> --json` document: what of one consumer account is scheduled to go. */
export interface ConsumerPlanDocument {
  plannedAt: string;
  source: "sandbox" | "account";
  mode: Config["mode"];
  consumerAccount: string;
  /** shared versions only this account's use keeps, with what uses them and the dates of their steps */
  scheduled: ConsumerSchedule[];
  /** the account could not be checked (role missing, denied, throttled): everything it could use is kept */
  unreachable: UnreachableConsumer[];
}

/** True when the text is an AWS account id (12 digits). */
export function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}

/** One consumer's part of the plan: the versions it holds back, and whether it could be checked at all. */
export function consumerPlanDocument(
  plan: AccountPlan,
  consumerAccount: string,
  context: { config: Config; plannedAt: Date; source: ConsumerPlanDocument["source"] },
): ConsumerPlanDocument {
  const evidence = plan.consumerEvidence ?? new Map();
  const scheduled = plan.plans.flatMap((familyPlan) => {
    const family = context.config.families.find((candidate) => candidate.name === familyPlan.family);
    if (!family) return [];
    return consumerSchedules(family, familyPlan, evidence, context.plannedAt).filter(
      (schedule) => schedule.consumerAccount === consumerAccount,
    );
  });
  return {
    plannedAt: context.plannedAt.toISOString(),
    source: context.source,
    mode: context.config.mode,
    consumerAccount,
    scheduled,
    unreachable: (plan.unreachableConsumers ?? []).filter((entry) => entry.account === consumerAccount),
  };
}

/** The consumer's plan as people read it: one row per version and resource, then the steps' dates. */
export function renderConsumerPlanTable(document: ConsumerPlanDocument): string {
  const blocks = [
    `What of account ${document.consumerAccount} is scheduled to go, at ${document.plannedAt} (${document.source}, mode ${document.mode})`,
  ];
  for (const entry of document.unreachable) {
    blocks.push(
      `Could not check ${entry.account}${entry.region ? ` in ${entry.region}` : ""} (${entry.reason}): ${entry.message}; everything it could use is kept`,
    );
  }
  if (document.scheduled.length === 0) {
    blocks.push("Nothing of this account holds back a version due to retire.");
  } else {
    const rows = document.scheduled.flatMap((schedule) =>
      schedule.uses.map((use) => [
        `${schedule.family} v${schedule.version}`,
        use.region,
        use.imageId,
        `${schedule.held.action} due ${schedule.held.at}`,
        use.arn
          ? `${use.arn}${use.detail ? ` (${use.detail})` : ""}`
          : `${use.usageCount} ${use.resourceType}`,
      ]),
    );
    blocks.push(renderTable(["VERSION", "REGION", "IMAGE", "HELD STEP", "USED BY"], rows));
    for (const schedule of document.scheduled) {
      blocks.push(
        `${schedule.family} v${schedule.version} once nothing of yours uses it: ${schedule.schedule
          .map((step) => `${step.action} not before ${step.earliest}`)
          .join(", ")}`,
      );
    }
  }
  return `${blocks.join("\n\n")}\n`;
}
