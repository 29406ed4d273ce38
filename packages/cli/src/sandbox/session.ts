import type { Runtime } from "@ami-lifecycle/aws";
import type { Config } from "@ami-lifecycle/core";
import { silentLog } from "@ami-lifecycle/core";
import {
  type Invocation,
  LocalDeployment,
  type LocalHandler,
  SimClock,
  SimulatedAccount,
} from "@ami-lifecycle/simulated-account";
import { type AccountPlan, planAccount } from "../planning/account-plan";
import { deliveryEntry } from "./describe-delivery";
import { describeSweep, summaryDetails } from "./describe-sweep";
import type { TimelineEntry, TimelineKind, TimelineStatus } from "./timeline";

/** One scheduled sweep: when, what the function returned, and the plan it was made from. */
export interface ScheduledSweepRecord {
  time: string;
  invocation: Invocation;
  plan: AccountPlan;
}

/** Options of a sandbox session. */
export interface SandboxSessionOptions {
  config: Config;
  regions: readonly string[];
  /** DynamoDB Local to use; when absent the session starts its own (and stops it) */
  dynamoEndpoint?: string;
  /** the retention sweep handler, when the sandbox routes sweep requests */
  sweepHandler?: (runtime: () => Runtime) => LocalHandler;
  /** progress lines for stderr */
  onProgress?: (message: string) => void;
  /** where the simulated clock starts (default 2026-11-20T10:00Z) */
  startAt?: Date;
}

/**
 * The service deployed locally over a fresh simulated account, with a timeline: what people and
 * pipelines did, each event routed to the real handlers, and what the handlers did about it.
 */
export class SandboxSession {
  readonly timeline: TimelineEntry[] = [];
  /** every scheduled sweep, oldest first */
  readonly sweeps: ScheduledSweepRecord[] = [];
  private recordedDeliveries = 0;

  private constructor(
    readonly deployment: LocalDeployment,
    private readonly onProgress: (message: string) => void,
  ) {}

  /** Starts DynamoDB Local (unless an endpoint is given) and deploys the service over a new account. */
  static async start(options: SandboxSessionOptions): Promise<SandboxSession> {
    const onProgress = options.onProgress ?? (() => {});
    onProgress(
      options.dynamoEndpoint
        ? `using DynamoDB Local at ${options.dynamoEndpoint}`
        : "starting DynamoDB Local",
    );
    const account = new SimulatedAccount({
      regions: [...options.regions],
      ...(options.startAt ? { clock: new SimClock(options.startAt) } : {}),
    });
    const deployment = await LocalDeployment.start({
      config: options.config,
      account,
      log: silentLog,
      ...(options.dynamoEndpoint ? { dynamoEndpoint: options.dynamoEndpoint } : {}),
      ...(options.sweepHandler ? { sweepHandler: options.sweepHandler } : {}),
    });
    return new SandboxSession(deployment, onProgress);
  }

  /** The simulated account beneath every client. */
  get account(): SimulatedAccount {
    return this.deployment.account;
  }

  /** The config the deployed handlers run with. */
  get config(): Config {
    return this.deployment.runtime.config;
  }

  /** The current simulated time. */
  now(): Date {
    return this.account.clock.now();
  }

  /** Records something that happened outside the service (a build, a launch, a person's copy). */
  record(
    entry: { region: string; event: string; outcome?: string; status?: TimelineStatus; result?: unknown },
    kind: TimelineKind = "action",
  ): void {
    this.timeline.push({
      time: this.now().toISOString(),
      region: entry.region,
      kind,
      event: entry.event,
      outcome: entry.outcome ?? "",
      status: entry.status ?? "ok",
      ...(entry.result !== undefined ? { result: entry.result } : {}),
    });
  }

  /** Delivers every pending event to the handlers and records what they did. */
  async pump(): Promise<void> {
    await this.deployment.pump();
    this.collectDeliveries();
  }

  /** Moves the simulated clock forward, delivering what that emits (images finish, copies fail). */
  async advance(ms: number): Promise<void> {
    await this.deployment.advance(ms);
    this.collectDeliveries();
  }

  /** Moves the simulated clock to an instant (no-op when it is already there). */
  async advanceTo(instant: Date): Promise<void> {
    const ms = instant.getTime() - this.now().getTime();
    if (ms > 0) await this.advance(ms);
  }

  /**
   * Runs the scheduled sweep now, as EventBridge Scheduler invokes it, and records what it applied
   * (its retention-summary notifications) and what kept old versions (the plan at the same instant).
   */
  async scheduledSweep(): Promise<ScheduledSweepRecord> {
    const now = this.now();
    this.onProgress(`${now.toISOString()} scheduled sweep`);
    // The plan is what an operator sees with the CLI: it reads with the operator's policy.
    const { reactions } = this.deployment.operatorRuntime;
    const plan = await planAccount({
      config: this.config,
      registry: reactions.registry,
      images: reactions.images,
      now,
    });
    const publishedBefore = this.account.published(this.deployment.topicArn).length;
    const invocation = await this.deployment.invoke("retention-sweep", {
      kind: "scheduled-sweep",
      executionId: `sandbox-sweep-${this.sweeps.length + 1}`,
      scheduledTime: now.toISOString(),
    });
    const summaries = summaryDetails(this.account.published(this.deployment.topicArn).slice(publishedBefore));
    const record: ScheduledSweepRecord = { time: now.toISOString(), invocation, plan };
    this.sweeps.push(record);
    const failed = invocation.error !== undefined;
    this.record(
      {
        region: this.config.homeRegion,
        event: "scheduled sweep (EventBridge Scheduler → retention-sweep)",
        outcome: failed
          ? `failed after ${invocation.attempts} attempts: ${errorMessage(invocation.error)}`
          : describeSweep(plan, summaries).join("\n"),
        status: failed ? "failed" : "ok",
        ...(invocation.result !== undefined ? { result: invocation.result } : {}),
      },
      "sweep",
    );
    // Retirement emits its own events (disabled, deregistered): the reactions see them too.
    await this.pump();
    return record;
  }

  /** Progress line for stderr. */
  progress(message: string): void {
    this.onProgress(message);
  }

  /** Stops DynamoDB Local (when the session started it) and closes clients. */
  stop(): Promise<void> {
    return this.deployment.stop();
  }

  /** Adds the deliveries made since the last call to the timeline (callers that deliver directly). */
  collectDeliveries(): void {
    const fresh = this.deployment.deliveries.slice(this.recordedDeliveries);
    this.recordedDeliveries = this.deployment.deliveries.length;
    for (const delivery of fresh) this.timeline.push(deliveryEntry(delivery));
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
