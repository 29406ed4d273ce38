import type { ImageRecord } from "../../model";
import { iso, parseTime } from "../time";
import type { UpcomingStep } from "../types";

// EC2 keeps refusing DeregisterImage for 24 h after a protection set with cooldown is lifted
// (aws-facts §5), and refuses nothing else then: deprecation and DisableImage go ahead. So a cooldown
// does not keep the version (rule `protected` skips it); it holds only that image's deregistration.

/** True when the image's only protection is the cooldown after a lift (no protection set now). */
export function isCoolingDown(image: ImageRecord): boolean {
  return image.deregistrationProtection && image.deregistrationProtectionSetting === "cooling-down";
}

/** Why the image's deregistration waits at `nowMs`, and until when; undefined once EC2 would allow it. */
export function cooldownHold(
  image: ImageRecord | undefined,
  nowMs: number,
): { message: string; due?: UpcomingStep } | undefined {
  if (!image || !isCoolingDown(image)) return undefined;
  const untilMs = parseTime(image.deregistrationProtectionUntil);
  // No end reported: EC2 still refuses, so the image waits (the safe side) until a sweep reads one.
  if (untilMs === undefined) {
    return { message: `deregister held: ${image.imageId} has deregistration protection, cooldown running` };
  }
  if (untilMs <= nowMs) return undefined;
  const at = iso(untilMs);
  return {
    message: `deregister held: ${image.imageId} has deregistration protection, cooldown until ${at}`,
    due: { action: "deregister", at },
  };
}
