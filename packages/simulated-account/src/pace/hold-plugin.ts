import type { MetadataBearer, Pluggable } from "@smithy/types";
import type { SimTimeline } from "./timeline";

/**
 * A plugin for a client of a real local service (DynamoDB Local): each request holds the simulated
 * clock while it runs, so paced EC2 calls do not advance past work the run is still waiting on.
 */
export function holdSimulatedTime(timeline: SimTimeline): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) => {
      stack.add((next) => (args) => timeline.hold(() => next(args)), {
        step: "initialize",
        priority: "high",
        name: "holdSimulatedTimeMiddleware",
        override: true,
      });
    },
  };
}
