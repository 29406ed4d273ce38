import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import { imageTagChangeEventSchema, reportTagTampering } from "@ami-lifecycle/core";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

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
    // No idempotency record: the report is claimed once by CloudTrail's eventID, and the service's own
    // calls (most tagging calls) are ignored without any write.
    handle: (change) => reportTagTampering(runtime().reactions, change),
  });
}

/** Lambda entry point: EventBridge rule for lifecycle-tag changes (home region, and forwarded from the others). */
export const handler = createImageTagChangeHandler(lazyProductionRuntime(checkedConfig));
