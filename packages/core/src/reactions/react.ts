import type { EventDependencies } from "./dependencies";
import type { ImageApiCallInput, ImageStateChangeInput, ReactionOutcome } from "./inputs";
import { reconcileImage } from "./reconcile-image";

/**
 * Reacts to a CloudTrail record of an image being created, registered, restored or copied. The record
 * is only a trigger and the source of `createdBy`; the image's state is read from EC2.
 */
export function reactToImageApiCall(
  deps: EventDependencies,
  call: ImageApiCallInput,
): Promise<ReactionOutcome> {
  if (!deps.config.accounts.includes(call.accountId)) {
    return Promise.resolve({ outcome: "ignored", reason: "call made in another account" });
  }
  if (!deps.config.regions.includes(call.region)) return regionNotManaged();
  return reconcileImage(deps, call.region, call.imageId, call.createdBy ? { createdBy: call.createdBy } : {});
}

/** Reacts to an "EC2 AMI State Change" event (available, failed, deregistered, disabled). */
export function reactToImageStateChange(
  deps: EventDependencies,
  change: ImageStateChangeInput,
): Promise<ReactionOutcome> {
  if (!deps.config.accounts.includes(change.accountId)) {
    return Promise.resolve({ outcome: "ignored", reason: "image of another account" });
  }
  if (!deps.config.regions.includes(change.region)) return regionNotManaged();
  return reconcileImage(deps, change.region, change.imageId, {
    reportedState: change.state,
    ...(change.errorMessage ? { errorMessage: change.errorMessage } : {}),
  });
}

/** Events from a region the service does not manage (a stray forwarding rule) are dropped before any AWS call. */
function regionNotManaged(): Promise<ReactionOutcome> {
  return Promise.resolve({ outcome: "ignored", reason: "region not managed" });
}
