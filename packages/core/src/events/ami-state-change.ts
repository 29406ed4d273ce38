import * as z from "zod/mini";
import { amiIdSchema, boundedString, eventBridgeEnvelope, parseEvent } from "./event-fields";

/** Source of the native EC2 image events. */
export const amiStateChangeSource = "aws.ec2";
/** detail-type of the native EC2 image state event (there is no `pending` one). */
export const amiStateChangeDetailType = "EC2 AMI State Change";
/** The states EC2 reports in an AMI State Change event; EnableImage reports `available` again. */
export const amiEventStates = ["available", "failed", "deregistered", "disabled"] as const;
/** One of the states an AMI State Change event carries. */
export type AmiEventState = (typeof amiEventStates)[number];

/** Contract of "EC2 AMI State Change": no name, tags or lineage, so handlers call DescribeImages. */
export const amiStateChangeEventSchema = eventBridgeEnvelope(
  amiStateChangeSource,
  amiStateChangeDetailType,
  z.object({
    // Not used by the service; optional so its absence never drops a state change.
    RequestId: z.optional(boundedString(128)),
    ImageId: amiIdSchema,
    State: z.enum(amiEventStates),
    // Set for `failed` (e.g. a KMS key in the wrong region); empty otherwise.
    ErrorMessage: z.optional(boundedString(4096)),
  }),
);

/** A validated EC2 AMI State Change event. */
export type AmiStateChange = z.output<typeof amiStateChangeEventSchema>;

/** Validates an EC2 AMI State Change event; throws InvalidEventError naming the event id and each path. */
export function parseAmiStateChange(event: unknown): AmiStateChange {
  return parseEvent(amiStateChangeEventSchema, event);
}
