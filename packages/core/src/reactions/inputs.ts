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

/** What the reaction did, for the log and metrics. */
export type ReactionOutcome =
  | { outcome: "ignored"; reason: string }
  | { outcome: "recorded"; family: string; version: number; role: "source" | "copy"; actions: string[] };
