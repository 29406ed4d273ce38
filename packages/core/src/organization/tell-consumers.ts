import type { FamilyConfig } from "../config";
import type { EventDependencies } from "../dependencies";
import { ClaimHeldError, once } from "../notifications/once";
import { type FamilySweepResult, failureOf, type SweepFailure } from "../sweep-results";
import { consumerScheduleEvent } from "./consumer-events";
import type { ImageEvidence } from "./consumer-evidence";
import {
  type ConsumerSchedule,
  consumerNoticeKey,
  consumerScheduleNotification,
  consumerSchedules,
} from "./consumer-notices";

/** A consumer notice a sweep sent: one per version, held step, account and channel, ever. */
export interface ConsumerTold {
  family: string;
  version: number;
  step: ConsumerSchedule["held"]["action"];
  consumerAccount: string;
  /** the consumers' topic, or the bus the account named (`organization.consumerEventBuses`) */
  via: "topic" | "event-bus";
}

/** One way of telling a consumer: its claim prefix and the effect. */
interface Channel {
  via: ConsumerTold["via"];
  claimPrefix: string;
  /** sweep failure step name */
  step: string;
  /** the effect for the schedule, or undefined when this channel does not reach the account */
  send(schedule: ConsumerSchedule): (() => Promise<void>) | undefined;
}

/**
 * Tells every consumer account still using a shared version that only its consumers keep: what uses it
 * and the dates of the remaining steps, on the consumers' topic and, when the account named one, as an
 * event on its own bus. Each channel once per version, step and account (a once-only claim in the
 * registry, one per channel, so duplicated, reordered and re-run sweeps tell nobody twice, a sweep killed
 * between claim and send is made good by a later one, and a bus that refuses the event does not make the
 * topic's message go again). Enforce mode only: a dry-run schedules nothing. A failure is the sweep's
 * and changes no decision: the version is kept by the evidence, not by the telling; a refused event (the
 * bus policy does not let the sweep's role put events) is reported and its claim given back, so a sweep
 * after the consumer fixes the policy tells it.
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
  const channels = channelsOf(deps, now);
  if (channels.length === 0 || deps.config.mode !== "enforce") return { told, failures };
  for (const result of results) {
    const family = families.find((candidate) => candidate.name === result.family);
    if (!family || !result.plan) continue;
    for (const schedule of consumerSchedules(family, result.plan, evidence, now)) {
      for (const channel of channels) {
        const effect = channel.send(schedule);
        if (!effect) continue;
        try {
          const sent = await once(deps, `${channel.claimPrefix}:${consumerNoticeKey(schedule)}`, effect);
          if (sent)
            told.push({
              family: schedule.family,
              version: schedule.version,
              step: schedule.held.action,
              consumerAccount: schedule.consumerAccount,
              via: channel.via,
            });
        } catch (error) {
          const failure = failureOf(channel.step, error, {
            family: schedule.family,
            version: schedule.version,
          });
          // Another attempt holds the claim, or the call failed past retries: a retried sweep tells the account.
          failures.push({
            ...failure,
            message: `${schedule.consumerAccount}: ${failure.message}`,
            transient: failure.transient || error instanceof ClaimHeldError,
          });
        }
      }
    }
  }
  return { told, failures };
}

/** The channels wired and configured: the consumers' topic, and the buses consumers named. */
function channelsOf(deps: EventDependencies, now: Date): Channel[] {
  const ports = deps.organization;
  const channels: Channel[] = [];
  const notifier = ports?.consumerNotifier;
  if (notifier)
    channels.push({
      via: "topic",
      claimPrefix: "notify",
      step: "tell-consumer",
      send: (schedule) => () => notifier.publish(consumerScheduleNotification(schedule, now)),
    });
  const events = ports?.consumerEvents;
  const buses = deps.config.organization?.consumerEventBuses;
  if (events && buses)
    channels.push({
      via: "event-bus",
      claimPrefix: "notify-bus",
      step: "tell-consumer-bus",
      send: (schedule) => {
        const busArn = buses[schedule.consumerAccount];
        if (!busArn) return undefined;
        const partition = busArn.split(":")[1];
        return () => events.put(busArn, consumerScheduleEvent(schedule, now, partition));
      },
    });
  return channels;
}
