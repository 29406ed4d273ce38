import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import { apiCallInput, imageApiCallEventSchema, reactToImageApiCall } from "@ami-lifecycle/core";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** Builds the CloudTrail handler (CreateImage, CopyImage, RegisterImage, CreateRestoreImageTask) over a runtime. */
export function createImageApiCallHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "image-api-call",
    schema: imageApiCallEventSchema,
    logKeys: (call) => ({
      eventId: call.cloudTrailEventId,
      eventName: call.eventName,
      region: call.region,
      ...(call.outcome === "succeeded" ? { imageId: call.imageId } : {}),
    }),
    // No idempotency record: the reaction converges to what EC2 says, and each effect is exactly-once
    // by its own condition (conditional registry writes, once-only claims, CopyImage ClientToken).
    handle: async (call) => {
      if (call.outcome === "failed")
        return { outcome: "ignored" as const, reason: `call failed (${call.errorCode})` };
      return reactToImageApiCall(runtime().reactions, apiCallInput(call));
    },
  });
}

/** Lambda entry point: EventBridge rule for the CloudTrail records of image-creating EC2 calls. */
export const handler = createImageApiCallHandler(lazyProductionRuntime(checkedConfig));
