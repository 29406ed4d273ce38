import { SimApiError } from "../errors";

/** Capacity (tokens) and refill (tokens per second) of one API's bucket. */
export interface BucketSize {
  capacity: number;
  refillPerSecond: number;
}

/**
 * EC2's published request token buckets per account and region (aws-facts §2, "Throttling"): every
 * API has its own bucket; APIs not listed take their category's size (Describe/Get/List are non-mutating).
 */
export const EC2_BUCKETS: Readonly<Record<string, BucketSize>> = {
  CopyImage: { capacity: 100, refillPerSecond: 1 },
  DeregisterImage: { capacity: 100, refillPerSecond: 5 },
  DeleteSnapshot: { capacity: 100, refillPerSecond: 5 },
  CreateTags: { capacity: 100, refillPerSecond: 10 },
  ModifyImageAttribute: { capacity: 100, refillPerSecond: 5 },
  CreateRestoreImageTask: { capacity: 50, refillPerSecond: 0.1 },
};

/** The bucket of a non-mutating EC2 API not listed in EC2_BUCKETS. */
export const EC2_NON_MUTATING_BUCKET: BucketSize = { capacity: 100, refillPerSecond: 20 };
/** The bucket of a mutating EC2 API not listed in EC2_BUCKETS. */
export const EC2_MUTATING_BUCKET: BucketSize = { capacity: 50, refillPerSecond: 5 };

/** Options of the simulated throttling: per-API sizes override the published ones. */
export interface ThrottlingOptions {
  buckets?: Record<string, BucketSize>;
}

/** True for the APIs EC2 counts as non-mutating (they only read). */
export function isNonMutating(operation: string): boolean {
  return /^(Describe|Get|List)/.test(operation);
}

/** The size of an EC2 API's bucket, the overrides first. */
export function bucketSize(operation: string, overrides: Record<string, BucketSize> = {}): BucketSize {
  return (
    overrides[operation] ??
    EC2_BUCKETS[operation] ??
    (isNonMutating(operation) ? EC2_NON_MUTATING_BUCKET : EC2_MUTATING_BUCKET)
  );
}

interface BucketState {
  tokens: number;
  atMs: number;
}

/**
 * EC2's token buckets of one account: one per region and API, full at first, refilled continuously
 * on the simulated clock up to its capacity. A call takes one token; with none left EC2 answers
 * `RequestLimitExceeded` (HTTP 503) and the call has no effect.
 */
export class TokenBuckets {
  private readonly states = new Map<string, BucketState>();

  constructor(
    private readonly nowMs: () => number,
    private readonly options: ThrottlingOptions = {},
  ) {}

  /** Takes one token of the region's bucket for the operation, or throws RequestLimitExceeded. */
  take(region: string, operation: string): void {
    const state = this.refilled(region, operation);
    if (state.tokens < 1) {
      throw new SimApiError("RequestLimitExceeded", "Request limit exceeded.", 503);
    }
    state.tokens -= 1;
  }

  /** Tokens left now in the region's bucket for the operation (fractions included). */
  tokens(region: string, operation: string): number {
    return this.refilled(region, operation).tokens;
  }

  private refilled(region: string, operation: string): BucketState {
    const key = `${region}:${operation}`;
    const size = bucketSize(operation, this.options.buckets);
    const now = this.nowMs();
    const state = this.states.get(key) ?? { tokens: size.capacity, atMs: now };
    state.tokens = Math.min(size.capacity, state.tokens + ((now - state.atMs) / 1000) * size.refillPerSecond);
    state.atMs = now;
    this.states.set(key, state);
    return state;
  }
}
