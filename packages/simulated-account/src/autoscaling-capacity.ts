import { SimApiError } from "./errors";

/** A group's three sizes, as CreateAutoScalingGroup and UpdateAutoScalingGroup set them. */
export interface GroupCapacity {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

/** The sizes a request gives; any may be absent (Update leaves an absent one as it was). */
export interface CapacityRequest {
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
}

/**
 * The sizes after a request, or Auto Scaling's ValidationError. DesiredCapacity "must be greater than or
 * equal to the minimum size of the group and less than or equal to the maximum size of the group"; at
 * creation it defaults to the minimum size (API reference, CreateAutoScalingGroup). On update without a
 * DesiredCapacity, a new MinSize above the group's size raises it to MinSize and a new MaxSize below it
 * lowers it to MaxSize (API reference, UpdateAutoScalingGroup); the simulation has no instances, so the
 * desired capacity stands for the group's size. Error texts inferred.
 */
export function nextCapacity(current: GroupCapacity | undefined, request: CapacityRequest): GroupCapacity {
  const minSize = request.MinSize ?? current?.minSize;
  const maxSize = request.MaxSize ?? current?.maxSize;
  if (minSize === undefined || maxSize === undefined) {
    throw new SimApiError("ValidationError", "MinSize and MaxSize are required.");
  }
  if (minSize > maxSize) {
    throw new SimApiError("ValidationError", `MinSize (${minSize}) must not exceed MaxSize (${maxSize}).`);
  }
  const desiredCapacity =
    request.DesiredCapacity ??
    (current ? Math.min(Math.max(current.desiredCapacity, minSize), maxSize) : minSize);
  if (desiredCapacity < minSize || desiredCapacity > maxSize) {
    throw new SimApiError(
      "ValidationError",
      `DesiredCapacity (${desiredCapacity}) must be between MinSize (${minSize}) and MaxSize (${maxSize}).`,
    );
  }
  return { minSize, maxSize, desiredCapacity };
}
