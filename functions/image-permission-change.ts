import type { Runtime } from "@ami-lifecycle/aws";
import { lazyProductionRuntime, wrapEventHandler } from "@ami-lifecycle/aws";
import { guardPublicSharing, imagePermissionChangeEventSchema } from "@ami-lifecycle/core";
import checkedConfig from "../ami-lifecycle.config.checked.json" with { type: "json" };

/** Builds the public-sharing guard's handler (CloudTrail ModifyImageAttribute / ResetImageAttribute) over a runtime. */
export function createImagePermissionChangeHandler(runtime: () => Runtime) {
  return wrapEventHandler({
    name: "image-permission-change",
    schema: imagePermissionChangeEventSchema,
    logKeys: (change) => ({
      eventId: change.cloudTrailEventId,
      eventName: change.eventName,
      imageId: change.imageId,
      region: change.region,
    }),
    // No idempotency record: every alert and the revert are claimed once by CloudTrail's eventID.
    handle: (change) => guardPublicSharing(runtime().reactions, change),
  });
}

/** Lambda entry point: EventBridge rule for image permission changes (home region, and forwarded from the others). */
export const handler = createImagePermissionChangeHandler(lazyProductionRuntime(checkedConfig));
