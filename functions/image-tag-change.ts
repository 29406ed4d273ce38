import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import { imageTagChangeEventSchema, isServiceTaggingCall, reportTagTampering } from "@ami-lifecycle/core";
import configDocument from "../ami-lifecycle.config.json" with { type: "json" };

/** Builds the tamper guard's handler (CloudTrail CreateTags / DeleteTags on lifecycle tags) over a runtime. */
export function createImageTagChangeHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "image-tag-change",
    schema: imageTagChangeEventSchema,
    logKeys: (change) => ({
      eventId: change.cloudTrailEventId,
      eventName: change.eventName,
      resourceIds: change.resourceIds.slice(0, 10).join(","),
      region: change.region,
    }),
    // Most tagging calls are the service's own: answered without an idempotency record (no effect).
    needsNoReaction: async (change) =>
      isServiceTaggingCall(runtime().reactions, change) ? "the service's own call" : undefined,
    // CloudTrail's eventID identifies the call: a re-delivered event is the same call.
    idempotency: () => runtime().idempotency("cloudTrailEventId"),
    handle: (change) => reportTagTampering(runtime().reactions, change),
  });
}

/** Lambda entry point: EventBridge rule for lifecycle-tag changes (home region, and forwarded from the others). */
export const handler = createImageTagChangeHandler(lazyProductionRuntime(configDocument));
