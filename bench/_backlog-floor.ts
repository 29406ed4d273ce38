// The backlog bench's floor (#15): per region, the shortest time the calls that cannot be avoided need
// under EC2's token buckets and the latency of the last call, whatever the order or concurrency.
import { bucketSize, latencyOf } from "@ami-lifecycle/simulated-account";

/**
 * The calls every image needs, in the order one image needs them: listed, tagged (adoption; the
 * destructive grants are conditioned on the managed tag), references looked up, then one call per
 * retirement step. Different images may be at different points of the chain at the same time.
 */
export const floorChain = [
  "DescribeImages",
  "CreateTags",
  "DescribeImageReferences",
  "EnableImageDeprecation",
  "DisableImage",
  "DeregisterImage",
] as const;

/** The unavoidable calls of one region, per API of `floorChain`. */
export type FloorCalls = Record<(typeof floorChain)[number], number>;

/** Seconds until the n-th call of an API may be sent, starting from a full bucket (0 while the burst lasts). */
export function bucketSeconds(api: string, calls: number): number {
  const size = bucketSize(api);
  return Math.max(0, calls - size.capacity) / size.refillPerSecond;
}

/** The unavoidable calls of a region: DescribeImages pages of 1000, ⌈candidates/10⌉ lookups, one tag per adopted image, one call per retired image per step. */
export function floorCalls(input: {
  owned: number;
  adopted: number;
  candidates: number;
  retired: number;
}): FloorCalls {
  return {
    DescribeImages: Math.max(1, Math.ceil(input.owned / 1000)),
    CreateTags: input.adopted,
    DescribeImageReferences: Math.ceil(input.candidates / 10),
    EnableImageDeprecation: input.retired,
    DisableImage: input.retired,
    DeregisterImage: input.retired,
  };
}

/**
 * The region's floor in seconds. An API's last call cannot be sent before its bucket has refilled the
 * tokens past the burst, and the image it serves still needs that call and the later calls of the chain
 * answered; the first image needs the whole chain. Buckets are independent, so the floor is the largest
 * of these bounds, not their sum (`serialSeconds` is the sum of the bucket times, for comparison).
 * With a backlog smaller than the bursts the floor is the chain's latency, never 0.
 */
export function regionFloor(calls: FloorCalls): { seconds: number; serialSeconds: number } {
  const used = floorChain.filter((api) => calls[api] > 0);
  const latency = (api: string) => latencyOf("EC2", api) / 1000;
  const bounds = used.map(
    (api, index) =>
      bucketSeconds(api, calls[api]) + used.slice(index).reduce((sum, later) => sum + latency(later), 0),
  );
  const serialSeconds = used.reduce((sum, api) => sum + bucketSeconds(api, calls[api]), 0);
  return { seconds: Math.max(0, ...bounds), serialSeconds };
}
