import { SimApiError } from "../errors";
import type { SimImage } from "../state";

/** The instant `years` calendar years after `ms` (UTC), as "10 years from now" reads on a calendar. */
function addUtcYears(ms: number, years: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

/** Whether the image is shared with the group all. */
function isPublic(image: SimImage): boolean {
  return image.launchPermissions.includes("group:all");
}

/** Two calendar years after the image's creation: the latest deprecation a public AMI may have. */
function publicDeprecationCap(image: SimImage): number {
  return addUtcYears(Date.parse(image.creationDate), 2);
}

/**
 * Gives an image that has just become public EC2's default deprecation time: "By default, the deprecation
 * date of all public AMIs is set to two years from the AMI creation date" (EC2 User Guide, "Deprecate an
 * AMI"). Inferred: EC2 applies it when the AMI becomes public and leaves a time the owner set (earlier, or,
 * for want of any documented rule, later) as it is; a default already in the past deprecates it at once.
 */
export function applyPublicDefaultDeprecation(image: SimImage): void {
  if (!isPublic(image) || image.deprecationTime !== undefined) return;
  image.deprecationTime = new Date(publicDeprecationCap(image)).toISOString();
}

/**
 * Refuses DisableImageDeprecation on a public AMI: "To cancel the deprecation date, or to move the
 * deprecation to a later date, you must make the AMI private" (EC2 User Guide, "Deprecate an AMI"). AWS
 * documents no error code for it; OperationNotPermitted is inferred (EC2's common client error "The
 * specified operation is not allowed", which this account also answers for its other public refusals).
 * Moving it later is refused by the 2-year cap in assertDeprecateAtInRange.
 */
export function assertDeprecationCancellable(image: SimImage): void {
  if (!isPublic(image)) return;
  throw new SimApiError(
    "OperationNotPermitted",
    `Image '${image.imageId}' is public: make it private before cancelling its deprecation.`,
  );
}

/**
 * Checks DeprecateAt as the EC2 API reference states it (EnableImageDeprecation): "You can't specify a date
 * in the past. The upper limit for DeprecateAt is 10 years from now, except for public AMIs, where the
 * upper limit is 2 years from the creation date." The limits are documented; applying them to the value the
 * caller specified, before EC2 rounds its seconds to the minute, is inferred (AWS does not say which value
 * it checks), as are the error code and texts.
 */
export function assertDeprecateAtInRange(image: SimImage, requestedMs: number, nowMs: number): void {
  if (requestedMs < nowMs)
    throw new SimApiError("InvalidParameterValue", "DeprecateAt can't be a date in the past.");
  if (isPublic(image)) {
    const cap = publicDeprecationCap(image);
    if (requestedMs > cap) {
      throw new SimApiError(
        "InvalidParameterValue",
        `DeprecateAt of a public AMI can be at most 2 years from its creation date (${new Date(cap).toISOString()}).`,
      );
    }
    return;
  }
  if (requestedMs > addUtcYears(nowMs, 10))
    throw new SimApiError("InvalidParameterValue", "DeprecateAt can be at most 10 years from now.");
}
