import * as z from "zod/mini";
import { accountIdSchema, awsRegionSchema } from "../contracts/zod-fields";
import {
  imageApiCallDetailType,
  imageApiCallEventSource,
  imageApiCallSource,
  type UserIdentity,
} from "./cloudtrail-image-call";
import {
  amiIdSchema,
  boundedString,
  eventBridgeEnvelope,
  eventTimeSchema,
  parseEvent,
  userIdentitySchema,
} from "./event-fields";

/** The EC2 calls that change who may launch an image. */
export const imagePermissionChangeNames = ["ModifyImageAttribute", "ResetImageAttribute"] as const;
/** One of the EC2 calls that change an image's launch permissions. */
export type ImagePermissionChangeName = (typeof imagePermissionChangeNames)[number];

// CloudTrail records LaunchPermission in Query-API shape: launchPermission.add.items[].group|userId|….
const permissionItems = z.optional(
  z.object({
    items: z
      .array(
        z.object({
          group: z.optional(boundedString(16)),
          userId: z.optional(boundedString(12)),
          organizationArn: z.optional(boundedString(2048)),
          organizationalUnitArn: z.optional(boundedString(2048)),
        }),
      )
      .check(z.maxLength(1000)),
  }),
);

const requestSchema = z.object({
  imageId: amiIdSchema,
  launchPermission: z.optional(z.object({ add: permissionItems, remove: permissionItems })),
  // ModifyImageAttribute's flat form (`--attribute launchPermission --operation-type add --user-groups all`).
  attributeType: z.optional(boundedString(64)),
  attribute: z.optional(boundedString(64)),
  operationType: z.optional(boundedString(16)),
  userGroup: z.optional(z.object({ items: z.array(z.unknown()).check(z.maxLength(1000)) })),
});

const detailSchema = z.object({
  eventSource: z.literal(imageApiCallEventSource),
  eventName: z.enum(imagePermissionChangeNames),
  eventTime: eventTimeSchema,
  awsRegion: awsRegionSchema,
  eventID: boundedString(128),
  recipientAccountId: accountIdSchema,
  userIdentity: userIdentitySchema,
  requestParameters: requestSchema,
  errorCode: z.optional(boundedString(256)),
});

/** A validated CloudTrail record of ModifyImageAttribute or ResetImageAttribute. */
export interface ImagePermissionChange {
  /** id of the EventBridge event */
  eventId: string;
  /** CloudTrail's own id of the record (idempotency key) */
  cloudTrailEventId: string;
  eventTime: string;
  region: string;
  accountId: string;
  eventName: ImagePermissionChangeName;
  imageId: string;
  /** who made the call: the role behind an assumed-role session, else the caller's ARN */
  actor?: string;
  userIdentity: UserIdentity;
  /** the request asked for group `all` (the guard still reads the image's state from EC2) */
  requestedPublic: boolean;
  /** set when EC2 refused the call (the rule drops those; kept for replays of raw trails) */
  errorCode?: string;
}

/** Contract of "AWS API Call via CloudTrail" for ModifyImageAttribute and ResetImageAttribute. */
export const imagePermissionChangeEventSchema = z.pipe(
  eventBridgeEnvelope(imageApiCallSource, imageApiCallDetailType, detailSchema),
  z.transform((event): ImagePermissionChange => {
    const { detail } = event;
    const request = detail.requestParameters;
    const identity = detail.userIdentity;
    const actor =
      identity.type === "AssumedRole" && identity.sessionContext?.sessionIssuer?.arn
        ? identity.sessionContext.sessionIssuer.arn
        : (identity.arn ?? identity.invokedBy);
    const addsAll = (request.launchPermission?.add?.items ?? []).some((item) => item.group === "all");
    const flatAddsAll =
      request.operationType === "add" &&
      (request.userGroup?.items ?? []).some((item) => JSON.stringify(item).includes('"all"'));
    return {
      eventId: event.id,
      cloudTrailEventId: detail.eventID,
      eventTime: detail.eventTime,
      region: detail.awsRegion,
      accountId: detail.recipientAccountId,
      eventName: detail.eventName,
      imageId: request.imageId,
      ...(actor ? { actor } : {}),
      userIdentity: identity,
      requestedPublic: addsAll || flatAddsAll,
      ...(detail.errorCode ? { errorCode: detail.errorCode } : {}),
    };
  }),
);

/** Validates a CloudTrail image-permission event. */
export function parseImagePermissionChange(event: unknown): ImagePermissionChange {
  return parseEvent(imagePermissionChangeEventSchema, event);
}
