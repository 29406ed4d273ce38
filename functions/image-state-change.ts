import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import { amiStateChangeEventSchema, reactToImageStateChange } from "@ami-lifecycle/core";
import configDocument from "../ami-lifecycle.config.json" with { type: "json" };

/** Builds the "EC2 AMI State Change" handler over a runtime (production, the sandbox or a test's). */
export function createImageStateChangeHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "image-state-change",
    schema: amiStateChangeEventSchema,
    logKeys: (event) => ({ eventId: event.id, imageId: event.detail.ImageId, region: event.region }),
    idempotency: () => runtime().idempotency("id"),
    handle: (event) =>
      reactToImageStateChange(runtime().reactions, {
        eventId: event.id,
        region: event.region,
        accountId: event.account,
        imageId: event.detail.ImageId,
        state: event.detail.State,
        time: event.time,
        ...(event.detail.ErrorMessage ? { errorMessage: event.detail.ErrorMessage } : {}),
      }),
  });
}

/** Lambda entry point: EventBridge rule for EC2 AMI State Change (home region, and forwarded from the others). */
export const handler = createImageStateChangeHandler(lazyProductionRuntime(configDocument));
