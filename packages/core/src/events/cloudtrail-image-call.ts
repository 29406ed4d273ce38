import * as z from "zod/mini";
import { accountIdSchema, awsRegionSchema } from "../contracts/zod-fields";
import {
  amiIdSchema,
  boundedString,
  eventBridgeEnvelope,
  eventTimeSchema,
  instanceIdSchema,
  parseEvent,
  parsePart,
  userIdentitySchema,
} from "./event-fields";

/** Source of CloudTrail-delivered EC2 API calls. */
export const imageApiCallSource = "aws.ec2";
/** detail-type of every CloudTrail management event delivered to EventBridge. */
export const imageApiCallDetailType = "AWS API Call via CloudTrail";
/** CloudTrail eventSource of EC2 calls. */
export const imageApiCallEventSource = "ec2.amazonaws.com";
/** The EC2 calls that create an image. */
export const imageApiCallNames = [
  "CreateImage",
  "CopyImage",
  "RegisterImage",
  "CreateRestoreImageTask",
] as const;
/** One of the EC2 calls that create an image. */
export type ImageApiCallName = (typeof imageApiCallNames)[number];

// AMI names are 3–128 characters; descriptions up to 255.
const imageName = boundedString(128).check(z.minLength(1));
const description = z.optional(boundedString(255));

/** Who made a CloudTrail-recorded call, as far as the service reads it. */
export type UserIdentity = z.output<typeof userIdentitySchema>;

// CloudTrail records TagSpecifications in Query-API shape: tagSpecificationSet.items[].tags[].
const tagSpecificationSetSchema = z.optional(
  z.object({
    items: z
      .array(
        z.object({
          resourceType: boundedString(64),
          tags: z
            .array(z.object({ key: boundedString(128), value: boundedString(256) }))
            .check(z.maxLength(50)),
        }),
      )
      .check(z.maxLength(10)),
  }),
);

// Only the parameters the service uses, and only those CloudTrail documents: CopyImage's
// encrypted/kmsKeyId/clientToken are inferred from wire names, so nothing may depend on them.
const requestSchemas = {
  CreateImage: z.object({
    instanceId: instanceIdSchema,
    name: imageName,
    description,
    tagSpecificationSet: tagSpecificationSetSchema,
  }),
  CopyImage: z.object({
    sourceRegion: awsRegionSchema,
    sourceImageId: amiIdSchema,
    name: imageName,
    description,
    tagSpecificationSet: tagSpecificationSetSchema,
  }),
  RegisterImage: z.object({ name: imageName, description, tagSpecificationSet: tagSpecificationSetSchema }),
  CreateRestoreImageTask: z.object({
    bucket: boundedString(63).check(z.minLength(3)),
    objectKey: boundedString(1024).check(z.minLength(1)),
    name: z.optional(imageName),
  }),
} satisfies Record<ImageApiCallName, z.core.$ZodType>;

const succeededResponseSchema = z.object({ imageId: amiIdSchema });

/** The parameters of a successful call, by call. Tags are those requested for the image itself. */
export type ImageApiRequest<Name extends ImageApiCallName = ImageApiCallName> = {
  [N in Name]: Omit<z.output<(typeof requestSchemas)[N]>, "tagSpecificationSet"> & {
    imageTags: Record<string, string>;
  };
}[Name];

interface ImageApiCallCommon {
  /** id of the EventBridge event (idempotency key) */
  eventId: string;
  /** CloudTrail's own id of the record */
  cloudTrailEventId: string;
  eventTime: string;
  /** region where the call was made: a copy's destination region */
  region: string;
  /** account that received the call */
  accountId: string;
  userIdentity: UserIdentity;
  /** the principal who made the call (see createdByOf) */
  createdBy?: string;
}

/** A successful image-creating call, discriminated by `eventName`. */
export type SucceededImageApiCall = {
  [N in ImageApiCallName]: ImageApiCallCommon & {
    outcome: "succeeded";
    eventName: N;
    /** the new image */
    imageId: string;
    request: ImageApiRequest<N>;
  };
}[ImageApiCallName];

