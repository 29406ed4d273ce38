import type { EventBridgeEvent } from "@ami-lifecycle/simulated-account";
import type { CliIo } from "../cli/io";
import { describeEvent, describeOutcome } from "../sandbox/describe-delivery";
import type { SandboxSession } from "../sandbox/session";
import { scheduledSweep } from "../sandbox/sweep";
import type { TimelineStatus } from "../sandbox/timeline";
import { eventTimeMs, type LoadedEvent, loadEvents } from "./load-events";
import { imageIdsOf, imagesFromEvents, seedImage, seedKeys } from "./seed-from-events";

/** What one replayed event did. */
export interface ReplayResult {
  file: string;
  index: number;
  eventId: string | null;
  region: string | null;
  time: string | null;
  event: string;
  /** the rule that matched (the function it went to), or null */
  rule: string | null;
  status: TimelineStatus;
  outcome: string;
  result?: unknown;
}

/** A prepared replay: the events, where the simulated clock starts, and the story that replays them. */
export interface PreparedReplay {
  events: LoadedEvent[];
  startAt: Date;
  results: ReplayResult[];
  story(session: SandboxSession): Promise<void>;
}

const minuteMs = 60_000;

/**
 * Prepares a sandbox replay: a fresh account seeded so the events' images exist (names, tags, lineage and
 * last state taken from the events), then each event delivered in time order through the deployed rules,
 * with what the service does in return (copies, their events) delivered too.
 */
export function prepareReplay(
  paths: readonly string[],
  io: Pick<CliIo, "cwd">,
  options: { sweepAfter?: boolean } = {},
): PreparedReplay {
  const events = loadEvents(paths, io.cwd);
  const times = events.map(({ event }) => eventTimeMs(event)).filter((time) => time !== undefined);
  const startAt = new Date(
    (times.length > 0 ? Math.min(...times) : Date.parse("2026-11-20T10:00:00Z")) - minuteMs,
  );
  const results: ReplayResult[] = [];
  const ordered = [...events].sort((a, b) => (eventTimeMs(a.event) ?? 0) - (eventTimeMs(b.event) ?? 0));
  return {
    events,
    startAt,
    results,
    async story(session) {
      const images = new Map(imagesFromEvents(events).map((image) => [image.imageId, image]));
      seedKeys(session.account, session.config);
      for (const loaded of ordered) {
        const time = eventTimeMs(loaded.event);
        if (time !== undefined) await session.advanceTo(new Date(time));
        // Each image appears when its first event happens, as in the account: the service's reactions to
        // earlier events (its own copies) come first.
        for (const imageId of imageIdsOf(loaded.event)) {
          const image = images.get(imageId);
          if (image && seedImage(session.account, image)) {
            session.record({
              region: image.region,
              event: `seeded ${image.imageId} "${image.name}" (${image.state}${image.source ? `, copy of ${image.source.imageId}` : ""}) as the events describe it`,
            });
          }
        }
        const delivery = await session.deployment.deliver(loaded.event as unknown as EventBridgeEvent);
        session.collectDeliveries();
        const { outcome, status } = describeOutcome(delivery);
        results.push({
          file: loaded.file,
          index: loaded.index,
          eventId: typeof loaded.event.id === "string" ? loaded.event.id : null,
          region: typeof loaded.event.region === "string" ? loaded.event.region : null,
          time: typeof loaded.event.time === "string" ? loaded.event.time : null,
          event: describeEvent(loaded.event),
          rule: delivery.rule ?? null,
          status,
          outcome,
          ...(delivery.result !== undefined ? { result: delivery.result } : {}),
        });
        await session.pump();
      }
      // Let the service's own work finish: copies take 20 simulated minutes.
      for (const minutes of [20, 20, 20]) await session.advance(minutes * minuteMs);
      if (options.sweepAfter && scheduledSweep) await scheduledSweep(session);
    },
  };
}

/** The story `sandbox --events DIR` plays. */
export function replayStory(
  dir: string,
  io: Pick<CliIo, "cwd">,
): { story: PreparedReplay["story"]; startAt: Date } {
  const prepared = prepareReplay([dir], io, { sweepAfter: true });
  return { story: prepared.story, startAt: prepared.startAt };
}
