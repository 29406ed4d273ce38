import type { SimClock } from "../clock";
import { type LatencyOptions, latencyOf } from "./latency";
import { SimTimeline } from "./timeline";
import { type ThrottlingOptions, TokenBuckets } from "./token-buckets";

/** Options of the simulated account's speed: both off by default, so calls are instant and unlimited. */
export interface PacingOptions {
  /** EC2 token buckets per region and API (`true`: the published sizes). */
  throttling?: boolean | ThrottlingOptions;
  /** A latency per call on the simulated clock (`true`: the typical figures). */
  latency?: boolean | LatencyOptions;
}

/**
 * What the account does before a call reaches its handler when pacing is on: the call travels for its
 * latency on the timeline, then takes a token of its region's bucket for the API (EC2 only) or fails
 * with RequestLimitExceeded, before any effect.
 */
export class Pacing {
  /** The timeline calls sleep on; also usable to hold real I/O (DynamoDB Local) while it runs. */
  readonly timeline: SimTimeline;
  private readonly buckets: TokenBuckets | undefined;
  private readonly latency: LatencyOptions | undefined;

  constructor(clock: SimClock, options: PacingOptions = {}) {
    this.timeline = new SimTimeline(clock);
    const throttling = options.throttling === true ? {} : options.throttling || undefined;
    this.buckets = throttling ? new TokenBuckets(() => clock.nowMs(), throttling) : undefined;
    this.latency = options.latency === true ? {} : options.latency || undefined;
  }

  /** True when neither throttling nor latency is on (calls pass untouched). */
  get off(): boolean {
    return !this.buckets && !this.latency;
  }

  /** Tokens left in a region's bucket for an EC2 API (undefined when throttling is off). */
  tokens(region: string, operation: string): number | undefined {
    return this.buckets?.tokens(region, operation);
  }

  /** Charges the call its latency, then its token; throws the throttling error when the bucket is empty. */
  async admit(service: string, region: string, operation: string): Promise<void> {
    if (this.latency) await this.timeline.sleep(latencyOf(service, operation, this.latency));
    if (this.buckets && service === "EC2") this.buckets.take(region, operation);
  }
}