/** A call EC2 refused: CloudTrail records it with errorCode and a null responseElements. Nothing was created. */
export interface FailedImageApiCall extends ImageApiCallCommon {
  outcome: "failed";
  eventName: ImageApiCallName;
  errorCode: string;
  errorMessage?: string;
}

/** A validated CloudTrail record of an image-creating EC2 call. */
export type ImageApiCall = SucceededImageApiCall | FailedImageApiCall;

const detailSchema = z.object({
  eventSource: z.literal(imageApiCallEventSource),
  eventName: z.enum(imageApiCallNames),
  eventTime: eventTimeSchema,
  awsRegion: awsRegionSchema,
  eventID: boundedString(128),
  recipientAccountId: accountIdSchema,
  userIdentity: userIdentitySchema,
  // Validated per call below, and only for successful calls: a refused call may carry the malformed
  // parameters it was refused for, and must still be recognised as a failed call.
  requestParameters: z.unknown(),
  responseElements: z.unknown(),
  errorCode: z.optional(boundedString(256)),
  errorMessage: z.optional(boundedString(4096)),
});

/** Contract of "AWS API Call via CloudTrail" for CreateImage, CopyImage, RegisterImage and CreateRestoreImageTask. */
export const imageApiCallEventSchema = z.pipe(
  eventBridgeEnvelope(imageApiCallSource, imageApiCallDetailType, detailSchema),
  z.transform((event, ctx): ImageApiCall => {
    const { detail } = event;
    const common: ImageApiCallCommon = {
      eventId: event.id,
      cloudTrailEventId: detail.eventID,
      eventTime: detail.eventTime,
      region: detail.awsRegion,
      accountId: detail.recipientAccountId,
      userIdentity: detail.userIdentity,
      createdBy: createdByOf(detail.userIdentity),
    };
    if (detail.errorCode !== undefined) {
      return {
        ...common,
        outcome: "failed",
        eventName: detail.eventName,
        errorCode: detail.errorCode,
        errorMessage: detail.errorMessage,
      };
    }
    const request = parsePart(
      requestSchemas[detail.eventName],
      detail.requestParameters,
      ["detail", "requestParameters"],
      ctx,
    );
    const response = parsePart(
      succeededResponseSchema,
      detail.responseElements,
      ["detail", "responseElements"],
      ctx,
    );
    if (request === undefined || response === undefined) return z.NEVER;
    const { tagSpecificationSet, ...parameters } = request as z.output<
      (typeof requestSchemas)["CreateImage"]
    >;
    return {
      ...common,
      outcome: "succeeded",
      eventName: detail.eventName,
      imageId: response.imageId,
      request: { ...parameters, imageTags: imageTagsOf(tagSpecificationSet) },
    } as SucceededImageApiCall;
  }),
);

/** Validates a CloudTrail image-call event; a refused call comes back as `outcome: "failed"`, not as an error. */
export function parseImageApiCall(event: unknown): ImageApiCall {
  return parseEvent(imageApiCallEventSchema, event);
}

/**
 * The principal who made the call: for an assumed role the role (session issuer) rather than the
 * per-session ARN, so every build of one pipeline is attributed alike; else the caller's ARN, or the
 * AWS service that invoked it.
 */
export function createdByOf(identity: UserIdentity): string | undefined {
  if (identity.type === "AssumedRole" && identity.sessionContext?.sessionIssuer?.arn) {
    return identity.sessionContext.sessionIssuer.arn;
  }
  return identity.arn ?? identity.invokedBy;
}

function imageTagsOf(tagSpecifications: z.output<typeof tagSpecificationSetSchema>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const specification of tagSpecifications?.items ?? []) {
    if (specification.resourceType !== "image") continue;
    for (const tag of specification.tags) tags[tag.key] = tag.value;
  }
  return tags;
}
