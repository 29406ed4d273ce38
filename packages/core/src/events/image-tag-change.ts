import * as z from "zod/mini";
import { accountIdSchema, awsRegionSchema } from "../contracts/zod-fields";
import {
  imageApiCallDetailType,
  imageApiCallEventSource,
  imageApiCallSource,
  type UserIdentity,
} from "./cloudtrail-image-call";
import {
  boundedString,
  eventBridgeEnvelope,
  eventTimeSchema,
  parseEvent,
  userIdentitySchema,
} from "./event-fields";

/** The EC2 calls that change tags of existing resources. */
export const imageTagChangeNames = ["CreateTags", "DeleteTags"] as const;
/** One of the EC2 tagging calls. */
export type ImageTagChangeName = (typeof imageTagChangeNames)[number];

/** Every tag key the service writes starts with this (the rule matches on it). */
export const lifecycleTagKeyPrefix = "ami-lifecycle:";

// EC2 accepts up to 1000 resources and 50 tags per call; keys 128 and values 256 characters.
const requestSchema = z.object({
  resourcesSet: z.object({
    items: z
      .array(z.object({ resourceId: boundedString(64).check(z.minLength(1)) }))
      .check(z.minLength(1), z.maxLength(1000)),
  }),
  // DeleteTags without tags deletes every tag of the resources: CloudTrail then has no tag items.
  tagSet: z.optional(
    z.object({
      items: z.optional(
        z
          .array(z.object({ key: boundedString(128), value: z.optional(boundedString(256)) }))
          .check(z.maxLength(50)),
      ),
    }),
  ),
});

const detailSchema = z.object({
  eventSource: z.literal(imageApiCallEventSource),
  eventName: z.enum(imageTagChangeNames),
  eventTime: eventTimeSchema,
  awsRegion: awsRegionSchema,
  eventID: boundedString(128),
  recipientAccountId: accountIdSchema,
  userIdentity: userIdentitySchema,
  requestParameters: z.nullable(requestSchema),
  errorCode: z.optional(boundedString(256)),
});

/** One tag a tagging call named: CreateTags always gives the value; DeleteTags may give it (delete only if equal). */
export interface NamedTag {
  key: string;
  value?: string;
}

/** A validated CloudTrail record of CreateTags or DeleteTags. */
export interface ImageTagChange {
  /** id of the EventBridge event */
  eventId: string;
  /** CloudTrail's own id of the record (idempotency key) */
  cloudTrailEventId: string;
  eventTime: string;
  region: string;
  accountId: string;
  eventName: ImageTagChangeName;
  /** every resource the call named (images, snapshots, and whatever else it tagged) */
  resourceIds: string[];
  /** the `ami-lifecycle:*` tags the call named */
  lifecycleTags: NamedTag[];
  /** DeleteTags named no tags: every tag of the resources, lifecycle tags included, was deleted */
  allTagsDeleted: boolean;
  /** the role behind an assumed-role session (how the service's own calls are told apart) */
  callerRoleArn?: string;
  /** who made the call: the role behind an assumed-role session, else the caller's ARN */
  actor?: string;
  userIdentity: UserIdentity;
  /** set when EC2 refused the call (the rule drops those; kept for replays of raw trails) */
  errorCode?: string;
}

/** Contract of "AWS API Call via CloudTrail" for CreateTags and DeleteTags. */
export const imageTagChangeEventSchema = z.pipe(
  eventBridgeEnvelope(imageApiCallSource, imageApiCallDetailType, detailSchema),
  z.transform((event): ImageTagChange => {
    const { detail } = event;
    const identity = detail.userIdentity;
    // A refused call may carry no requestParameters; there is nothing to read then.
    const request = detail.requestParameters ?? { resourcesSet: { items: [] }, tagSet: undefined };
    const named = request.tagSet?.items ?? [];
    const callerRoleArn =
      identity.type === "AssumedRole" ? identity.sessionContext?.sessionIssuer?.arn : undefined;
    const actor = callerRoleArn ?? identity.arn ?? identity.invokedBy;
    return {
      eventId: event.id,
      cloudTrailEventId: detail.eventID,
      eventTime: detail.eventTime,
      region: detail.awsRegion,
      accountId: detail.recipientAccountId,
      eventName: detail.eventName,
      resourceIds: request.resourcesSet.items.map((item) => item.resourceId),
      lifecycleTags: named
        .filter((tag) => tag.key.startsWith(lifecycleTagKeyPrefix))
        .map((tag) => (tag.value === undefined ? { key: tag.key } : { key: tag.key, value: tag.value })),
      allTagsDeleted: detail.eventName === "DeleteTags" && named.length === 0,
      ...(callerRoleArn ? { callerRoleArn } : {}),
      ...(actor ? { actor } : {}),
      userIdentity: identity,
      ...(detail.errorCode ? { errorCode: detail.errorCode } : {}),
    };
  }),
);

/** Validates a CloudTrail tagging event. */
export function parseImageTagChange(event: unknown): ImageTagChange {
  return parseEvent(imageTagChangeEventSchema, event);
}
