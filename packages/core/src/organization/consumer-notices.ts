import type { FamilyConfig, RetentionPolicy } from "../config";
import { type Notification, subjectLine } from "../notifications/notification";
import { dayMs, iso, parseTime } from "../retention/time";
import type { FamilyPlan, UpcomingStep } from "../retention/types";
import { evidenceKey, type ImageEvidence } from "./consumer-evidence";

/** One thing of a consumer account that uses an image of a held version. */
export interface ConsumerUse {
  region: string;
  imageId: string;
  resourceType: string;
  /** the resource (probe), or absent when only the owner's usage report counted it */
  arn?: string;
  detail?: string;
  /** usage report entries: how many resources of the type it counted */
  usageCount?: number;
}

/** A retirement step and the earliest instant it can come, once nothing of the consumer holds the version. */
export interface ScheduledStep {
  action: UpcomingStep["action"];
  /** ISO instant */
  earliest: string;
}

/** What one consumer account is told of one shared version that only its consumers keep. */
export interface ConsumerSchedule {
  family: string;
  team: string;
  version: number;
  consumerAccount: string;
  /** the step the policy has for the version now, and when its grace ended (or ends) */
  held: UpcomingStep;
  /** the remaining steps, the first being `held`, with the earliest instant of each */
  schedule: ScheduledStep[];
  /** what of the account uses the version, by region and resource (sorted) */
  uses: ConsumerUse[];
}

const stepsAfter: Record<UpcomingStep["action"], UpcomingStep["action"][]> = {
  deprecate: ["deprecate", "disable", "deregister"],
  disable: ["disable", "deregister"],
  deregister: ["deregister"],
};

/**
 * The versions of a plan that consumer evidence alone keeps, per consumer account still using them (a
 * probe's reference or a usage report's count): what uses each and the dates of the remaining steps.
 * Accounts that could not be checked are not in it (the operator hears of them instead). Pure.
 */
export function consumerSchedules(
  family: FamilyConfig,
  plan: FamilyPlan,
  evidence: ReadonlyMap<string, ImageEvidence>,
  now: Date,
): ConsumerSchedule[] {
  const byAccountVersion = new Map<string, ConsumerSchedule>();
  for (const decision of plan.decisions) {
    if (decision.version === null || !decision.held) continue;
    const found = evidence.get(evidenceKey(decision.region, decision.imageId));
    for (const item of found?.blocking ?? []) {
      if (item.kind !== "reference" && item.kind !== "usage") continue;
      const key = `${decision.version}|${item.accountId}`;
      let entry = byAccountVersion.get(key);
      if (!entry) {
        entry = {
          family: family.name,
          team: family.team,
          version: decision.version,
          consumerAccount: item.accountId,
          held: decision.held,
          schedule: schedule(decision.held, family.retention, now),
          uses: [],
        };
        byAccountVersion.set(key, entry);
      }
      entry.uses.push(
        item.kind === "reference"
          ? {
              region: decision.region,
              imageId: decision.imageId,
              resourceType: item.resourceType,
              arn: item.arn,
              ...(item.detail ? { detail: item.detail } : {}),
            }
          : {
              region: decision.region,
              imageId: decision.imageId,
              resourceType: item.resourceType,
              usageCount: item.usageCount,
            },
      );
    }
  }
  const schedules = [...byAccountVersion.values()];
  for (const entry of schedules) entry.uses.sort(byUse);
  return schedules.sort(
    (a, b) => a.version - b.version || a.consumerAccount.localeCompare(b.consumerAccount),
  );
}

/**
 * The remaining steps from the held one: it comes no earlier than its due instant or now (whichever is
 * later), each following one its policy grace after the one before.
 */
function schedule(held: UpcomingStep, policy: RetentionPolicy, now: Date): ScheduledStep[] {
  const graces: Record<UpcomingStep["action"], number> = {
    deprecate: 0,
    disable: policy.disableAfterDays,
    deregister: policy.deregisterAfterDays,
  };
  let at = Math.max(parseTime(held.at) ?? now.getTime(), now.getTime());
  return stepsAfter[held.action].map((action, index) => {
    if (index > 0) at += graces[action] * dayMs;
    return { action, earliest: iso(at) };
  });
}

function byUse(a: ConsumerUse, b: ConsumerUse): number {
  return (
    a.region.localeCompare(b.region) ||
    (a.arn ?? a.resourceType).localeCompare(b.arn ?? b.resourceType) ||
    a.imageId.localeCompare(b.imageId)
  );
}

/** Key of the once-only claim of a consumer notice: once per version, step and account. */
export function consumerNoticeKey(schedule: ConsumerSchedule): string {
  return `consumer-schedule:${schedule.family}:${schedule.version}:${schedule.held.action}:${schedule.consumerAccount}`;
}

/** The notice one consumer account gets (attribute `consumerAccount` for its subscription's filter policy). */
export function consumerScheduleNotification(schedule: ConsumerSchedule, now: Date): Notification {
  const label = `${schedule.family} v${schedule.version}`;
  const uses = schedule.uses.map(
    (use) =>
      `- ${use.region} ${use.imageId}: ${
        use.arn
          ? `${use.arn}${use.detail ? ` (${use.detail})` : ""}`
          : `${use.usageCount} ${use.resourceType} (the owner's usage report)`
      }`,
  );
  const steps = schedule.schedule.map((step) => `- ${step.action}: not before ${step.earliest}`);
  return {
    eventType: "consumer-schedule",
    family: schedule.family,
    team: schedule.team,
    severity: "warning",
    region: schedule.uses[0]?.region ?? "",
    consumerAccount: schedule.consumerAccount,
    subject: subjectLine(
      `${label} is due to ${schedule.held.action}; account ${schedule.consumerAccount} still uses it`,
    ),
    body: [
      `${label} is due to ${schedule.held.action} (since ${schedule.held.at}). It is kept while your account ${schedule.consumerAccount} uses it:`,
      ...uses,
      "Move these to a newer version. Once nothing of yours uses it (and the owner's usage report agrees), it retires:",
      ...steps,
    ].join("\n"),
    detail: {
      eventType: "consumer-schedule",
      family: schedule.family,
      version: schedule.version,
      consumerAccount: schedule.consumerAccount,
      held: { ...schedule.held },
      schedule: schedule.schedule.map((step) => ({ ...step })),
      uses: schedule.uses.map((use) => ({ ...use })),
      toldAt: now.toISOString(),
    },
  };
}
