/**
 * Typical round-trip times of EC2 calls in milliseconds (observed orders of magnitude, not an AWS
 * guarantee): reads of many items and calls that fan out inside EC2 cost more than a single write.
 */
export const EC2_LATENCY_MS: Readonly<Record<string, number>> = {
  DescribeImages: 400,
  DescribeImageReferences: 300,
  DescribeSnapshots: 300,
  DescribeInstances: 250,
  DescribeLaunchTemplateVersions: 250,
  DescribeImageAttribute: 150,
  CreateTags: 150,
  CopyImage: 300,
  DeregisterImage: 250,
  DeleteSnapshot: 200,
  DisableImage: 200,
  EnableImageDeprecation: 150,
  ModifyImageAttribute: 200,
};

/** Latency of a call not listed (any service). */
export const DEFAULT_LATENCY_MS = 150;

/** Options of the simulated latency: per-operation figures override the typical ones. */
export interface LatencyOptions {
  /** "Operation" (every service) or "Service:Operation" → milliseconds */
  perOperationMs?: Record<string, number>;
  /** Latency of an operation listed nowhere (default DEFAULT_LATENCY_MS). */
  defaultMs?: number;
}

/** The latency the simulated account charges a call, overrides first, then the EC2 figures for EC2. */
export function latencyOf(service: string, operation: string, options: LatencyOptions = {}): number {
  const overrides = options.perOperationMs ?? {};
  return (
    overrides[`${service}:${operation}`] ??
    overrides[operation] ??
    (service === "EC2" ? EC2_LATENCY_MS[operation] : undefined) ??
    options.defaultMs ??
    DEFAULT_LATENCY_MS
  );
}
