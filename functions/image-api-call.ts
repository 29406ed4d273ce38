import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import {
  apiCallInput,
  imageApiCallEventSchema,
  reactToImageApiCall,
  serviceCopyAlreadyRecorded,
} from "@ami-lifecycle/core";
import configDocument from "../ami-lifecycle.config.json" with { type: "json" };

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
    // CloudTrail's eventID identifies the API call itself; EventBridge ids are per delivery attempt source.
    idempotency: () => runtime().idempotency("cloudTrailEventId"),
    needsNoReaction: async (call) =>
      call.outcome === "succeeded"
        ? serviceCopyAlreadyRecorded(runtime().reactions, apiCallInput(call))
        : undefined,
    handle: async (call) => {
      if (call.outcome === "failed")
        return { outcome: "ignored" as const, reason: `call failed (${call.errorCode})` };
      return reactToImageApiCall(runtime().reactions, apiCallInput(call));
    },
  });
}

/** Lambda entry point: EventBridge rule for the CloudTrail records of image-creating EC2 calls. */
export const handler = createImageApiCallHandler(lazyProductionRuntime(configDocument));
