import * as z from "zod/mini";
import {
  accountIdSchema,
  awsRegionSchema,
  readableIssueMessage,
  readableIssues,
} from "../contracts/zod-fields";
import { InvalidEventError } from "../errors";
import { eventSizeProblem } from "./service-events";

/** An AMI id: `ami-` and 8 or 17 hexadecimal digits. */
export const amiIdSchema = z
  .string()
  .check(z.regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, "must be an AMI id (ami-…)"));
/** An EC2 instance id: `i-` and 8 or 17 hexadecimal digits. */
export const instanceIdSchema = z
  .string()
  .check(z.regex(/^i-[0-9a-f]{8,17}$/, "must be an instance id (i-…)"));
/** An ISO-8601 UTC timestamp as AWS writes them (`2026-11-20T10:21:04Z`). */
export const eventTimeSchema = z.iso.datetime({
  message: "must be an ISO-8601 time such as 2026-11-20T10:21:04Z",
});

/** A string with an upper bound, so a hostile or corrupt event cannot carry megabytes in one field. */
export function boundedString(maxLength: number) {
  return z.string().check(z.maxLength(maxLength));
}

/** The EventBridge envelope around `detail`, pinned to one source and detail-type. */
export function eventBridgeEnvelope<Detail extends z.core.$ZodType>(
  source: string,
  detailType: string,
  detail: Detail,
) {
  return z.object({
    version: boundedString(16),
    id: boundedString(128),
    "detail-type": z.literal(detailType),
    source: z.literal(source),
    account: accountIdSchema,
    time: eventTimeSchema,
    region: awsRegionSchema,
    resources: z.array(boundedString(2048)).check(z.maxLength(100)),
    detail,
  });
}

/**
 * Validates an incoming event against its contract. Throws InvalidEventError carrying the event id (when the
 * event has one) and every issue as `path: reason` (`detail.ImageId: must be an AMI id (ami-…)`).
 */
export function parseEvent<Schema extends z.core.$ZodType>(schema: Schema, event: unknown): z.output<Schema> {
  const eventId = eventIdOf(event);
  const oversized = eventSizeProblem(event);
  if (oversized) throw new InvalidEventError(eventId, [{ path: "(root)", message: oversized }]);
  const result = z.safeParse(schema, event, { error: readableIssueMessage });
  if (!result.success) throw new InvalidEventError(eventId, readableIssues(result.error.issues));
  return result.data;
}

/**
 * Validates one part of an already-parsed event inside a transform, reporting issues under `path` so
 * they read like the rest (`detail.requestParameters.sourceImageId: …`).
 */
export function parsePart<Schema extends z.core.$ZodType>(
  schema: Schema,
  value: unknown,
  path: readonly PropertyKey[],
  ctx: z.core.ParsePayload,
): z.output<Schema> | undefined {
  const result = z.safeParse(schema, value, { error: readableIssueMessage });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // zod/mini hands transforms the raw payload (no addIssue): push the issue as addIssue would.
    ctx.issues.push({ code: "custom", message: issue.message, path: [...path, ...issue.path], input: value });
  }
  return undefined;
}

function eventIdOf(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null || !("id" in event)) return undefined;
  return typeof event.id === "string" ? event.id.slice(0, 128) : undefined;
}

/** CloudTrail's `userIdentity`, as far as the service reads it (who made a call). */
export const userIdentitySchema = z.object({
  type: boundedString(64),
  arn: z.optional(boundedString(2048)),
  accountId: z.optional(accountIdSchema),
  principalId: z.optional(boundedString(256)),
  // Set instead of an ARN when an AWS service (e.g. EC2 Image Builder) made the call.
  invokedBy: z.optional(boundedString(256)),
  sessionContext: z.optional(
    z.object({
      sessionIssuer: z.optional(
        z.object({ type: z.optional(boundedString(64)), arn: z.optional(boundedString(2048)) }),
      ),
    }),
  ),
});
