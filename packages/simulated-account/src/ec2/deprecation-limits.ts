import { SimApiError } from "../errors";
import type { SimImage } from "../state";

/** The instant `years` calendar years after `ms` (UTC), as "10 years from now" reads on a calendar. */
function addUtcYears(ms: number, years: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

/**
 * Checks DeprecateAt as the EC2 API reference states it (EnableImageDeprecation): "You can't specify a date
 * in the past. The upper limit for DeprecateAt is 10 years from now, except for public AMIs, where the
 * upper limit is 2 years from the creation date." Both limits apply to the value the caller specified,
 * before EC2 rounds its seconds to the minute. Error code and texts inferred (AWS documents the limits).
 */
export function assertDeprecateAtInRange(image: SimImage, requestedMs: number, nowMs: number): void {
  if (requestedMs < nowMs)
    throw new SimApiError("InvalidParameterValue", "DeprecateAt can't be a date in the past.");
  if (image.launchPermissions.includes("group:all")) {
    const cap = addUtcYears(Date.parse(image.creationDate), 2);
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
