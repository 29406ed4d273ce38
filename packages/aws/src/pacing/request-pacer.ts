import type { MetadataBearer, Pluggable } from "@smithy/types";

/** Capacity (tokens) and refill (tokens per second) of one API's bucket. */
export interface PacedBucket {
  capacity: number;
  refillPerSecond: number;
}

/**
 * EC2's published buckets per account, region and API (aws-facts §2): the pacer keeps each region's calls
 * of an API within them. Describe/Get/List take the non-mutating size, other APIs the mutating default.
 */
const ec2Buckets: Readonly<Record<string, PacedBucket>> = {
  CopyImage: { capacity: 100, refillPerSecond: 1 },
  DeregisterImage: { capacity: 100, refillPerSecond: 5 },
  DeleteSnapshot: { capacity: 100, refillPerSecond: 5 },
  CreateTags: { capacity: 100, refillPerSecond: 10 },
  ModifyImageAttribute: { capacity: 100, refillPerSecond: 5 },
  CreateRestoreImageTask: { capacity: 50, refillPerSecond: 0.1 },
};
const nonMutating: PacedBucket = { capacity: 100, refillPerSecond: 20 };
const mutating: PacedBucket = { capacity: 50, refillPerSecond: 5 };

/** Time as the pacer sees it: the system clock in Lambda, the simulated timeline in tests and benches. */
export interface PacerTime {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

/** Options of RequestPacer. */
export interface RequestPacerOptions {
  /** defaults to the system clock and setTimeout */
  time?: PacerTime;
  /** per-API sizes overriding EC2's published ones */
  buckets?: Record<string, PacedBucket>;
}

const systemTime: PacerTime = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Reservation {
  /** tokens left; below zero, the calls already waiting for the refill */
  tokens: number;
  atMs: number;
}

/**
 * A client-side mirror of EC2's token buckets, per region and API: an attempt takes a token, or waits
 * until the refill gives it one (waiters are served in arrival order by reserving tokens ahead), so a
 * paced caller keeps as many calls in flight as the bucket's rate allows and is not throttled, instead of
 * learning the rate from RequestLimitExceeded and backing off.
 */
export class RequestPacer {
  private readonly time: PacerTime;
  private readonly reservations = new Map<string, Reservation>();
  private readonly accounts = new Map<string, RequestPacer>();

  constructor(private readonly options: RequestPacerOptions = {}) {
    this.time = options.time ?? systemTime;
  }

  /** The pacer's current time (epoch milliseconds). */
  nowMs(): number {
    return this.time.nowMs();
  }

  /** Waits until an attempt of the operation in the region may be sent. */
  async acquire(region: string, operation: string): Promise<void> {
    const size = this.bucket(operation);
    const key = `${region}:${operation}`;
    const now = this.time.nowMs();
    const state = this.reservations.get(key) ?? { tokens: size.capacity, atMs: now };
    state.tokens = Math.min(size.capacity, state.tokens + ((now - state.atMs) / 1000) * size.refillPerSecond);
    state.atMs = now;
    state.tokens -= 1;
    this.reservations.set(key, state);
    // Below zero: this call waits for the refill of its own token and those reserved before it.
    if (state.tokens < 0) await this.time.sleep(Math.ceil((-state.tokens / size.refillPerSecond) * 1000));
  }

  /**
   * The pacer of another account's calls (a consumer account the sweep probes): EC2 gives every account
   * its own buckets per region and API, so its calls are paced like these, with the same sizes and
   * time, but never share this account's tokens. One per account, for this pacer's lifetime.
   */
  forAccount(accountId: string): RequestPacer {
    let pacer = this.accounts.get(accountId);
    if (!pacer) {
      pacer = new RequestPacer(this.options);
      this.accounts.set(accountId, pacer);
    }
    return pacer;
  }

  /** The bucket the pacer keeps an operation within. */
  bucket(operation: string): PacedBucket {
    return (
      this.options.buckets?.[operation] ??
      ec2Buckets[operation] ??
      (/^(Describe|Get|List)/.test(operation) ? nonMutating : mutating)
    );
  }
}

/** EC2 keeps a deprecation time to the minute. */
const minuteMs = 60_000;

/** Room between a deprecation's token and EC2 reading its time: a call's latency, with a wide margin. */
const deprecationLeadMs = 2_000;

/**
 * Plugs a pacer into an EC2 client: every attempt (retries included, it sits inside the retry
 * middleware) waits for its token before it is sent.
 *
 * A deprecation is the exception: EC2 refuses a DeprecateAt in the past, and a call asked for "now"
 * may wait in the queue past the minute it was rounded up to. So its first attempt takes its token
 * before the request is built, and its time is moved to the minute after the token (never earlier than
 * asked): a paced backlog of deprecations is never refused for waiting its turn.
 */
export function requestPacerPlugin(
  pacer: RequestPacer,
  region: () => Promise<string>,
): Pluggable<object, MetadataBearer> {
  const paidAhead = new WeakSet<object>();
  return {
    applyToStack: (stack) => {
      stack.add(
        (next, context) => async (args) => {
          if (context.commandName !== "EnableImageDeprecationCommand") return next(args);
          await pacer.acquire(await region(), "EnableImageDeprecation");
          paidAhead.add(context);
          const input = args.input as { DeprecateAt?: Date };
          const earliest = Math.ceil((pacer.nowMs() + deprecationLeadMs) / minuteMs) * minuteMs;
          const asked = input.DeprecateAt?.getTime();
          if (asked === undefined || Number.isNaN(asked) || asked >= earliest) return next(args);
          return next({ ...args, input: { ...input, DeprecateAt: new Date(earliest) } });
        },
        { step: "initialize", priority: "low", name: "requestPacerDeprecationTime", override: true },
      );
      stack.add(
        (next, context) => async (args) => {
          // The first attempt of a deprecation took its token above; its retries take their own.
          if (paidAhead.delete(context)) return next(args);
          await pacer.acquire(await region(), (context.commandName ?? "").replace(/Command$/, ""));
          return next(args);
        },
        { step: "finalizeRequest", priority: "normal", name: "requestPacerMiddleware", override: true },
      );
    },
  };
}
