import type { Effect } from "../effects";
import type { AmiStateChange } from "../events/ami-state-change";
import type { SucceededImageApiCall } from "../events/cloudtrail-image-call";

/** What a CloudTrail record of CreateImage/CopyImage/RegisterImage/CreateRestoreImageTask tells the reactions. */
export interface ImageApiCallInput {
  eventId: string;
  eventName: "CreateImage" | "CopyImage" | "RegisterImage" | "CreateRestoreImageTask";
  region: string;
  accountId: string;
  imageId: string;
  /** principal that made the call: only CloudTrail knows it */
  createdBy?: string;
  eventTime: string;
}

/** What an "EC2 AMI State Change" event tells the reactions. */
export interface ImageStateChangeInput {
  eventId: string;
  region: string;
  accountId: string;
  imageId: string;
  state: "available" | "failed" | "deregistered" | "disabled";
  errorMessage?: string;
  time: string;
}

/** What the reaction did, for the log, metrics and the sandbox's narration. */
export type ReactionOutcome =
  | { outcome: "ignored"; reason: string }
  | { outcome: "recorded"; family: string; version: number; role: "source" | "copy"; effects: Effect[] };

/** The reactions' view of a validated EC2 AMI State Change event. */
export function stateChangeInput(event: AmiStateChange): ImageStateChangeInput {
  return {
    eventId: event.id,
    region: event.region,
    accountId: event.account,
    imageId: event.detail.ImageId,
    state: event.detail.State,
    time: event.time,
    ...(event.detail.ErrorMessage ? { errorMessage: event.detail.ErrorMessage } : {}),
  };
}

/** The reactions' view of a validated, successful CloudTrail image call. */
export function apiCallInput(call: SucceededImageApiCall): ImageApiCallInput {
  return {
    eventId: call.cloudTrailEventId,
    eventName: call.eventName,
    region: call.region,
    accountId: call.accountId,
    imageId: call.imageId,
    eventTime: call.eventTime,
    ...(call.createdBy ? { createdBy: call.createdBy } : {}),
  };
}
