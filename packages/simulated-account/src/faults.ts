import { SimApiError } from "./errors";
import { seededRandom } from "./random";

/** Injected failures, drawn per attempt from a seeded random source. */
export interface FaultOptions {
  /** Probability (0..1) that an attempt is throttled. */
  throttleRate?: number;
  /** Probability (0..1) that an attempt fails with a transient 5xx. */
  serverErrorRate?: number;
  /** Seed of the random source (default 1). */
  seed?: number;
  /** Command names ("DescribeImages" or "DescribeImagesCommand") the faults apply to; all when absent. */
  only?: string[];
}

/** The error code and HTTP status each service uses for throttling and for an internal failure. */
const SERVICE_FAULTS: Record<string, { throttle: [string, number]; server: [string, number] }> = {
  // EC2 answers RequestLimitExceeded with HTTP 503 (EC2 API reference, "Error codes").
  EC2: { throttle: ["RequestLimitExceeded", 503], server: ["InternalError", 500] },
  // SNS's wire code "Throttled" is surfaced by the SDK as ThrottledException (HTTP 429).
  SNS: { throttle: ["ThrottledException", 429], server: ["InternalError", 500] },
  KMS: { throttle: ["ThrottlingException", 400], server: ["KMSInternalException", 500] },
  SSM: { throttle: ["ThrottlingException", 400], server: ["InternalServerError", 500] },
  EventBridge: { throttle: ["ThrottlingException", 400], server: ["InternalException", 500] },
};

/** Decides, per attempt, whether to fail it before any effect is applied. */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = seededRandom(1);

  constructor(options: FaultOptions = {}) {
    this.configure(options);
  }

  /** Replaces the fault settings and reseeds the random source. */
  configure(options: FaultOptions): void {
    this.options = { ...options, only: options.only?.map((name) => name.replace(/Command$/, "")) };
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The error to raise for this attempt, or undefined to let it through. */
  draw(service: string, operation: string): SimApiError | undefined {
    const { throttleRate = 0, serverErrorRate = 0, only } = this.options;
    if (throttleRate <= 0 && serverErrorRate <= 0) return undefined;
    if (only && !only.includes(operation)) return undefined;
    const faults = SERVICE_FAULTS[service] ?? SERVICE_FAULTS.EC2;
    if (!faults) return undefined;
    const roll = this.random();
    if (roll < throttleRate) {
      const [code, status] = faults.throttle;
      return new SimApiError(code, "Request limit exceeded.", status);
    }
    if (roll < throttleRate + serverErrorRate) {
      const [code, status] = faults.server;
      return new SimApiError(code, "An internal error has occurred.", status);
    }
    return undefined;
  }
}
