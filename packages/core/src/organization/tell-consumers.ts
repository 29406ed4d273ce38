import type { FamilyConfig } from "../config";
import type { EventDependencies } from "../dependencies";
import { ClaimHeldError, once } from "../notifications/once";
import { type FamilySweepResult, failureOf, type SweepFailure } from "../sweep-results";
import type { ImageEvidence } from "./consumer-evidence";
import {
  type ConsumerSchedule,
  consumerNoticeKey,
  consumerScheduleNotification,
  consumerSchedules,
} from "./consumer-notices";

/** A consumer notice a sweep sent: one per version, held step and account, ever. */
export interface ConsumerTold {
  family: string;
  version: number;
  step: ConsumerSchedule["held"]["action"];
  consumerAccount: string;
}

/**
 * Tells every consumer account still using a shared version that only its consumers keep: what uses it
 * and the dates of the remaining steps, once per version, step and account (a once-only claim in the
 * registry, so duplicated, reordered and re-run sweeps tell nobody twice, and a sweep killed between
 * claim and publish is made good by a later one). Enforce mode only: a dry-run schedules nothing.
 * A failure is the sweep's and changes no decision.
 */
export async function tellConsumers(
  deps: EventDependencies,
  families: readonly FamilyConfig[],
  results: readonly FamilySweepResult[],
  evidence: ReadonlyMap<string, ImageEvidence>,
  now: Date,
): Promise<{ told: ConsumerTold[]; failures: SweepFailure[] }> {
  const told: ConsumerTold[] = [];
  const failures: SweepFailure[] = [];
  const notifier = deps.organization?.consumerNotifier;
  if (!notifier || deps.config.mode !== "enforce") return { told, failures };
  for (const result of results) {
    const family = families.find((candidate) => candidate.name === result.family);
    if (!family || !result.plan) continue;
    for (const schedule of consumerSchedules(family, result.plan, evidence, now)) {
      try {
        const sent = await once(deps, `notify:${consumerNoticeKey(schedule)}`, () =>
          notifier.publish(consumerScheduleNotification(schedule, now)),
        );
        if (sent)
          told.push({
            family: schedule.family,
            version: schedule.version,
            step: schedule.held.action,
            consumerAccount: schedule.consumerAccount,
          });
      } catch (error) {
        const failure = failureOf("tell-consumer", error, {
          family: schedule.family,
          version: schedule.version,
        });
        // Another attempt holds the claim, or SNS failed past retries: a retried sweep tells the account.
        failures.push({
          ...failure,
          message: `${schedule.consumerAccount}: ${failure.message}`,
          transient: failure.transient || error instanceof ClaimHeldError,
        });
      }
    }
  }
  return { told, failures };
}
